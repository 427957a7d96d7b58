// 56C 54E the evening page (/ce-soir): a parent of two children in two classes (and two schools) sees, per child, the
// work due from tomorrow to a week ahead and the notes not yet read; ticks and acknowledgements go through the homework
// log's and the notebook's own routes; never another family's child, another class's or another school's work; a
// pupil sees only their own work; other profiles go to the homework log.
import { beforeAll, describe, expect, it } from "vitest";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import {
  buildClass,
  buildSchool,
  buildSchoolWithClass,
  buildUser,
  linkParent,
  type BuiltUser,
} from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("evening page on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let a: { uai: string };
  let c: { uai: string };
  let classA1: string;
  let classA2: string;
  let classC1: string;
  let teacherA1: BuiltUser;
  let teacherA2: BuiltUser;
  let teacherC1: BuiltUser;
  let lea: BuiltUser;
  let hugo: BuiltUser;
  let zoe: BuiltUser;
  let noe: BuiltUser;
  let parent: BuiltUser;
  let otherFamily: BuiltUser;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  const notes: Record<string, string> = {};

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function write(
    teacher: BuiltUser,
    classId: string,
    matiere: string,
    pourLe: string,
    extra: Record<string, string> = {},
  ) {
    const b = await as(teacher);
    await b.get(`/cahier/${classId}`);
    const res = await b.post(`/cahier/${classId}`, {
      jour: "2026-12-09",
      matiere,
      fait_en_classe: "",
      a_faire: `${matiere} : travail`,
      pour_le: pourLe,
      liens: "",
      ...extra,
    });
    expect(res.status, matiere).toBe(303);
  }
  async function note(teacher: BuiltUser, classId: string, titre: string, reponse = "none") {
    const b = await as(teacher);
    await b.get("/carnet/nouveau");
    const res = await b.post("/carnet/nouveau", {
      pour: `classe:${classId}`,
      titre,
      texte: `${titre} : détails.`,
      reponse,
      rappel: "",
    });
    expect(res.status, titre).toBe(303);
    notes[titre] = /\/carnet\/([0-9a-f-]{36})/.exec(res.location!)![1]!;
  }
  /** The page's sections, by heading id (one per child). */
  const sectionOf = (html: string, childId: string) => {
    const start = html.indexOf(`<section aria-labelledby="soir-${childId}">`);
    expect(start, `section of ${childId}`).toBeGreaterThanOrEqual(0);
    return html.slice(start, html.indexOf("</section>", start));
  };

  beforeAll(async () => {
    env = await testApp(kind);
    // A Wednesday evening: the page looks from Thursday 10 to Wednesday 16 December.
    env.clock.set("2026-12-09T18:30:00+01:00");
    const { db, passwords } = env.platform;
    a = await buildSchool(db);
    c = await buildSchool(db);
    classA1 = await buildClass(db, a.uai, "CM1");
    classA2 = await buildClass(db, a.uai, "CE2");
    classC1 = await buildClass(db, c.uai, "CP");
    teacherA1 = await buildUser(db, passwords, { profile: "teacher", uai: a.uai, classId: classA1 });
    teacherA2 = await buildUser(db, passwords, { profile: "teacher", uai: a.uai, classId: classA2 });
    teacherC1 = await buildUser(db, passwords, { profile: "teacher", uai: c.uai, classId: classC1 });
    lea = await buildUser(db, passwords, { profile: "pupil", uai: a.uai, classId: classA1, firstName: "Léa" });
    zoe = await buildUser(db, passwords, { profile: "pupil", uai: a.uai, classId: classA1, firstName: "Zoé" });
    noe = await buildUser(db, passwords, { profile: "pupil", uai: a.uai, classId: classA2, firstName: "Noé" });
    hugo = await buildUser(db, passwords, { profile: "pupil", uai: c.uai, classId: classC1, firstName: "Hugo" });
    parent = await buildUser(db, passwords, {});
    await linkParent(db, parent.id, lea.id, a.uai);
    await linkParent(db, parent.id, hugo.id, c.uai);
    otherFamily = await buildUser(db, passwords, {});
    await linkParent(db, otherFamily.id, zoe.id, a.uai);
    await linkParent(db, (await buildUser(db, passwords, {})).id, noe.id, a.uai);
    other = await buildSchoolWithClass(db, passwords);

    await write(teacherA1, classA1, "Mathématiques", "2026-12-10", { liens: "https://exemple.fr/calcul" });
    await write(teacherA1, classA1, "Français", "2026-12-16");
    await write(teacherA1, classA1, "Histoire", "2026-12-17");
    await write(teacherA1, classA1, "Sciences", "2026-12-09");
    await write(teacherA1, classA1, "Musique", "", { a_faire: "", fait_en_classe: "Chant" });
    await write(teacherC1, classC1, "Anglais", "2026-12-11");
    await write(teacherA2, classA2, "Géographie", "2026-12-10");
    await write(other.teacher, other.classId, "Intrus", "2026-12-10");
    await note(teacherA1, classA1, "Sortie au musée", "yesno");
    await note(teacherA1, classA1, "Ancien mot");
    await note(teacherC1, classC1, "Piscine");
    await note(teacherA2, classA2, "Mot du CE2");
    await note(other.teacher, other.classId, "Mot d'une autre école");
    const reader = await as(parent);
    await reader.get("/carnet");
    expect((await reader.post(`/carnet/${notes["Ancien mot"]}/lu`, { enfant: lea.id })).status).toBe(303);
  });

  it(
    "56C 54E a parent with two children in two classes sees each child's work for the next days and the notes not " +
      "yet read",
    async () => {
      const page = await (await as(parent)).get("/ce-soir");
      expect(page.status).toBe(200);
      expect(page.text).toContain(t("evening.intro", { from: "jeudi 10 décembre", to: "mercredi 16 décembre" }));
      const leaPart = sectionOf(page.text, lea.id);
      expect(leaPart).toMatch(/<h2 id="soir-[^"]+">Léa — CM1 /);
      // Tomorrow up to a week ahead, in order of the due date; not today's, not later, not what has nothing to do.
      expect(leaPart.indexOf("Mathématiques : travail")).toBeGreaterThan(0);
      expect(leaPart.indexOf("Français : travail")).toBeGreaterThan(leaPart.indexOf("Mathématiques : travail"));
      expect(leaPart).toContain(t("evening.due", { day: "jeudi 10 décembre" }));
      expect(leaPart).toContain('href="https://exemple.fr/calcul"');
      for (const absent of ["Histoire", "Sciences", "Musique", "Anglais"])
        expect(leaPart, absent).not.toContain(absent);
      expect(leaPart).toContain(t("homework.tick", { name: "Léa" }));
      // The outing asks for an answer: the notebook, not a one-click acknowledgement; the note already read is gone.
      expect(leaPart).toContain("Sortie au musée");
      expect(leaPart).toContain(`href="/carnet?enfant=${lea.id}"`);
      expect(leaPart).toContain(t("evening.note_answer"));
      expect(leaPart).not.toContain(`action="/carnet/${notes["Sortie au musée"]}/lu"`);
      expect(leaPart).not.toContain("Ancien mot");
      expect(leaPart).not.toContain("Piscine");

      const hugoPart = sectionOf(page.text, hugo.id);
      expect(hugoPart).toMatch(/<h2 id="soir-[^"]+">Hugo — CP /);
      expect(hugoPart).toContain("Anglais : travail");
      expect(hugoPart).not.toContain("Mathématiques");
      expect(hugoPart).toContain("Piscine");
      expect(hugoPart).toContain(`action="/carnet/${notes.Piscine}/lu"`);
      expect(hugoPart).toContain(`name="enfant" value="${hugo.id}"`);
      expect(hugoPart).not.toContain("Sortie au musée");
    },
  );

  it(
    "56C 54E never another family's child, another class's " + "or another school's work and notes (tenant isolation)",
    async () => {
      const page = await (await as(parent)).get("/ce-soir");
      for (const stranger of [zoe.id, noe.id, other.pupil.id, other.otherPupil.id])
        expect(page.html).not.toContain(stranger);
      for (const foreign of ["Zoé", "Géographie", "Intrus", "Mot du CE2", "Mot d'une autre école"])
        expect(page.text, foreign).not.toContain(foreign);
      expect(page.html.match(/<section /g)).toHaveLength(2);
      // The other family of the same class: their child only, the class's work, their own notes.
      const theirs = await (await as(otherFamily)).get("/ce-soir");
      expect(theirs.html.match(/<section /g)).toHaveLength(1);
      expect(sectionOf(theirs.text, zoe.id)).toContain("Mathématiques : travail");
      expect(theirs.text).toContain("Ancien mot");
      for (const foreign of [lea.id, hugo.id]) expect(theirs.html).not.toContain(foreign);
      for (const foreign of ["Léa", "Hugo", "Anglais", "Piscine", "Intrus"])
        expect(theirs.text, foreign).not.toContain(foreign);
      // Another school's parent sees their own school's work only.
      const far = await (await as(other.parent)).get("/ce-soir");
      expect(far.text).toContain("Intrus : travail");
      for (const foreign of ["Mathématiques", "Anglais", "Sortie au musée", "Piscine"])
        expect(far.text, foreign).not.toContain(foreign);
    },
  );

  it("56C work ticked from the page with the homework log's own form shows as done, for that child only", async () => {
    const browser = await as(parent);
    const page = await browser.get("/ce-soir");
    const leaPart = sectionOf(page.html, lea.id);
    const action = /<form method="post" action="([^"]+)">/.exec(leaPart.slice(leaPart.indexOf("Mathématiques")))![1]!;
    expect(action).toMatch(/^\/cahier\/entrees\/[0-9a-f-]{36}\/fait\?semaine=2026-12-07$/);
    expect(leaPart).toContain('name="retour" value="/ce-soir"');
    const res = await browser.post(action, { eleve: lea.id, fait: "1", retour: "/ce-soir" });
    expect(res.status).toBe(303);
    // Back to the evening page, never to another site.
    expect(res.location).toBe("/ce-soir");
    expect((await browser.post(action, { eleve: lea.id, fait: "1", retour: "//ailleurs.example/" })).location).toBe(
      `/cahier/${classA1}`,
    );
    expect((await browser.post(action, { eleve: lea.id, fait: "1" })).location).toBe(
      `/cahier/${classA1}?semaine=2026-12-07`,
    );
    const after = sectionOf((await browser.get("/ce-soir")).text, lea.id);
    const maths = after.slice(after.indexOf("Mathématiques"), after.indexOf("Français"));
    expect(maths).toContain(t("homework.undo", { name: "Léa" }));
    expect(maths).toContain('aria-pressed="true"');
    expect(after.slice(after.indexOf("Français"))).toContain(t("homework.tick", { name: "Léa" }));
    // Zoé, in the same class, has not done it; her parent's page says so.
    const zoePart = sectionOf((await (await as(otherFamily)).get("/ce-soir")).text, zoe.id);
    expect(zoePart).not.toContain(t("homework.undo", { name: "Zoé" }));
    // Léa sees it done too.
    expect(sectionOf((await (await as(lea)).get("/ce-soir")).text, lea.id)).toContain(
      t("homework.undo", { name: "Léa" }),
    );
  });

  it("54E a note acknowledged from the page leaves it", async () => {
    const browser = await as(parent);
    await browser.get("/ce-soir");
    const res = await browser.post(`/carnet/${notes.Piscine}/lu`, { enfant: hugo.id });
    expect(res.location).toBe("/carnet?fait=lu");
    const hugoPart = sectionOf((await browser.get("/ce-soir")).text, hugo.id);
    expect(hugoPart).not.toContain("Piscine");
    expect(hugoPart).toContain(t("evening.notes_none"));
  });

  it("56C a pupil sees only their own work, and no notes", async () => {
    const page = await (await as(lea)).get("/ce-soir");
    expect(page.status).toBe(200);
    expect(page.text).toContain(t("evening.intro_pupil", { from: "jeudi 10 décembre", to: "mercredi 16 décembre" }));
    expect(page.html.match(/<section /g)).toHaveLength(1);
    const mine = sectionOf(page.text, lea.id);
    expect(mine).toContain("Mathématiques : travail");
    expect(mine).toContain(`name="eleve" value="${lea.id}"`);
    for (const foreign of ["Anglais", "Géographie", "Intrus", "Sortie au musée", "Piscine", t("evening.notes")])
      expect(page.text, foreign).not.toContain(foreign);
    for (const foreign of [hugo.id, zoe.id]) expect(page.html).not.toContain(foreign);
  });

  it("56C other profiles are sent to the homework log; visitors to the login page", async () => {
    for (const u of [teacherA1, other.director]) {
      const res = await (await as(u)).get("/ce-soir");
      expect(res.status).toBe(303);
      expect(res.location).toBe("/cahier");
    }
    expect((await new TestBrowser(env.app).get("/ce-soir")).location).toBe("/login");
  });
});
