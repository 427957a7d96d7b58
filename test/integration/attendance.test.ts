// 54O attendance: the roll in one screen (present by default), parents told at once of an unexplained absence and
// not of an announced one, parents announce absences, the director's day, the monthly register; isolation, bad input.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildUser, linkParent, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("attendance on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherPupilParent: BuiltUser;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  const absenceNotices = async (userId: string) =>
    withTenant(
      env.platform.db,
      systemScope,
      async (tx) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`
    select count(*)::int as n from notifications where user_id = ${userId} and kind = 'absence'`),
        )[0]!.n,
    );

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set("2026-12-14T08:40:00+01:00");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    otherPupilParent = await buildUser(env.platform.db, env.platform.passwords, {});
    await linkParent(env.platform.db, otherPupilParent.id, s.otherPupil.id, s.school.uai);
  });

  it(
    "54O a parent announces an absence; the roll marks two absent; only the unexplained one's parents are told, at " +
      "once",
    async () => {
      const parent = await as(s.parent);
      await parent.get("/absences");
      expect(
        (
          await parent.post("/absences", {
            enfant: s.pupil.id,
            du: "2026-12-14",
            au: "2026-12-15",
            motif: "Rendez-vous médical",
          })
        ).location,
      ).toBe("/absences?fait=annonce");
      const teacher = await as(s.teacher);
      const sheet = await teacher.get(`/appel/${s.classId}`);
      expect(sheet.text).toContain(t("attendance.announced", { reason: "Rendez-vous médical" }));
      const res = await teacher.post(`/appel/${s.classId}`, {
        jour: "2026-12-14",
        demi: "matin",
        [`statut:${s.pupil.id}`]: "absent",
        [`motif:${s.pupil.id}`]: "",
        [`statut:${s.otherPupil.id}`]: "absent",
        [`motif:${s.otherPupil.id}`]: "",
      });
      expect(res.status).toBe(303);
      expect(await absenceNotices(otherPupilParent.id)).toBe(1);
      expect(await absenceNotices(s.parent.id)).toBe(0);
      // Saving the roll again tells nobody twice.
      await teacher.get(`/appel/${s.classId}?jour=2026-12-14&demi=matin`);
      await teacher.post(`/appel/${s.classId}`, {
        jour: "2026-12-14",
        demi: "matin",
        [`statut:${s.otherPupil.id}`]: "absent",
        [`motif:${s.otherPupil.id}`]: "",
      });
      expect(await absenceNotices(otherPupilParent.id)).toBe(1);
      const page = (await (await as(otherPupilParent)).get("/absences")).text;
      expect(page).toContain(t("attendance.status.absent"));
      // The parent of the announced pupil sees the school's mark and their own notice, never the other child.
      const mine = (await parent.get("/absences")).text;
      expect(mine).toContain("Rendez-vous médical");
    },
  );

  it("54O the director sees which classes took the roll and who is absent; the month's register exports", async () => {
    const director = await as(s.director);
    const day = (await director.get("/appel/ecole?jour=2026-12-14")).text;
    expect(day).toContain(t("attendance.done"));
    expect(day).toContain(t("attendance.missing"));
    const csv = await director.get(`/appel/${s.classId}/registre.csv?mois=2026-12`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    // (The byte order mark for spreadsheets is read away by the text decoder.)
    expect(csv.html.split("\r\n")[0]!.replace(/^\uFEFF/, "")).toBe("Élève;Jour;Demi-journée;Statut;Motif");
    expect(csv.html).toContain("2026-12-14;matin;absent");
    // The same register as an OpenDocument spreadsheet: a zip whose first entry is the mimetype, with content.xml.
    const ods = await env.app.request(`http://localhost/appel/${s.classId}/registre.ods?mois=2026-12`, {
      headers: {
        cookie: `__Host-preau_session=${director.cookie("__Host-preau_session")}`,
        "x-test-ip": "192.0.2.9",
      },
    });
    expect(ods.headers.get("content-type")).toBe("application/vnd.oasis.opendocument.spreadsheet");
    const bytes = new Uint8Array(await ods.arrayBuffer());
    // Stored entries: the bytes read as text. The first local header names "mimetype" and holds the media type
    // uncompressed, as OpenDocument requires; then the manifest and content.xml.
    expect(String.fromCharCode(...bytes.slice(0, 4))).toBe("PK\u0003\u0004");
    const text = new TextDecoder().decode(bytes);
    expect(text.slice(30, 38)).toBe("mimetype");
    expect(text.slice(38, 38 + 46)).toBe("application/vnd.oasis.opendocument.spreadsheet");
    expect(text).toContain("META-INF/manifest.xml");
    expect(text).toContain("<office:spreadsheet>");
    expect(text).toContain("<text:p>2026-12-14</text:p>");
    expect((await (await as(s.teacher)).get("/appel/ecole")).status).toBe(403);
  });

  it(
    "54O other schools, pupils and parents cannot take the " +
      "roll; bad input is refused in French and writes nothing",
    async () => {
      for (const u of [other.teacher, other.director, s.pupil, s.parent])
        expect((await (await as(u)).get(`/appel/${s.classId}`)).status).toBe(404);
      const teacher = await as(s.teacher);
      await teacher.get(`/appel/${s.classId}`);
      const rolls = async () =>
        withTenant(
          env.platform.db,
          systemScope,
          async (tx) =>
            rowsOf<{ n: number }>(
              await tx.execute(sql`
      select count(*)::int as n from attendance_rolls where class_id = ${s.classId}`),
            )[0]!.n,
        );
      const before = await rolls();
      for (const [fields, issue] of [
        [{ jour: "2026-12-20", demi: "matin" }, "future"],
        [{ jour: "pas-une-date", demi: "matin" }, "day"],
        [{ jour: "2026-12-14", demi: "soir" }, "half"],
        [{ jour: "2026-12-14", demi: "apres-midi", [`statut:${s.pupil.id}`]: "en vacances" }, "status"],
        [{ jour: "2026-12-14", demi: "apres-midi", [`statut:${other.pupil.id}`]: "absent" }, "status"],
      ] as const) {
        const res = await teacher.post(`/appel/${s.classId}`, fields as Record<string, string>);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`attendance.error.${issue}` as never));
      }
      expect(await rolls()).toBe(before);
      const parent = await as(s.parent);
      await parent.get("/absences");
      for (const [fields, issue] of [
        [{ enfant: s.otherPupil.id, du: "2026-12-16", au: "2026-12-16", motif: "x" }, "child"],
        [{ enfant: s.pupil.id, du: "2026-12-01", au: "2026-12-02", motif: "x" }, "past"],
        [{ enfant: s.pupil.id, du: "2026-12-16", au: "2026-12-15", motif: "x" }, "to"],
        [{ enfant: s.pupil.id, du: "2026-12-16", au: "2026-12-16", motif: "" }, "reason"],
      ] as const) {
        const res = await parent.post("/absences", fields);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`attendance.error.${issue}` as never));
      }
    },
  );
});
