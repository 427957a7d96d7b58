// Issue 21 F6–F8: hostile input found by the probe of the running hub. U+0000 in a text field or a search (Postgres
// refuses NUL in text: it gave 500s) is refused once, where requests are read, with a French 400 and nothing
// written; error log lines name the failed query and the error, never the submitted values; well-formed impossible
// dates and times (2026-13-45, 0000-00-00, 2026-02-30, 24:61) are refused by one strict parser on every route that
// takes one; spreadsheet exports neutralise cells a spreadsheet would run as formulas.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { jsonLogger } from "../../src/log";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser, type Page } from "../helpers/client";
import { buildSchoolWithClass, buildStructure, buildUser, type BuiltUser } from "../helpers/factories";
import { roomsApp } from "../helpers/realtime";
import { changedTables, tableDigest } from "../helpers/db-state";

describe.each(DATABASE_KINDS)("hostile input on %s", (kind) => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let academie: BuiltUser;
  const logLines: string[] = [];

  async function as(user: BuiltUser, first = "/") {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    await b.get(first);
    return b;
  }
  /** What this file's school and users hold, table by table: a refused request changes none of it. */
  const written = () =>
    tableDigest(env.platform.db, {
      uais: [s.school.uai],
      userIds: [s.teacher.id, s.director.id, s.parent.id, s.pupil.id, s.otherPupil.id, academie.id],
    });

  beforeAll(async () => {
    env = await roomsApp(kind);
    env.clock.set("2026-12-14T08:40:00+01:00");
    // Every line the app logs, as it would be written (JSON), for the checks on what error lines may say.
    env.platform.log = jsonLogger((line) => logLines.push(line), "debug");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const acad = await buildStructure(env.platform.db, "academie");
    academie = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "academie_admin",
      structureId: acad,
    });
  });
  afterAll(async () => {
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`delete from messaging_blocks where created_by = ${academie.id}`),
    );
    await env.stop();
  });

  it("21 F7 impossible dates and times: a French error on every route that takes one, nothing written", async () => {
    const teacher = await as(s.teacher, `/appel/${s.classId}`);
    const director = await as(s.director, "/appel/ecole");
    const parent = await as(s.parent, "/absences");
    const admin = await as(academie, "/admin/messagerie");
    const before = await written();
    const days = ["2026-13-45", "0000-00-00", "2026-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "2026-00-10"];
    const times = ["24:61", "24:00", "99:99", "-1:00"];
    const localTimes = [...days.map((d) => `${d}T10:00`), ...times.map((h) => `2026-12-20T${h}`)];
    const french = (res: Page, key: string, path: string) => {
      expect([400, 422], `${path}: ${res.status}`).toContain(res.status);
      expect(res.text, path).toContain(t(key as never));
    };
    for (const day of days) {
      // The roll, of a class and of the school: a day asked that does not exist is a French 400.
      for (const [b, path] of [
        [teacher, `/appel/${s.classId}`],
        [director, "/appel/ecole"],
      ] as const) {
        const page = await b.get(`${path}?jour=${day}`);
        french(page, "error.400.day", `${path}?jour=${day}`);
      }
      french(
        await teacher.post(`/appel/${s.classId}`, { jour: day, demi: "matin", [`statut:${s.pupil.id}`]: "absent" }),
        "attendance.error.day",
        `POST roll ${day}`,
      );
      // The homework log: the day of the lesson and the day it is due.
      const entry = { jour: "2026-12-14", matiere: "Maths", fait_en_classe: "Fractions", a_faire: "Ex. 3", liens: "" };
      french(
        await teacher.post(`/cahier/${s.classId}`, { ...entry, jour: day, pour_le: "2026-12-16" }),
        "homework.error.day",
        `homework jour ${day}`,
      );
      french(
        await teacher.post(`/cahier/${s.classId}`, { ...entry, pour_le: day }),
        "homework.error.due",
        `homework pour_le ${day}`,
      );
      french(await teacher.get(`/cahier/${s.classId}?semaine=${day}`), "error.400.day", `week ${day}`);
      // A parent's absence notice.
      french(
        await parent.post("/absences", { enfant: s.pupil.id, du: day, au: day, motif: "Malade" }),
        "attendance.error.from",
        `absence ${day}`,
      );
    }
    for (const when of localTimes) {
      french(
        await teacher.post("/sondages/nouveau", {
          ecole: s.school.uai,
          question: "Quel jour ?",
          choix: "Lundi\nMardi",
          fin: when,
          groupes: `parents:${s.classId}`,
        }),
        "poll.error.closes",
        `poll ${when}`,
      );
      french(
        await teacher.post("/messagerie/nouveau", {
          objet: "Plus tard",
          texte: "Programmé",
          destinataires: s.parent.id,
          envoi: when,
        }),
        "message.error.send_at_invalid",
        `delayed message ${when}`,
      );
      french(
        await admin.post("/admin/messagerie", { profils: "pupil", type: "once", debut: when, fin: "2026-12-20T12:00" }),
        "message.blocks.error.period",
        `block once ${when}`,
      );
    }
    for (const time of times)
      french(
        await admin.post("/admin/messagerie", { profils: "pupil", type: "weekly", jours: "3", de: time, a: "23:00" }),
        "message.blocks.error.times",
        `block weekly ${time}`,
      );
    expect(changedTables(before, await written())).toEqual([]);
    expect(logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
