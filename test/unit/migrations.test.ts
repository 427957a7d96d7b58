// The migrator applies a migration only when its journal time is later than the last one applied: a journal whose
// times go backwards silently skips migrations on every existing database (found with 0005, written by hand).
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = join(import.meta.dirname, "../../migrations");
const journal = JSON.parse(readFileSync(join(DIR, "meta/_journal.json"), "utf8")) as {
  entries: { idx: number; when: number; tag: string }[];
};

describe("migrations journal", () => {
  it("lists every SQL file once, in order, with strictly increasing times", () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith(".sql"))
      .map((f) => f.replace(/\.sql$/, ""))
      .sort();
    expect(journal.entries.map((e) => e.tag)).toEqual(files);
    journal.entries.forEach((e, i) => expect(e.idx).toBe(i));
    for (let i = 1; i < journal.entries.length; i += 1)
      expect(journal.entries[i]!.when).toBeGreaterThan(journal.entries[i - 1]!.when);
  });
});
