// Who joins a realtime room (54B walls, 56B documents): the websocket upgrade's decision, on the same can() as the
// pages — a wall's "wall.view" / "wall.post" / "wall.moderate", a document's "document.view" / "document.edit".
import type { Admission } from "../../../realtime/port";
import { CLOSE, type RoomId } from "../../../realtime/protocol";
import { inTenant, type ServiceDeps } from "../context";
import { reaches, type Principal } from "../principal";
import { documentAdmission } from "./documents";
import { wallAdmission } from "./walls";

/** A wall's or a document's room: admitted with a ticket (read or write), or refused with the close code. */
export async function roomAdmission(deps: ServiceDeps, p: Principal, room: RoomId): Promise<Admission> {
  if (room.kind === "bench") return { refuse: CLOSE.notFound, reason: "salle inconnue" };
  if (!reaches(p, room.uai)) return { refuse: CLOSE.forbidden, reason: "autre école" };
  return inTenant(deps, p, async (tx) => {
    const found = room.kind === "wall" ? await wallAdmission(tx, p, room.id) : await documentAdmission(tx, p, room.id);
    if (!("ticket" in found)) return found;
    // The record must be the room's: a wall id under another school's UAI is not that room.
    if (found.uai !== room.uai) return { refuse: CLOSE.notFound, reason: "salle inconnue" };
    // The session names the socket: caps per session, and logout closes its sockets.
    return { ticket: { ...found.ticket, sessionId: p.sessionId } };
  });
}
