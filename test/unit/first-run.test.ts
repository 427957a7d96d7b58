// 9: a first run that explains itself. On a Node.js older than 24 every npm script stops at once with one line that
// names Node 24 and how to get it (scripts/check-node.cjs, the first step of each script in package.json).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const CHECK = join(ROOT, "scripts/check-node.cjs");

function checkNode(version: string) {
  const r = spawnSync(process.execPath, [CHECK], {
    env: { ...process.env, PREAU_FAKE_NODE_VERSION: version },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("Node version guard", () => {
  it.each(["20.20.2", "v18.19.1", "12.22.9", "23.11.0"])("stops on Node %s with one line naming Node 24", (v) => {
    const { code, stdout, stderr } = checkNode(v);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Préau demande Node.js 24 ou plus récent");
    expect(lines[0]).toContain("Préau needs Node.js 24+");
    expect(lines[0]).toContain(v);
    expect(lines[0]).toContain("https://nodejs.org");
    expect(lines[0]).toContain("nvm install 24");
    expect(lines[0]).toContain("nodesource");
  });

  it.each(["24.0.0", "v24.22.3", "25.1.0"])("lets Node %s through silently", (v) => {
    expect(checkNode(v)).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("runs first in every npm script", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const unguarded = Object.entries(scripts).filter(
      ([, command]) => !command.startsWith("node scripts/check-node.cjs && "),
    );
    expect(unguarded).toEqual([]);
  });
});
