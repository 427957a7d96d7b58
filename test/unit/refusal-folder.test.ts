// F9 (issue 21): the folding of refused forms before the audit trail, including its bounded memory.
import { describe, expect, it } from "vitest";
import { RefusalFolder } from "../../src/http/security";

describe("RefusalFolder", () => {
  it("writes one line per key and minute, counting the folded ones on the next line", () => {
    const f = new RefusalFolder(60_000, 100, 100);
    expect(f.admit("a", 0)).toEqual({ refusals: 1, othersFolded: 0 });
    for (let i = 1; i <= 5; i++) expect(f.admit("a", i * 1000)).toBeNull();
    expect(f.admit("b", 6000)).toEqual({ refusals: 1, othersFolded: 0 });
    expect(f.admit("a", 61_000)).toEqual({ refusals: 6, othersFolded: 0 });
    // A clock set back does not hold a key's minute open for ever.
    expect(f.admit("a", -120_000)).toEqual({ refusals: 1, othersFolded: 0 });
  });

  it("keeps to its budget of lines per minute in all; what it could not write is reported on the next line", () => {
    const f = new RefusalFolder(60_000, 3, 100);
    const written = Array.from({ length: 10 }, (_, i) => f.admit(`k${i}`, 1000 + i)).filter((x) => x !== null);
    expect(written).toHaveLength(3);
    expect(f.admit("late", 70_000)).toEqual({ refusals: 1, othersFolded: 7 });
  });

  it("holds at most maxKeys keys; dropped keys' folded counts are not lost", () => {
    const f = new RefusalFolder(60_000, 1000, 3);
    f.admit("a", 0);
    f.admit("a", 1);
    f.admit("a", 2);
    f.admit("b", 10);
    f.admit("c", 10);
    // A fourth key: "a" (two folded) was the oldest, its count goes with the line that pushed it out.
    expect(f.admit("d", 10)).toEqual({ refusals: 1, othersFolded: 2 });
    expect(f.admit("e", 20)).toEqual({ refusals: 1, othersFolded: 0 });
    expect(f.admit("a", 30)).toEqual({ refusals: 1, othersFolded: 0 });
  });
});
