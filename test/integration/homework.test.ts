// 56C homework log: the class's teacher writes, pupils and parents of the class read and tick, the teacher sees who;
// other classes and schools see nothing; bad input gets French messages and writes nothing; a printable week.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildClass, buildSchoolWithClass, buildUser, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("homework log on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassPupil: BuiltUser;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  const count = async () =>
    withTenant(
      env.platform.db,
      systemScope,
      async (tx) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`select count(*)::int as n from homework_entries where class_id = ${s.classId}`),
        )[0]!.n,
    );

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set("2026-12-09T10:00:00+01:00");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const otherClass = await buildClass(env.platform.db, s.school.uai, "CE2");
    otherClassPupil = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: otherClass,
    });
  });

  it(
    "56C the teacher writes the day's lesson and the " + "work to do; pupils and parents read it and are told",
    async () => {
      const teacher = await as(s.teacher);
      const page = await teacher.get(`/cahier/${s.classId}`);
      expect(page.status).toBe(200);
      const res = await teacher.post(`/cahier/${s.classId}`, {
        jour: "2026-12-09",
        matiere: "Mathématiques",
        fait_en_classe: "Les fractions",
        a_faire: "Exercices 3 et 4 page 52",
        pour_le: "2026-12-11",
        liens: "https://exemple.fr/fractions",
      });
      expect(res.status).toBe(303);
      for (const u of [s.pupil, s.parent]) {
        const week = await (await as(u)).get(`/cahier/${s.classId}`);
        expect(week.text).toContain("Exercices 3 et 4 page 52");
        expect(week.text).toContain(t("homework.to_do_for", { day: "vendredi 11 décembre" }));
      }
      const notices = await (await as(s.parent)).get("/notifications");
      expect(notices.text).toContain("Travail à faire — Mathématiques");
    },
  );

  it("56C pupils and parents tick work done; the teacher sees who; ticking again undoes", async () => {
    const [entry] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`
      select id from homework_entries where class_id = ${s.classId} and subject = 'Mathématiques'`),
      ),
    );
    const pupil = await as(s.pupil);
    await pupil.get(`/cahier/${s.classId}`);
    expect((await pupil.post(`/cahier/entrees/${entry!.id}/fait`, { eleve: s.pupil.id, fait: "1" })).status).toBe(303);
    const parent = await as(s.parent);
    await parent.get(`/cahier/${s.classId}`);
    // A parent ticks only for their own child.
    expect((await parent.post(`/cahier/entrees/${entry!.id}/fait`, { eleve: s.otherPupil.id, fait: "1" })).status).toBe(
      404,
    );
    const teacherView = (await (await as(s.teacher)).get(`/cahier/${s.classId}`)).text;
    expect(teacherView).toContain(t("homework.ticked_count", { count: 1, total: 2 }));
    expect((await parent.get(`/cahier/${s.classId}`)).text).toContain(t("homework.undo", { name: "Camille" }));
    await parent.post(`/cahier/entrees/${entry!.id}/fait`, { eleve: s.pupil.id, fait: "0" });
    expect((await (await as(s.teacher)).get(`/cahier/${s.classId}`)).text).toContain(
      t("homework.ticked_count", { count: 0, total: 2 }),
    );
  });

  it(
    "622E the teacher's figures for the class: work " + "given and ticked, notes read, attendance; nobody else's",
    async () => {
      const page = await (await as(s.teacher)).get(`/cahier/${s.classId}/statistiques`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(t("stats.homework_line", { items: 1, rate: "0 %" }));
      expect(page.text).toContain(t("stats.liaison_line", { notes: 0, rate: "—" }));
      for (const u of [s.pupil, s.parent, other.teacher])
        expect((await (await as(u)).get(`/cahier/${s.classId}/statistiques`)).status).toBe(404);
    },
  );

  it("56C another class, another school and strangers see nothing and write nothing", async () => {
    for (const u of [otherClassPupil, other.teacher, other.parent, other.director]) {
      expect((await (await as(u)).get(`/cahier/${s.classId}`)).status).toBe(404);
    }
    const intruder = await as(other.teacher);
    await intruder.get(`/cahier/${other.classId}`);
    const before = await count();
    expect(
      (await intruder.post(`/cahier/${s.classId}`, { jour: "2026-12-09", matiere: "Intrus", a_faire: "x" })).status,
    ).toBe(404);
    // A pupil cannot write either.
    const pupil = await as(s.pupil);
    await pupil.get(`/cahier/${s.classId}`);
    expect(
      (await pupil.post(`/cahier/${s.classId}`, { jour: "2026-12-09", matiere: "Élève", a_faire: "x" })).status,
    ).toBe(404);
    expect(await count()).toBe(before);
    // The director of the school may write in every class.
    expect((await (await as(s.director)).get(`/cahier/${s.classId}`)).text).toContain(t("homework.new"));
  });

  it("56C bad input gets French messages and writes nothing", async () => {
    const teacher = await as(s.teacher);
    await teacher.get(`/cahier/${s.classId}`);
    const before = await count();
    const base = {
      jour: "2026-12-10",
      matiere: "Français",
      fait_en_classe: "",
      a_faire: "Lire",
      pour_le: "",
      liens: "",
    };
    for (const [fields, issue] of [
      [{ matiere: "" }, "subject"],
      [{ matiere: "x".repeat(10_000) }, "subject"],
      [{ jour: "2026-02-30" }, "day"],
      [{ a_faire: "", fait_en_classe: "" }, "empty"],
      [{ a_faire: "y".repeat(10_000) }, "text"],
      [{ pour_le: "2026-12-01" }, "due"],
      [{ liens: "javascript:alert(1)" }, "links"],
    ] as const) {
      const res = await teacher.post(`/cahier/${s.classId}`, { ...base, ...fields });
      expect(res.status, issue).toBe(422);
      expect(res.text).toContain(t(`homework.error.${issue}` as never));
    }
    expect(await count()).toBe(before);
  });

  it("56C the week view pages through weeks and prints; the teacher removes an entry", async () => {
    const pupil = await as(s.pupil);
    const later = await pupil.get(`/cahier/${s.classId}?semaine=2026-12-16`);
    expect(later.text).toContain(t("homework.empty_week"));
    expect(later.html).toContain(`href="/cahier/${s.classId}?semaine=2026-12-07" rel="prev"`);
    const print = await pupil.get(`/cahier/${s.classId}/imprimer?semaine=2026-12-09`);
    expect(print.text).toContain("Les fractions");
    expect(print.html).not.toContain('action="/cahier/entrees/');
    const [entry] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`
      select id from homework_entries where class_id = ${s.classId} and subject = 'Mathématiques'`),
      ),
    );
    const teacher = await as(s.teacher);
    await teacher.get(`/cahier/${s.classId}`);
    expect((await pupil.post(`/cahier/entrees/${entry!.id}/supprimer`, {})).status).toBe(404);
    expect((await teacher.post(`/cahier/entrees/${entry!.id}/supprimer`, {})).location).toBe(
      `/cahier/${s.classId}?fait=retire`,
    );
    expect((await pupil.get(`/cahier/${s.classId}?semaine=2026-12-09`)).text).not.toContain("Les fractions");
  });
});
