// What the app sees of the rooms, on every runtime: Node (in-process hub, libsql files) or Workers (one Durable
// Object per room). Routes authorise, then hand the socket over with a ticket or a refusal code.
import type { Context } from "hono";
import type * as Y from "yjs";
import type { TicketCheck } from "./hub";
import type { Ticket } from "./room";

/** The HTTP layer's decision on a websocket upgrade: join with this ticket, or be closed with this code. */
export type Admission = { ticket: Ticket } | { refuse: number; reason: string };

/** A socket's place under the caps (sockets per session and per user), held while its admission is decided. */
export interface RoomPlace {
  release(): void;
}

export interface Rooms {
  /** Answers the upgrade request of `c`: the socket is accepted, then joins the room (in `place`, when one was
   *  reserved) or is closed with the refusal. */
  upgrade(c: Context, roomId: string, admission: Admission, place?: RoomPlace): Response | Promise<Response>;
  /** Holds a place for one more socket of this session and user, or refuses (4429) before the database is asked. */
  reserve?(sessionId: string, userId: string): RoomPlace | { refuse: number; reason: string };
  /** A server-side change (a form without JavaScript): stored and sent to the room's sockets before it resolves. */
  change(roomId: string, fn: (doc: Y.Doc) => void): Promise<void>;
  /** Reads the room's state (the HTML view without JavaScript, exports). */
  read<T>(roomId: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Re-checks the tickets of the sockets in a room: a new ticket (e.g. read-only now), or "close" (4401). */
  retune(roomId: string, fn: (ticket: Ticket) => Ticket | "close"): Promise<void>;
  /** Forgets a room's content (its record was deleted). */
  erase(roomId: string): Promise<void>;
  /** Closes the sockets of these sessions at once (4401): logout, password change, single logout. On Workers no
   *  registry knows them: sockets are admitted again every re-check period instead (see src/worker/rooms.ts). */
  closeSessions(sessionIds: string[]): Promise<void>;
  /** Installs the periodic re-check of open sockets' tickets (session, pupils' hours, rights); Node only. */
  recheckWith?(check: TicketCheck): void;
}

export type { Ticket };
