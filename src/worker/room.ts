// A realtime room on Cloudflare: one Durable Object per room (`uai:kind:id`, addressed in the EU jurisdiction), the
// same room core as on Node (realtime/room.ts), SQLite storage with the same SQL (realtime/do-store.ts), and
// hibernatable websockets: the object may be evicted while sockets stay open; it is rebuilt from storage on the
// next message (tickets survive in the sockets' attachments).
//
// Internal API (only the worker reaches it, through the binding; the public Internet never does):
//   GET  /connect   websocket upgrade; headers x-preau-room and x-preau-admission (JSON Admission)
//   GET  /state     the room's state as one Yjs update
//   POST /update    applies a Yjs update made by the server (a form without JavaScript), stored then broadcast
//   GET  /tickets   who is connected;  POST /retune  [{ userId, decision: "close" | { canWrite } }]
//   POST /erase     closes the sockets and forgets the content
import { DurableObject, type DurableObjectState } from "cloudflare:workers";
import * as Y from "yjs";
import { Room, type Conn, type Ticket } from "../../realtime/room";
import { DurableObjectStore } from "../../realtime/do-store";
import { CLOSE, parseRoomId } from "../../realtime/protocol";
import { defaultRealtimeLimits } from "../config";
import { guardFor } from "../../realtime/wall-guard";
import type { Admission } from "../../realtime/port";

interface Attachment {
  room: string;
  ticket: Ticket | null;
}

declare const WebSocketPair: { new (): { 0: WebSocket; 1: WebSocket } };

const MAX_MESSAGE_BYTES = 1024 * 1024;
/** The object has no settings of its own: the defaults of config.realtime (issue 21 F2). Per user means per user in
 *  this room (an object sees no other), and the socket cap is per session in this room. */
const LIMITS = defaultRealtimeLimits;

export class RoomObject extends DurableObject {
  private room: Room | null = null;
  private roomId: string | null = null;
  private readonly conns = new Map<WebSocket, Conn>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
  }

  private async open(roomId: string): Promise<Room> {
    if (this.room && this.roomId === roomId) return this.room;
    this.roomId = roomId;
    const kind = parseRoomId(roomId)?.kind;
    const room = new Room(roomId, new DurableObjectStore(this.ctx.storage, roomId), {
      maxMessageBytes: MAX_MESSAGE_BYTES,
      guard: guardFor(roomId),
      maxStoredBytes: kind === "wall" ? LIMITS.maxWallBytes : kind === "doc" ? LIMITS.maxDocumentBytes : undefined,
      roomBytesPerMinute: LIMITS.roomBytesPerMinute,
      userBytesPerMinute: LIMITS.userBytesPerMinute,
      onFailed: () => {
        this.room = null;
      },
    });
    this.room = room;
    await room.ready;
    // After a wake-up the sockets are still there: give them back to the room with their tickets.
    for (const ws of this.ctx.getWebSockets()) {
      const a = attachment(ws);
      if (a?.ticket && a.room === roomId && !this.conns.has(ws)) room.connect(this.conn(ws), a.ticket);
    }
    return room;
  }

  private conn(ws: WebSocket): Conn {
    let c = this.conns.get(ws);
    if (!c) {
      c = {
        send: (frame) => ws.send(frame),
        close: (code, reason) => {
          try {
            ws.close(code, reason);
          } catch {
            /* already closed */
          }
        },
      };
      this.conns.set(ws, c);
    }
    return c;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const roomId = request.headers.get("x-preau-room") ?? "";
    if (!roomId) return new Response("salle manquante", { status: 400 });
    switch (`${request.method} ${url.pathname}`) {
      case "GET /connect": {
        if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
          return new Response("websocket attendu", { status: 426 });
        const admission = JSON.parse(
          decodeURIComponent(request.headers.get("x-preau-admission") ?? "null"),
        ) as Admission | null;
        const pair = new WebSocketPair();
        const client = pair[0];
        const server = pair[1];
        this.ctx.acceptWebSocket(server);
        const sessionId = admission && "ticket" in admission ? admission.ticket.sessionId : undefined;
        const crowded =
          sessionId !== undefined &&
          this.ctx.getWebSockets().filter((ws) => attachment(ws)?.ticket?.sessionId === sessionId).length >=
            LIMITS.maxSocketsPerSession;
        if (!admission || "refuse" in admission || crowded) {
          const refusal = crowded
            ? { refuse: CLOSE.tooMany, reason: "trop de connexions ouvertes dans ce navigateur" }
            : admission && "refuse" in admission
              ? admission
              : { refuse: CLOSE.forbidden, reason: "refusé" };
          hibernatable(server).serializeAttachment({ room: roomId, ticket: null } satisfies Attachment);
          server.close(refusal.refuse, refusal.reason);
        } else {
          hibernatable(server).serializeAttachment({ room: roomId, ticket: admission.ticket } satisfies Attachment);
          const room = await this.open(roomId);
          if (!this.conns.has(server)) room.connect(this.conn(server), admission.ticket);
        }
        return new Response(null, { status: 101, webSocket: client } as ResponseInit);
      }
      case "GET /state": {
        const room = await this.open(roomId);
        return new Response(room.encodeState() as Uint8Array<ArrayBuffer>);
      }
      case "POST /update": {
        const update = new Uint8Array(await request.arrayBuffer());
        const room = await this.open(roomId);
        await room.change((doc) => Y.applyUpdate(doc, update));
        return new Response(null, { status: 204 });
      }
      case "GET /tickets": {
        const room = await this.open(roomId);
        return Response.json(room.tickets());
      }
      case "POST /retune": {
        const decisions = new Map(
          (
            (await request.json()) as { userId: string; decision: "close" | { canWrite: boolean; role?: string } }[]
          ).map((d) => [d.userId, d.decision]),
        );
        const room = await this.open(roomId);
        room.retune((t) => {
          const d = decisions.get(t.userId);
          return d === undefined ? t : d === "close" ? "close" : { ...t, canWrite: d.canWrite, role: d.role };
        });
        for (const ws of this.ctx.getWebSockets()) {
          const a = attachment(ws);
          const d = a?.ticket ? decisions.get(a.ticket.userId) : undefined;
          if (a?.ticket && d && d !== "close")
            hibernatable(ws).serializeAttachment({ ...a, ticket: { ...a.ticket, canWrite: d.canWrite, role: d.role } });
        }
        return new Response(null, { status: 204 });
      }
      case "POST /erase": {
        const room = await this.open(roomId);
        room.retune(() => "close");
        await room.close();
        this.room = null;
        await new DurableObjectStore(this.ctx.storage, roomId).erase();
        return new Response(null, { status: 204 });
      }
      default:
        return new Response("inconnu", { status: 404 });
    }
  }

  async webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): Promise<void> {
    const a = attachment(ws);
    if (!a?.ticket) return;
    if (typeof message === "string") {
      ws.close(CLOSE.badMessage, "message texte refusé");
      return;
    }
    if (message.byteLength > MAX_MESSAGE_BYTES) {
      ws.close(CLOSE.tooBig, "message trop volumineux");
      return;
    }
    const room = await this.open(a.room);
    const conn = this.conn(ws);
    room.receive(conn, new Uint8Array(message));
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.forget(ws);
    // 1005/1006 cannot be sent back; answer the close handshake with a normal close.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    this.forget(ws);
  }

  private forget(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (conn) this.room?.disconnect(conn);
    this.conns.delete(ws);
  }
}

interface Hibernatable {
  serializeAttachment(value: Attachment): void;
  deserializeAttachment(): Attachment | null;
}

function hibernatable(ws: WebSocket): Hibernatable {
  return ws as unknown as Hibernatable;
}

function attachment(ws: WebSocket): Attachment | null {
  return hibernatable(ws).deserializeAttachment();
}
