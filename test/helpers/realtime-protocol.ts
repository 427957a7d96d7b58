// The protocol suite both room servers must pass: the Node hub (test/integration/realtime.test.ts) and the Durable
// Object room in workerd (test/workers/realtime.spec.ts, through @cloudflare/vitest-plugin). It drives the official
// y-websocket client; `target` says how to open a socket there. No node: imports (it runs inside workerd too).
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { CLOSE, MESSAGE_SYNC, SYNC_UPDATE, syncFrame } from "../../realtime/protocol";

export interface ProtocolTarget {
  /** ws:// base of the room endpoint; the room name is appended. Query params: lecteur=1 (viewer), refus=<code>. */
  base: string;
  /** A WebSocket constructor with the DOM API (y-websocket's WebSocketPolyfill). */
  WebSocket: new (
    url: string,
  ) => WebSocket;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually(
  check: () => boolean,
  timeoutMs = 5_000,
  message = "condition not met in time",
): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(message);
    await wait(10);
  }
}

export function protocolSuite(label: string, target: () => ProtocolTarget): void {
  const room = () => `0750001A:bench:p-${Math.random().toString(36).slice(2, 10)}`;
  const open = async (name: string, params: Record<string, string> = {}, waitSync = true) => {
    const doc = new Y.Doc();
    const t = target();
    const provider = new WebsocketProvider(t.base, name, doc, {
      WebSocketPolyfill: t.WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      params,
      maxBackoffTime: 200,
    });
    const closed = new Promise<{ code: number }>((resolve) => provider.on("closed", (e) => resolve(e)));
    if (waitSync) await eventually(() => provider.synced, 10_000, `never synced (${label})`);
    return {
      doc,
      provider,
      closed,
      destroy: () => {
        provider.destroy();
        doc.destroy();
      },
    };
  };
  const raw = async (name: string) => {
    const t = target();
    const ws = new t.WebSocket(`${t.base}/${name}`);
    ws.binaryType = "arraybuffer";
    const frames: Uint8Array[] = [];
    ws.onmessage = (e: MessageEvent) => frames.push(new Uint8Array(e.data as ArrayBuffer));
    const closed = new Promise<number>((resolve) => {
      ws.onclose = (e: CloseEvent) => resolve(e.code);
    });
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("socket error"));
    });
    return { ws, frames, closed };
  };

  describe(`54B 56B room protocol suite — ${label}`, () => {
    it("two official clients converge; a late joiner gets the full state", async () => {
      const name = room();
      const a = await open(name);
      const b = await open(name);
      a.doc.getText("t").insert(0, "Bonjour");
      b.doc.getMap("m").set("k", "v");
      await eventually(() => b.doc.getText("t").toString() === "Bonjour" && a.doc.getMap("m").get("k") === "v");
      const late = await open(name);
      expect(late.doc.getText("t").toString()).toBe("Bonjour");
      expect(Y.encodeStateVector(late.doc)).toEqual(Y.encodeStateVector(a.doc));
      for (const c of [a, b, late]) c.destroy();
    });

    it("no echo to the sender", async () => {
      const name = room();
      const watcher = await open(name);
      const r = await raw(name);
      const d = new Y.Doc();
      d.getText("t").insert(0, "x");
      r.ws.send(syncFrame(SYNC_UPDATE, Y.encodeStateAsUpdate(d)));
      await eventually(() => watcher.doc.getText("t").toString() === "x");
      await wait(100);
      expect(r.frames.filter((f) => f[0] === MESSAGE_SYNC && f[1] === SYNC_UPDATE)).toHaveLength(0);
      r.ws.close();
      watcher.destroy();
    });

    it("a viewer cannot write", async () => {
      const name = room();
      const writer = await open(name);
      const viewer = await open(name, { lecteur: "1" });
      viewer.doc.getText("t").insert(0, "pirate");
      writer.doc.getText("t").insert(0, "ok");
      await eventually(() => viewer.doc.getText("t").toString().includes("ok"));
      await wait(100);
      expect(writer.doc.getText("t").toString()).toBe("ok");
      const late = await open(name);
      expect(late.doc.getText("t").toString()).toBe("ok");
      for (const c of [writer, viewer, late]) c.destroy();
    });

    it("another school's user is refused with 4403 and the client stops", async () => {
      const refused = await open(room(), { refus: String(CLOSE.forbidden) }, false);
      expect((await refused.closed).code).toBe(4403);
      refused.destroy();
    });

    it("malformed, text and oversized frames close that socket only", async () => {
      const name = room();
      const a = await open(name);
      const b = await open(name);
      const bad = await raw(name);
      bad.ws.send(new Uint8Array([0, 2, 200, 200, 200, 1]));
      expect(await bad.closed).toBe(CLOSE.badMessage);
      const text = await raw(name);
      text.ws.send("bonjour");
      expect(await text.closed).toBe(CLOSE.badMessage);
      const big = await raw(name);
      big.ws.send(new Uint8Array(2 * 1024 * 1024));
      expect(await big.closed).toBe(CLOSE.tooBig);
      a.doc.getText("t").insert(0, "toujours là");
      await eventually(() => b.doc.getText("t").toString() === "toujours là");
      a.destroy();
      b.destroy();
    });

    it("presence names come from the server's ticket", async () => {
      const name = room();
      const a = await open(name);
      const b = await open(name);
      a.provider.awareness.setLocalStateField("user", { name: "Usurpateur", color: "#123456" });
      await eventually(() => [...b.provider.awareness.getStates().values()].some((s) => s.user?.color === "#123456"));
      const state = [...b.provider.awareness.getStates().values()].find((s) => s.user?.color === "#123456")!;
      expect(state.user.name).not.toBe("Usurpateur");
      a.destroy();
      b.destroy();
    });
  });
}
