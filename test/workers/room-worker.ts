// The worker the Durable Object protocol suite runs against (in workerd, through @cloudflare/vitest-plugin): the
// real RoomObject class and the real workerRooms() addressing, behind a bare endpoint like bench/realtime-server.ts
// (everyone writes; ?lecteur=1 viewer, ?refus=<code> refused, ?session=<id> the ticket's session, ?recheck=<ms> the
// re-check period).
import { workerRooms, type DurableObjectNamespace } from "../../src/worker/rooms";

export { RoomObject } from "../../src/worker/room";

interface Env {
  ROOMS: DurableObjectNamespace;
}

let n = 0;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    // workerd (local runtime) does not implement jurisdictions; production addresses rooms in the EU one.
    const recheck = Number(url.searchParams.get("recheck") ?? 0);
    const rooms = workerRooms(env.ROOMS, "none", recheck > 0 ? recheck : undefined);
    const roomId = decodeURIComponent(url.pathname.slice(1));
    const refuse = Number(url.searchParams.get("refus") ?? 0);
    n += 1;
    const session = url.searchParams.get("session");
    const ticket = {
      userId: `u${n}`,
      name: `Client ${n}`,
      canWrite: url.searchParams.get("lecteur") !== "1",
      ...(session ? { sessionId: session } : {}),
    };
    return rooms.upgrade(null as never, roomId, refuse ? { refuse, reason: "refusé" } : { ticket });
  },
};
