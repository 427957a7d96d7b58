// 54B 56B: runs the Durable Object room's suite (test/workers/*.spec.ts: the shared protocol suite and storage across
// eviction) inside workerd through @cloudflare/vitest-plugin, as part of `npx vitest run`. The plugin needs its own
// vitest project (a workerd pool), hence a child run with vitest.workers.config.ts whose result is asserted here.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("54B 56B Durable Object rooms in workerd", () => {
  it("the same protocol suite passes against the Durable Object room", async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "-c",
        "vitest.workers.config.ts",
        "--reporter=verbose",
        "--no-color",
      ],
      { cwd: ROOT, env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" }, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string; stderr?: string }) => ({
      stdout: err.stdout ?? "",
      stderr: err.stderr ?? String(err),
    }));
    const out = `${run.stdout}\n${run.stderr}`;
    const passed = /Tests\s+(\d+) passed \((\d+)\)/.exec(out);
    expect(passed, out.slice(-4000)).not.toBeNull();
    expect(Number(passed![1])).toBe(Number(passed![2]));
    expect(Number(passed![1])).toBeGreaterThanOrEqual(9);
    for (const name of [
      "two official clients converge",
      "a viewer cannot write",
      "refused with 4403",
      "malformed, text and oversized",
      "presence names come from the server",
      "across eviction of the object",
      "admitted again after the re-check period",
      "at most 10 sockets in a room",
    ])
      expect(out).toContain(name);
  }, 240_000);
});
