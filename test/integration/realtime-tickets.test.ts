// Open sockets end with the right to use them (issue 21 F3): logout, password change, single logout, the start of
// pupils' off-hours and session expiry close the user's room sockets at once, and tickets are re-checked
// periodically. Real sockets and the official y-websocket client; the hours and expiry on the test's clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemScope, withTenant } from "../../db/client";
import { signIdpLogout } from "../../src/auth/sso-handoff";
import { sessionIdFromToken } from "../../src/auth/session-token";
import { defaultRealtimeLimits } from "../../src/config";
import { addPostit, readPostits } from "../../realtime/wall-model";
import { buildSchoolWithClass } from "../helpers/factories";
import { classWall, postitOf, roomsApp, signedIn, yClient, type Client } from "../helpers/realtime";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("21 F3 room sockets end with the session and the pupils' hours", () => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let roomId: string;
  const clients: Client[] = [];

  async function live(cookie: string) {
    const c = await yClient(env.ws, roomId, { headers: { cookie } });
    clients.push(c);
    return c;
  }
  const texts = async () => (await env.rooms.read(roomId, readPostits)).map((p) => p.text);
  /** Waits for the permanent close, or null after a while (the socket stayed open). */
  const closedSoon = (c: Client, ms = 2_000) => Promise.race([c.closed, sleep(ms).then(() => null)]);

  beforeAll(async () => {
    env = await roomsApp("pglite", { realtime: { ...defaultRealtimeLimits, recheckSeconds: 0.2 } });
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    ({ roomId } = await classWall(env, s.teacher, s.school.uai, s.classId));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await env?.stop();
  });

  it("after logout, a post-it sent on the socket is not stored and the socket is closed (4401)", async () => {
    const pupil = await signedIn(env, s.pupil);
    const screen = await live(pupil.cookie);
    const teacher = await live((await signedIn(env, s.teacher)).cookie);
    expect((await pupil.browser.post("/logout", {})).status).toBe(303);
    addPostit(screen.doc, postitOf(s.pupil.id, { text: "Après la déconnexion" }));
    expect((await closedSoon(screen))?.code).toBe(4401);
    await sleep(150);
    expect(await texts()).not.toContain("Après la déconnexion");
    // Someone else's socket goes on.
    addPostit(teacher.doc, postitOf(s.teacher.id, { text: "Le maître continue" }));
    await sleep(200);
    expect(await texts()).toContain("Le maître continue");
    expect(teacher.provider.wsconnected).toBe(true);
  });

  it(
    "after a password change, the user's other sessions' " + "sockets are closed; the session that changed it goes on",
    async () => {
      const laptop = await signedIn(env, s.otherPupil);
      const phone = await signedIn(env, s.otherPupil);
      const onLaptop = await live(laptop.cookie);
      const onPhone = await live(phone.cookie);
      await laptop.browser.get("/compte");
      const changed = await laptop.browser.post("/compte/mot-de-passe", {
        actuel: s.otherPupil.password,
        password: "une phrase de passe neuve",
        confirm: "une phrase de passe neuve",
      });
      expect(changed.status).toBe(303);
      addPostit(onPhone.doc, postitOf(s.otherPupil.id, { text: "Depuis le téléphone oublié" }));
      addPostit(onLaptop.doc, postitOf(s.otherPupil.id, { text: "Depuis l'ordinateur" }));
      expect((await closedSoon(onPhone))?.code).toBe(4401);
      await sleep(200);
      const now = await texts();
      expect(now).not.toContain("Depuis le téléphone oublié");
      expect(now).toContain("Depuis l'ordinateur");
      expect(onLaptop.provider.wsconnected).toBe(true);
      s.otherPupil.password = "une phrase de passe neuve";
    },
  );

  it("after a single logout from the identity provider, the sockets of the sessions it ended are closed", async () => {
    const pupil = await signedIn(env, s.pupil);
    const screen = await live(pupil.cookie);
    const sessionId = sessionIdFromToken(pupil.browser.cookie("preau_session")!);
    const federation = { guichet: "educonnect", nameId: `eleve-${s.pupil.id}`, sessionIndex: "idx-1" };
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`update sessions set federation = ${JSON.stringify(federation)}::jsonb where id = ${sessionId}`),
    );
    const jeton = await signIdpLogout(
      env.platform.config.secret,
      { ...federation, guichet: "educonnect", requestId: "r-1", relayState: null },
      env.clock.now(),
    );
    const idp = await signedIn(env, s.teacher);
    expect((await idp.browser.get(`/sso/deconnexion?jeton=${encodeURIComponent(jeton)}`)).status).toBe(303);
    addPostit(screen.doc, postitOf(s.pupil.id, { text: "Après la déconnexion unique" }));
    expect((await closedSoon(screen))?.code).toBe(4401);
    await sleep(150);
    expect(await texts()).not.toContain("Après la déconnexion unique");
  });

  it("a session ended elsewhere (no event reaches the hub) is caught by the periodic re-check", async () => {
    const pupil = await signedIn(env, s.pupil);
    const screen = await live(pupil.cookie);
    const sessionId = sessionIdFromToken(pupil.browser.cookie("preau_session")!);
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`delete from sessions where id = ${sessionId}`),
    );
    expect((await closedSoon(screen, 3_000))?.code).toBe(4401);
  });

  it(
    "when the pupils' hours close (20:30), a pupil's post-it is not stored and their sockets close; the teacher's " +
      "stay",
    async () => {
      env.clock.set("2026-11-24T20:29:00+01:00");
      const pupil = await signedIn(env, s.pupil);
      const writing = await live(pupil.cookie);
      const idle = await live(pupil.cookie);
      const teacher = await live((await signedIn(env, s.teacher)).cookie);
      addPostit(writing.doc, postitOf(s.pupil.id, { text: "À 20 h 29" }));
      await sleep(300);
      expect(await texts()).toContain("À 20 h 29");
      env.clock.set("2026-11-24T20:30:30+01:00");
      addPostit(writing.doc, postitOf(s.pupil.id, { text: "À 20 h 30 passées" }));
      expect((await closedSoon(writing))?.code).toBe(4401);
      // The socket that sends nothing is closed by the periodic re-check.
      expect((await closedSoon(idle, 3_000))?.code).toBe(4401);
      await sleep(150);
      expect(await texts()).not.toContain("À 20 h 30 passées");
      addPostit(teacher.doc, postitOf(s.teacher.id, { text: "Le maître, le soir" }));
      await sleep(300);
      expect(await texts()).toContain("Le maître, le soir");
      expect(teacher.provider.wsconnected).toBe(true);
    },
  );

  it("when the session expires, the socket's next post-it is not stored and the socket is closed", async () => {
    env.clock.set("2026-11-25T10:00:00+01:00");
    const pupil = await signedIn(env, s.pupil);
    const screen = await live(pupil.cookie);
    env.clock.advance((env.platform.config.session.lifetimeMinutes + 1) * 60_000);
    addPostit(screen.doc, postitOf(s.pupil.id, { text: "Session expirée" }));
    expect((await closedSoon(screen))?.code).toBe(4401);
    await sleep(150);
    expect(await texts()).not.toContain("Session expirée");
  });
});
