// 54B 56B: the same protocol suite as the Node hub, against the Durable Object room in workerd, through the worker's
// own addressing (EU jurisdiction) and hibernatable websockets; plus storage survival when the object is evicted.
import { exports } from "cloudflare:workers";
import { env, evictAllDurableObjects } from "cloudflare:test";
import { expect, it } from "vitest";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { eventually, protocolSuite } from "../helpers/realtime-protocol";

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;

/** A DOM-style WebSocket over the worker's fetch upgrade, for the official y-websocket client inside workerd. */
class WorkerSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  binaryType = "arraybuffer";
  readyState = 0;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  private socket: WebSocket | null = null;
  constructor(readonly url: string) {
    const target = url.replace(/^ws/, "http");
    void worker.fetch(new Request(target, { headers: { upgrade: "websocket" } })).then(
      (res) => {
        const ws = (res as unknown as { webSocket: WebSocket & { accept(): void } }).webSocket;
        if (!ws) {
          this.readyState = 3;
          this.onerror?.(new Error(`no websocket: ${res.status}`));
          this.onclose?.({ code: 1006, reason: "" });
          return;
        }
        ws.accept();
        this.socket = ws;
        // Binary messages reach this end as Blobs here: turned into ArrayBuffers in order, as a browser's would be.
        let chain = Promise.resolve();
        ws.addEventListener("message", (e) => {
          const data = e.data as unknown;
          chain = chain.then(async () => {
            const bytes =
              data instanceof Blob || (data as { arrayBuffer?: unknown })?.arrayBuffer
                ? await (data as Blob).arrayBuffer()
                : data;
            this.onmessage?.({ data: bytes });
          });
        });
        ws.addEventListener("close", (e) => {
          chain = chain.then(() => {
            this.readyState = 3;
            this.onclose?.({ code: e.code, reason: e.reason });
          });
        });
        this.readyState = 1;
        this.onopen?.({});
      },
      (err: unknown) => {
        this.readyState = 3;
        this.onerror?.(err);
        this.onclose?.({ code: 1006, reason: String(err) });
      },
    );
  }
  send(data: ArrayBufferView | ArrayBuffer | string) {
    this.socket?.send(data as ArrayBuffer);
  }
  close(code?: number, reason?: string) {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    try {
      this.socket?.close(code ?? 1000, reason);
    } catch {
      /* closed */
    }
  }
}

protocolSuite("Durable Object room in workerd", () => ({
  base: "ws://rooms.test",
  WebSocket: WorkerSocket as unknown as new (url: string) => WebSocket,
}));

it("54B 56B the room's SQLite storage keeps every update across eviction of the object", async () => {
  const name = `0750001A:bench:evict-${Math.random().toString(36).slice(2, 8)}`;
  const doc = new Y.Doc();
  const provider = new WebsocketProvider("ws://rooms.test", name, doc, {
    WebSocketPolyfill: WorkerSocket as never,
    disableBc: true,
  });
  await eventually(() => provider.synced);
  for (let i = 0; i < 50; i++) doc.getArray<number>("a").push([i]);
  await new Promise((r) => setTimeout(r, 200));
  provider.destroy();
  await evictAllDurableObjects();
  const again = new Y.Doc();
  const p2 = new WebsocketProvider("ws://rooms.test", name, again, {
    WebSocketPolyfill: WorkerSocket as never,
    disableBc: true,
  });
  await eventually(() => p2.synced && again.getArray("a").length === 50, 10_000, "state lost after eviction");
  expect(again.getArray("a").toArray()).toEqual([...Array(50).keys()]);
  p2.destroy();
  expect(env).toBeDefined();
});

it(
  "21 F3 on Workers a ticket is admitted again after the " + "re-check period: closed with 4001, the client comes back",
  async () => {
    const name = `0750001A:bench:recheck-${Math.random().toString(36).slice(2, 8)}`;
    const doc = new Y.Doc();
    const provider = new WebsocketProvider("ws://rooms.test", name, doc, {
      WebSocketPolyfill: WorkerSocket as never,
      disableBc: true,
      params: { recheck: "300" },
      maxBackoffTime: 100,
    });
    const codes: number[] = [];
    provider.on("connection-close", (e) => {
      if (e) codes.push(e.code);
    });
    await eventually(() => provider.synced);
    await new Promise((r) => setTimeout(r, 400));
    doc.getMap("m").set("k", "après la vérification");
    await eventually(() => codes.includes(4001), 10_000, "never closed for a re-check");
    const reader = new Y.Doc();
    const other = new WebsocketProvider("ws://rooms.test", name, reader, {
      WebSocketPolyfill: WorkerSocket as never,
      disableBc: true,
    });
    // The edit the closing frame carried is sent again once the client is back.
    await eventually(() => reader.getMap("m").get("k") === "après la vérification", 10_000, "edit lost on re-check");
    provider.destroy();
    other.destroy();
  },
);

it("21 F2 on Workers one session holds at most 10 sockets in a room; the next is refused with 4429", async () => {
  const name = `0750001A:bench:cap-${Math.random().toString(36).slice(2, 8)}`;
  const closes: number[] = [];
  const sockets: WorkerSocket[] = [];
  for (let i = 0; i < 11; i++) {
    const ws = new WorkerSocket(`ws://rooms.test/${encodeURIComponent(name)}?session=s-cap`);
    ws.onclose = (e) => closes.push(e.code);
    await eventually(() => ws.readyState === 1 || ws.readyState === 3);
    sockets.push(ws);
  }
  await eventually(() => closes.length === 1, 5_000, "the eleventh socket was not refused");
  expect(closes).toEqual([4429]);
  for (const ws of sockets) ws.close();
});
