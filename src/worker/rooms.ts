// The app's Rooms on Workers: each room a Durable Object (src/worker/room.ts) addressed by its id in the EU
// jurisdiction (wrangler.toml has no jurisdiction key for Durable Object bindings: it is chosen here, for every room).
//
// Limit (issue 21 F3): no registry knows which objects hold a session's sockets, so a logout, a password change or a
// single logout cannot reach them at once. Instead every ticket carries `recheckAt` (now + the re-check period): the
// object then closes the socket with 4001, a transient code, and the client reconnects through the app, which checks
// the session, the pupils' hours and the rights again. A session's expiry and the end of a pupil's hours are in the
// ticket itself (`expiresAt`) and apply at once. So on Workers a logout takes effect within the period (60 s).
import type { Context } from "hono";
import * as Y from "yjs";
import type { Admission, Rooms } from "../../realtime/port";
import type { Ticket } from "../../realtime/room";

export interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
  jurisdiction(name: "eu" | "fedramp"): DurableObjectNamespace;
}

/**
 * The object's answer to an upgrade, with headers the app may still set: a response from a Durable Object's fetch has
 * immutable headers, and the app's middlewares add the security headers to every answer, this 101 included (without
 * this, every websocket through the app failed with a 500, "Can't modify immutable headers").
 */
function mutable(res: Response): Response {
  const webSocket = (res as Response & { webSocket?: unknown }).webSocket;
  if (res.status !== 101 || !webSocket) return new Response(res.body, res);
  return new Response(null, { status: 101, headers: res.headers, webSocket } as ResponseInit);
}

export function workerRooms(
  namespace: DurableObjectNamespace,
  jurisdiction: "eu" | "none" = "eu",
  recheckMs = 60_000,
): Rooms {
  // Resolved on first use: pages that open no room never touch the binding (workerd itself has no jurisdictions).
  let resolved: DurableObjectNamespace | null = null;
  const nsOf = () => (resolved ??= jurisdiction === "eu" ? namespace.jurisdiction("eu") : namespace);
  const call = (roomId: string, path: string, init: RequestInit = {}) => {
    const ns = nsOf();
    const headers = new Headers(init.headers);
    headers.set("x-preau-room", roomId);
    return ns.get(ns.idFromName(roomId)).fetch(new Request(`https://room${path}`, { ...init, headers }));
  };
  const state = async (roomId: string) => {
    const res = await call(roomId, "/state");
    if (!res.ok) throw new Error(`salle ${roomId} : ${res.status}`);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
    return doc;
  };
  const retune = async (roomId: string, fn: (t: Ticket) => Ticket | "close") => {
    const tickets = (await (await call(roomId, "/tickets")).json()) as Ticket[];
    const decisions = tickets.map((t) => {
      const d = fn(t);
      return { userId: t.userId, decision: d === "close" ? "close" : { canWrite: d.canWrite, role: d.role } };
    });
    if (decisions.length) await call(roomId, "/retune", { method: "POST", body: JSON.stringify(decisions) });
  };
  return {
    upgrade(c: Context, roomId: string, admission: Admission) {
      // The client's own headers never reach the object: only the room and the decision made here.
      // Percent-encoded: header values are ASCII, names are not.
      const admitted: Admission =
        "ticket" in admission ? { ticket: { ...admission.ticket, recheckAt: Date.now() + recheckMs } } : admission;
      const headers = new Headers({
        upgrade: "websocket",
        "x-preau-admission": encodeURIComponent(JSON.stringify(admitted)),
      });
      return call(roomId, "/connect", { headers }).then(mutable);
    },
    async read(roomId, fn) {
      return fn(await state(roomId));
    },
    async change(roomId, fn) {
      const doc = await state(roomId);
      const before = Y.encodeStateVector(doc);
      doc.transact(() => fn(doc));
      const update = Y.encodeStateAsUpdate(doc, before);
      const res = await call(roomId, "/update", { method: "POST", body: update as Uint8Array<ArrayBuffer> });
      if (!res.ok) throw new Error(`salle ${roomId} : ${res.status}`);
    },
    retune,
    async erase(roomId) {
      await call(roomId, "/erase", { method: "POST" });
    },
    // See the limit above: the sockets of ended sessions are closed at their next re-check.
    async closeSessions() {},
  };
}
