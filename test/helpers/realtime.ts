// Realtime test helpers: official y-websocket clients (disableBc: in one process they would otherwise talk over
// BroadcastChannel, bypassing the server), raw sockets for malformed frames, waiting helpers.
import { WebSocket } from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closed: Promise<{ code: number; reason: string }>;
  destroy(): void;
}

/** An official y-websocket 3 client on `base` (ws://host:port[/prefix]) for `room`. Resolves once synced. */
export async function yClient(
  base: string,
  room: string,
  options: { params?: Record<string, string>; headers?: Record<string, string>; waitSync?: boolean; doc?: Y.Doc } = {},
): Promise<Client> {
  const doc = options.doc ?? new Y.Doc();
  const headers = options.headers;
  class HeaderSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, headers ? { headers } : {});
    }
  }
  const provider = new WebsocketProvider(base, room, doc, {
    WebSocketPolyfill: HeaderSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: options.params ?? {},
    maxBackoffTime: 200,
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => provider.on("closed", (e) => resolve(e)));
  if (options.waitSync !== false) await until(() => provider.synced, 10_000, `client of ${room} never synced`);
  return {
    doc,
    provider,
    closed,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function until(
  check: () => boolean,
  timeoutMs = 5_000,
  message = "condition not met in time",
): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(message);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw socket: frames received, and the close code. */
export async function rawSocket(url: string, headers?: Record<string, string>) {
  const ws = new WebSocket(url, headers ? { headers } : {});
  const frames: Uint8Array[] = [];
  let close: { code: number; reason: string } | null = null;
  ws.on("message", (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => {
      close = { code, reason: reason.toString() };
      resolve(close);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    frames,
    closed,
    get close() {
      return close;
    },
  };
}

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app";
import { NodeRooms } from "../../src/node/rooms";
import { startServer } from "../../src/node/server";
import { saveDocumentText } from "../../src/services/collaboration/documents";
import { testPlatform } from "./platform";
import type { DatabaseKind } from "./db";
import type { Config } from "../../src/config";

/** The app with real rooms (libsql files in a fresh folder), served on a real port so websockets work too. */
export async function roomsApp(kind: DatabaseKind, config: Partial<Config> = {}) {
  const tp = await testPlatform(kind, { cookieSecure: false, ...config });
  const rooms = new NodeRooms({
    dir: mkdtempSync(join(tmpdir(), "preau-rooms-app-")),
    idleMs: 500,
    onStored: (roomId, doc) => saveDocumentText(tp.platform.db, roomId, doc, tp.clock.now()),
  });
  const platform = { ...tp.platform, rooms };
  const app = await createApp(platform);
  const server = await startServer(platform, 0, "127.0.0.1");
  return {
    ...tp,
    platform,
    rooms,
    app,
    base: `http://127.0.0.1:${server.port}`,
    ws: `ws://127.0.0.1:${server.port}/salles`,
    stop: server.stop,
  };
}
