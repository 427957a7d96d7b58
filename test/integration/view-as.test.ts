// 58D "voir comme un élève / un parent": the class's teacher (and staff, and the director) sees the class's homework
// log and the liaison notes its parents receive exactly as a pupil or a parent of the class does, read-only — the same
// entries and notes, and not one form that changes anything; everyone else, and every other school, gets a 404.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser, decodeEntities } from "../helpers/client";
import { buildClass, buildSchoolWithClass, buildUser, linkParent, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";
import { classWall, roomsApp } from "../helpers/realtime";

/** The forms of the page frame (font, logout, active school): the only ones a preview page may hold. */
const FRAME_ACTIONS = ["/preferences/police", "/logout", "/ecole/active"];
const mainOf = (html: string) => /<main\b[\s\S]*<\/main>/.exec(html)![0];
const all = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => decodeEntities(m[1]!));
/** What a homework week lists: each entry's subject and texts, in order. */
const entriesOf = (html: string) => ({
  subjects: all(mainOf(html), /<h3 class="card-title">([\s\S]*?)<\/h3>/g),
  texts: all(mainOf(html), /<p class="pre">([\s\S]*?)<\/p>/g),
});
/** What a notebook lists: each note's title and text, in order. */
const notesOf = (html: string) => ({
  titles: all(mainOf(html), /<h2 class="card-title">([\s\S]*?)<\/h2>/g),
  texts: all(mainOf(html), /<p class="pre">([\s\S]*?)<\/p>/g),
});

function expectReadOnly(html: string) {
  const main = mainOf(html);
  expect(main).not.toMatch(/<form\b/);
  expect(main).not.toMatch(/<button\b/);
  expect(main).not.toContain('name="_csrf"');
  const posts = [...html.matchAll(/<form\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((f) => /method="post"/i.test(f))
    .map((f) => /action="([^"]*)"/.exec(f)?.[1] ?? "");
  for (const action of posts) expect(FRAME_ACTIONS).toContain(action);
}

describe.each(DATABASE_KINDS)("view as a pupil or a parent on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassId: string;
  let otherClassTeacher: BuiltUser;
  let staff: BuiltUser;
  let className: string;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function write(user: BuiltUser, classId: string, fields: Record<string, string>) {
    const b = await as(user);
    await b.get(`/cahier/${classId}`);
    expect(
      (
        await b.post(`/cahier/${classId}`, {
          jour: "2026-12-09",
          fait_en_classe: "",
          a_faire: "",
          pour_le: "",
          liens: "",
          ...fields,
        })
      ).status,
    ).toBe(303);
  }
  async function send(user: BuiltUser, fields: Record<string, string>) {
    const b = await as(user);
    await b.get("/carnet/nouveau");
    expect((await b.post("/carnet/nouveau", { reponse: "none", rappel: "", ...fields })).status).toBe(303);
  }

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set("2026-12-09T10:00:00+01:00");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    otherClassId = await buildClass(env.platform.db, s.school.uai, "CE2");
    otherClassTeacher = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: otherClassId,
    });
    // A family in the other class, so that a note reaches it.
    const otherClassPupil = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: otherClassId,
    });
    await linkParent(
      env.platform.db,
      (await buildUser(env.platform.db, env.platform.passwords, {})).id,
      otherClassPupil.id,
      s.school.uai,
    );
    staff = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "staff",
      uai: s.school.uai,
      classId: s.classId,
    });
    className = (
      await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ name: string }>(
          await tx.execute(sql`
      select name from classes where id = ${s.classId}`),
        ),
      )
    )[0]!.name;

    // The class's log: two entries this week (one to do, one done in class only), one next week; another class's and
    // another school's entries the same day.
    await write(s.teacher, s.classId, {
      matiere: "Mathématiques",
      fait_en_classe: "Les fractions",
      a_faire: "Exercices 3 et 4 page 52",
      pour_le: "2026-12-11",
    });
    await write(s.teacher, s.classId, { matiere: "Histoire", fait_en_classe: "Les châteaux forts" });
    await write(s.teacher, s.classId, {
      jour: "2026-12-15",
      matiere: "Sciences",
      a_faire: "Apporter une graine",
      pour_le: "2026-12-16",
    });
    await write(otherClassTeacher, otherClassId, { matiere: "Géographie", a_faire: "Carte des fleuves CE2" });
    await write(other.teacher, other.classId, { matiere: "Anglais", a_faire: "Colours, autre école" });
    // The pupil ticks the work: their page shows it done, the preview shows nobody's ticks.
    const pupil = await as(s.pupil);
    const page = await pupil.get(`/cahier/${s.classId}`);
    const entryId = /action="\/cahier\/entrees\/([0-9a-f-]{36})\/fait/.exec(page.html)![1]!;
    expect(
      (await pupil.post(`/cahier/entrees/${entryId}/fait?semaine=2026-12-07`, { eleve: s.pupil.id, fait: "1" })).status,
    ).toBe(303);

    // The notes: the class's (one asking yes or no), the whole school's, another class's, another school's.
    await send(s.teacher, {
      pour: `classe:${s.classId}`,
      titre: "Sortie au musée",
      texte: "Jeudi, retour 16 h.",
      reponse: "yesno",
    });
    await send(s.teacher, { pour: `classe:${s.classId}`, titre: "Piscine", texte: "Bonnet obligatoire." });
    await send(s.director, { pour: "ecole", titre: "Fermeture du pont de mai", texte: "L'école ferme vendredi." });
    await send(otherClassTeacher, {
      pour: `classe:${otherClassId}`,
      titre: "Mot pour les CE2",
      texte: "Pas pour la classe.",
    });
    await send(other.teacher, {
      pour: `classe:${other.classId}`,
      titre: "Mot d'une autre école",
      texte: "Rien à voir.",
    });
  });

  it(
    "58D the teacher's homework preview lists exactly what a pupil and a parent of the class see, week by week, " +
      "with no form",
    async () => {
      const teacher = await as(s.teacher);
      const own = await teacher.get(`/cahier/${s.classId}`);
      // The switch on the teacher's own page.
      expect(own.html).toContain(`href="/cahier/${s.classId}?voir=eleve&amp;semaine=2026-12-07"`);
      expect(own.html).toContain(`href="/cahier/${s.classId}?voir=parent&amp;semaine=2026-12-07"`);
      expect(own.text).toContain(t("viewas.as_pupil"));
      for (const week of ["2026-12-07", "2026-12-14"]) {
        const pupilPage = await (await as(s.pupil)).get(`/cahier/${s.classId}?semaine=${week}`);
        const parentPage = await (await as(s.parent)).get(`/cahier/${s.classId}?semaine=${week}`);
        for (const [voir, real, banner] of [
          ["eleve", pupilPage, "viewas.banner.pupil"],
          ["parent", parentPage, "viewas.banner.parent"],
        ] as const) {
          const preview = await teacher.get(`/cahier/${s.classId}?voir=${voir}&semaine=${week}`);
          expect(preview.status).toBe(200);
          expect(entriesOf(preview.html)).toEqual(entriesOf(real.html));
          expect(entriesOf(preview.html).subjects.length).toBeGreaterThan(0);
          expect(preview.text).toContain(t(banner, { name: className }));
          expect(preview.text).toContain(`href="/cahier/${s.classId}?semaine=${week}">${t("viewas.leave")}`);
          expectReadOnly(preview.html);
          // What the teacher alone sees is not in it: who ticked, the form, the removal, the statistics.
          expect(preview.text).not.toContain(t("homework.ticked_count", { count: 1, total: 2 }));
          expect(preview.text).not.toContain(t("homework.new"));
          expect(preview.html).not.toContain("/statistiques");
          // Paging stays in the preview.
          expect(preview.html).toMatch(
            new RegExp(`href="/cahier/${s.classId}\\?voir=${voir}&amp;semaine=\\d{4}-\\d{2}-\\d{2}" rel="next"`),
          );
        }
        // The real pages do hold the forms the preview leaves out, and no switch.
        expect(pupilPage.html).toContain('action="/cahier/entrees/');
        expect(pupilPage.html).not.toContain("voir=");
      }
      const thisWeek = entriesOf((await teacher.get(`/cahier/${s.classId}?voir=eleve`)).html);
      expect(thisWeek.subjects).toEqual(["Histoire", "Mathématiques"]);
      expect(thisWeek.texts.join(" ")).not.toMatch(/CE2|autre école/);
      // The staff member of the class and the director preview it too.
      for (const u of [staff, s.director]) {
        const page = await (await as(u)).get(`/cahier/${s.classId}?voir=parent`);
        expect(page.status).toBe(200);
        expect(entriesOf(page.html)).toEqual(thisWeek);
        expectReadOnly(page.html);
      }
    },
  );

  it(
    "58D the liaison preview lists exactly the notes a parent of the class receives, with nothing to acknowledge or " +
      "answer",
    async () => {
      const teacher = await as(s.teacher);
      const sender = await teacher.get("/carnet");
      expect(sender.html).toContain(`href="/carnet/apercu/${s.classId}"`);
      const real = await (await as(s.parent)).get("/carnet");
      const preview = await teacher.get(`/carnet/apercu/${s.classId}`);
      expect(preview.status).toBe(200);
      expect(notesOf(preview.html)).toEqual(notesOf(real.html));
      expect(notesOf(preview.html).titles.sort()).toEqual(["Fermeture du pont de mai", "Piscine", "Sortie au musée"]);
      expect(preview.text).toContain(t("viewas.banner.parent", { name: className }));
      expect(preview.text).toContain(`href="/carnet">${t("viewas.leave")}`);
      expect(preview.text).toContain(t("viewas.liaison_ack.yesno"));
      expectReadOnly(preview.html);
      // The real page holds the acknowledge and answer forms.
      expect(real.html).toMatch(/action="\/carnet\/[0-9a-f-]{36}\/lu"/);
      // The director previews the class too; the staff member of the class as well.
      for (const u of [s.director, staff]) {
        const page = await (await as(u)).get(`/carnet/apercu/${s.classId}`);
        expect(page.status).toBe(200);
        expect(notesOf(page.html)).toEqual(notesOf(real.html));
      }
      // The preview posts nothing: there is no such address to post to, and nothing changed for the parent.
      await teacher.get(`/carnet/apercu/${s.classId}`);
      expect((await teacher.post(`/carnet/apercu/${s.classId}`, {})).status).toBe(404);
      const unread = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`
      select count(*)::int as n from liaison_recipients where parent_id = ${s.parent.id} and read_at is not null`),
        ),
      );
      expect(unread[0]!.n).toBe(0);
    },
  );

  it("58D pupils, parents and teachers of another class or school asking for a preview get a 404", async () => {
    const paths = [
      `/cahier/${s.classId}?voir=eleve`,
      `/cahier/${s.classId}?voir=parent`,
      `/carnet/apercu/${s.classId}`,
    ];
    for (const u of [s.pupil, s.parent, s.otherPupil, otherClassTeacher, other.teacher, other.director, other.parent]) {
      const b = await as(u);
      for (const path of paths) {
        const res = await b.get(path);
        expect(res.status, path).toBe(404);
        expect(res.text).not.toMatch(/Sortie au musée|Exercices 3 et 4/);
      }
    }
    // An unknown point of view, or no class at all, is not found either.
    const teacher = await as(s.teacher);
    expect((await teacher.get(`/cahier/${s.classId}?voir=directeur`)).status).toBe(404);
    expect((await teacher.get(`/cahier/${s.classId}?voir=`)).status).toBe(404);
    expect((await teacher.get("/carnet/apercu/pas-une-classe")).status).toBe(404);
    expect((await teacher.get("/carnet/apercu/00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it(
    "58D tenant isolation: a teacher or director of one " + "school cannot preview another school's class by its id",
    async () => {
      for (const u of [s.teacher, s.director]) {
        const b = await as(u);
        for (const path of [
          `/cahier/${other.classId}?voir=eleve`,
          `/cahier/${other.classId}?voir=parent`,
          `/carnet/apercu/${other.classId}`,
        ]) {
          const res = await b.get(path);
          expect(res.status, path).toBe(404);
          expect(res.text).not.toMatch(/Mot d'une autre école|Colours, autre école/);
        }
      }
      // And the other school's own teacher sees their class, not ours.
      const theirs = await (await as(other.teacher)).get(`/carnet/apercu/${other.classId}`);
      expect(notesOf(theirs.html).titles).toEqual(["Mot d'une autre école"]);
      const theirWeek = await (await as(other.teacher)).get(`/cahier/${other.classId}?voir=eleve`);
      expect(entriesOf(theirWeek.html).subjects).toEqual(["Anglais"]);
    },
  );
});

// 58D the class's preview hub: the home launcher, walls, shared documents, agenda and news feed of "a pupil (or a
// parent) of the class", built for the class (nobody's personal data) and read-only.
describe.each(DATABASE_KINDS)("the class preview hub on %s", (kind) => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassId: string;
  let otherClassTeacher: BuiltUser;
  let wallId: string;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  const listOf = (html: string, cls: string) => {
    const list = new RegExp(`<ul class="${cls}">([\\s\\S]*?)</ul>`).exec(mainOf(html));
    return list ? decodeEntities(list[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")) : "";
  };
  const appsOf = (html: string) => all(mainOf(html), /<li data-app="([a-z_]+)"/g);

  beforeAll(async () => {
    env = await roomsApp(kind);
    env.clock.set("2026-12-09T10:00:00+01:00");
    const { db, passwords } = env.platform;
    s = await buildSchoolWithClass(db, passwords);
    other = await buildSchoolWithClass(db, passwords);
    otherClassId = await buildClass(db, s.school.uai, "CE2");
    otherClassTeacher = await buildUser(db, passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: otherClassId,
    });
    const uai = s.school.uai;
    // The class's wall with a pupil's post-it; another class's wall; a school wall.
    wallId = (await classWall(env, s.teacher, uai, s.classId)).wallId;
    const pupil = await as(s.pupil);
    await pupil.get(`/murs/${wallId}`);
    expect(
      (await pupil.post(`/murs/${wallId}/postits`, { texte: "Les dinosaures", couleur: "vert", colonne: "0" })).status,
    ).toBe(303);
    await withTenant(db, systemScope, async (tx) => {
      await tx.execute(sql`
        insert into class_app_defaults (class_id, uai, hidden_for_pupils, hidden_for_parents)
        values (${s.classId}, ${uai}, '{polls}', '{messages}')`);
      await tx.execute(sql`
        insert into walls (uai, title, scope, class_id, owner_id) values
          (${uai}, 'Mur des CE2', 'class', ${otherClassId}, ${otherClassTeacher.id}),
          (${uai}, 'Mur de toute l''école', 'school', null, ${s.director.id})`);
      await tx.execute(sql`
        insert into documents (uai, title, owner_id, sharing, class_id, access) values
          (${uai}, 'Compte rendu de la sortie', ${s.teacher.id}, 'class', ${s.classId}, 'write'),
          (${uai}, 'Brouillon du maître', ${s.teacher.id}, 'private', null, 'read'),
          (${uai}, 'Document des CE2', ${otherClassTeacher.id}, 'class', ${otherClassId}, 'read'),
          (${uai}, 'Document des adultes', ${s.teacher.id}, 'staff', null, 'read')`);
      await tx.execute(sql`
        insert into agenda_events (uai, calendar, class_id, owner_id, title, starts_at, ends_at, created_at) values
          (${uai}, 'class', ${s.classId}, ${s.teacher.id}, 'Sortie au musée', '2026-12-15T09:00:00+01:00',
            '2026-12-15T16:00:00+01:00', now()),
          (${uai}, 'school', null, ${s.director.id}, 'Kermesse', '2026-12-19T14:00:00+01:00',
            '2026-12-19T18:00:00+01:00', now()),
          (${uai}, 'personal', null, ${s.teacher.id}, 'Rendez-vous du maître', '2026-12-10T17:00:00+01:00',
            '2026-12-10T18:00:00+01:00', now()),
          (${uai}, 'class', ${otherClassId}, ${otherClassTeacher.id}, 'Piscine des CE2', '2026-12-11T10:00:00+01:00',
            '2026-12-11T11:00:00+01:00', now())`);
      await tx.execute(sql`
        insert into important_dates (batch_id, uai, class_id, author_id, title, on_date, created_at) values
          (gen_random_uuid(), ${uai}, null, ${s.director.id}, 'Fête de Noël', '2026-12-18', now()),
          (gen_random_uuid(), ${uai}, ${s.classId}, ${s.teacher.id}, 'Photo de classe', '2026-12-14', now()),
          (gen_random_uuid(), ${uai}, ${otherClassId}, ${otherClassTeacher.id}, 'Date des CE2', '2026-12-16', now()),
          (gen_random_uuid(), ${other.school.uai}, null, ${other.director.id}, 'Date d''une autre école', '2026-12-17',
          now())`);
      for (const [title, profiles, school] of [
        ["Grève jeudi", "{parent}", uai],
        ["Réunion des enseignants", "{teacher}", uai],
        ["Neige à l'autre école", "{parent,pupil}", other.school.uai],
      ] as const) {
        await tx.execute(sql`
          with a as (insert into announcements (author_id, signed_as, title, body, profiles, created_at, ends_at)
            values (null, 'La direction', ${title}, 'Texte du message', ${profiles}::profile_kind[],
              '2026-12-08T10:00:00Z', '2026-12-20T10:00:00Z') returning id)
          insert into announcement_schools (announcement_id, uai) select id, ${school} from a`);
      }
    });
  });
  afterAll(async () => env.stop());

  it(
    "58D the teacher previews the launcher, walls, documents, " +
      "agenda and feed as a pupil and as a parent of the class",
    async () => {
      const teacher = await as(s.teacher);
      const classPage = await teacher.get(`/classes/${s.classId}`);
      expect(classPage.html).toContain(`href="/classes/${s.classId}/apercu?voir=eleve"`);
      expect(classPage.html).toContain(`href="/classes/${s.classId}/apercu?voir=parent"`);

      const pupil = await teacher.get(`/classes/${s.classId}/apercu?voir=eleve`);
      expect(pupil.status).toBe(200);
      expectReadOnly(pupil.html);
      expect(mainOf(pupil.html)).not.toMatch(/<script|data-room/);
      // The launcher: a pupil's apps, without the polls the class's teachers hid for pupils.
      const pupilApps = appsOf(pupil.html);
      expect(pupilApps).toEqual(
        expect.arrayContaining(["homework", "wall", "documents", "agenda", "messages", "news"]),
      );
      expect(pupilApps).not.toContain("polls");
      expect(pupilApps).not.toContain("liaison");
      // The real pupil's launcher holds the same apps.
      const realPupilHome = await (await as(s.pupil)).get("/");
      for (const app of ["/murs", "/documents", "/agenda", "/messagerie"])
        expect(realPupilHome.html).toContain(`href="${app}"`);
      expect(realPupilHome.html).not.toContain('href="/sondages"');
      // The walls: the class's and the school's, not another class's; the documents shared with the class only.
      expect(listOf(pupil.html, "preview-walls")).toMatch(/Mur de la classe/);
      expect(listOf(pupil.html, "preview-walls")).toMatch(/Mur de toute l'école/);
      expect(listOf(pupil.html, "preview-walls")).not.toMatch(/CE2/);
      expect(listOf(pupil.html, "preview-documents").trim()).toBe("Compte rendu de la sortie");
      // The agenda: the class's and the school's events, no one's personal one, not another class's.
      const agenda = listOf(pupil.html, "preview-agenda");
      expect(agenda).toMatch(/Sortie au musée/);
      expect(agenda).toMatch(/Kermesse/);
      expect(agenda).toMatch(/Photo de classe/);
      expect(agenda).not.toMatch(/Rendez-vous du maître|Piscine des CE2/);
      // The feed: the school's and the class's dates; the urgent message to parents is not a pupil's.
      const dates = listOf(pupil.html, "preview-dates");
      expect(dates).toMatch(/Fête de Noël/);
      expect(dates).toMatch(/Photo de classe/);
      expect(dates).not.toMatch(/CE2|autre école/);
      expect(mainOf(pupil.html)).not.toMatch(/Grève jeudi|Réunion des enseignants|Neige/);

      const parent = await teacher.get(`/classes/${s.classId}/apercu?voir=parent`);
      expect(parent.status).toBe(200);
      expectReadOnly(parent.html);
      const parentApps = appsOf(parent.html);
      expect(parentApps).toEqual(expect.arrayContaining(["homework", "liaison", "agenda", "polls", "news"]));
      expect(parentApps).not.toContain("messages");
      expect(parentApps).not.toContain("wall");
      expect(listOf(parent.html, "preview-walls")).toBe("");
      expect(parent.text).toContain(t("viewas.no_walls.parent"));
      expect(listOf(parent.html, "preview-documents")).toBe("");
      expect(listOf(parent.html, "preview-agenda")).toMatch(/Sortie au musée/);
      expect(listOf(parent.html, "preview-dates")).toMatch(/Fête de Noël/);
      const urgent = listOf(parent.html, "preview-urgent");
      expect(urgent).toMatch(/Grève jeudi/);
      expect(urgent).not.toMatch(/Réunion des enseignants|Neige/);
      // Nothing personal: no birthdays, no notices, no pupil's name.
      for (const html of [pupil.html, parent.html])
        for (const x of [s.pupil.id, s.pupil.login]) expect(mainOf(html)).not.toContain(x);
      // The real parent gets the same urgent message.
      expect((await (await as(s.parent)).get("/fil")).text).toContain("Grève jeudi");
    },
  );

  it(
    "58D a wall of the class opens read-only with its " + "approved post-its; other walls and viewers get a 404",
    async () => {
      const teacher = await as(s.teacher);
      const hub = await teacher.get(`/classes/${s.classId}/apercu?voir=eleve`);
      expect(hub.html).toContain(`href="/classes/${s.classId}/apercu/murs/${wallId}?voir=eleve"`);
      const wall = await teacher.get(`/classes/${s.classId}/apercu/murs/${wallId}?voir=eleve`);
      expect(wall.status).toBe(200);
      expect(mainOf(wall.html)).toContain("Les dinosaures");
      expectReadOnly(wall.html);
      expect(mainOf(wall.html)).not.toMatch(/<script|data-room/);
      expect((await teacher.get(`/classes/${s.classId}/apercu/murs/${wallId}?voir=parent`)).status).toBe(404);
      expect((await teacher.post(`/classes/${s.classId}/apercu/murs/${wallId}?voir=eleve`, {})).status).toBe(404);
      const ce2Wall = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string }>(await tx.execute(sql`select id from walls where title = 'Mur des CE2'`)),
      );
      expect((await teacher.get(`/classes/${s.classId}/apercu/murs/${ce2Wall[0]!.id}?voir=eleve`)).status).toBe(404);
      const paths = [
        `/classes/${s.classId}/apercu?voir=eleve`,
        `/classes/${s.classId}/apercu?voir=parent`,
        `/classes/${s.classId}/apercu/murs/${wallId}?voir=eleve`,
      ];
      for (const u of [s.pupil, s.parent, otherClassTeacher, other.teacher, other.director]) {
        const b = await as(u);
        for (const path of paths) {
          const res = await b.get(path);
          expect(res.status, path).toBe(404);
          expect(res.text).not.toMatch(/Les dinosaures|Compte rendu de la sortie|Grève jeudi/);
        }
      }
      expect((await teacher.get(`/classes/${s.classId}/apercu?voir=directeur`)).status).toBe(404);
      expect((await teacher.get(`/classes/${s.classId}/apercu`)).status).toBe(404);
      expect((await teacher.post(`/classes/${s.classId}/apercu?voir=eleve`, {})).status).toBe(404);
    },
  );
});
