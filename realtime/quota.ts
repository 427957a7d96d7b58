// Byte budgets of the rooms (issue 21 F2): a token bucket per user and per room, refilled continuously so that a
// minute's worth may arrive at once and no more. Runtime-agnostic; the time comes from the caller's clock.

export class ByteBucket {
  private tokens: number;
  private at: number;

  constructor(
    /** Bytes per minute, and the largest burst. */
    readonly perMinute: number,
    now: number,
  ) {
    this.tokens = perMinute;
    this.at = now;
  }

  /** Spends `bytes` if anything is left; the last frame may overdraw (a frame larger than the budget is not stuck). */
  take(bytes: number, now: number): boolean {
    this.refill(now);
    if (this.tokens <= 0) return false;
    this.tokens -= bytes;
    return true;
  }

  /** Full again: nothing spent for a minute (the hub forgets such buckets). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.perMinute;
  }

  private refill(now: number): void {
    if (now > this.at)
      this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.at) * this.perMinute) / 60_000);
    this.at = Math.max(this.at, now);
  }
}
