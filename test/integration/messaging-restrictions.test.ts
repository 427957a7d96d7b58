// 52E–52G: when messaging closes — a pupil's suspension (ends on time), the school's hours for pupils and families,
// the académie's blocks by profile, once or every week — with a controlled clock; other apps stay open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildStructure, buildUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";
import { zonedToUtc } from "../../src/time";

describe.each(DATABASE_KINDS)("messaging restrictions on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let academie: { id: string; login: string; password: string };

  async function as(user: { login: string; password: string }) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    await b.get("/messagerie");
    return b;
  }
  /** Sends as this user, logged in afresh (the clock jumps hours and days: sessions would expire). */
  const send = async (user: { login: string; password: string }, to: string, subject = "Bonjour") =>
    (await as(user)).post("/messagerie/nouveau", { objet: subject, texte: "Un message.", destinataires: to });
  const count = async (q: ReturnType<typeof sql>) =>
    withTenant(env.platform.db, systemScope, async (tx) => rowsOf<{ n: number }>(await tx.execute(q))[0]!.n);

  beforeAll(async () => {
    env = await testApp(kind);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const acad = await buildStructure(env.platform.db, "academie");
    academie = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "academie_admin",
      structureId: acad,
    });
  });
  afterAll(async () => {
    // Académie blocks are platform-wide: none may outlive this file.
    await withTenant(env.platform.db, systemScope, (tx) => tx.execute(sql`delete from messaging_blocks`));
  });

  it(
    "52E the teacher suspends a pupil's messaging for a day; it ends on time; other apps stay open; another class's " +
      "teacher cannot",
    async () => {
      env.clock.set("2026-11-24T10:00:00+01:00");
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie/moderation");
      expect((await teacher.post("/messagerie/suspensions", { eleve: s.pupil.id, jours: "1" })).location).toBe(
        "/messagerie/moderation?fait=suspendu",
      );
      expect((await teacher.get("/messagerie/moderation")).text).toContain(t("message.suspend.current"));
      const compose = await (await as(s.pupil)).get("/messagerie/nouveau");
      expect(compose.text).toContain("Ta messagerie est suspendue jusqu'au");
      const refused = await send(s.pupil, s.otherPupil.id, "Pendant la suspension");
      expect(refused.status).toBe(403);
      expect(await count(sql`select count(*)::int as n from messages where sender_id = ${s.pupil.id}`)).toBe(0);
      expect((await (await as(s.pupil)).get("/messagerie")).status).toBe(200);
      expect((await (await as(s.pupil)).get("/classes")).status).toBe(200);
      // The classmate is not suspended.
      expect((await send(s.otherPupil, s.pupil.id)).status).toBe(303);
      // A day later, it is over by itself.
      env.clock.advance(24 * 3600_000 + 1000);
      expect((await send(s.pupil, s.otherPupil.id, "Après")).status).toBe(303);
      const teacherAgain = await as(s.teacher);
      // Bad input and strangers change nothing.
      expect((await teacherAgain.post("/messagerie/suspensions", { eleve: s.pupil.id, jours: "365" })).location).toBe(
        "/messagerie/moderation?erreur=suspension",
      );
      expect((await teacherAgain.post("/messagerie/suspensions", { eleve: s.teacher.id, jours: "1" })).location).toBe(
        "/messagerie/moderation?erreur=suspension",
      );
      const otherTeacher = await as(other.teacher);
      expect((await otherTeacher.post("/messagerie/suspensions", { eleve: s.pupil.id, jours: "1" })).location).toBe(
        "/messagerie/moderation?erreur=suspension",
      );
      expect(
        (await (await as(s.pupil)).post("/messagerie/suspensions", { eleve: s.otherPupil.id, jours: "1" })).status,
      ).toBe(403);
      expect(
        await count(
          sql`select count(*)::int as n from messaging_suspensions where user_id = ${s.pupil.id} and until >
          ${env.clock.now().toISOString()}::timestamptz`,
        ),
      ).toBe(0);
      // The director lifts a suspension before its end.
      await teacherAgain.post("/messagerie/suspensions", { eleve: s.otherPupil.id, jours: "7" });
      const director = await as(s.director);
      expect((await director.post(`/messagerie/suspensions/${s.otherPupil.id}/lever`, {})).location).toBe(
        "/messagerie/moderation?fait=leve",
      );
      expect((await send(s.otherPupil, s.pupil.id, "Levée")).status).toBe(303);
    },
  );

  it("52F the director limits sending for pupils and families to school hours; staff are never limited", async () => {
    env.clock.set("2026-12-01T10:00:00+01:00"); // a Tuesday
    const director = await as(s.director);
    await director.get("/messagerie/regles");
    const form: Record<string, string> = { mode: "limite" };
    for (const d of ["1", "2", "3", "4", "5"])
      Object.assign(form, { [`ouvert-${d}`]: "1", [`de-${d}`]: "08:30", [`a-${d}`]: "17:00" });
    expect((await director.post("/messagerie/horaires", form)).location).toBe("/messagerie/regles?fait=horaires");
    const bad = await director.post("/messagerie/horaires", { ...form, "de-2": "18:00" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("mardi");
    expect((await send(s.pupil, s.otherPupil.id, "Dans les horaires")).status).toBe(303);
    env.clock.set("2026-12-01T19:00:00+01:00");
    const late = await send(s.pupil, s.otherPupil.id, "Trop tard");
    expect(late.status).toBe(403);
    expect(late.text).toContain(t("message.restricted.hours"));
    expect((await send(s.parent, s.teacher.id, "Parent le soir")).status).toBe(403);
    expect((await send(s.teacher, s.director.id, "Enseignant le soir")).status).toBe(303);
    env.clock.set("2026-12-05T11:00:00+01:00"); // Saturday: closed
    expect((await send(s.pupil, s.otherPupil.id, "Samedi")).status).toBe(403);
    // Another school is not touched; back to "any time".
    expect((await send(other.pupil, other.otherPupil.id, "Autre école")).status).toBe(303);
    expect((await (await as(s.director)).post("/messagerie/horaires", { mode: "toujours" })).status).toBe(303);
    expect((await send(s.pupil, s.otherPupil.id, "Samedi, rouvert")).status).toBe(303);
    expect((await (await as(s.teacher)).post("/messagerie/horaires", { mode: "toujours" })).status).toBe(403);
  });

  it(
    "52G the académie blocks pupils every Sunday " + "afternoon, then everyone for a period; blocks are lifted",
    async () => {
      // Blocks are platform-wide and test files share the Postgres database: a Sunday and dates no other test uses.
      env.clock.set("2027-01-03T15:30:00+01:00"); // a Sunday
      const admin = await as(academie);
      await admin.get("/admin/messagerie");
      expect(
        (
          await admin.post("/admin/messagerie", {
            profils: "pupil",
            type: "weekly",
            jours: "7",
            de: "15:00",
            a: "16:00",
          })
        ).location,
      ).toBe("/admin/messagerie?fait=bloque_academie");
      const blocked = await send(s.pupil, s.otherPupil.id, "Dimanche");
      expect(blocked.status).toBe(403);
      expect(blocked.text).toContain(t("message.restricted.academie"));
      expect((await send(other.pupil, other.otherPupil.id, "Dimanche ailleurs")).status).toBe(403);
      expect((await send(s.teacher, s.pupil.id, "Enseignant dimanche")).status).toBe(303);
      env.clock.set("2027-01-03T16:30:00+01:00");
      expect((await send(s.pupil, s.otherPupil.id, "Dimanche plus tard")).status).toBe(303);

      // Everyone, once, from Thursday 8:00 to 12:00 (local time).
      expect(
        (
          await (
            await as(academie)
          ).post("/admin/messagerie", { type: "once", debut: "2027-01-07T08:00", fin: "2027-01-07T12:00" })
        ).status,
      ).toBe(303);
      env.clock.set("2027-01-07T09:00:00+01:00");
      expect((await send(s.teacher, s.director.id, "Jeudi matin")).status).toBe(403);
      env.clock.set("2027-01-07T12:00:00+01:00");
      expect((await send(s.teacher, s.director.id, "Jeudi midi")).status).toBe(303);

      const admin2 = await as(academie);
      // Bad input: French errors, nothing written.
      const before = await count(sql`select count(*)::int as n from messaging_blocks`);
      for (const [form, key] of [
        [{ type: "once", debut: "2026-11-26T12:00", fin: "2026-11-26T08:00" }, "message.blocks.error.period"],
        [{ type: "weekly", de: "13:00", a: "18:00" }, "message.blocks.error.days"],
        [{ type: "weekly", jours: "3", de: "18:00", a: "13:00" }, "message.blocks.error.times"],
        [{ type: "parfois" }, "message.blocks.error.kind"],
        [
          { type: "once", profils: "directeur-général", debut: "2026-11-26T08:00", fin: "2026-11-26T12:00" },
          "message.blocks.error.profiles",
        ],
      ] as const) {
        const page = await admin2.post("/admin/messagerie", form as Record<string, string>);
        expect(page.status).toBe(422);
        expect(page.text).toContain(t(key));
      }
      expect(await count(sql`select count(*)::int as n from messaging_blocks`)).toBe(before);
      // Only the académie manages blocks.
      expect((await (await as(s.director)).get("/admin/messagerie")).status).toBe(403);
      expect(
        (
          await (
            await as(s.director)
          ).post("/admin/messagerie", { type: "weekly", jours: "3", de: "13:00", a: "18:00" })
        ).status,
      ).toBe(403);
      // Lifting: every block goes, Wednesday afternoon is open again.
      const ids = [
        ...(await admin2.get("/admin/messagerie")).html.matchAll(
          /action="\/admin\/messagerie\/([0-9a-f-]{36})\/retirer"/g,
        ),
      ].map((m) => m[1]!);
      expect(ids.length).toBe(2);
      for (const id of ids)
        expect((await admin2.post(`/admin/messagerie/${id}/retirer`, {})).location).toBe(
          "/admin/messagerie?fait=retire",
        );
      env.clock.set("2027-01-10T15:30:00+01:00");
      expect((await send(s.pupil, s.otherPupil.id, "Dimanche suivant")).status).toBe(303);
    },
  );

  it("local times of the académie's form are read in the platform's time zone, across daylight saving", () => {
    expect(zonedToUtc("2026-11-26T08:00", "Europe/Paris").toISOString()).toBe("2026-11-26T07:00:00.000Z");
    expect(zonedToUtc("2026-07-01T08:00", "Europe/Paris").toISOString()).toBe("2026-07-01T06:00:00.000Z");
  });
});
