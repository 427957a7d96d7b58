// Issue 22, all cores: how many processes `npm start` runs, and which process owns a room.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { processCount } from "../../src/node/cluster";
import { roomOwner } from "../../src/node/rooms";

const server = { DATABASE_URL: "postgres://127.0.0.1/preau" };

describe("issue 22: processes and room owners", () => {
  it("PREAU_PROCESSES: by default the available cores, or the number given; a bad value is refused", () => {
    expect(processCount(server).processes).toBe(availableParallelism());
    expect(processCount({ ...server, PREAU_PROCESSES: "auto" }).processes).toBe(availableParallelism());
    expect(processCount({ ...server, PREAU_PROCESSES: "3" })).toEqual({ processes: 3 });
    for (const bad of ["0", "-1", "1.5", "deux"])
      expect(() => processCount({ ...server, PREAU_PROCESSES: bad })).toThrow(/PREAU_PROCESSES/);
  });

  it("with the embedded PGlite (no DATABASE_URL) one process, and the console says why", () => {
    const one = processCount({ PREAU_PROCESSES: "4" });
    expect(one.processes).toBe(1);
    expect(one.note).toMatch(/PGlite/);
    expect(processCount({ PREAU_PROCESSES: "1" })).toEqual({ processes: 1 });
  });

  it("rooms spread evenly over the processes (an owner per room, from its id alone)", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `0750001A:wall:${crypto.randomUUID()}-${i}`);
    for (const n of [2, 3, 8]) {
      const counts = new Array<number>(n).fill(0);
      for (const id of ids) counts[roomOwner(id, n)]! += 1;
      for (const c of counts) expect(c).toBeGreaterThan((ids.length / n) * 0.8);
    }
    expect(roomOwner(ids[0]!, 1)).toBe(0);
  });
});
