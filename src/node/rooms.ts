// Realtime rooms on Node: the in-process hub (realtime/hub.ts), libsql files under DATA_DIR/rooms (one per school).
// A websocket upgrade goes through the whole app first (session, gates, then routes/collaboration/rooms.ts, which
// decides); `ws` completes it here.
//
// With several processes (issue 22, src/node/cluster.ts) each room has one owner, chosen by a hash of its id, so a
// room is loaded in one process only and every client meets the same state whichever process accepted it. A socket
// admitted by another process is handed to the owner before the handshake (the TCP socket itself, through the
// primary's IPC channel, with the ticket): no frame is relayed afterwards. Server-side reads and changes (the pages
// without JavaScript), re-checks of rights and erasures are asked of the owner; closing a session's sockets is asked of
// every process. Caps on sockets per session and per user, and the bytes per minute of a user, count per process.
import { mkdir } from "node:fs/promises";
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import { STATUS_CODES } from "node:http";
import type { Context, Hono } from "hono";
import { WebSocketServer, type WebSocket } from "ws";
import * as Y from "yjs";
import { JoinRefused, RoomHub, type HubOptions, type Place, type TicketCheck } from "../../realtime/hub";
import { LibsqlStores } from "../../realtime/libsql-store";
import type { Admission, RoomPlace, Rooms } from "../../realtime/port";
import type { Conn, Ticket } from "../../realtime/room";
import { CLOSE } from "../../realtime/protocol";
import type { RoomStore } from "../../realtime/store";
import type { RealtimeLimits } from "../config";
import type { ProcessLink } from "./cluster";
import { SqliteThread } from "./sqlite-thread";

export interface NodeRoomsOptions {
  /** Folder of the libsql files (created on first use). */
  dir: string;
  idleMs?: number;
  maxMessageBytes?: number;
  /** A socket whose unsent data would pass this is cut off (a stalled client must not hold the server's memory);
   *  by default the limits' `maxBufferedBytes`. */
  maxBufferedBytes?: number;
  /** Tests and benchmarks: another store (in memory…). */
  storeFor?: (roomId: string) => Promise<RoomStore>;
  room?: HubOptions["room"];
  /** Quotas, socket caps, re-check period (config.realtime). */
  limits?: RealtimeLimits;
  /** The platform's clock (ms): tickets' expiry and quotas. */
  clock?: () => number;
  onStored?: HubOptions["onStored"];
  onError?: (event: string, fields: Record<string, unknown>) => void;
  /** The other processes of the cluster; rooms are routed to their owners once `joinCluster()` was called. */
  link?: ProcessLink | null;
}

/** Where the route's decision on an upgrade waits for the upgrade listener (a key of the request's env). */
const UPGRADE = Symbol("preau.roomUpgrade");

interface Decision {
  roomId: string;
  admission: Admission;
  place?: RoomPlace;
}

/** What the owner of a room is asked by the other processes. */
type RoomMessage =
  | {
      kind: "room.socket";
      roomId: string;
      ticket: Ticket;
      url: string;
      headers: IncomingMessage["headers"];
      head: Uint8Array;
      from: number;
    }
  | { kind: "room.state"; roomId: string }
  | { kind: "room.apply"; roomId: string; update: Uint8Array }
  | { kind: "room.recheck"; roomId: string }
  | { kind: "room.erase"; roomId: string }
  | { kind: "room.closeSessions"; sessionIds: string[] };

/** FNV-1a: a stable, well-spread hash of the room id (the same in every process and every start). */
export function roomOwner(roomId: string, processes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < roomId.length; i++) {
    h ^= roomId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % processes;
}

type AppLike = Pick<Hono, "request">;

export class NodeRooms implements Rooms {
  readonly hub: RoomHub;
  private readonly stores: LibsqlStores;
  private readonly sqlite = new SqliteThread();
  private readonly wss: WebSocketServer;
  private app: AppLike | null = null;
  private dirReady: Promise<unknown> | null = null;
  private readonly maxBuffered: number;
  private readonly link: ProcessLink | null;
  private clustered = false;
  private stopped = false;
  /** Sockets cut off for not reading, and the largest send buffer any socket reached after a send. */
  readonly stats = { slowSocketsCut: 0, peakBufferedBytes: 0, handedOff: 0, adopted: 0 };

  constructor(private readonly options: NodeRoomsOptions) {
    // The files are written by a thread of their own: a commit or a checkpoint never holds the broadcasts.
    this.stores = new LibsqlStores(options.dir, { open: this.sqlite.open });
    this.maxBuffered = options.maxBufferedBytes ?? options.limits?.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.hub = new RoomHub({
      storeFor:
        options.storeFor ??
        (async (roomId) => {
          this.dirReady ??= mkdir(options.dir, { recursive: true });
          await this.dirReady;
          return this.stores.storeFor(roomId);
        }),
      idleMs: options.idleMs,
      limits: options.limits,
      clock: options.clock,
      room: { maxMessageBytes: options.maxMessageBytes, ...options.room },
      onError: options.onError,
      onStored: options.onStored,
    });
    // ws closes a socket sending a frame over this size with 1009, before the room sees it.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: (options.maxMessageBytes ?? 1024 * 1024) + 64 });
    this.link = options.link ?? null;
    if (this.link) {
      const link = this.link;
      link.handle((body, socket) => this.fromPeer(body as RoomMessage, socket));
      // Which process accepted the connection and which one holds the room (tests, and whoever reads the logs).
      this.wss.on("headers", (headers, req) => {
        const accepted = (req as IncomingMessage & { acceptedBy?: number }).acceptedBy ?? link.index;
        headers.push(`X-Preau-Process: ${accepted} ${link.index}`);
      });
    }
  }

  /** From now on rooms are routed to their owner process (until then, all are local: worker 0 builds the
   *  demonstration before the others exist). */
  joinCluster(): void {
    if (this.link && this.link.count > 1) this.clustered = true;
  }

  /** The process that holds `roomId`. */
  ownerOf(roomId: string): number {
    return this.clustered && this.link ? roomOwner(roomId, this.link.count) : (this.link?.index ?? 0);
  }

  private isLocal(roomId: string): boolean {
    return !this.clustered || !this.link || roomOwner(roomId, this.link.count) === this.link.index;
  }

  /** Routes the HTTP server's upgrade requests through `app`. */
  attach(app: AppLike, server: Server): void {
    this.app = app;
    server.on(
      "upgrade",
      (req: IncomingMessage, socket: Socket, head: Buffer) => void this.onUpgrade(req, socket, head),
    );
  }

  private async onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    socket.on("error", () => socket.destroy());
    const slot: { decision?: Decision } = {};
    let status = 500;
    try {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers))
        if (value) headers.append(key, Array.isArray(value) ? value[0]! : value);
      const response = await this.app!.request(
        new URL(req.url ?? "/", "http://localhost"),
        { headers },
        { incoming: req, outgoing: undefined, [UPGRADE]: slot },
      );
      status = response.status;
    } catch {
      // Answered below as a failed upgrade.
    }
    const decision = slot.decision;
    if (!decision || this.stopped) {
      decision?.place?.release();
      if (socket.writable)
        socket.end(
          `HTTP/1.1 ${decision ? 503 : status} ${STATUS_CODES[decision ? 503 : status] ?? ""}\r\n` +
            "Connection: close\r\nContent-Length: 0\r\n\r\n",
        );
      return;
    }
    const { roomId, admission, place } = decision;
    // A refusal is said here (accept, then close with its code); an admitted socket goes to the room's owner.
    if ("refuse" in admission || this.isLocal(roomId)) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, roomId, admission, place));
      return;
    }
    place?.release();
    // Nothing was read past the request (a client sends no frame before the handshake), but be exact.
    const buffered = socket.readableLength ? (socket.read() as Buffer | null) : null;
    const message: RoomMessage = {
      kind: "room.socket",
      roomId,
      ticket: admission.ticket,
      url: req.url ?? "/",
      headers: req.headers,
      head: new Uint8Array(buffered ? Buffer.concat([head, buffered]) : head),
      from: this.link!.index,
    };
    try {
      this.link!.send(this.ownerOf(roomId), message, socket);
      this.stats.handedOff++;
    } catch (err) {
      this.options.onError?.("room_handoff_failed", { room: roomId, error: String(err) });
      socket.destroy();
    }
  }

  /** A socket handed over by another process: the handshake, then the room, with the ticket that process issued. */
  private adopt(message: Extract<RoomMessage, { kind: "room.socket" }>, socket: Socket | undefined): void {
    if (!socket) return;
    if (this.stopped) {
      socket.destroy();
      return;
    }
    this.stats.adopted++;
    socket.on("error", () => socket.destroy());
    const req = { method: "GET", url: message.url, headers: message.headers, acceptedBy: message.from };
    this.wss.handleUpgrade(req as unknown as IncomingMessage, socket, Buffer.from(message.head), (ws) =>
      this.accept(ws, message.roomId, { ticket: message.ticket }),
    );
  }

  private async fromPeer(message: RoomMessage, socket: Socket | undefined): Promise<unknown> {
    switch (message.kind) {
      case "room.socket":
        this.adopt(message, socket);
        return null;
      case "room.state":
        return this.hub.read(message.roomId, (doc) => Y.encodeStateAsUpdate(doc));
      case "room.apply":
        await this.hub.change(message.roomId, (doc) => Y.applyUpdate(doc, message.update));
        return null;
      case "room.recheck":
        await this.hub.recheck(message.roomId);
        return null;
      case "room.erase":
        await this.hub.erase(message.roomId);
        return null;
      case "room.closeSessions":
        this.hub.closeSessions(message.sessionIds);
        return null;
    }
  }

  reserve(sessionId: string, userId: string): Place | { refuse: number; reason: string } {
    try {
      return this.hub.reserve(sessionId, userId);
    } catch (err) {
      if (err instanceof JoinRefused) return { refuse: err.code, reason: err.reason };
      throw err;
    }
  }

  /** The route's decision: kept for the upgrade listener, which completes the handshake (or hands the socket over). */
  upgrade(c: Context, roomId: string, admission: Admission, place?: RoomPlace): Response {
    const slot = (c.env as Record<symbol, { decision?: Decision } | undefined> | undefined)?.[UPGRADE];
    if (!slot) {
      place?.release();
      return new Response(null, { status: 426 });
    }
    slot.decision = { roomId, admission, place };
    return new Response(null);
  }

  /** An open websocket joins its room (or is closed with the refusal). */
  private accept(ws: WebSocket, roomId: string, admission: Admission, place?: RoomPlace): void {
    const onError = this.options.onError;
    // ws reports a refused frame (too big, bad opcode) as an error, then closes the socket (close follows).
    ws.on("error", (err) => onError?.("room_socket_error", { room: roomId, error: String(err) }));
    if ("refuse" in admission) {
      place?.release();
      ws.close(admission.refuse, admission.reason);
      return;
    }
    const maxBuffered = this.maxBuffered;
    const stats = this.stats;
    const conn: Conn = {
      send(frame) {
        if (ws.readyState !== 1) return;
        // Checked before the frame is queued, so the buffer never passes the limit; a client that does not read gets
        // no close frame (it would wait behind the rest): the socket is cut off.
        if (ws.bufferedAmount + frame.length > maxBuffered) {
          stats.slowSocketsCut++;
          ws.terminate();
          return;
        }
        ws.send(frame, { binary: true });
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, ws.bufferedAmount);
      },
      close(code, reason) {
        ws.close(code, reason);
      },
    };
    let session: { receive(data: Uint8Array): void; leave(): void } | null = null;
    let early: Uint8Array[] | null = [];
    let gone = false;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(CLOSE.badMessage, "message texte refusé");
        return;
      }
      if (session) session.receive(data);
      else early?.push(data);
    });
    ws.on("close", () => {
      gone = true;
      session?.leave();
    });
    this.hub.join(roomId, conn, admission.ticket, place as Place | undefined).then(
      (joined) => {
        if (gone) {
          joined.leave();
          return;
        }
        session = joined;
        for (const frame of early ?? []) joined.receive(frame);
        early = null;
      },
      (err: unknown) => {
        if (err instanceof JoinRefused) {
          ws.close(err.code, err.reason);
          return;
        }
        onError?.("room_join_failed", { room: roomId, error: String(err) });
        ws.close(CLOSE.storeFailed, "salle indisponible");
      },
    );
  }

  async change(roomId: string, fn: (doc: Y.Doc) => void): Promise<void> {
    if (this.isLocal(roomId)) return this.hub.change(roomId, fn);
    // `fn` cannot travel: it runs here on a copy of the owner's state, and the owner applies what it changed (a
    // server-side change like any other: stored, then sent to the room's sockets, before this resolves).
    const owner = this.ownerOf(roomId);
    const copy = new Y.Doc();
    try {
      Y.applyUpdate(copy, (await this.link!.request(owner, { kind: "room.state", roomId })) as Uint8Array);
      const before = Y.encodeStateVector(copy);
      fn(copy);
      const update = Y.encodeStateAsUpdate(copy, before);
      await this.link!.request(owner, { kind: "room.apply", roomId, update } satisfies RoomMessage);
    } finally {
      copy.destroy();
    }
  }

  async read<T>(roomId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.isLocal(roomId)) return this.hub.read(roomId, fn);
    const copy = new Y.Doc();
    try {
      const state = await this.link!.request(this.ownerOf(roomId), {
        kind: "room.state",
        roomId,
      } satisfies RoomMessage);
      Y.applyUpdate(copy, state as Uint8Array);
      return fn(copy);
    } finally {
      copy.destroy();
    }
  }

  async retune(roomId: string, fn: (ticket: Ticket) => Ticket | "close"): Promise<void> {
    if (this.isLocal(roomId)) {
      this.hub.retune(roomId, fn);
      return;
    }
    // `fn` cannot travel either: the owner asks the database again about the room's sockets (the same question as
    // its periodic re-check, on the rights just committed).
    await this.link!.request(this.ownerOf(roomId), { kind: "room.recheck", roomId } satisfies RoomMessage);
  }

  erase(roomId: string): Promise<void> {
    if (this.isLocal(roomId)) return this.hub.erase(roomId);
    return this.link!.request(this.ownerOf(roomId), { kind: "room.erase", roomId } satisfies RoomMessage).then(
      () => undefined,
    );
  }

  async closeSessions(sessionIds: string[]): Promise<void> {
    this.hub.closeSessions(sessionIds);
    if (!this.clustered || !this.link) return;
    const link = this.link;
    const others = Array.from({ length: link.count }, (_, i) => i).filter((i) => i !== link.index);
    await Promise.all(
      others.map((i) =>
        link
          .request(i, { kind: "room.closeSessions", sessionIds } satisfies RoomMessage)
          .catch((err: unknown) =>
            this.options.onError?.("room_close_sessions_failed", { process: i, error: String(err) }),
          ),
      ),
    );
  }

  recheckWith(check: TicketCheck): void {
    this.hub.setTicketCheck(check);
  }

  /** Closes the rooms (pending updates stored) and every socket still open. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.hub.stop();
    for (const client of this.wss.clients) client.terminate();
    await this.stores.closeAll();
    await this.sqlite.stop();
  }
}
