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
import { decodeEntities, TestBrowser, type Page } from "../helpers/client";
import { buildSchoolWithClass, buildStructure, buildUser, type BuiltUser } from "../helpers/factories";
import { roomsApp } from "../helpers/realtime";
import { changedTables, tableDigest } from "../helpers/db-state";

const NUL = "\u0000";

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
    // A route that fails in the database on a value the user sent, as any query could.
    env.app.get("/essai/erreur-base", async (c) => {
      await withTenant(env.platform.db, systemScope, (tx) =>
        tx.execute(sql`select ${c.req.query("valeur") ?? ""}::integer as n`),
      );
      return c.text("jamais");
    });
  });
  afterAll(async () => {
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`delete from messaging_blocks where created_by = ${academie.id}`),
    );
    await env.stop();
  });

  const refusedWithNul = (res: Page) => {
    expect(res.status).toBe(400);
    expect(res.text).toContain(t("error.400.nul"));
  };

  it("21 F6 U+0000 in a text field, a file name or a search: a French 400, never a 500, nothing written", async () => {
    logLines.length = 0;
    const teacher = await as(s.teacher);
    const parent = await as(s.parent);
    const message = { objet: "Sortie", texte: "Au musée.", destinataires: s.parent.id };
    const { location } = await teacher.post("/documents", { titre: "Projet" });
    const docId = location!.split("/").pop()!;
    const before = await written();
    const posts: [string, Record<string, string | string[]>][] = [
      ["/messagerie/nouveau", { ...message, objet: `Sortie${NUL}` }],
      ["/messagerie/nouveau", { ...message, texte: `Au${NUL}musée.` }],
      ["/messagerie/nouveau", { ...message, action: "brouillon", objet: `Brouillon${NUL}` }],
      [
        `/cahier/${s.classId}`,
        { jour: "2026-12-14", matiere: `Maths${NUL}`, fait_en_classe: "x", a_faire: "", pour_le: "", liens: "" },
      ],
      [
        "/sondages/nouveau",
        { ecole: s.school.uai, question: `Quand${NUL} ?`, choix: "Lundi\nMardi", fin: "2026-12-20T18:00" },
      ],
      [
        "/agenda/nouveau",
        { calendrier: "personal", titre: `Fête${NUL}`, jour: "2026-12-18", debut: "14:00", fin: "15:00" },
      ],
      [
        "/carnet/nouveau",
        { pour: `classe:${s.classId}`, titre: `Note${NUL}`, texte: "x", reponse: "none", rappel: "" },
      ],
      ["/documents", { titre: `Titre${NUL}` }],
      [`/documents/${docId}/titre`, { titre: `Titre${NUL}` }],
      ["/murs", { titre: `Mur${NUL}`, cible: `classe:${s.classId}`, disposition: "free", mode: "open", colonnes: "" }],
      ["/fil/dates/nouvelle", { titre: `Sortie${NUL}`, date: "2026-12-18", audience: `classe:${s.classId}` }],
      // A NUL in a field's name is refused too (the roll's fields are named after pupils).
      [`/appel/${s.classId}`, { jour: "2026-12-14", demi: "matin", [`statut:${NUL}`]: "absent" }],
      // A repeated field.
      ["/messagerie/nouveau", { ...message, destinataires: [s.parent.id, `x${NUL}`] }],
    ];
    for (const [path, fields] of posts) {
      await teacher.get("/");
      refusedWithNul(await teacher.post(path, fields));
    }
    // The attachment's name, in a multipart form.
    refusedWithNul(
      await teacher.upload("/messagerie/nouveau", message, {
        pieces: { name: `sortie${NUL}.pdf`, content: "%PDF-1.4\n", type: "application/pdf" },
      }),
    );
    // Searches and other query strings.
    for (const path of ["/messagerie", "/documents", "/sondages", "/carnet"])
      refusedWithNul(await teacher.get(`${path}?q=sortie%00`));
    refusedWithNul(await teacher.get(`/appel/${s.classId}?jour=%00`));
    refusedWithNul(await teacher.get(`/messagerie?q=a&q%00=b`));
    // A path parameter.
    refusedWithNul(await teacher.get("/ecoles/0000001A%00"));
    // JSON as the pages' scripts post it.
    await teacher.get("/compte/notifications");
    const json = await teacher.postJson("/compte/notifications/appareils/retirer", { endpoint: `https://x${NUL}` });
    expect(json.status).toBe(400);
    expect(JSON.parse(json.html).error).toBe(t("error.400.nul"));
    // Parents too, and the login form before anyone is signed in.
    await parent.get("/absences");
    refusedWithNul(
      await parent.post("/absences", { enfant: s.pupil.id, du: "2026-12-15", au: "2026-12-15", motif: NUL }),
    );
    // A body that is not the form its content type announces: a 400 too, not the 500 of a parser's exception.
    const broken = await env.app.request("http://localhost/messagerie/nouveau", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=zz", "x-test-ip": "192.0.2.9" },
      body: '--zz\r\nContent-Disposition: form-data; name="objet"\r\n\r\nsans fin',
    });
    expect(broken.status).toBe(400);
    expect(decodeEntities(await broken.text())).toContain(t("error.400.message"));
    const anonymous = new TestBrowser(env.app);
    await anonymous.get("/login");
    refusedWithNul(await anonymous.post("/login", { login: `admin${NUL}`, password: "x" }));
    expect(changedTables(before, await written())).toEqual([]);
    expect(logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });

  it("21 F6 an error log line names the failed query and the error, never the values sent", async () => {
    const secret = "Objet-confidentiel-42";
    const b = await as(s.teacher);
    logLines.length = 0;
    const res = await b.get(`/essai/erreur-base?valeur=${secret}`);
    expect(res.status).toBe(500);
    expect(res.text).toContain(t("error.500.message"));
    const errors = logLines.filter((l) => l.includes('"unhandled_error"'));
    expect(errors).toHaveLength(1);
    const line = JSON.parse(errors[0]!);
    expect(line.query).toBe("select $1::integer as n");
    expect(line.code).toBe("22P02");
    expect(line.error).toMatch(/invalid input syntax for type integer/);
    expect(errors[0]).not.toContain(secret);
    expect(logLines.join("\n")).not.toContain(secret);
  });

  it("21 F7 impossible dates and times: a French error on every route that takes one, nothing written", async () => {
    const teacher = await as(s.teacher, `/appel/${s.classId}`);
    const director = await as(s.director, "/appel/ecole");
    const parent = await as(s.parent, "/absences");
    const admin = await as(academie, "/admin/messagerie");
    logLines.length = 0;
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
  it("21 F8 a roll-call reason that a spreadsheet would run comes out of the register as text, in CSV and ODS", async () => {
    const teacher = await as(s.teacher, `/appel/${s.classId}`);
    const reasons = { [s.pupil.id]: '=cmd|"/c calc"!A1', [s.otherPupil.id]: "+33 6 12 34 56 78" };
    const res = await teacher.post(`/appel/${s.classId}`, {
      jour: "2026-12-11",
      demi: "matin",
      [`statut:${s.pupil.id}`]: "absent",
      [`motif:${s.pupil.id}`]: reasons[s.pupil.id]!,
      [`statut:${s.otherPupil.id}`]: "late",
      [`motif:${s.otherPupil.id}`]: reasons[s.otherPupil.id]!,
    });
    expect(res.status).toBe(303);
    const csv = (await teacher.get(`/appel/${s.classId}/registre.csv?mois=2026-12`)).text;
    const cells = csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .flatMap((line) => line.split(";"));
    expect(cells).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(cells).toContain("'+33 6 12 34 56 78");
    expect(cells.filter((c) => /^"?[=+\-@\t\r]/.test(c))).toEqual([]);
    const ods = await env.app.request(`http://localhost/appel/${s.classId}/registre.ods?mois=2026-12`, {
      headers: { cookie: teacherCookie(teacher), "x-test-ip": "192.0.2.9" },
    });
    // A stored zip: content.xml's bytes read as text.
    const content = new TextDecoder().decode(new Uint8Array(await ods.arrayBuffer()));
    const texts = [...content.matchAll(/<text:p>([^<]*)<\/text:p>/g)].map((m) => m[1]!.replace(/&#(\d+);/g, dec));
    expect(texts).toContain(`'=cmd|"/c calc"!A1`);
    expect(texts).toContain("'+33 6 12 34 56 78");
    expect(texts.filter((x) => /^[=+\-@\t\r]/.test(x))).toEqual([]);
  });

  it("21 (found by the hostile-input walk) an activated account's password is not changed through the activation form", async () => {
    const pupil = await as(s.pupil);
    await pupil.get("/activation");
    const res = await pupil.post("/activation", {
      charte: "oui",
      password: "Nouveau-mot-2026",
      confirm: "Nouveau-mot-2026",
    });
    expect([res.status, res.location]).toEqual([303, "/"]);
    // The password is the one it was: only the account page (which asks for the current one) changes it.
    expect((await new TestBrowser(env.app).login(s.pupil.login, s.pupil.password)).status).toBe(303);
    expect((await new TestBrowser(env.app).login(s.pupil.login, "Nouveau-mot-2026")).status).not.toBe(303);
  });
});

const dec = (_: string, code: string) => String.fromCharCode(Number(code));
const teacherCookie = (b: TestBrowser) =>
  ["__Host-preau_session", "preau_session"]
    .filter((n) => b.cookie(n))
    .map((n) => `${n}=${b.cookie(n)}`)
    .join("; ");
