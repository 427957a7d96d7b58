// Hostile frames on the realtime rooms (issue 21): one small websocket frame from a pupil must not freeze the hub.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass } from "../helpers/factories";
import { rawSocket, roomsApp, until } from "../helpers/realtime";

/** A sync update with no structs and one delete-set range claiming `len` clocks of a client the wall never saw. */
function hugeDeleteRange(len: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 0); // no structs
  encoding.writeVarUint(update, 1); // one client in the delete set
  encoding.writeVarUint(update, 987654321);
  encoding.writeVarUint(update, 1); // one range
  encoding.writeVarUint(update, 0); // from clock 0
  encoding.writeVarUint(update, len);
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 0); // sync
  encoding.writeVarUint(frame, 2); // update
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

describe("21 F1 a pupil's delete-set frame cannot freeze the hub", () => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let cookie: string;
  let roomId: string;

  beforeAll(async () => {
    env = await roomsApp("pglite");
    const s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const teacher = new TestBrowser(env.app);
    await teacher.login(s.teacher.login, s.teacher.password);
    await teacher.get("/murs");
    const created = await teacher.post("/murs", {
      titre: "Mur ouvert",
      cible: `classe:${s.classId}`,
      disposition: "free",
      mode: "open",
      colonnes: "",
    });
    expect(created.status).toBe(303);
    roomId = `${s.school.uai}:wall:${created.location!.split("/").pop()}`;
    const pupil = new TestBrowser(env.app);
    await pupil.login(s.pupil.login, s.pupil.password);
    cookie = `preau_session=${pupil.cookie("preau_session")}`;
  });

  afterAll(async () => {
    await env?.stop();
  });

  it("the 17-byte frame of the probe is the one built here", () => {
    const probe = "00 02 0e 00 01 b1 d1 f9 d6 03 01 00 80 c8 af a0 25".split(" ").map((h) => Number.parseInt(h, 16));
    expect([...hugeDeleteRange(10 ** 10)]).toEqual(probe);
  });

  it.each([
    ["10¹⁰", 10 ** 10],
    ["2⁵³ − 1", Number.MAX_SAFE_INTEGER],
  ])("a range of %s clocks: the hub answers /readyz in under 100 ms right after", async (_label, len) => {
    const socket = await rawSocket(`${env.ws}/${roomId}`, { cookie });
    await until(() => socket.frames.length > 0, 5_000, "the room never greeted the pupil");
    socket.ws.send(hugeDeleteRange(len));
    // Let the frame reach the room before timing the probe.
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const ready = await fetch(`${env.base}/readyz`);
    const ms = performance.now() - started;
    expect(ready.status).toBe(200);
    expect(ms).toBeLessThan(100);
    socket.ws.close();
  });
});
