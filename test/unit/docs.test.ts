// Issue 13 item 7: the docs describe the code as it is — every path they name exists, and the requirement index
// (docs/requirements.md) lists where each ID is cited today.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const script = (path: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", path, ...args], { cwd: ROOT, encoding: "utf8" });

describe("docs in the repo", () => {
  it("README, ARCHITECTURE.md, bench/README.md and docs/ name only files and anchors that exist", () => {
    const run = script("scripts/check-doc-paths.ts");
    expect(run.stderr + run.stdout).toContain("0 problème(s)");
    expect(run.status).toBe(0);
  });

  it(
    "docs/requirements.md is what the code and the tests " + "cite (npx tsx scripts/requirements.ts regenerates it)",
    () => {
      const run = script("scripts/requirements.ts", "--check");
      expect(run.status, run.stderr + run.stdout).toBe(0);
    },
  );
});
