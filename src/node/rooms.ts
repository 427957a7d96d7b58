// Realtime rooms on Node: the in-process hub (realtime/hub.ts), libsql files under DATA_DIR/rooms (one per school),
// websockets through @hono/node-ws so that the upgrade request goes through the whole app (session, policy) first.
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { Context, Hono } from "hono";
import { createNodeWebSocket } from "@hono/node-ws";
import type { WebSocket } from "ws";
import type * as Y from "yjs";
import { JoinRefused, RoomHub, type HubOptions, type Place, type TicketCheck } from "../../realtime/hub";
import { LibsqlStores } from "../../realtime/libsql-store";
import type { Admission, RoomPlace, Rooms } from "../../realtime/port";
import type { Conn, Ticket } from "../../realtime/room";
import { CLOSE } from "../../realtime/protocol";
import type { RoomStore } from "../../realtime/store";
import type { RealtimeLimits } from "../config";

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
}

type AppLike = Pick<Hono, "request">;

export class NodeRooms implements Rooms {
  readonly hub: RoomHub;
  private readonly stores: LibsqlStores;
  private readonly ws: ReturnType<typeof createNodeWebSocket>;
  private app: AppLike | null = null;
  private dirReady: Promise<unknown> | null = null;
  private readonly maxBuffered: number;
  /** Sockets cut off for not reading, and the largest send buffer any socket reached after a send. */
  readonly stats = { slowSocketsCut: 0, peakBufferedBytes: 0 };

  constructor(private readonly options: NodeRoomsOptions) {
    this.stores = new LibsqlStores(options.dir);
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
    // The app is known only once created; upgrades arrive after `attach`.
    this.ws = createNodeWebSocket({
      app: { request: (...args: Parameters<Hono["request"]>) => this.app!.request(...args) } as unknown as Hono,
    });
    // ws closes a socket sending a frame over this size with 1009, before the room sees it.
    (this.ws.wss.options as { maxPayload?: number }).maxPayload = (options.maxMessageBytes ?? 1024 * 1024) + 64;
  }

  /** Routes the HTTP server's upgrade requests through `app`. */
  attach(app: AppLike, server: Server): void {
    this.app = app;
    this.ws.injectWebSocket(server);
  }

  reserve(sessionId: string, userId: string): Place | { refuse: number; reason: string } {
    try {
      return this.hub.reserve(sessionId, userId);
    } catch (err) {
      if (err instanceof JoinRefused) return { refuse: err.code, reason: err.reason };
      throw err;
    }
  }

  upgrade(c: Context, roomId: string, admission: Admission, place?: RoomPlace): Response | Promise<Response> {
    const hub = this.hub;
    const maxBuffered = this.maxBuffered;
    const stats = this.stats;
    const onError = this.options.onError;
    const middleware = this.ws.upgradeWebSocket(
      () => {
        let session: { receive(data: Uint8Array): void; leave(): void } | null = null;
        let early: Uint8Array[] | null = [];
        let gone = false;
        return {
          onOpen: (_event, ws) => {
            if ("refuse" in admission) {
              place?.release();
              ws.close(admission.refuse, admission.reason);
              return;
            }
            const raw = ws.raw as WebSocket;
            const conn: Conn = {
              send(frame) {
                if (raw.readyState !== 1) return;
                // Checked before the frame is queued, so the buffer never passes the limit; a client that does not
                // read gets no close frame (it would wait behind the rest): the socket is cut off.
                if (raw.bufferedAmount + frame.length > maxBuffered) {
                  stats.slowSocketsCut++;
                  raw.terminate();
                  return;
                }
                raw.send(frame, { binary: true });
                stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, raw.bufferedAmount);
              },
              close(code, reason) {
                raw.close(code, reason);
              },
            };
            hub.join(roomId, conn, admission.ticket, place as Place | undefined).then(
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
                  raw.close(err.code, err.reason);
                  return;
                }
                onError?.("room_join_failed", { room: roomId, error: String(err) });
                raw.close(CLOSE.storeFailed, "salle indisponible");
              },
            );
          },
          onMessage: (event, ws) => {
            if (typeof event.data === "string") {
              ws.close(CLOSE.badMessage, "message texte refusé");
              return;
            }
            const frame = new Uint8Array(event.data as ArrayBuffer);
            if (session) session.receive(frame);
            else early?.push(frame);
          },
          onClose: () => {
            gone = true;
            session?.leave();
          },
          onError: () => {
            gone = true;
            session?.leave();
          },
        };
      },
      {
        // ws reports a refused frame (too big, bad opcode) as an error, then closes the socket (onClose follows).
        onError: (err: unknown) => onError?.("room_socket_error", { room: roomId, error: String(err) }),
      } as never,
    );
    return middleware(c, async () => undefined) as Promise<Response>;
  }

  change(roomId: string, fn: (doc: Y.Doc) => void): Promise<void> {
    return this.hub.change(roomId, fn);
  }

  read<T>(roomId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    return this.hub.read(roomId, fn);
  }

  async retune(roomId: string, fn: (ticket: Ticket) => Ticket | "close"): Promise<void> {
    this.hub.retune(roomId, fn);
  }

  erase(roomId: string): Promise<void> {
    return this.hub.erase(roomId);
  }

  async closeSessions(sessionIds: string[]): Promise<void> {
    this.hub.closeSessions(sessionIds);
  }

  recheckWith(check: TicketCheck): void {
    this.hub.setTicketCheck(check);
  }

  /** Closes the rooms (pending updates stored) and every socket still open. */
  async stop(): Promise<void> {
    await this.hub.stop();
    for (const client of this.ws.wss.clients) client.terminate();
    await this.stores.closeAll();
  }
}
