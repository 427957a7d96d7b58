// 3.11.1.2–3, 510B: connectors as data and the hub's CAS server — tickets single use and bound to their service, no
// open redirect, each category's release, consent for category 5, tiles where a connector is open.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { opaqueId } from "../../src/services/identity/attribute-release";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchool, buildSchoolWithClass, buildStructure, buildUser, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("CAS server and connectors on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let admin: BuiltUser;
  let municipal: BuiltUser;
  let communeSchool: { uai: string };
  const tag = Math.random().toString(36).slice(2, 8);
  const svc = (name: string) => `https://${name}-${tag}.example.fr/cas`;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function create(by: BuiltUser, fields: Record<string, string | string[]>) {
    const b = await as(by);
    await b.get("/admin/connecteurs");
    return b.post("/admin/connecteurs", {
      nom: "Service",
      identifiant: `svc-${tag}-${Math.random().toString(36).slice(2, 6)}`,
      description: "",
      protocole: "cas",
      adresse: "https://example.fr/",
      services: "",
      categorie: "3",
      ident: "opaque",
      ecoles: s.school.uai,
      ...fields,
    });
  }
  async function ticketFor(b: TestBrowser, service: string): Promise<string> {
    const res = await b.get(`/cas/login?service=${encodeURIComponent(service)}`);
    expect(res.status).toBe(303);
    const location = new URL(res.location!);
    expect(`${location.origin}${location.pathname}`).toBe(service);
    return location.searchParams.get("ticket")!;
  }
  const validate = async (path: string, service: string, ticket: string) =>
    (
      await new TestBrowser(env.app).get(
        `${path}?service=${encodeURIComponent(service)}&ticket=${encodeURIComponent(ticket)}`,
      )
    ).html;

  beforeAll(async () => {
    env = await testApp(kind);
    const db = env.platform.db;
    const academie = await buildStructure(db, "academie");
    admin = await buildUser(db, env.platform.passwords, { profile: "academie_admin", structureId: academie });
    s = await buildSchoolWithClass(db, env.platform.passwords);
    other = await buildSchoolWithClass(db, env.platform.passwords);
    const commune = await buildStructure(db, "commune");
    communeSchool = await buildSchool(db, { structureIds: [commune] });
    municipal = await buildUser(db, env.platform.passwords, { profile: "municipality", structureId: commune });
    expect(
      (
        await create(admin, {
          nom: "Ressources",
          identifiant: `ressources-${tag}`,
          services: svc("ressources"),
          categorie: "2",
          natif: "1",
          adresse: `https://ressources-${tag}.example.fr/`,
        })
      ).status,
    ).toBe(303);
    expect(
      (await create(admin, { nom: "Quiz", identifiant: `quiz-${tag}`, services: svc("quiz"), categorie: "3" })).status,
    ).toBe(303);
    expect(
      (
        await create(admin, {
          nom: "Bibliothèque",
          identifiant: `biblio-${tag}`,
          services: svc("biblio"),
          categorie: "4",
          ident: "ent",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await create(admin, {
          nom: "Atelier",
          identifiant: `atelier-${tag}`,
          services: svc("atelier"),
          categorie: "5",
          attributs: ["first_name", "classes"],
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await create(admin, {
          nom: "Musée",
          identifiant: `musee-${tag}`,
          protocole: "link",
          categorie: "1",
          adresse: `https://musee-${tag}.example.fr/visite`,
          natif: "1",
        })
      ).status,
    ).toBe(303);
  });

  it(
    "3.11.1.2 a logged-out user is sent to log in, comes " +
      "back, and the service gets a ticket without a second login",
    async () => {
      const b = new TestBrowser(env.app);
      const first = await b.get(`/cas/login?service=${encodeURIComponent(svc("ressources"))}`);
      expect(first.status).toBe(303);
      expect(first.location).toMatch(/^\/login\?retour=/);
      await b.get(first.location!);
      const login = await b.post("/login", {
        login: s.pupil.login,
        password: s.pupil.password,
        retour: decodeURIComponent(first.location!.split("retour=")[1]!),
      });
      expect(login.location).toMatch(/^\/cas\/login\?service=/);
      const ticket = await ticketFor(b, svc("ressources"));
      expect(ticket).toMatch(/^ST-[a-z2-7]{32}$/);
      // The same session opens another service at once (single sign-on).
      expect(await ticketFor(b, svc("quiz"))).toMatch(/^ST-/);
    },
  );

  it("3.11.1.3 category 2 releases the ENT id, UAI and profile over CAS 2.0 and 3.0", async () => {
    const b = await as(s.pupil);
    const xml = await validate("/cas/p3/serviceValidate", svc("ressources"), await ticketFor(b, svc("ressources")));
    expect(xml).toContain(`<cas:user>${s.pupil.id}</cas:user>`);
    expect(xml).toContain(`<cas:ENTPersonStructRattachUAI>${s.school.uai}</cas:ENTPersonStructRattachUAI>`);
    expect(xml).toContain("<cas:ENTPersonProfils>National_ELV</cas:ENTPersonProfils>");
    expect(xml).not.toContain("ENTPersonNom");
    const v2 = await validate("/cas/serviceValidate", svc("ressources"), await ticketFor(b, svc("ressources")));
    expect(v2).toContain("<cas:authenticationSuccess>");
  });

  it("3.11.1.3 categories 3 and 4: an opaque id per service, or the ENT id alone", async () => {
    const b = await as(s.teacher);
    const quiz = await validate("/cas/p3/serviceValidate", svc("quiz"), await ticketFor(b, svc("quiz")));
    const [connector] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id from connectors where slug = ${`quiz-${tag}`}`)),
    );
    expect(quiz).toContain(
      `<cas:user>${await opaqueId(env.platform.config.secret, connector!.id, s.teacher.id)}</cas:user>`,
    );
    expect(quiz).toContain("National_ENS");
    expect(quiz).not.toContain(s.teacher.id);
    const biblio = await validate("/cas/p3/serviceValidate", svc("biblio"), await ticketFor(b, svc("biblio")));
    expect(biblio).toContain(`<cas:user>${s.teacher.id}</cas:user>`);
    expect(biblio).toContain("<cas:attributes>\n    </cas:attributes>");
  });

  it("3.11.1.2 a ticket is single use, bound to its service, and expires after 5 minutes", async () => {
    const b = await as(s.pupil);
    const ticket = await ticketFor(b, svc("ressources"));
    expect(await validate("/cas/serviceValidate", svc("quiz"), ticket)).toContain('code="INVALID_SERVICE"');
    // Spent by that attempt, even though it failed.
    expect(await validate("/cas/serviceValidate", svc("ressources"), ticket)).toContain('code="INVALID_TICKET"');
    const again = await ticketFor(b, svc("ressources"));
    expect(await validate("/cas/serviceValidate", svc("ressources"), again)).toContain("authenticationSuccess");
    expect(await validate("/cas/serviceValidate", svc("ressources"), again)).toContain('code="INVALID_TICKET"');
    const late = await ticketFor(b, svc("ressources"));
    env.clock.advance(301_000);
    try {
      expect(await validate("/cas/serviceValidate", svc("ressources"), late)).toContain('code="INVALID_TICKET"');
    } finally {
      env.clock.advance(-301_000);
    }
    expect(await validate("/cas/serviceValidate", svc("ressources"), "ST-pasunticket")).toContain(
      'code="INVALID_TICKET"',
    );
    expect(await validate("/cas/serviceValidate", "", "")).toContain('code="INVALID_REQUEST"');
  });

  it(
    "3.11.1.2 no open redirect: an unregistered service gets a page, never a redirect; logout returns only to a " +
      "registered service",
    async () => {
      const b = await as(s.pupil);
      for (const service of [
        "https://evil.example.com/cas",
        `https://ressources-${tag}.example.fr.evil.com/cas`,
        `http://ressources-${tag}.example.fr/cas`,
        "javascript:alert(1)",
        `${svc("ressources")}/../../autre`,
      ]) {
        const res = await b.get(`/cas/login?service=${encodeURIComponent(service)}`);
        expect(res.status, service).toBe(400);
        expect(res.location).toBeNull();
        expect(res.text).toContain(t("cas.unknown.text"));
      }
      expect((await b.get(`/cas/logout?service=${encodeURIComponent("https://evil.example.com/")}`)).location).toBe(
        "/login?info=logged_out",
      );
      const c = await as(s.pupil);
      expect((await c.get(`/cas/logout?service=${encodeURIComponent(svc("quiz"))}`)).location).toBe(svc("quiz"));
      // Logged out: the next service asks for a login again.
      expect((await c.get(`/cas/login?service=${encodeURIComponent(svc("quiz"))}`)).location).toMatch(/^\/login/);
    },
  );

  it(
    "3.11.1.3 category 5 asks for consent; a refusal releases " +
      "nothing; an agreement releases exactly what was asked",
    async () => {
      const b = await as(s.pupil);
      const page = await b.get(`/cas/login?service=${encodeURIComponent(svc("atelier"))}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(t("connector.attribute.first_name"));
      expect(page.text).toContain(t("connector.attribute.classes"));
      const refused = await b.post("/cas/consentement", { service: svc("atelier"), choix: "refuser" });
      expect(refused.status).toBe(200);
      expect(refused.location).toBeNull();
      expect(refused.text).toContain(t("connector.refused.title"));
      expect(
        await withTenant(
          env.platform.db,
          systemScope,
          async (tx) =>
            rowsOf(
              await tx.execute(sql`
      select 1 from cas_tickets t join connectors c on c.id = t.connector_id where c.slug = ${`atelier-${tag}`}`),
            ).length,
        ),
      ).toBe(0);
      await b.get(`/cas/login?service=${encodeURIComponent(svc("atelier"))}`);
      const agreed = await b.post("/cas/consentement", { service: svc("atelier"), choix: "accepter" });
      expect(agreed.status).toBe(303);
      const ticket = new URL(agreed.location!).searchParams.get("ticket")!;
      const xml = await validate("/cas/p3/serviceValidate", svc("atelier"), ticket);
      expect(xml).toContain("<cas:ENTPersonPrenom>Camille</cas:ENTPersonPrenom>");
      expect(xml).toContain("<cas:ENTEleveClasses>");
      expect(xml).not.toContain("ENTPersonNom");
      expect(xml).not.toContain(s.pupil.id);
      // Asked once: the next visit goes straight through.
      expect((await b.get(`/cas/login?service=${encodeURIComponent(svc("atelier"))}`)).status).toBe(303);
    },
  );

  it("3.11.1.3 a connector opens only in its schools; closed, no ticket is issued nor validated", async () => {
    const outsider = await as(other.pupil);
    const res = await outsider.get(`/cas/login?service=${encodeURIComponent(svc("quiz"))}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain("Quiz");
    expect((await outsider.get(`/services/quiz-${tag}`)).status).toBe(404);
    const b = await as(s.pupil);
    const home = await b.get("/");
    expect(home.text).toContain(t("connector.my_services"));
    expect(home.html).toContain(`href="/services/quiz-${tag}"`);
    expect((await b.get(`/services/musee-${tag}`)).location).toBe(`https://musee-${tag}.example.fr/visite`);
    const ticket = await ticketFor(b, svc("quiz"));
    const a = await as(admin);
    await a.get("/admin/connecteurs");
    expect((await a.post(`/admin/connecteurs/quiz-${tag}/desactiver`, {})).status).toBe(303);
    try {
      expect(await validate("/cas/serviceValidate", svc("quiz"), ticket)).toContain('code="UNAUTHORIZED_SERVICE"');
      expect((await b.get(`/cas/login?service=${encodeURIComponent(svc("quiz"))}`)).status).toBe(400);
      expect((await b.get("/")).html).not.toContain(`href="/services/quiz-${tag}"`);
    } finally {
      await a.post(`/admin/connecteurs/quiz-${tag}/activer`, {});
    }
  });

  it("3.11.1.3 the native connectors are listed publicly, with what each receives", async () => {
    const page = await new TestBrowser(env.app).get("/services");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Ressources");
    expect(page.text).toContain("Musée");
    expect(page.text).not.toContain("Quiz");
    expect(page.text).toContain(t("connector.category.2"));
  });

  it(
    "510B municipality staff connect their commune's portal " + "to their schools only; bad input is refused in French",
    async () => {
      const ok = await create(municipal, {
        nom: "Portail de la ville",
        identifiant: `ville-${tag}`,
        services: svc("ville"),
        categorie: "3",
        ecoles: communeSchool.uai,
      });
      expect(ok.status).toBe(303);
      const before = await withTenant(
        env.platform.db,
        systemScope,
        async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from connectors`))[0]!.n,
      );
      const cases: [Record<string, string | string[]>, string][] = [
        [{ ecoles: s.school.uai }, "schools_outside"],
        [{ ecoles: communeSchool.uai, natif: "1" }, "native_forbidden"],
        [{ ecoles: communeSchool.uai, partout: "1" }, "native_forbidden"],
        [{ ecoles: communeSchool.uai, services: "http://ville.example.fr/cas" }, "service_urls"],
        [{ ecoles: communeSchool.uai, services: "https://ville.example.fr/cas?x=1" }, "service_urls"],
        [{ ecoles: communeSchool.uai, services: svc("v"), adresse: "javascript:alert(1)" }, "launch_url"],
        [{ ecoles: communeSchool.uai, services: svc("v"), categorie: "9" }, "category"],
        [{ ecoles: communeSchool.uai, services: svc("v"), categorie: "5" }, "attributes"],
        [{ ecoles: communeSchool.uai, services: svc("v"), protocole: "link", categorie: "3" }, "category_link"],
        [{ ecoles: communeSchool.uai, services: svc("v"), identifiant: "Pas Valide!" }, "slug"],
        [{ ecoles: communeSchool.uai, services: svc("v"), identifiant: `ville-${tag}` }, "slug_taken"],
        [{ ecoles: "pas-une-uai", services: svc("v") }, "schools"],
        [{ ecoles: communeSchool.uai, services: svc("v"), nom: "x".repeat(10_000) }, "name"],
      ];
      for (const [fields, issue] of cases) {
        const res = await create(municipal, fields);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`connector.error.${issue}` as never));
      }
      const after = await withTenant(
        env.platform.db,
        systemScope,
        async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from connectors`))[0]!.n,
      );
      expect(after).toBe(before);
      // The commune manages its own connector only, and pupils and teachers have no admin page.
      const m = await as(municipal);
      const page = await m.get("/admin/connecteurs");
      expect(page.text).toContain("Portail de la ville");
      expect(page.text).not.toContain("Ressources");
      expect((await m.post(`/admin/connecteurs/ressources-${tag}/desactiver`, {})).status).toBe(404);
      expect((await (await as(s.teacher)).get("/admin/connecteurs")).status).toBe(403);
    },
  );
});
