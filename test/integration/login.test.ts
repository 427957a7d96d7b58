// Accounts and sessions: login, bad input of every kind, throttling, activation, expiry, revocation (2.1.3, 51A, 71E).
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { buildSchool, buildSchoolWithClass, buildUser, uniqueIp } from "../helpers/factories";

/** Everything the database holds about one account, audit trail aside. */
async function accountState(db: Database, userId: string): Promise<string> {
  return withTenant(db, systemScope, async (tx) =>
    JSON.stringify(
      rowsOf(
        await tx.execute(sql`
    select (select row_to_json(u) from users u where u.id = ${userId}) as u,
      (select row_to_json(c) from credentials c where c.user_id = ${userId}) as c,
      (select json_agg(s.id order by s.id) from sessions s where s.user_id = ${userId}) as s,
      (select row_to_json(p) from user_preferences p where p.user_id = ${userId}) as p`),
      ),
    ),
  );
}

async function auditLines(db: Database, target: string): Promise<{ action: string; details: unknown }[]> {
  return withTenant(db, systemScope, async (tx) =>
    rowsOf<{ action: string; details: unknown }>(
      await tx.execute(sql`
    select action, details from audit_log where target = ${target} or actor_id::text = ${target} order by seq`),
    ),
  );
}

describe.each(DATABASE_KINDS)("login and sessions on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  beforeAll(async () => {
    tp = await testApp(kind, {
      loginThrottle: { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerLogin: 50, maxFailuresPerIp: 8 },
    });
  });
  const fresh = async (spec: Parameters<typeof buildUser>[2] = {}) => {
    const school = await buildSchool(tp.platform.db);
    return buildUser(tp.platform.db, tp.platform.passwords, { profile: "teacher", uai: school.uai, ...spec });
  };
  const ip = uniqueIp;

  it("logs in with the right password, opens the home page, and leaves one audit line", async () => {
    const user = await fresh();
    const b = new TestBrowser(tp.app, ip());
    const res = await b.login(user.login, user.password);
    expect(res.status).toBe(303);
    expect(res.location).toBe("/");
    expect(res.headers.get("set-cookie")).toMatch(
      /__Host-preau_session=[a-z2-7]{32}; Max-Age=14400; Path=\/; HttpOnly; Secure; SameSite=Lax/,
    );
    expect((await b.get("/")).status).toBe(200);
    expect((await auditLines(tp.platform.db, user.login)).map((l) => l.action)).toEqual(["login.success"]);
  });

  it("accepts the login whatever its case and surrounding spaces", async () => {
    const user = await fresh();
    const res = await new TestBrowser(tp.app, ip()).login(`  ${user.login.toUpperCase()} `, user.password);
    expect(res.status).toBe(303);
  });

  const badInputs: [string, (u: { login: string; password: string }) => Record<string, string>, number, RegExp][] = [
    [
      "wrong password",
      (u) => ({ login: u.login, password: "pas le bon" }),
      401,
      /Identifiant ou mot de passe incorrect/,
    ],
    [
      "unknown login",
      () => ({ login: "personne.inconnue", password: "x" }),
      401,
      /Identifiant ou mot de passe incorrect/,
    ],
    [
      "empty fields",
      () => ({ login: "", password: "" }),
      400,
      /Saisissez votre identifiant[\s\S]*Saisissez votre mot de passe/,
    ],
    ["10 kB login", () => ({ login: "a".repeat(10_240), password: "x" }), 400, /identifiant est trop long/],
    ["10 kB password", (u) => ({ login: u.login, password: "p".repeat(10_240) }), 400, /mot de passe est trop long/],
    [
      "SQL in the login",
      () => ({ login: "' OR '1'='1' --", password: "' OR 1=1; DROP TABLE users; --" }),
      401,
      /Identifiant ou mot de passe incorrect/,
    ],
    [
      "HTML in the login",
      () => ({ login: "<script>alert(1)</script>", password: "<b>x</b>" }),
      401,
      /&lt;script&gt;alert\(1\)&lt;\/script&gt;/,
    ],
  ];

  for (const [name, form, status, message] of badInputs) {
    it(`bad input — ${name}: clear French message, status ${status}, nothing written but the audit line`, async () => {
      const user = await fresh();
      const before = await accountState(tp.platform.db, user.id);
      const fields = form(user);
      const target = fields.login!.trim().toLowerCase().slice(0, 100);
      const linesBefore = await auditLines(tp.platform.db, target);
      const b = new TestBrowser(tp.app, ip());
      await b.get("/login");
      const res = await b.post("/login", fields);
      expect(res.status).toBe(status);
      expect(res.html).toMatch(message);
      expect(res.html).not.toContain("<script>alert");
      expect(b.cookie("__Host-preau_session")).toBeUndefined();
      expect(await accountState(tp.platform.db, user.id)).toBe(before);
      // Other runs may have tried the same login before: what matters is the one new line.
      const lines = (await auditLines(tp.platform.db, target)).slice(linesBefore.length);
      expect(lines).toHaveLength(1);
      expect(lines[0]!.action).toMatch(/^login\.(failure|rejected_input)$/);
    });
  }

  it("refuses a form without the CSRF token (403) and one posted from another site", async () => {
    const user = await fresh();
    const before = await accountState(tp.platform.db, user.id);
    const b = new TestBrowser(tp.app, ip());
    await b.get("/login");
    const missing = await b.post("/login", { login: user.login, password: user.password }, { csrf: null });
    expect(missing.status).toBe(403);
    expect(missing.html).toContain("Formulaire expiré");
    const foreign = await b.post(
      "/login",
      { login: user.login, password: user.password },
      { origin: "https://evil.example" },
    );
    expect(foreign.status).toBe(403);
    const noCookie = new TestBrowser(tp.app, ip());
    const withoutCookie = await noCookie.post(
      "/login",
      { login: user.login, password: user.password },
      { csrf: b.csrf },
    );
    expect(withoutCookie.status).toBe(403);
    expect(await accountState(tp.platform.db, user.id)).toBe(before);
    const csrfLines = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf(
        await tx.execute(sql`
      select 1 from audit_log where action = 'csrf.rejected' and target = '/login' and at =
      ${tp.clock.now().toISOString()}`),
      ),
    );
    // Two addresses: one line each at most per minute (F9), the first browser's two refusals folded into one.
    expect(csrfLines.length).toBeGreaterThanOrEqual(2);
  });

  it("locks an account for 15 minutes after 5 wrong passwords, with a French message, then lets it in", async () => {
    const user = await fresh();
    const b = new TestBrowser(tp.app, ip());
    for (let i = 0; i < 5; i++) expect((await b.login(user.login, "faux")).status).toBe(401);
    const before = await accountState(tp.platform.db, user.id);
    const locked = await b.login(user.login, user.password);
    expect(locked.status).toBe(429);
    expect(locked.html).toContain("temporairement bloqué");
    expect(await accountState(tp.platform.db, user.id)).toBe(before);
    tp.clock.advance(16 * 60_000);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    tp.clock.advance(-16 * 60_000);
  });

  it("limits failures per IP address, without blocking other addresses", async () => {
    const address = ip();
    const b = new TestBrowser(tp.app, address);
    for (let i = 0; i < 8; i++) await b.login(`inconnu.${i}.${address}`, "x");
    const user = await fresh();
    const blocked = await b.login(user.login, user.password);
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain("depuis ce réseau");
    expect((await new TestBrowser(tp.app, ip()).login(user.login, user.password)).status).toBe(303);
  });

  it("refuses suspended, pre-deleted and expired accounts with a French message", async () => {
    for (const [spec, text] of [
      [{ state: "suspended" as const }, "suspendu"],
      [{ state: "pre_deleted" as const }, "suspendu"],
      [{ expiresAt: new Date(tp.clock.now().getTime() - 1000) }, "a expiré"],
    ] as const) {
      const user = await fresh(spec);
      const res = await new TestBrowser(tp.app, ip()).login(user.login, user.password);
      expect(res.status).toBe(403);
      expect(res.html).toContain(text);
    }
  });

  it("an expired session sends back to the login page with a kind message; only the audit line is added", async () => {
    const user = await fresh();
    const b = new TestBrowser(tp.app, ip());
    await b.login(user.login, user.password);
    tp.clock.advance(241 * 60_000);
    try {
      const res = await b.get("/");
      expect(res.status).toBe(303);
      expect(res.location).toBe("/login");
      expect(b.cookie("__Host-preau_session")).toBeUndefined();
      const actions = (await auditLines(tp.platform.db, user.id)).map((l) => l.action);
      expect(actions).toContain("session.expired");
    } finally {
      tp.clock.advance(-241 * 60_000);
    }
    // The message, as a user returning with a stale cookie would see it.
    const again = new TestBrowser(tp.app, ip());
    await again.login(user.login, user.password);
    const token = again.cookie("__Host-preau_session")!;
    tp.clock.advance(300 * 60_000);
    try {
      const stale = new TestBrowser(tp.app, ip());
      stale.setCookie("__Host-preau_session", token);
      const page = await stale.get("/login");
      expect(page.status).toBe(200);
      expect(page.html).toContain("Votre session a expiré");
    } finally {
      tp.clock.advance(-300 * 60_000);
    }
  });

  it("slides the session's expiry while it is used", async () => {
    const user = await fresh();
    const b = new TestBrowser(tp.app, ip());
    await b.login(user.login, user.password);
    for (let i = 0; i < 4; i++) {
      tp.clock.advance(150 * 60_000);
      expect((await b.get("/")).status).toBe(200);
    }
    tp.clock.advance(-600 * 60_000);
  });

  it("logout revokes the session: the old cookie opens nothing", async () => {
    const user = await fresh();
    const b = new TestBrowser(tp.app, ip());
    await b.login(user.login, user.password);
    const token = b.cookie("__Host-preau_session")!;
    await b.get("/");
    const out = await b.post("/logout", {});
    expect(out.location).toBe("/login?info=logged_out");
    const replay = new TestBrowser(tp.app, ip());
    replay.setCookie("__Host-preau_session", token);
    expect((await replay.get("/")).location).toBe("/login");
  });

  it("changing the password ends the user's other sessions and checks the current one", async () => {
    const user = await fresh();
    const laptop = new TestBrowser(tp.app, ip());
    const phone = new TestBrowser(tp.app, ip());
    await laptop.login(user.login, user.password);
    await phone.login(user.login, user.password);
    await laptop.get("/compte");
    const wrong = await laptop.post("/compte/mot-de-passe", {
      actuel: "pas le bon",
      password: "une phrase de passe neuve",
      confirm: "une phrase de passe neuve",
    });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain("Le mot de passe actuel est incorrect");
    const weak = await laptop.post("/compte/mot-de-passe", {
      actuel: user.password,
      password: "court",
      confirm: "court",
    });
    expect(weak.status).toBe(422);
    expect(weak.html).toContain("10 caractères au moins");
    const ok = await laptop.post("/compte/mot-de-passe", {
      actuel: user.password,
      password: "une phrase de passe neuve",
      confirm: "une phrase de passe neuve",
    });
    expect(ok.status).toBe(303);
    expect((await laptop.get("/")).status).toBe(200);
    expect((await phone.get("/")).location).toBe("/login");
    expect((await new TestBrowser(tp.app, ip()).login(user.login, "une phrase de passe neuve")).status).toBe(303);
    expect((await new TestBrowser(tp.app, ip()).login(user.login, user.password)).status).toBe(401);
  });

  it("2.1.3 first login: the charter must be accepted and a password chosen before anything else", async () => {
    const user = await fresh({ state: "pre_created", charterAccepted: false });
    const b = new TestBrowser(tp.app, ip());
    const res = await b.login(user.login, user.password);
    expect(res.location).toBe("/activation");
    expect((await b.get("/")).location).toBe("/activation");
    expect((await b.get("/compte")).location).toBe("/activation");
    const page = await b.get("/activation");
    expect(page.text).toContain("Charte d'utilisation");
    const noCharter = await b.post("/activation", {
      password: "une phrase de passe neuve",
      confirm: "une phrase de passe neuve",
    });
    expect(noCharter.status).toBe(422);
    expect(noCharter.html).toContain("Acceptez la charte");
    const mismatch = await b.post("/activation", {
      charte: "oui",
      password: "une phrase de passe neuve",
      confirm: "autre chose encore",
    });
    expect(mismatch.html).toContain("ne sont pas identiques");
    const done = await b.post("/activation", {
      charte: "oui",
      password: "une phrase de passe neuve",
      confirm: "une phrase de passe neuve",
    });
    expect(done.location).toBe("/");
    expect((await b.get("/")).status).toBe(200);
    const [state] = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ state: string; accepted: boolean }>(
        await tx.execute(sql`
      select state, charter_accepted_at is not null as accepted from users where id = ${user.id}`),
      ),
    );
    expect(state).toEqual({ state: "active", accepted: true });
  });

  it(
    "51A a pupil outside access hours gets a friendly " + "page; an open session ends politely when hours end",
    async () => {
      const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
      const saved = tp.clock.now().toISOString();
      try {
        tp.clock.set("2026-11-24T21:00:00+01:00");
        const late = await new TestBrowser(tp.app, ip()).login(s.pupil.login, s.pupil.password);
        expect(late.status).toBe(403);
        expect(late.html).toContain("Préau se repose");
        expect(late.html).toContain("de 07:00 à 20:30");
        // Adults are not held to the pupils' hours.
        expect((await new TestBrowser(tp.app, ip()).login(s.teacher.login, s.teacher.password)).status).toBe(303);

        tp.clock.set("2026-11-24T20:20:00+01:00");
        const b = new TestBrowser(tp.app, ip());
        expect((await b.login(s.pupil.login, s.pupil.password)).status).toBe(303);
        expect((await b.get("/")).status).toBe(200);
        tp.clock.set("2026-11-24T20:31:00+01:00");
        const after = await b.get("/");
        expect(after.status).toBe(403);
        expect(after.html).toContain("Reviens demain");
        expect((await b.post("/logout", {})).status).toBe(303);
      } finally {
        tp.clock.set(saved);
      }
    },
  );

  it("51A bis the director changes the pupils' hours; bad hours are refused and change nothing", async () => {
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const director = new TestBrowser(tp.app, ip());
    await director.login(s.director.login, s.director.password);
    const form = await director.get("/ecole/reglages");
    expect(form.status).toBe(200);
    expect(form.text).toContain("Horaires d'accès des élèves");
    const days = (open: boolean, from: string, to: string) =>
      Object.fromEntries(
        ["1", "2", "3", "4", "5", "6", "7"].flatMap((d) => [
          [`de_${d}`, from],
          [`a_${d}`, to],
          ...(open ? [[`ouvert_${d}`, "oui"]] : []),
        ]),
      );
    const bad = await director.post("/ecole/reglages", days(true, "18:00", "08:00"));
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Horaire incorrect pour : Lundi, Mardi");
    const pupil = new TestBrowser(tp.app, ip());
    expect((await pupil.login(s.pupil.login, s.pupil.password)).status).toBe(303);
    const saved = await director.post("/ecole/reglages", { ...days(true, "08:30", "16:30"), ouvert_2: "" });
    expect(saved.status).toBe(303);
    // Tuesday 10:00 (the test clock) is now closed for this school's pupils.
    expect((await pupil.get("/")).status).toBe(403);
    const teacher = new TestBrowser(tp.app, ip());
    await teacher.login(s.teacher.login, s.teacher.password);
    expect((await teacher.get("/ecole/reglages")).status).toBe(403);
    expect((await teacher.post("/ecole/reglages", days(true, "08:00", "09:00"))).status).toBe(403);
  });
});
