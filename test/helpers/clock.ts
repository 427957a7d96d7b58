import type { Clock } from "../../src/platform";

/** A clock the test moves by hand. Starts on a school day, mid-morning in Paris. */
export class TestClock implements Clock {
  private current: number;
  constructor(start = "2026-11-24T10:00:00+01:00") {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
