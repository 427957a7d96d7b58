// Who joins a realtime room (54B walls, 56B documents): the websocket upgrade's decision, on the same can() as the
// pages — a wall's "wall.view" / "wall.post" / "wall.moderate", a document's "document.view" / "document.edit".
// A ticket lasts no longer than the right to use it (issue 21 F3): it names its session, expires with it or with the
// end of a pupil's hours, and the hub asks again every minute (recheckTickets) — a session ended elsewhere, rights
// withdrawn, hours changed.
import { systemScope, withTenant } from "../../../db/client";
import type { Admission } from "../../../realtime/port";
import { CLOSE, parseRoomId, type RoomId } from "../../../realtime/protocol";
import type { Ticket } from "../../../realtime/room";
import { hoursEnd } from "../access-hours";
import { inTenant, type ServiceDeps } from "../context";
import { liveSession } from "../identity/sessions";
import { loadPrincipal, reaches, type Principal } from "../principal";
import { documentAdmission } from "./documents";
import { wallAdmission } from "./walls";

/** A wall's or a document's room: admitted with a ticket (read or write), or refused with the close code. */
export async function roomAdmission(deps: ServiceDeps, p: Principal, room: RoomId): Promise<Admission> {
  if (room.kind === "bench") return { refuse: CLOSE.notFound, reason: "salle inconnue" };
  if (!reaches(p, room.uai)) return { refuse: CLOSE.forbidden, reason: "autre école" };
  const horizon = await sessionHorizon(deps, p.sessionId, p);
  if (!horizon) return { refuse: CLOSE.revoked, reason: "session terminée" };
  return admit(deps, p, room, horizon.expiresAt);
}

/** The hub's periodic re-check: each open socket's ticket as the database would issue it now, or "close". */
export async function recheckTickets(
  deps: ServiceDeps,
  entries: { roomId: string; ticket: Ticket }[],
): Promise<(Ticket | "close")[]> {
  const horizons = new Map<string, Awaited<ReturnType<typeof sessionHorizon>>>();
  const out: (Ticket | "close")[] = [];
  // One after the other: a minute's work for the database, spread, not a burst of a thousand queries.
  for (const { roomId, ticket } of entries) {
    const room = parseRoomId(roomId);
    if (!ticket.sessionId || !room || room.kind === "bench") {
      out.push(ticket);
      continue;
    }
    if (!horizons.has(ticket.sessionId)) horizons.set(ticket.sessionId, await sessionHorizon(deps, ticket.sessionId));
    const horizon = horizons.get(ticket.sessionId);
    if (!horizon || !reaches(horizon.principal, room.uai)) {
      out.push("close");
      continue;
    }
    const admission = await admit(deps, horizon.principal, room, horizon.expiresAt);
    out.push("ticket" in admission ? admission.ticket : "close");
  }
  return out;
}

/** The session's user now (`known`: the request's, loaded a moment ago) and until when their tickets hold (session
 *  expiry, end of a pupil's hours); null once the session ended or the hours closed. */
async function sessionHorizon(
  deps: ServiceDeps,
  sessionId: string,
  known?: Principal,
): Promise<{ principal: Principal; expiresAt: number } | null> {
  return withTenant(deps.db, systemScope, async (tx) => {
    const live = await liveSession(tx, sessionId, deps.now);
    if (!live) return null;
    const principal = known ?? (await loadPrincipal(tx, live.userId, sessionId, live.activeUai));
    if (!principal) return null;
    const end = await hoursEnd(tx, principal, deps.config, deps.now);
    if (end === "closed") return null;
    return { principal, expiresAt: Math.min(live.expiresAt.getTime(), end?.getTime() ?? Number.POSITIVE_INFINITY) };
  });
}

async function admit(deps: ServiceDeps, p: Principal, room: RoomId, expiresAt: number): Promise<Admission> {
  return inTenant(deps, p, async (tx) => {
    const found = room.kind === "wall" ? await wallAdmission(tx, p, room.id) : await documentAdmission(tx, p, room.id);
    if (!("ticket" in found)) return found;
    // The record must be the room's: a wall id under another school's UAI is not that room.
    if (found.uai !== room.uai) return { refuse: CLOSE.notFound, reason: "salle inconnue" };
    return { ticket: { ...found.ticket, sessionId: p.sessionId, expiresAt } };
  });
}
