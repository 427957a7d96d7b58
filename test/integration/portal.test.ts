// The portal: home per profile, launcher and hidden apps (57C/57D), font (51M), help (51H), school switch,
// error pages, security headers, probes.
import { beforeAll, describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp, testPlatform, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import {
  buildClass,
  buildSchool,
  buildSchoolWithClass,
  buildStructure,
  buildUser,
  linkParent,
} from "../helpers/factories";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { createApp } from "../../src/app";
import { createNodeHandler } from "../../src/node/server";

describe.each(DATABASE_KINDS)("portal on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  beforeAll(async () => {
    tp = await testApp(kind);
    s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
  });

  async function as(user: { login: string; password: string }) {
    const b = new TestBrowser(tp.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }

  it(
    "53 a teacher's only mail address is the professional " + "one: shown, never typed, the one Préau writes to",
    async () => {
      const db = tp.platform.db;
      const pro = `prof.${s.teacher.id.slice(0, 8)}@ac-test.fr`;
      const mailOf = async () =>
        withTenant(db, systemScope, async (tx) =>
          rowsOf<{ email: string | null }>(
            await tx.execute(sql`select academic_email as email from users where id = ${s.teacher.id}`),
          ),
        ).then((rows) => rows[0]!.email);
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`update users set academic_email = ${pro} where id = ${s.teacher.id}`),
      );
      const b = await as(s.teacher);
      const account = await b.get("/compte");
      expect(account.text).toContain(`Adresse mél professionnelle</dt><dd>${pro}</dd>`);
      expect(account.text).toContain("c'est la seule que Préau utilise");
      // No page of the account offers a field for another address.
      for (const path of ["/compte", "/compte/notifications"]) {
        const page = await b.get(path);
        expect(page.html, path).not.toMatch(/type="email"|name="(e?mail|mel|courriel|adresse)"/);
      }
      // Posting one anyway changes nothing.
      const sneaky = { email: "perso@exemple.fr", mail: "perso@exemple.fr", mel: "perso@exemple.fr" };
      await b.post("/compte/applis", sneaky);
      await b.post("/compte/notifications", { ...sneaky, choix: ["messages:mail"] });
      expect(await mailOf()).toBe(pro);
      // The mail Préau sends goes there.
      const director = await as(s.director);
      await director.get("/messagerie/nouveau");
      const sent = await director.post("/messagerie/nouveau", {
        objet: "Réunion de cycle",
        texte: "Jeudi 17 h.",
        destinataires: s.teacher.id,
      });
      expect(sent.status).toBe(303);
      const outbox = await withTenant(db, systemScope, async (tx) =>
        rowsOf<{ to: string }>(
          await tx.execute(sql`select "to" from outbox_mail where subject like 'Nouveau message de %'
          and "to" in (${pro}, 'perso@exemple.fr')`),
        ),
      );
      expect(outbox.map((r) => r.to)).toEqual([pro]);
      // A parent's account page does not call their address professional.
      expect((await (await as(s.parent)).get("/compte")).text).not.toContain("Adresse mél professionnelle");
    },
  );

  it("51H every page has the contextual help panel, a skip link, landmarks and the logout", async () => {
    const b = await as(s.teacher);
    for (const path of ["/", "/compte", "/classes", `/classes/${s.classId}`, "/aide", "/charte", "/accessibilite"]) {
      const page = await b.get(path);
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain("Aide sur cette page");
      expect(page.html, path).toContain('<a class="skip-link" href="#contenu">');
      expect(page.html, path).toMatch(/<main id="contenu"/);
      expect(page.html, path).toMatch(/<html lang="fr">/);
      expect(page.text, path).toContain("Se déconnecter");
    }
  });

  it("the teacher's home shows the school, the launcher and their class", async () => {
    const home = await (await as(s.teacher)).get("/");
    expect(home.text).toContain(s.school.name);
    expect(home.text).toContain("Mes applications");
    expect(home.html).toContain(`href="/classes/${s.classId}"`);
    expect(home.html).toContain('href="/ecole"');
    expect(home.html).not.toContain("theme-pupil");
  });

  it("51J the pupil's home uses the simple pupil theme", async () => {
    const home = await (await as(s.pupil)).get("/");
    expect(home.html).toContain('class="theme-pupil"');
    expect(home.text).toContain("Ma classe");
    expect(home.html).not.toContain('href="/ecole"');
  });

  it("the parent's home lists their children and lets them switch between their children's schools", async () => {
    const other = await buildSchool(tp.platform.db);
    const otherClass = await buildClass(tp.platform.db, other.uai, "CP");
    const sibling = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "pupil",
      uai: other.uai,
      classId: otherClass,
      firstName: "Hugo",
    });
    await linkParent(tp.platform.db, s.parent.id, sibling.id, other.uai);
    const b = await as(s.parent);
    const home = await b.get("/");
    expect(home.text).toContain("Mes enfants");
    expect(home.html).toContain(`href="/personnes/${s.pupil.id}"`);
    expect(home.html).toContain(`href="/personnes/${sibling.id}"`);
    expect(home.text).toContain("Changer d'école");
    const switched = await b.post("/ecole/active", { uai: other.uai });
    expect(switched.status).toBe(303);
    expect((await b.get("/")).html).toMatch(new RegExp(`brand-school">${other.name}`));
    expect((await b.post("/ecole/active", { uai: "0000000A" })).status).toBe(403);
  });

  it("57C a user hides apps from their launcher; the account app cannot be hidden", async () => {
    const b = await as(s.teacher);
    await b.get("/compte");
    const saved = await b.post("/compte/applis", { cacher: ["school", "account", "inconnue"] });
    expect(saved.location).toBe("/compte?enregistre=1");
    const home = await b.get("/");
    expect(home.html).not.toContain('href="/ecole"');
    expect(home.html).toContain('class="tile tile-purple" href="/compte"');
    await b.get("/compte");
    await b.post("/compte/applis", {});
    expect((await b.get("/")).html).toContain('href="/ecole"');
  });

  it("57D a teacher hides an app by default from the class's pupils and parents", async () => {
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const t = await as(s.teacher);
    const classPage = await t.get(`/classes/${s.classId}`);
    expect(classPage.text).toContain("Applis visibles par les familles");
    expect((await t.post(`/classes/${s.classId}/applis`, { eleves: "classes", parents: "classes" })).status).toBe(303);
    expect((await (await as(s.pupil)).get("/")).html).not.toContain('href="/classes"');
    expect((await (await as(s.parent)).get("/")).html).not.toContain('href="/classes"');
    expect((await t.get("/")).html).toContain('href="/classes"');
    // A parent or pupil cannot change it.
    const p = await as(s.parent);
    await p.get("/");
    expect((await p.post(`/classes/${s.classId}/applis`, {})).status).toBe(403);
    await t.post(`/classes/${s.classId}/applis`, {});
    expect((await (await as(s.pupil)).get("/")).html).toContain('href="/classes"');
  });

  it("51M the dyslexia-friendly font is chosen from any page, kept for the user, and works before login", async () => {
    const b = await as(s.otherPupil);
    await b.get("/compte");
    const res = await b.post("/preferences/police", { police: "dyslexic", retour: "/compte" });
    expect(res.location).toBe("/compte");
    expect((await b.get("/")).html).toMatch(/<body class="[^"]*font-dyslexic/);
    const elsewhere = await as(s.otherPupil);
    expect((await elsewhere.get("/")).html).toMatch(/font-dyslexic/);
    expect((await b.post("/preferences/police", { police: "standard", retour: "https://evil.example" })).location).toBe(
      "/",
    );
    const anonymous = new TestBrowser(tp.app);
    await anonymous.get("/login");
    await anonymous.post("/preferences/police", { police: "dyslexic", retour: "/login" });
    expect((await anonymous.get("/login")).html).toMatch(/font-dyslexic/);
  });

  it("class, person and school pages show what the profile needs and no more (621E, 621B)", async () => {
    const t = await as(s.teacher);
    const classPage = await t.get(`/classes/${s.classId}`);
    expect(classPage.html).toContain(`/personnes/${s.pupil.id}`);
    expect(classPage.html).toContain(`/personnes/${s.otherPupil.id}`);
    const card = await t.get(`/personnes/${s.pupil.id}`);
    expect(card.text).toContain("Élève");
    expect(card.text).not.toContain("Origine du compte");
    const d = await as(s.director);
    const directorCard = await d.get(`/personnes/${s.pupil.id}`);
    expect(directorCard.text).toContain("Origine du compte");
    expect(directorCard.text).toContain("Compte manuel");
    const pupil = await as(s.pupil);
    expect((await pupil.get(`/personnes/${s.otherPupil.id}`)).status).toBe(200);
    expect((await pupil.get(`/personnes/${s.parent.id}`)).status).toBe(403);
    expect((await pupil.get("/personnes/pas-un-uuid")).status).toBe(404);
    expect((await pupil.get("/ecoles/pas-une-uai")).status).toBe(404);
  });

  it("611A 'Mes écoles' gives the IEN, an adviser, the commune and the académie each school's figures", async () => {
    const { db, passwords } = tp.platform;
    const academie = await buildStructure(db, "academie");
    const circ = await buildStructure(db, "circonscription", academie);
    const otherCirc = await buildStructure(db, "circonscription", academie);
    const commune = await buildStructure(db, "commune", academie);
    // In the circonscription and the commune: two classes, three pupils (one not yet activated), their teacher, a
    // director who has not logged in yet, and the parent of one pupil.
    const big = await buildSchool(db, { structureIds: [circ, commune] });
    const [cm1, cp] = [await buildClass(db, big.uai, "CM1"), await buildClass(db, big.uai, "CP")];
    const pupil = await buildUser(db, passwords, { profile: "pupil", uai: big.uai, classId: cm1 });
    await buildUser(db, passwords, { profile: "pupil", uai: big.uai, classId: cm1 });
    await buildUser(db, passwords, { profile: "pupil", uai: big.uai, classId: cp, state: "pre_created" });
    await buildUser(db, passwords, { profile: "teacher", uai: big.uai, classId: cm1 });
    await buildUser(db, passwords, { profile: "director", uai: big.uai, state: "pre_created" });
    const parent = await buildUser(db, passwords, {});
    await linkParent(db, parent.id, pupil.id, big.uai);
    // In the circonscription only: one class and its one pupil. Elsewhere: another circonscription's school.
    const small = await buildSchool(db, { structureIds: [circ] });
    await buildUser(db, passwords, { profile: "pupil", uai: small.uai, classId: await buildClass(db, small.uai) });
    const elsewhere = await buildSchool(db, { structureIds: [otherCirc] });
    await buildClass(db, elsewhere.uai);

    // As the page shows them: classes, pupils, accounts (every profile in the school), activated accounts.
    const BIG = { classes: "2", pupils: "3", accounts: "6", active: "4" };
    const SMALL = { classes: "1", pupils: "1", accounts: "1", active: "1" };
    const ELSEWHERE = { classes: "1", pupils: "0", accounts: "0", active: "0" };
    const figuresOn = (html: string, uai: string) => {
      const row = new RegExp(`<th scope="row"><a href="/ecoles/${uai}">[^<]*</a></th>((?:<td>[^<]*</td>)+)`).exec(html);
      if (!row) return null;
      const [city, classes, pupils, accounts, active] = [...row[1]!.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
      return { city, classes, pupils, accounts, active };
    };
    const cases = [
      { who: "inspector", spec: { profile: "inspector", structureId: circ }, sees: { big: BIG, small: SMALL } },
      { who: "adviser", spec: { profile: "adviser", structureId: circ }, sees: { big: BIG, small: SMALL } },
      { who: "commune", spec: { profile: "municipality", structureId: commune }, sees: { big: BIG } },
      {
        who: "académie",
        spec: { profile: "academie_admin", structureId: academie },
        sees: { big: BIG, small: SMALL, elsewhere: ELSEWHERE },
      },
    ] as const;
    const uais = { big: big.uai, small: small.uai, elsewhere: elsewhere.uai };
    for (const { who, spec, sees } of cases) {
      const page = await (await as(await buildUser(db, passwords, spec))).get("/ecoles");
      expect(page.status, who).toBe(200);
      expect(page.text, who).toContain("Mes écoles");
      expect(
        [...page.text.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]),
        who,
      ).toEqual(["École", "Commune", "Classes", "Élèves", "Comptes", "Comptes activés"]);
      for (const [school, uai] of Object.entries(uais)) {
        const expected = (sees as Record<string, typeof BIG>)[school];
        expect(figuresOn(page.html, uai), `${who}: ${school}`).toEqual(
          expected ? { city: "Testville", ...expected } : null,
        );
      }
    }
  });

  it("the académie admin reads the audit trail and checks its chain; others may not", async () => {
    const academie = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: await buildStructure(tp.platform.db, "academie"),
    });
    const a = await as(academie);
    const page = await a.get("/admin/audit");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Journal d'audit");
    expect(page.text).toContain("login.success");
    const checked = await a.post("/admin/audit/verification", {});
    expect(checked.text).toMatch(/La chaîne est intacte \(\d+ lignes vérifiées\)/);
    expect((await (await as(s.director)).get("/admin/audit")).status).toBe(403);
  });

  it("unknown pages and forbidden pages are French pages with the right status", async () => {
    const b = await as(s.teacher);
    const missing = await b.get("/nulle-part");
    expect(missing.status).toBe(404);
    expect(missing.text).toContain("Page introuvable");
    const forbidden = await b.get("/ecoles");
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain("Accès refusé");
    const anonymous = new TestBrowser(tp.app);
    expect((await anonymous.get("/")).location).toBe("/login");
    expect((await anonymous.get("/compte")).location).toBe("/login");
  });

  it("sends strict security headers on every response", async () => {
    const page = await new TestBrowser(tp.app).get("/login");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(page.headers.get("strict-transport-security")).toContain("max-age=");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
    expect(page.html).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>[^<]|style="/);
  });

  it("a request too large is refused with a French page", async () => {
    const b = new TestBrowser(tp.app);
    await b.get("/login");
    const res = await b.post("/login", { login: "x".repeat(1024 * 1024 + 10), password: "y" });
    expect(res.status).toBe(413);
    expect(res.text).toContain("Envoi trop volumineux");
  });
});

describe("errors and probes", () => {
  it("an unexpected failure shows the French 500 page with a reference, and is logged", async () => {
    const { platform } = await testPlatform("pglite");
    const logged: string[] = [];
    const broken = {
      ...platform,
      log: {
        log: (_l: string, event: string, fields?: Record<string, unknown>) =>
          logged.push(`${event} ${JSON.stringify(fields)}`),
      },
      db: new Proxy(platform.db, {
        get: (t, k) => (k === "transaction" ? () => Promise.reject(new Error("base injoignable")) : Reflect.get(t, k)),
      }),
    };
    const app = await createApp(broken as typeof platform);
    const b = new TestBrowser(app);
    b.setCookie("__Host-preau_session", "a".repeat(32));
    const res = await b.get("/");
    expect(res.status).toBe(500);
    expect(res.text).toContain("Une erreur est survenue");
    expect(res.text).toMatch(/Référence de l'erreur : [0-9a-f-]{36}/);
    expect(logged.some((l) => l.startsWith("unhandled_error") && l.includes("base injoignable"))).toBe(true);
  });

  it("/healthz answers without the database; /readyz says whether the database answers", async () => {
    const { platform } = await testPlatform("pglite");
    const app = await createApp(platform);
    expect((await app.request("/healthz")).status).toBe(200);
    expect(await (await app.request("/readyz")).json()).toEqual({ status: "ready" });
    const down = await createApp({ ...platform, ping: () => Promise.reject(new Error("down")) });
    const res = await down.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "unavailable" });
  });

  it("static files are served under hashed names, cached for a year", async () => {
    const { platform } = await testPlatform("pglite");
    const handler = await createNodeHandler(platform);
    const css = await handler.request(platform.assets["preau.css"]);
    expect(css.status).toBe(200);
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = await css.text();
    expect(body).toContain(platform.assets["opendyslexic-400.woff2"]);
    expect((await handler.request(platform.assets["htmx.js"])).status).toBe(200);
    expect((await handler.request("/static/build/nexiste-pas.css")).status).toBe(404);
  });
});
