// The room core alone (54B, 56B): load before answering, broadcast first and answer "saved" once stored, presence throttling, store failure.
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { Room, type Conn } from "../../realtime/room";
import { RoomHub } from "../../realtime/hub";
import { MemoryStore, shouldCompact, chunks, type RoomStore } from "../../realtime/store";
import {
  awarenessFrame,
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  parseRoomId,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  syncFrame,
} from "../../realtime/protocol";

class FakeConn implements Conn {
  frames: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  send(frame: Uint8Array) {
    this.frames.push(frame);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  updates() {
    return this.frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_UPDATE);
  }
}

const writer = (name = "Alice") => ({ userId: name, name, canWrite: true });
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function gated(inner: RoomStore) {
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  return {
    store: {
      ...inner,
      load: async () => {
        await gate;
        return inner.load();
      },
      append: async (u: Uint8Array[]) => {
        await gate;
        return inner.append(u);
      },
      compact: inner.compact.bind(inner),
      erase: inner.erase.bind(inner),
      close: inner.close.bind(inner),
    } as RoomStore,
    open: () => open(),
    close: () => {
      gate = new Promise<void>((r) => (open = r));
    },
  };
}

function step1(doc = new Y.Doc()) {
  return syncFrame(SYNC_STEP1, Y.encodeStateVector(doc));
}

describe("54B 56B room core", () => {
  it("answers nothing before the stored state is loaded, then the stored state", async () => {
    const stored = new MemoryStore();
    const seed = new Y.Doc();
    seed.getText("t").insert(0, "déjà là");
    await stored.append([Y.encodeStateAsUpdate(seed)]);
    const g = gated(stored);
    const room = new Room("0750001A:bench:a", g.store);
    const conn = new FakeConn();
    room.connect(conn, writer());
    room.receive(conn, step1());
    await tick(20);
    expect(conn.frames).toHaveLength(0);
    g.open();
    await room.ready;
    await tick(5);
    const answer = conn.frames.find((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_STEP2)!;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, answer.subarray(3 + (answer[2]! >= 128 ? 1 : 0)));
    expect(doc.getText("t").toString()).toBe("déjà là");
    await room.close();
  });

  it('issue 22: an update reaches the other sockets before it is stored (never its sender); the state answer that says "saved" waits for the store', async () => {
    const g = gated(new MemoryStore());
    g.open();
    const room = new Room("0750001A:bench:b", g.store);
    await room.ready;
    g.close();
    const a = new FakeConn();
    const b = new FakeConn();
    room.connect(a, writer("a"));
    room.connect(b, writer("b"));
    const doc = new Y.Doc();
    doc.getMap("m").set("k", 1);
    room.receive(a, syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(doc)));
    await tick(20);
    // Broadcast first: b has it while the store still holds the write back; a never gets its own update.
    expect(b.updates()).toHaveLength(1);
    expect(a.updates()).toHaveLength(0);
    // a asks for the state: the answer (what tells a client its edits are saved) waits until they are stored.
    room.receive(a, step1());
    await tick(20);
    const answers = () => a.frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_STEP2);
    expect(answers()).toHaveLength(0);
    let saved = false;
    void room.settled().then(() => (saved = true));
    await tick(5);
    expect(saved).toBe(false);
    g.open();
    await room.settled();
    await tick(5);
    expect(saved).toBe(true);
    expect(answers()).toHaveLength(1);
    expect(b.updates()).toHaveLength(1);
    expect((await g.store.load()).updates).toHaveLength(1);
    await room.close();
  });

  it("a store failure closes the sockets with a transient code and the change is refused", async () => {
    const failing: RoomStore = {
      ...new MemoryStore(),
      load: new MemoryStore().load,
      append: async () => {
        throw new Error("disque plein");
      },
      compact: async () => undefined,
      erase: async () => undefined,
      close: async () => undefined,
    };
    let failed = false;
    const room = new Room("0750001A:bench:c", failing, {
      onFailed: () => {
        failed = true;
      },
    });
    await room.ready;
    const a = new FakeConn();
    room.connect(a, writer());
    await expect(room.change((d) => d.getText("t").insert(0, "x"))).rejects.toThrow("disque plein");
    expect(a.closed?.code).toBe(CLOSE.storeFailed);
    expect(failed).toBe(true);
  });

  it("throttles presence: 30 idle clients renewing cost O(N) frames, not O(N²)", async () => {
    const room = new Room("0750001A:bench:d", new MemoryStore(), { awarenessDelayMs: 5, awarenessRenewMs: 50 });
    await room.ready;
    const conns = Array.from({ length: 30 }, () => new FakeConn());
    conns.forEach((c, i) => room.connect(c, writer(`p${i}`)));
    const presence = (clientId: number, clock: number) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify({ cursor: null }));
      return awarenessFrame(encoding.toUint8Array(e));
    };
    conns.forEach((c, i) => room.receive(c, presence(1000 + i, 1)));
    await tick(30);
    const before = conns.reduce((n, c) => n + c.frames.filter((f) => f[0] === MESSAGE_AWARENESS).length, 0);
    expect(before).toBeLessThanOrEqual(30 * 2);
    // Everybody renews (same state, higher clock): the unthrottled server would send 30 × 30 = 900 frames.
    conns.forEach((c, i) => room.receive(c, presence(1000 + i, 2)));
    await tick(120);
    const after = conns.reduce((n, c) => n + c.frames.filter((f) => f[0] === MESSAGE_AWARENESS).length, 0) - before;
    expect(after).toBe(30);
    await room.close();
  });

  it("a socket cannot remove or rewrite another socket's presence", async () => {
    const room = new Room("0750001A:bench:e", new MemoryStore(), { awarenessDelayMs: 1 });
    await room.ready;
    const a = new FakeConn();
    const b = new FakeConn();
    room.connect(a, writer("a"));
    room.connect(b, writer("b"));
    const presence = (clock: number, state: unknown) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 42);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
      return awarenessFrame(encoding.toUint8Array(e));
    };
    room.receive(a, presence(1, { x: 1 }));
    room.receive(b, presence(5, null));
    await tick(10);
    const late = new FakeConn();
    room.connect(late, writer("late"));
    const greeting = late.frames.find((f) => f[0] === MESSAGE_AWARENESS);
    expect(new TextDecoder().decode(greeting)).toContain('"name":"a"');
    await room.close();
  });

  it("issue 22: a room opened again while its previous instance still writes waits for it (it never loads less)", async () => {
    const stored = new MemoryStore();
    let open!: () => void;
    let gate: Promise<void> = Promise.resolve();
    // Only appends wait at the gate: a load would see what is stored so far.
    const store: RoomStore = {
      load: () => stored.load(),
      append: async (u) => {
        await gate;
        return stored.append(u);
      },
      compact: (state, upTo) => stored.compact(state, upTo),
      erase: () => stored.erase(),
      close: async () => undefined,
    };
    const hub = new RoomHub({ storeFor: async () => store, idleMs: 5, sweepMs: 0 });
    const id = "0750001A:bench:reopen";
    const conn = new FakeConn();
    const joined = await hub.join(id, conn, writer());
    gate = new Promise<void>((r) => (open = r));
    const doc = new Y.Doc();
    doc.getMap("m").set("k", "dernier");
    joined.receive(syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(doc)));
    joined.leave();
    await tick(30); // idle: the room unloads, its last update still waiting to be written
    const read = hub.read(id, (d) => d.getMap("m").get("k"));
    await tick(10);
    open();
    expect(await read).toBe("dernier");
    await hub.stop();
  });

  it("parses room ids and decides compaction by size", () => {
    expect(parseRoomId("0750001A:wall:3f2b1c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")).toEqual({
      uai: "0750001A",
      kind: "wall",
      id: "3f2b1c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    });
    expect(parseRoomId("0750001A:wall:../../etc")).toBeNull();
    expect(parseRoomId("075A:doc:x")).toBeNull();
    expect(shouldCompact(10, 0)).toBe(false);
    expect(shouldCompact(100_000, 50_000)).toBe(true);
    expect(shouldCompact(100_000, 500_000)).toBe(false);
    expect(chunks(new Uint8Array(1_200_000)).map((c) => c.length)).toEqual([524288, 524288, 151424]);
  });
});
