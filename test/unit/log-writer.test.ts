import { describe, expect, it } from "vitest";
import { batchedStdout } from "../../src/node/log-writer";
import { jsonLogger } from "../../src/log";

describe("structured logs", () => {
  it("writes one JSON object per line, in batches, and flushes on demand", async () => {
    const chunks: string[] = [];
    const writer = batchedStdout(10, 1_000_000, (c) => chunks.push(c));
    const log = jsonLogger(writer.write);
    log.log("info", "request", { requestId: "r1", status: 200 });
    log.log("debug", "hidden");
    log.log("error", "boom", { requestId: "r2" });
    expect(chunks).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(chunks).toHaveLength(1);
    const lines = chunks[0]!
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { level: "info", event: "request", requestId: "r1", status: 200 },
      { level: "error", event: "boom" },
    ]);
    log.log("warn", "later");
    writer.flush();
    expect(chunks).toHaveLength(2);
  });

  it("writes at once when the batch is large", () => {
    const chunks: string[] = [];
    const writer = batchedStdout(10_000, 100, (c) => chunks.push(c));
    writer.write("x".repeat(150));
    expect(chunks).toHaveLength(1);
  });
});
