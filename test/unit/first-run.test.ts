// 9: a first run that explains itself. On a Node.js older than 24 every npm script stops at once with one line that
// names Node 24 and how to get it (scripts/check-node.cjs, the first step of each script in package.json); without
// Chromium, a run of the browser tests stops with one line saying how to install it or name another browser.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingChromium, runsBrowserTests } from "../helpers/chromium";

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

describe("Chromium missing", () => {
  const expectTheLine = (line: string | null, named: string) => {
    expect(line).not.toBeNull();
    expect(line).not.toContain("\n");
    expect(line).toContain(`Chromium introuvable (${named})`);
    expect(line).toContain("apt-get install chromium");
    expect(line).toContain("PREAU_CHROMIUM=/chemin/vers/chrome");
    expect(line).toContain("Chromium not found");
    expect(line).toContain("PREAU_CHROMIUM=/path/to/chrome");
  };

  it("names the missing browser, Debian's package and the variable", () => {
    expectTheLine(missingChromium({ PREAU_CHROMIUM: "/nonexistent" }), "PREAU_CHROMIUM=/nonexistent");
  });

  it("refuses a file that cannot be executed, accepts one that can", () => {
    const file = join(mkdtempSync(join(tmpdir(), "preau-chromium-")), "chrome");
    writeFileSync(file, "not a browser", { mode: 0o644 });
    expectTheLine(missingChromium({ PREAU_CHROMIUM: file }), `PREAU_CHROMIUM=${file}`);
    expect(missingChromium({ PREAU_CHROMIUM: process.execPath })).toBeNull();
  });

  it("is checked only when the run holds browser tests", () => {
    expect(runsBrowserTests(["/repo/test/unit/policy.test.ts", "/repo/test/e2e/portal.test.ts"])).toBe(true);
    expect(runsBrowserTests(["/repo/test/unit/policy.test.ts", "/repo/test/integration/e2e-like.test.ts"])).toBe(false);
  });

  it("stops a run of browser tests once, with that line, before any test", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "test/e2e/sso-pages.test.ts", "test/e2e/portal.test.ts"],
      { cwd: ROOT, env: { ...env, PREAU_CHROMIUM: "/nonexistent", NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 },
    );
    const output = r.stdout + r.stderr;
    expect(r.status, output).toBe(1);
    expect(output.split("Chromium introuvable (PREAU_CHROMIUM=/nonexistent)")).toHaveLength(2);
    expect(output).toContain(
      "Chromium not found: install Debian's chromium package or set PREAU_CHROMIUM=/path/to/chrome",
    );
    expect(output).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frame
    expect(output).toMatch(/Test Files\s+no tests/);
  }, 60_000);
});
