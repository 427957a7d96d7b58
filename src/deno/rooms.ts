// Realtime rooms on Deno: the very hub of the Node entry (NodeRooms from src/node/rooms.ts: realtime/hub.ts over the
// libsql files under DATA_DIR/rooms, which @libsql/client opens under Deno through its Node-API module), with Deno's own
// websockets (Deno.upgradeWebSocket) in place of @hono/node-ws, which needs a node:http server's upgrade event.
// Everything but the socket is NodeRooms': caps, quotas, tickets, re-checks, server-side changes, erasure, stop.
import type { Context } from "hono";
import type * as Y from "yjs";
import { JoinRefused, type Place, type TicketCheck } from "../../realtime/hub";
import type { Admission, RoomPlace, Rooms } from "../../realtime/port";
import type { Conn, Ticket } from "../../realtime/room";
import { CLOSE } from "../../realtime/protocol";
import type { NodeRooms } from "../node/rooms";

const OPEN = 1;

/** Closes with the room's code (Deno's server sockets send 1009 and 1011 as well as 4xxx); a code it would refuse
 *  (1005, 1006: never sent on the wire) or a reason over 123 bytes falls back to a plain normal close. */
function closeSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    try {
      socket.close(CLOSE.normal);
    } catch {
      /* already closed */
    }
  }
}

export class DenoRooms implements Rooms {
  /** Sockets cut off for not reading, and the largest send buffer any socket reached after a send. */
  readonly stats = { slowSocketsCut: 0, peakBufferedBytes: 0 };
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly node: NodeRooms,
    private readonly options: {
      /** A socket whose unsent data would pass this is closed (config.realtime.maxBufferedBytes). */
      maxBufferedBytes: number;
      onError?: (event: string, fields: Record<string, unknown>) => void;
    },
  ) {}

  get hub() {
    return this.node.hub;
  }

  reserve(sessionId: string, userId: string): RoomPlace | { refuse: number; reason: string } {
    return this.node.reserve(sessionId, userId);
  }

  upgrade(c: Context, roomId: string, admission: Admission, place?: RoomPlace): Response {
    const { socket, response } = Deno.upgradeWebSocket(c.req.raw);
    socket.binaryType = "arraybuffer";
    const { hub, stats, sockets } = this;
    const { maxBufferedBytes, onError } = this.options;
    let session: { receive(data: Uint8Array): void; leave(): void } | null = null;
    let early: Uint8Array[] | null = [];
    let gone = false;
    const conn: Conn = {
      send(frame) {
        if (socket.readyState !== OPEN) return;
        // As on Node, checked before the frame is queued. Deno's WebSocket has no terminate(): the socket is closed
        // (transient code: the client comes back later and resends what it holds).
        if (socket.bufferedAmount + frame.length > maxBufferedBytes) {
          stats.slowSocketsCut++;
          closeSocket(socket, CLOSE.tooFast, "client trop lent");
          return;
        }
        socket.send(frame);
        stats.peakBufferedBytes = Math.max(stats.peakBufferedBytes, socket.bufferedAmount);
      },
      close(code, reason) {
        closeSocket(socket, code, reason);
      },
    };
    const left = () => {
      gone = true;
      sockets.delete(socket);
      session?.leave();
    };
    socket.onopen = () => {
      sockets.add(socket);
      if ("refuse" in admission) {
        place?.release();
        closeSocket(socket, admission.refuse, admission.reason);
        return;
      }
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
            closeSocket(socket, err.code, err.reason);
            return;
          }
          onError?.("room_join_failed", { room: roomId, error: String(err) });
          closeSocket(socket, CLOSE.storeFailed, "salle indisponible");
        },
      );
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === "string") {
        closeSocket(socket, CLOSE.badMessage, "message texte refusé");
        return;
      }
      const frame = new Uint8Array(event.data as ArrayBuffer);
      if (session) session.receive(frame);
      else early?.push(frame);
    };
    socket.onclose = left;
    socket.onerror = (event) => {
      onError?.("room_socket_error", { room: roomId, error: String((event as ErrorEvent).message ?? event.type) });
      left();
    };
    return response;
  }

  change(roomId: string, fn: (doc: Y.Doc) => void): Promise<void> {
    return this.node.change(roomId, fn);
  }

  read<T>(roomId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    return this.node.read(roomId, fn);
  }

  retune(roomId: string, fn: (ticket: Ticket) => Ticket | "close"): Promise<void> {
    return this.node.retune(roomId, fn);
  }

  erase(roomId: string): Promise<void> {
    return this.node.erase(roomId);
  }

  closeSessions(sessionIds: string[]): Promise<void> {
    return this.node.closeSessions(sessionIds);
  }

  recheckWith(check: TicketCheck): void {
    this.node.recheckWith(check);
  }

  /** Closes the rooms (pending updates stored, sockets closed by their rooms), then any socket still open. */
  async stop(): Promise<void> {
    await this.node.stop();
    for (const socket of this.sockets) closeSocket(socket, CLOSE.normal, "arrêt du serveur");
    this.sockets.clear();
  }
}
