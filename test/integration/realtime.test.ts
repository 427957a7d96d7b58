// Realtime rooms (54B, 56B): the room server speaks the y-websocket protocol to the official client, stores every
// update in the background once the others have it, and keeps what it acknowledged as saved across kill -9. Real
// sockets, real libsql files, a real child process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { createClient } from "@libsql/client";
import { startRoomServer, type RoomServer } from "../../bench/realtime-server";
import { CLOSE, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, syncFrame } from "../../realtime/protocol";
import { rawSocket, until, yClient, type Client } from "../helpers/realtime";
import { protocolSuite } from "../helpers/realtime-protocol";
import { WebSocket as NodeWebSocket } from "ws";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const room = (n = Math.random().toString(36).slice(2, 10)) => `0750001A:bench:t-${n}`;

let dir: string;
let server: RoomServer;
let base: string;
const clients: Client[] = [];

async function client(name: string, options: Parameters<typeof yClient>[2] = {}) {
  const c = await yClient(base, name, options);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "preau-rooms-"));
  server = await startRoomServer({ dir, idleMs: 200 });
  base = `ws://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("54B 56B realtime rooms: protocol with the official y-websocket client", () => {
  it("two clients converge through the server, and a late joiner gets the full state", async () => {
    const name = room();
    const a = await client(name);
    const b = await client(name);
    a.doc.getText("t").insert(0, "Bonjour ");
    b.doc.getMap("m").set("couleur", "jaune");
    await until(() => b.doc.getText("t").toString() === "Bonjour " && a.doc.getMap("m").get("couleur") === "jaune");
    b.doc.getText("t").insert(8, "la classe");
    await until(() => a.doc.getText("t").toString() === "Bonjour la classe");
    const late = await client(name);
    expect(late.doc.getText("t").toString()).toBe("Bonjour la classe");
    expect(late.doc.getMap("m").get("couleur")).toBe("jaune");
    expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
  });

  it("a late joiner after the room unloaded gets the state back from the libsql file", async () => {
    const name = room();
    const a = await client(name);
    a.doc.getArray<string>("a").push(["un", "deux", "trois"]);
    await until(() => server.rooms.hub.isLoaded(name) && a.provider.wsconnected);
    await new Promise((r) => setTimeout(r, 100));
    a.destroy();
    await until(() => !server.rooms.hub.isLoaded(name), 5_000, "idle room never unloaded");
    const late = await client(name);
    expect(late.doc.getArray("a").toArray()).toEqual(["un", "deux", "trois"]);
  });

  it("does not echo an update to the socket that sent it", async () => {
    const name = room();
    const watcher = await client(name);
    const raw = await rawSocket(`${base}/${name}`);
    await until(() => raw.frames.length >= 1);
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "écho ?");
    raw.ws.send(syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(doc)));
    await until(() => watcher.doc.getText("t").toString() === "écho ?");
    await new Promise((r) => setTimeout(r, 100));
    const updatesBack = raw.frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_UPDATE);
    expect(updatesBack).toHaveLength(0);
    raw.ws.close();
  });

  it("a viewer's edits are dropped: nobody else sees them and the room does not keep them", async () => {
    const name = room();
    const writer = await client(name);
    const viewer = await client(name, { params: { lecteur: "1" } });
    writer.doc.getText("t").insert(0, "écrit");
    await until(() => viewer.doc.getText("t").toString() === "écrit");
    viewer.doc.getText("t").insert(0, "pirate ");
    writer.doc.getText("t").insert(5, " !");
    await until(() => viewer.doc.getText("t").toString().endsWith(" !"));
    await new Promise((r) => setTimeout(r, 100));
    expect(writer.doc.getText("t").toString()).toBe("écrit !");
    const late = await client(name);
    expect(late.doc.getText("t").toString()).toBe("écrit !");
  });

  it("a refused socket (another school's user) is closed with 4403 and the client does not reconnect", async () => {
    const refused = await client(room(), { params: { refus: String(CLOSE.forbidden) }, waitSync: false });
    const closed = await refused.closed;
    expect(closed.code).toBe(4403);
    expect(refused.provider.shouldConnect).toBe(false);
  });

  it("malformed, text and oversized frames close that socket only; the others go on", async () => {
    const name = room();
    const a = await client(name);
    const b = await client(name);
    const garbage = await rawSocket(`${base}/${name}`);
    garbage.ws.send(new Uint8Array([0, 2, 200, 200, 200, 1]));
    expect((await garbage.closed).code).toBe(CLOSE.badMessage);
    const unknown = await rawSocket(`${base}/${name}`);
    unknown.ws.send(new Uint8Array([9, 0]));
    expect((await unknown.closed).code).toBe(CLOSE.badMessage);
    const text = await rawSocket(`${base}/${name}`);
    text.ws.send("bonjour");
    expect((await text.closed).code).toBe(CLOSE.badMessage);
    const big = await rawSocket(`${base}/${name}`);
    big.ws.send(new Uint8Array(2 * 1024 * 1024));
    expect((await big.closed).code).toBe(1009);
    const badVector = await rawSocket(`${base}/${name}`);
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, new Uint8Array([255, 255, 255]));
    badVector.ws.send(encoding.toUint8Array(e));
    expect((await badVector.closed).code).toBe(CLOSE.badMessage);
    a.doc.getText("t").insert(0, "toujours là");
    await until(() => b.doc.getText("t").toString() === "toujours là");
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  });

  it("presence carries the name from the ticket, not the one the client claims", async () => {
    const name = room();
    const a = await client(name);
    const b = await client(name);
    a.provider.awareness.setLocalStateField("user", { name: "Le directeur", color: "#f00" });
    await until(() => [...b.provider.awareness.getStates().values()].some((s) => s.user?.color === "#f00"));
    const seen = [...b.provider.awareness.getStates().values()].find((s) => s.user?.color === "#f00")!;
    expect(seen.user.name).toMatch(/^Client \d+$/);
    a.destroy();
    await until(
      () => ![...b.provider.awareness.getStates().values()].some((s) => s.user?.color === "#f00"),
      5_000,
      "presence of a closed socket not removed",
    );
  });

  it("compacts the log into a snapshot by size and reloads the same state", async () => {
    const name = room();
    const a = await client(name);
    const text = a.doc.getText("t");
    for (let i = 0; i < 400; i++) text.insert(text.length, `ligne ${i} ${"x".repeat(200)}\n`);
    await new Promise((r) => setTimeout(r, 300));
    const expected = text.toString();
    a.destroy();
    await until(() => !server.rooms.hub.isLoaded(name), 5_000);
    const db = createClient({ url: `file:${join(dir, "0750001A.db")}` });
    const rows = await db.execute({
      sql: "select count(*) as n, coalesce(sum(length(data)), 0) as bytes from room_updates where room = ?",
      args: [name],
    });
    const snap = await db.execute({ sql: "select count(*) as n from room_snapshots where room = ?", args: [name] });
    db.close();
    expect(Number(snap.rows[0]!.n)).toBeGreaterThan(0);
    expect(Number(rows.rows[0]!.bytes)).toBeLessThan(expected.length);
    const late = await client(name);
    expect(late.doc.getText("t").toString()).toBe(expected);
  });
});

protocolSuite("Node hub, libsql files", () => ({
  base,
  WebSocket: NodeWebSocket as unknown as new (url: string) => WebSocket,
}));

describe("54B 56B realtime rooms: durability across kill -9", () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill("SIGKILL");
  });

  async function spawnServer(dataDir: string): Promise<{ proc: ChildProcess; port: number }> {
    const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/realtime-server.ts")], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      proc.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.once("exit", (code) => reject(new Error(`room server exited (${code})`)));
    });
    return { proc, port };
  }

  it("issue 22: every update acknowledged as saved survives kill -9; what clients still hold comes back when they reconnect", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "preau-kill-"));
    const first = await spawnServer(dataDir);
    child = first.proc;
    const name = room("kill");
    const url = `ws://127.0.0.1:${first.port}`;
    const reader = await yClient(url, name);
    const received = new Set<string>();
    reader.doc.getArray<string>("a").observe((e) => {
      for (const d of e.changes.delta) for (const v of (d.insert as string[] | undefined) ?? []) received.add(v);
    });
    // The writer speaks the protocol itself, to count acknowledgements: after each burst it sends SyncStep1, and the
    // server's SyncStep2 answer (sent only once what came before is stored) says the burst is saved.
    const writerDoc = new Y.Doc();
    const ws = new NodeWebSocket(`${url}/${name}`);
    const asks: number[] = [];
    let acked = 0;
    let sent = 0;
    ws.on("message", (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(d) !== MESSAGE_SYNC) return;
      const sub = decoding.readVarUint(d);
      const payload = decoding.readVarUint8Array(d);
      if (sub === SYNC_STEP1) ws.send(syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(writerDoc, payload)));
      else {
        Y.applyUpdate(writerDoc, payload, "server");
        if (sub === SYNC_STEP2) acked = asks.shift() ?? acked;
      }
    });
    writerDoc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "server" && ws.readyState === ws.OPEN) ws.send(syncFrame(SYNC_UPDATE, update));
    });
    await new Promise((r) => ws.once("open", r));
    const burst = setInterval(() => {
      writerDoc.transact(() => {
        for (let i = 0; i < 20; i++) writerDoc.getArray<string>("a").push([`n${sent++}`]);
      });
      asks.push(sent);
      ws.send(syncFrame(SYNC_STEP1, Y.encodeStateVector(writerDoc)));
    }, 2);
    await until(() => acked >= 300 && received.size >= 300, 10_000, "too little saved before the kill");
    // The kill in the middle of the burst.
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));
    clearInterval(burst);
    const savedBeforeKill = acked;
    const seenBeforeKill = new Set(received);
    ws.terminate();
    reader.provider.destroy();

    const second = await spawnServer(dataDir);
    child = second.proc;
    const url2 = `ws://127.0.0.1:${second.port}`;
    const after = await yClient(url2, name);
    const stored = new Set(after.doc.getArray<string>("a").toArray());
    const lost = Array.from({ length: savedBeforeKill }, (_, i) => `n${i}`).filter((v) => !stored.has(v));
    expect(lost).toEqual([]);
    expect(savedBeforeKill).toBeGreaterThanOrEqual(300);
    after.destroy();
    // Broadcast first: the reader may hold updates the store had not written yet. Its document reconnects (as a
    // browser does after a restart) and gives them back; so does the writer's: in the end nothing is missing.
    const back = await yClient(url2, name, { doc: reader.doc });
    const writerBack = await yClient(url2, name, { doc: writerDoc });
    const last = await yClient(url2, name);
    await until(() => last.doc.getArray("a").length === sent, 5_000, "the clients' updates did not come back");
    const final = new Set(last.doc.getArray<string>("a").toArray());
    expect([...seenBeforeKill].filter((v) => !final.has(v))).toEqual([]);
    for (const c of [back, writerBack, last]) c.destroy();
    second.proc.kill("SIGTERM");
    await new Promise((r) => second.proc.once("exit", r));
    child = null;
    await rm(dataDir, { recursive: true, force: true });
  });
});
