// 54H–54J: the news feed through the real app with plain forms — important dates by teachers, directors and
// inspectors; birthdays; urgent announcements shown at entry until read, notified through a job; audience rules,
// bad input and tenant isolation on every feed route.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { announcementNotifier } from "../../src/services/messaging/news-feed";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import {
  buildClass,
  buildSchool,
  buildSchoolWithClass,
  buildStructure,
  buildUser,
  linkParent,
  type BuiltUser,
} from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("news feed on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassPupil: BuiltUser;
  let otherClassParent: BuiltUser;
  let inspector: BuiltUser;
  let municipal: BuiltUser;
  let communeSchool: { uai: string; name: string };
  let communeParent: BuiltUser;
  let communePupil: BuiltUser;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  const count = async (q: ReturnType<typeof sql>) =>
    withTenant(env.platform.db, systemScope, async (tx) => rowsOf<{ n: number }>(await tx.execute(q))[0]!.n);
  const feedOf = async (user: BuiltUser) => (await (await as(user)).get("/fil")).text;
  const homeOf = async (user: BuiltUser) => (await (await as(user)).get("/")).text;

  beforeAll(async () => {
    env = await testApp(kind);
    const db = env.platform.db;
    env.clock.set("2026-12-14T10:00:00+01:00");
    const circonscription = await buildStructure(db, "circonscription");
    s = await buildSchoolWithClass(db, env.platform.passwords);
    await withTenant(db, systemScope, (tx) =>
      tx.execute(sql`insert into school_structures (uai, structure_id) values (${s.school.uai}, ${circonscription})`),
    );
    other = await buildSchoolWithClass(db, env.platform.passwords);
    const otherClass = await buildClass(db, s.school.uai, "CE2");
    otherClassPupil = await buildUser(db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: otherClass,
    });
    otherClassParent = await buildUser(db, env.platform.passwords, {});
    await linkParent(db, otherClassParent.id, otherClassPupil.id, s.school.uai);
    inspector = await buildUser(db, env.platform.passwords, { profile: "inspector", structureId: circonscription });
    const commune = await buildStructure(db, "commune");
    communeSchool = await buildSchool(db, { structureIds: [commune] });
    const communeClass = await buildClass(db, communeSchool.uai);
    communePupil = await buildUser(db, env.platform.passwords, {
      profile: "pupil",
      uai: communeSchool.uai,
      classId: communeClass,
    });
    communeParent = await buildUser(db, env.platform.passwords, {});
    await linkParent(db, communeParent.id, communePupil.id, communeSchool.uai);
    municipal = await buildUser(db, env.platform.passwords, { profile: "municipality", structureId: commune });
  });

  async function addDate(user: BuiltUser, fields: Record<string, string>) {
    const b = await as(user);
    await b.get("/fil/dates/nouvelle");
    return b.post("/fil/dates/nouvelle", fields);
  }

  it("54H a teacher's class date reaches the class's pupils and parents, not another class or school", async () => {
    const res = await addDate(s.teacher, {
      titre: "Sortie au musée",
      date: "2026-12-18",
      audience: `classe:${s.classId}`,
    });
    expect(res.status).toBe(303);
    for (const u of [s.pupil, s.otherPupil, s.parent, s.teacher, s.director])
      expect(await feedOf(u)).toContain("Sortie au musée");
    for (const u of [otherClassPupil, otherClassParent, other.pupil, other.parent, other.director])
      expect(await feedOf(u)).not.toContain("Sortie au musée");
    // At entry too, with its day in words.
    expect(await homeOf(s.parent)).toContain("vendredi 18 décembre");
  });

  it(
    "54H a director's school date reaches the whole school; an inspector's reaches every school of the " +
      "circonscription",
    async () => {
      expect(
        (await addDate(s.director, { titre: "Marché de Noël", date: "2026-12-19", audience: `ecole:${s.school.uai}` }))
          .status,
      ).toBe(303);
      expect(await feedOf(otherClassParent)).toContain("Marché de Noël");
      expect(await feedOf(other.parent)).not.toContain("Marché de Noël");
      expect(
        (await addDate(inspector, { titre: "Animation pédagogique", date: "2027-01-13", audience: "perimetre" }))
          .status,
      ).toBe(303);
      expect(await feedOf(s.teacher)).toContain("Animation pédagogique");
      expect(await feedOf(other.teacher)).not.toContain("Animation pédagogique");
    },
  );

  it(
    "54H bad dates, empty or huge titles and someone else's " + "class or school get French errors and write nothing",
    async () => {
      const before = await count(sql`select count(*)::int as n from important_dates`);
      const cases: [Record<string, string>, string][] = [
        [{ titre: "", date: "2026-12-20", audience: `classe:${s.classId}` }, "title"],
        [{ titre: "x".repeat(10_000), date: "2026-12-20", audience: `classe:${s.classId}` }, "title"],
        [{ titre: "Hier", date: "2026-12-01", audience: `classe:${s.classId}` }, "date_past"],
        [{ titre: "Trop loin", date: "2028-06-01", audience: `classe:${s.classId}` }, "date_far"],
        [{ titre: "Pas une date", date: "2026-02-30", audience: `classe:${s.classId}` }, "date"],
        [{ titre: "Autre école", date: "2026-12-20", audience: `classe:${other.classId}` }, "audience"],
        [{ titre: "Autre école", date: "2026-12-20", audience: `ecole:${other.school.uai}` }, "audience"],
        [{ titre: "Mon école", date: "2026-12-20", audience: `ecole:${s.school.uai}` }, "audience"],
        [{ titre: "Périmètre", date: "2026-12-20", audience: "perimetre" }, "audience"],
      ];
      for (const [fields, issue] of cases) {
        const res = await addDate(s.teacher, fields);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`feed.dates.error.${issue}` as never));
      }
      expect(await count(sql`select count(*)::int as n from important_dates`)).toBe(before);
      // Pupils and parents have no form at all.
      expect((await (await as(s.pupil)).get("/fil/dates/nouvelle")).status).toBe(403);
      expect((await (await as(s.parent)).get("/fil/dates/nouvelle")).status).toBe(403);
    },
  );

  it("54H a date is removed by its author or the school's director, never from another school", async () => {
    await addDate(s.teacher, { titre: "Piscine", date: "2026-12-21", audience: `classe:${s.classId}` });
    const [row] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ batch_id: string }>(
        await tx.execute(sql`select batch_id from important_dates where title = 'Piscine' and uai = ${s.school.uai}`),
      ),
    );
    const intruder = await as(other.director);
    await intruder.get("/fil");
    expect((await intruder.post(`/fil/dates/${row!.batch_id}/supprimer`, {})).status).toBe(404);
    expect((await intruder.post("/fil/dates/pas-un-id/supprimer", {})).status).toBe(404);
    expect(await feedOf(s.pupil)).toContain("Piscine");
    const director = await as(s.director);
    await director.get("/fil");
    expect((await director.post(`/fil/dates/${row!.batch_id}/supprimer`, {})).status).toBe(303);
    expect(await feedOf(s.pupil)).not.toContain("Piscine");
  });

  it("54H birthdays of the week: classmates and the class's teacher see them, another class does not", async () => {
    const db = env.platform.db;
    await withTenant(db, systemScope, (tx) =>
      tx.execute(sql`
      update users set birth_date = case id when ${s.otherPupil.id}::uuid then '2016-12-14'::date else
      '2017-12-16'::date end
      where id in (${s.otherPupil.id}, ${s.pupil.id})`),
    );
    const pupilFeed = await feedOf(s.pupil);
    expect(pupilFeed).toMatch(/C'est l'anniversaire de Camille T\. \(CM1[^)]*\) aujourd'hui/);
    expect(pupilFeed).toContain("Votre anniversaire approche : mercredi 16 décembre");
    expect(await feedOf(s.teacher)).toContain("aujourd'hui");
    expect(await homeOf(s.pupil)).toContain("C'est l'anniversaire de");
    expect(await feedOf(otherClassPupil)).not.toContain("anniversaire de Camille");
    // Ages and birth dates are never shown.
    expect(pupilFeed).not.toContain("2016");
  });

  async function announce(user: BuiltUser, fields: Record<string, string | string[]>) {
    const b = await as(user);
    await b.get("/fil/annonces/nouvelle");
    return b.post("/fil/annonces/nouvelle", fields);
  }

  it(
    "54J a director's urgent message for parents is shown " + "at entry until read, and notified to each by the job",
    async () => {
      const res = await announce(s.director, {
        titre: "École fermée jeudi",
        texte: "Alerte météo : l'école sera fermée jeudi.",
        profils: ["parent"],
        jusqua: "2026-12-17",
        audience: `ecole:${s.school.uai}`,
      });
      expect(res.status).toBe(303);
      const home = await homeOf(s.parent);
      expect(home).toContain("Message urgent");
      expect(home).toContain("École fermée jeudi");
      expect(home).toContain(`La direction — ${s.school.name}`);
      for (const u of [s.pupil, s.teacher, other.parent]) expect(await homeOf(u)).not.toContain("École fermée jeudi");

      const [a] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(
            sql`select id from announcements where title = 'École fermée jeudi' and author_id = ${s.director.id}`,
          ),
        ),
      );
      const told = await announcementNotifier(env.platform.db, a!.id, env.clock.now(), {}, 1);
      expect(told).toBe(2);
      const notices =
        await count(sql`select count(*)::int as n from notifications where kind = 'announcement' and title =
        'Message urgent : École fermée jeudi'
      and user_id in (${s.parent.id}, ${otherClassParent.id})`);
      expect(notices).toBe(2);

      const b = await as(s.parent);
      const page = await b.get("/");
      expect(page.html).toContain(`/fil/annonces/${a!.id}/lu`);
      expect((await b.post(`/fil/annonces/${a!.id}/lu`, { retour: "/" })).status).toBe(303);
      const after = (await b.get("/")).text;
      expect(after).not.toContain("École fermée jeudi");
      // Still in the feed until it ends, read.
      expect((await b.get("/fil")).text).toContain("École fermée jeudi");
      expect((await (await as(s.director)).get("/fil")).text).toContain("lu par 1 personne(s)");
      expect(await homeOf(otherClassParent)).toContain("École fermée jeudi");
      // After its last day it is gone.
      env.clock.set("2026-12-18T00:01:00+01:00");
      try {
        const late = await (await as(otherClassParent)).get("/fil");
        expect(late.html).not.toContain('id="urgent-title"');
        // Its notice stays among the app events, like any other.
        expect(late.text).toContain("Message urgent : École fermée jeudi");
      } finally {
        env.clock.set("2026-12-14T10:00:00+01:00");
      }
    },
  );

  it("54J 2.1.2 municipality staff announce to their commune's schools, never to pupils", async () => {
    const refused = await announce(municipal, {
      titre: "Cantine",
      texte: "Menu modifié.",
      profils: ["pupil", "parent"],
      jusqua: "2026-12-15",
      audience: "perimetre",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(t("feed.urgent.error.pupils_forbidden"));
    expect(refused.html).not.toContain('id="profil-pupil"');
    const ok = await announce(municipal, {
      titre: "Cantine fermée",
      texte: "Panne de chauffage.",
      profils: ["parent", "teacher"],
      jusqua: "2026-12-15",
      audience: "perimetre",
    });
    expect(ok.status).toBe(303);
    expect(await homeOf(communeParent)).toContain("Cantine fermée");
    expect(await homeOf(communePupil)).not.toContain("Cantine fermée");
    expect(await homeOf(s.parent)).not.toContain("Cantine fermée");
  });

  it(
    "54I a teacher's urgent message reaches their class's " +
      "pupils and parents only; never the school or another class",
    async () => {
      const before = await count(sql`select count(*)::int as n from announcements`);
      for (const audience of [`ecole:${s.school.uai}`, "perimetre", `classe:${other.classId}`, "classe:nimporte"]) {
        const refused = await announce(s.teacher, {
          titre: "Piscine annulée",
          texte: "Pas de piscine demain.",
          profils: ["pupil", "parent"],
          jusqua: "2026-12-15",
          audience,
        });
        expect(refused.status, audience).toBe(422);
        expect(refused.text).toContain(t("feed.urgent.error.audience"));
      }
      expect(await count(sql`select count(*)::int as n from announcements`)).toBe(before);
      const form = await (await as(s.teacher)).get("/fil/annonces/nouvelle");
      expect(form.status).toBe(200);
      expect(form.html).toContain(`value="classe:${s.classId}"`);
      expect(form.html).not.toContain(`value="ecole:${s.school.uai}"`);
      const ok = await announce(s.teacher, {
        titre: "Piscine annulée",
        texte: "Pas de piscine demain.",
        profils: ["pupil", "parent"],
        jusqua: "2026-12-15",
        audience: `classe:${s.classId}`,
      });
      expect(ok.status).toBe(303);
      for (const u of [s.pupil, s.otherPupil, s.parent]) expect(await homeOf(u), u.login).toContain("Piscine annulée");
      for (const u of [otherClassPupil, otherClassParent, s.director, other.parent])
        expect(await homeOf(u), u.login).not.toContain("Piscine annulée");
      const [a] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string; signed_as: string }>(
          await tx.execute(sql`select id, signed_as from announcements where title = 'Piscine annulée'`),
        ),
      );
      const [teacher] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ name: string }>(
          await tx.execute(sql`select first_name || ' ' || last_name as name from users where id = ${s.teacher.id}`),
        ),
      );
      expect(a!.signed_as).toMatch(new RegExp(`^${teacher!.name} — .+, ${s.school.name}$`));
      // Notified to the class's pupils and parents: s.pupil, s.otherPupil, s.parent — and nobody else of the school.
      expect(await announcementNotifier(env.platform.db, a!.id, env.clock.now(), {}, 2)).toBe(3);
    },
  );

  it(
    "54I an inspector's urgent message reaches every school of the circonscription; municipality staff set a date " +
      "for their commune",
    async () => {
      const ok = await announce(inspector, {
        titre: "Évaluations nationales",
        texte: "Les évaluations commencent lundi.",
        profils: ["teacher", "director"],
        jusqua: "2026-12-20",
        audience: "perimetre",
      });
      expect(ok.status).toBe(303);
      expect(await homeOf(s.teacher)).toContain("Évaluations nationales");
      expect(await homeOf(other.teacher)).not.toContain("Évaluations nationales");
      expect(
        (await addDate(municipal, { titre: "Fête de la commune", date: "2026-12-21", audience: "perimetre" })).status,
      ).toBe(303);
      expect(await feedOf(communeParent)).toContain("Fête de la commune");
      expect(await feedOf(s.parent)).not.toContain("Fête de la commune");
    },
  );

  it(
    "54J only authors may announce; bad input and another " +
      "school's audience are refused in French and write nothing",
    async () => {
      for (const u of [s.pupil, s.parent, s.otherPupil])
        expect((await (await as(u)).get("/fil/annonces/nouvelle")).status).toBe(403);
      const before = await count(sql`select count(*)::int as n from announcements`);
      const base = {
        titre: "Sujet",
        texte: "Texte",
        profils: ["parent"],
        jusqua: "2026-12-20",
        audience: `ecole:${s.school.uai}`,
      };
      const cases: [Record<string, string | string[]>, string][] = [
        [{ ...base, titre: "" }, "title"],
        [{ ...base, texte: "y".repeat(10_000) }, "body"],
        [{ ...base, profils: [] }, "profiles"],
        [{ ...base, profils: ["parent", "academie_admin"] }, "profiles"],
        [{ ...base, jusqua: "demain" }, "until"],
        [{ ...base, jusqua: "2026-12-01" }, "until_past"],
        [{ ...base, jusqua: "2027-03-01" }, "until_far"],
        [{ ...base, audience: `ecole:${other.school.uai}` }, "audience"],
        [{ ...base, audience: "academie" }, "audience"],
        [{ ...base, audience: "perimetre" }, "audience"],
      ];
      for (const [fields, issue] of cases) {
        const res = await announce(s.director, fields);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`feed.urgent.error.${issue}` as never));
      }
      expect(await count(sql`select count(*)::int as n from announcements`)).toBe(before);
    },
  );

  it(
    "54J a withdrawn announcement disappears; only its " + "author withdraws it; another school cannot mark or see it",
    async () => {
      await announce(s.director, {
        titre: "Photo de classe",
        texte: "Mardi matin.",
        profils: ["parent", "pupil"],
        jusqua: "2026-12-16",
        audience: `ecole:${s.school.uai}`,
      });
      const [a] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(
            sql`select id from announcements where title = 'Photo de classe' and author_id = ${s.director.id}`,
          ),
        ),
      );
      const intruder = await as(other.director);
      await intruder.get("/fil");
      expect((await intruder.post(`/fil/annonces/${a!.id}/retirer`, {})).status).toBe(404);
      expect((await intruder.post(`/fil/annonces/${a!.id}/lu`, { retour: "/" })).status).toBe(303);
      expect(await count(sql`select count(*)::int as n from announcement_reads where announcement_id = ${a!.id}`)).toBe(
        0,
      );
      expect(await homeOf(s.pupil)).toContain("Photo de classe");
      const director = await as(s.director);
      await director.get("/fil");
      expect((await director.post(`/fil/annonces/${a!.id}/retirer`, {})).status).toBe(303);
      expect(await homeOf(s.pupil)).not.toContain("Photo de classe");
      expect(await announcementNotifier(env.platform.db, a!.id, env.clock.now(), {})).toBe(0);
    },
  );

  it("54I the feed shows the latest events of the apps (the user's notices)", async () => {
    const b = await as(s.director);
    await b.get("/messagerie/nouveau");
    expect(
      (
        await b.post("/messagerie/nouveau", {
          ecole: s.school.uai,
          destinataires: s.teacher.id,
          objet: "Conseil d'école",
          texte: "Jeudi 18 h.",
        })
      ).status,
    ).toBe(303);
    const feed = await feedOf(s.teacher);
    expect(feed).toContain("Nouveautés dans vos applis");
    expect(feed).toContain("Conseil d'école");
  });
});
