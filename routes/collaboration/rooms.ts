// The websocket endpoint of the realtime rooms: /salles/<uai>:<kind>:<id> (the y-websocket client appends the room
// name to its server URL). The upgrade goes through the whole app first (session, gates); here the policy decides
// and the socket is handed to the room with a ticket, or accepted and closed with the refusal code (browsers hide
// the HTTP status of a refused upgrade): 4401 no session, 4403 another school or no right, 4404 unknown room, 4429
// too many sockets for the session or the user.
import { Hono } from "hono";
import type { AppEnv } from "../../src/http/env";
import { CLOSE, parseRoomId } from "../../realtime/protocol";
import type { Admission } from "../../realtime/port";
import { roomAdmission } from "../../src/services/collaboration/rooms";
import { renderError } from "../../src/http/render";

export const roomRoutes = new Hono<AppEnv>();

roomRoutes.get("/salles/:room", async (c) => {
  const { platform, principal } = c.var;
  if (!platform.rooms || c.req.header("upgrade")?.toLowerCase() !== "websocket") return renderError(c, 404);
  const roomId = c.req.param("room");
  const room = parseRoomId(roomId);
  const origin = c.req.header("origin");
  let admission: Admission;
  if (!room || room.kind === "bench") admission = { refuse: CLOSE.notFound, reason: "salle inconnue" };
  // Cross-site websocket hijacking: a page of another site may open a socket here with the user's cookies.
  else if (origin && !sameHost(origin, c.req.header("host")))
    admission = { refuse: CLOSE.forbidden, reason: "origine refusée" };
  else if (!principal) admission = { refuse: CLOSE.revoked, reason: "session absente" };
  else {
    // Too many sockets for this session or user (issue 21 F2): refused before the database is asked.
    const place = platform.rooms.reserve?.(principal.sessionId, principal.userId);
    if (place && "refuse" in place) return platform.rooms.upgrade(c, roomId, place);
    try {
      // Another school, no right, or a record that is not this room's: the service decides, on the pages' can().
      admission = await roomAdmission(c.var.deps, principal, room);
    } catch (err) {
      place?.release();
      throw err;
    }
    return platform.rooms.upgrade(c, roomId, admission, place);
  }
  return platform.rooms.upgrade(c, roomId, admission);
});

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
