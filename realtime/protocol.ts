// The y-websocket wire format (y-protocols): one frame = varUint message type + payload, lib0 encoding.
// Spoken unchanged by the official `y-websocket` client; nothing here depends on a runtime.
import { UUID_SOURCE } from "../src/validation";
import * as encoding from "lib0/encoding";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/**
 * Close codes. y-websocket 3 treats 4400–4499 as permanent (it does not reconnect), the rest as transient.
 * Browsers hide the HTTP status of a refused upgrade, so refusals are an accepted socket closed at once.
 */
export const CLOSE = {
  normal: 1000,
  tooBig: 1009,
  serverError: 1011,
  /** Transient: the ticket must be issued again (Workers' periodic re-check); the client reconnects at once. */
  recheck: 4001,
  badMessage: 4400,
  /** No session, or the session ended (logout, expiry, password change, pupils' hours), or rights withdrawn. */
  revoked: 4401,
  /** Another school's room, or no right to read it, or a change the guard refused. */
  forbidden: 4403,
  notFound: 4404,
  /** The room stores what it may: no more content until some is deleted. */
  full: 4413,
  /** Too many sockets open for this session or this user. */
  tooMany: 4429,
  /** The room could not store an update: clients reconnect and resend what they hold. */
  storeFailed: 4500,
  /** Transient: over the bytes per minute of the user or the room; the client reconnects and resends later. */
  tooFast: 4529,
} as const;

export function syncFrame(sub: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export function awarenessFrame(payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** Room ids are `uai:kind:id`: the school, the app (wall, doc, bench) and the record's id. */
export interface RoomId {
  uai: string;
  kind: RoomKind;
  id: string;
}
export type RoomKind = "wall" | "doc" | "bench";

const ROOM_ID = new RegExp(`^([0-9]{7}[A-Z]):(wall|doc|bench):(${UUID_SOURCE}|[a-z0-9-]{1,40})$`);

export function parseRoomId(value: string): RoomId | null {
  const m = ROOM_ID.exec(value);
  return m ? { uai: m[1]!, kind: m[2] as RoomKind, id: m[3]! } : null;
}

export function roomIdOf(r: RoomId): string {
  return `${r.uai}:${r.kind}:${r.id}`;
}
