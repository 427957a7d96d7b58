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

import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app";
import { NodeRooms } from "../../src/node/rooms";
import { startServer } from "../../src/node/server";
import { saveDocumentText } from "../../src/services/collaboration/documents";
import { testPlatform } from "./platform";
import type { DatabaseKind } from "./db";
import type { Config } from "../../src/config";
import type { Postit } from "../../realtime/wall-model";
import { TestBrowser } from "./client";

/** The app with real rooms (libsql files in a fresh folder), served on a real port so websockets work too. The
 *  rooms read the realtime limits of `config` and the test's clock (quotas, tickets' expiry). */
export async function roomsApp(kind: DatabaseKind, config: Partial<Config> = {}) {
  const tp = await testPlatform(kind, { cookieSecure: false, ...config });
  const dir = mkdtempSync(join(tmpdir(), "preau-rooms-app-"));
  const rooms = new NodeRooms({
    dir,
    idleMs: 500,
    limits: tp.platform.config.realtime,
    clock: () => tp.clock.now().getTime(),
    onStored: (roomId, doc) => saveDocumentText(tp.platform.db, roomId, doc, tp.clock.now()),
  });
  const platform = { ...tp.platform, rooms };
  const app = await createApp(platform);
  const server = await startServer(platform, 0, "127.0.0.1");
  return {
    ...tp,
    platform,
    rooms,
    dir,
    app,
    base: `http://127.0.0.1:${server.port}`,
    ws: `ws://127.0.0.1:${server.port}/salles`,
    stop: server.stop,
  };
}

/** Bytes under a folder (a room store's files). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const st = statSync(join(dir, name));
    if (st.isFile()) total += st.size;
  }
  return total;
}

type RoomsEnv = Awaited<ReturnType<typeof roomsApp>>;

/** A signed-in browser of `user` on the rooms app, with the cookie a socket sends. */
export async function signedIn(env: RoomsEnv, user: { login: string; password: string }) {
  const browser = new TestBrowser(env.app);
  const res = await browser.login(user.login, user.password);
  if (res.status !== 303) throw new Error(`login of ${user.login} failed: ${res.status}`);
  await browser.get("/");
  return { browser, cookie: `preau_session=${browser.cookie("preau_session")}` };
}

/** A class wall created by its teacher through the page; returns its room id. */
export async function classWall(
  env: RoomsEnv,
  teacher: { login: string; password: string },
  uai: string,
  classId: string,
  mode: "open" | "moderated" | "closed" = "open",
): Promise<{ wallId: string; roomId: string }> {
  const { browser } = await signedIn(env, teacher);
  await browser.get("/murs");
  const created = await browser.post("/murs", {
    titre: "Mur de la classe",
    cible: `classe:${classId}`,
    disposition: "free",
    mode,
    colonnes: "",
  });
  if (created.status !== 303) throw new Error(`wall not created: ${created.status}`);
  const wallId = created.location!.split("/").pop()!;
  return { wallId, roomId: `${uai}:wall:${wallId}` };
}

/** A post-it as the wall's client writes it (authorship as the client claims it). */
export function postitOf(authorId: string, fields: Partial<Postit> = {}): Postit {
  return {
    id: crypto.randomUUID(),
    authorId,
    authorName: "Camille",
    text: "Une idée",
    colour: "jaune",
    x: 10,
    y: 10,
    column: 0,
    approved: true,
    createdAt: new Date().toISOString(),
    ...fields,
  };
}

/** Every close code a provider's sockets got (transient ones included: the client reconnects after those). */
export function closeCodes(client: Client): number[] {
  const codes: number[] = [];
  client.provider.on("connection-close", (event) => {
    if (event) codes.push(event.code);
  });
  return codes;
}
