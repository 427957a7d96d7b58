// 614A–B communication rules, messaging through the real app with plain forms (no JavaScript), 52A–52D moderation,
// bad input, and tenant isolation on every messaging route.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { saveSchoolRules } from "../../src/services/messaging/communication-rules";
import { CATEGORIES } from "../../src/services/notifications/notification-preferences";
import { deliverScheduled } from "../../src/services/messaging/messages";
import { runDueJobs } from "../../src/jobs/runner";
import { silentLogger } from "../../src/log";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import {
  buildClass,
  buildSchool,
  buildSchoolWithClass,
  buildStructure,
  buildUser,
  linkParent,
} from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("messaging on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassPupil: { id: string; login: string; password: string };
  let otherClassTeacher: { id: string; login: string; password: string };
  let secondParent: { id: string; login: string; password: string };
  let municipal: { id: string; login: string; password: string };
  let inspector: { id: string; login: string; password: string };

  async function as(user: { login: string; password: string }) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  /** Ids offered on the compose page (people checkboxes). */
  async function reachable(user: { login: string; password: string }): Promise<string[]> {
    const page = await (await as(user)).get("/messagerie/nouveau");
    expect(page.status).toBe(200);
    return [...page.html.matchAll(/name="destinataires" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  }
  const count = async (q: ReturnType<typeof sql>) =>
    withTenant(env.platform.db, systemScope, async (tx) => rowsOf<{ n: number }>(await tx.execute(q))[0]!.n);
  const inboxOf = async (user: { login: string; password: string }) => (await (await as(user)).get("/messagerie")).text;
  /** A user's name as pages show it. */
  const nameOf = async (user: { id: string }) =>
    withTenant(
      env.platform.db,
      systemScope,
      async (tx) =>
        rowsOf<{ name: string }>(
          await tx.execute(sql`select first_name || ' ' || last_name as name from users where id = ${user.id}`),
        )[0]!.name,
    );
  /** A page's text without its tags ("Camille Test3 (lu)"). */
  const plain = (page: { text: string }) => page.text.replace(/<[^>]+>/g, "");

  beforeAll(async () => {
    env = await testApp(kind);
    const db = env.platform.db;
    const commune = await buildStructure(db, "commune");
    s = await buildSchoolWithClass(db, env.platform.passwords);
    await withTenant(db, systemScope, (tx) =>
      tx.execute(sql`insert into school_structures (uai, structure_id) values (${s.school.uai}, ${commune})`),
    );
    other = await buildSchoolWithClass(db, env.platform.passwords);
    const otherClass = await buildClass(db, s.school.uai, "CE2");
    otherClassPupil = await buildUser(db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: otherClass,
    });
    otherClassTeacher = await buildUser(db, env.platform.passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: otherClass,
    });
    secondParent = await buildUser(db, env.platform.passwords, {});
    await linkParent(db, secondParent.id, s.pupil.id, s.school.uai);
    municipal = await buildUser(db, env.platform.passwords, {
      profile: "municipality",
      structureId: commune,
      lastName: "Agent-Mairie",
    });
    const circonscription = await buildStructure(db, "circonscription");
    await withTenant(db, systemScope, (tx) =>
      tx.execute(sql`insert into school_structures (uai, structure_id) values (${s.school.uai}, ${circonscription})`),
    );
    inspector = await buildUser(db, env.platform.passwords, {
      profile: "inspector",
      structureId: circonscription,
      lastName: "Inspectrice",
    });
  });

  it("614A a pupil reaches their classmates and their class's teacher, nobody else", async () => {
    const ids = await reachable(s.pupil);
    expect(ids).toContain(s.otherPupil.id);
    expect(ids).toContain(s.teacher.id);
    for (const id of [
      s.parent.id,
      s.director.id,
      otherClassPupil.id,
      otherClassTeacher.id,
      other.pupil.id,
      other.teacher.id,
    ])
      expect(ids).not.toContain(id);
  });

  it(
    "614A a parent reaches the teachers and director of " + "their child's class and the other parent, never pupils",
    async () => {
      const ids = await reachable(s.parent);
      expect(ids).toEqual(expect.arrayContaining([s.teacher.id, s.director.id, secondParent.id]));
      for (const id of [s.pupil.id, s.otherPupil.id, otherClassTeacher.id, other.teacher.id])
        expect(ids).not.toContain(id);
    },
  );

  it(
    "614A a teacher reaches the school's staff, their pupils and their pupils' parents, not another class's pupils " +
      "or another school",
    async () => {
      const ids = await reachable(s.teacher);
      expect(ids).toEqual(
        expect.arrayContaining([
          s.director.id,
          otherClassTeacher.id,
          s.pupil.id,
          s.otherPupil.id,
          s.parent.id,
          secondParent.id,
        ]),
      );
      for (const id of [otherClassPupil.id, other.teacher.id, other.parent.id, other.director.id])
        expect(ids).not.toContain(id);
    },
  );

  it("2.1.2 municipality staff reach directors, teachers and parents of their schools, never pupils", async () => {
    const b = await as(municipal);
    const page = await b.get("/messagerie/nouveau");
    expect(page.status).toBe(200);
    const ids = [...page.html.matchAll(/name="destinataires" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(ids).toEqual(expect.arrayContaining([s.director.id, s.teacher.id, s.parent.id]));
    for (const id of [s.pupil.id, s.otherPupil.id, otherClassPupil.id, other.parent.id]) expect(ids).not.toContain(id);
    // Even a hand-made form cannot reach a pupil.
    const sent = await b.post("/messagerie/nouveau", { objet: "Cantine", texte: "Menu", destinataires: s.pupil.id });
    expect(sent.status).toBe(422);
    expect(sent.text).toContain(t("message.error.recipients_forbidden"));
  });

  it(
    "2.1.2 municipality staff reach the school's " + "inspector; the director and the inspector read who wrote",
    async () => {
      const b = await as(municipal);
      const page = await b.get("/messagerie/nouveau");
      const ids = [...page.html.matchAll(/name="destinataires" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
      expect(ids).toContain(inspector.id);
      expect(page.text).toContain("Inspectrice");
      // Another school's staff never see the inspector offered (they are not municipality staff).
      expect(await reachable(s.teacher)).not.toContain(inspector.id);
      expect(
        (
          await b.post("/messagerie/nouveau", {
            ecole: s.school.uai,
            objet: "Travaux dans l'école",
            texte: "Du 3 au 7.",
            destinataires: [inspector.id, s.director.id],
          })
        ).status,
      ).toBe(303);
      for (const reader of [inspector, s.director]) {
        const inbox = await inboxOf(reader);
        expect(inbox).toContain("Travaux dans l'école");
        expect(inbox).toContain("Agent-Mairie");
      }
    },
  );

  it(
    "drafts keep subject, text, recipients and options; " +
      "nothing is delivered until sent; only their writer sees them",
    async () => {
      const b = await as(s.teacher);
      await b.get("/messagerie/nouveau");
      const saved = await b.post("/messagerie/nouveau", {
        action: "brouillon",
        ecole: s.school.uai,
        objet: "Sortie au musée",
        texte: "Premier jet",
        destinataires: s.director.id,
        groupes: `parents:${s.classId}`,
        accuse: "1",
        envoi: "",
      });
      expect(saved.location).toBe("/messagerie/brouillons?fait=brouillon");
      const folder = await b.get("/messagerie/brouillons");
      expect(folder.text).toContain("Sortie au musée");
      const id = /\/messagerie\/nouveau\?brouillon=([0-9a-f-]{36})/.exec(folder.html)![1]!;
      expect(await inboxOf(s.director)).not.toContain("Sortie au musée");
      expect((await b.get(`/messagerie/${id}`)).status).toBe(404);
      const opened = await b.get(`/messagerie/nouveau?brouillon=${id}`);
      expect(opened.html).toContain('value="Sortie au musée"');
      expect(opened.html).toContain(`value="${s.director.id}" checked`);
      expect(opened.html).toContain(`value="parents:${s.classId}" checked`);
      expect(opened.html).toContain(`name="brouillon" value="${id}"`);
      await b.post("/messagerie/nouveau", {
        action: "brouillon",
        brouillon: id,
        ecole: s.school.uai,
        objet: "Sortie au musée",
        texte: "Second jet",
        destinataires: s.director.id,
      });
      expect(
        await count(sql`select count(*)::int as n from messages where sender_id = ${s.teacher.id} and state = 'draft'`),
      ).toBe(1);
      // Others can neither open, change nor delete it.
      const intruder = await as(s.director);
      await intruder.get("/messagerie/nouveau");
      expect((await intruder.get(`/messagerie/nouveau?brouillon=${id}`)).status).toBe(404);
      expect((await intruder.post(`/messagerie/brouillons/${id}/supprimer`, {})).status).toBe(404);
      await intruder.post("/messagerie/nouveau", { action: "brouillon", brouillon: id, objet: "Piraté", texte: "x" });
      expect(await count(sql`select count(*)::int as n from messages where id = ${id} and body = 'Second jet'`)).toBe(
        1,
      );
      // Sending from the draft delivers it and the draft goes.
      await b.get(`/messagerie/nouveau?brouillon=${id}`);
      expect(
        (
          await b.post("/messagerie/nouveau", {
            brouillon: id,
            ecole: s.school.uai,
            objet: "Sortie au musée",
            texte: "Second jet",
            destinataires: s.director.id,
          })
        ).status,
      ).toBe(303);
      expect(await inboxOf(s.director)).toContain("Sortie au musée");
      expect(await count(sql`select count(*)::int as n from messages where id = ${id}`)).toBe(0);
      // An empty draft is refused in French; deleting one works.
      const empty = await b.post("/messagerie/nouveau", {
        action: "brouillon",
        ecole: s.school.uai,
        objet: " ",
        texte: "",
      });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain(t("message.error.draft_empty"));
      await b.post("/messagerie/nouveau", { action: "brouillon", ecole: s.school.uai, objet: "À jeter", texte: "" });
      const other = /\/messagerie\/nouveau\?brouillon=([0-9a-f-]{36})/.exec(
        (await b.get("/messagerie/brouillons")).html,
      )![1]!;
      expect((await b.post(`/messagerie/brouillons/${other}/supprimer`, {})).location).toBe(
        "/messagerie/brouillons?fait=brouillon_supprime",
      );
      expect((await b.get("/messagerie/brouillons")).text).not.toContain("À jeter");
    },
  );

  it("57E the inbox comes in pages of 50, newest first, with links to older and newer pages", async () => {
    const reader = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: s.classId,
    });
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`
      with m as (
        insert into messages (uai, sender_id, subject, body, state, created_at)
        select ${s.school.uai}, ${s.director.id}, 'Note ' || lpad(n::text, 3, '0'), 'Texte', 'sent', timestamptz
        '2026-10-01 08:00+02' + n * interval '1 minute'
        from generate_series(1, 120) n returning id, created_at)
      insert into message_recipients (message_id, user_id, uai, delivered_at) select id, ${reader.id}, ${s.school.uai},
      created_at from m`),
    );
    const b = await as(reader);
    const first = await b.get("/messagerie");
    expect(first.text).toContain("Note 120");
    expect(first.text).toContain("Note 071");
    expect(first.text).not.toContain("Note 070");
    expect(first.html).toContain('href="/messagerie?page=2" rel="next"');
    expect(first.html).not.toContain('rel="prev"');
    const third = await b.get("/messagerie?page=3");
    expect(third.text).toContain("Note 020");
    expect(third.text).toContain("Note 001");
    expect(third.html).toContain('href="/messagerie?page=2" rel="prev"');
    expect(third.html).not.toContain('rel="next"');
    expect((await b.get("/messagerie?page=abc")).text).toContain("Note 120");
    expect((await b.get("/messagerie?page=99")).text).toContain(t("message.page.past_end"));
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`update message_recipients set read_at = now()
      where user_id = ${reader.id} and message_id in (select id from messages where subject <> 'Note 007')`),
    );
    const unread = await b.get("/messagerie?non_lus=1");
    expect(unread.text).toContain("Note 007");
    expect(unread.text).not.toContain("Note 120");
    expect(unread.html).toContain('name="non_lus" value="1" checked');
    const searched = await b.get("/messagerie?q=Note%200&page=2");
    // 99 matches (001 to 099): the second page starts at 049.
    expect(searched.text).toContain("Note 049");
    expect(searched.text).not.toContain("Note 050");
    expect(searched.html).toContain('href="/messagerie?q=Note+0&amp;page=1" rel="prev"');
  });

  it(
    "614B a school's rules are data: switching a rule off " +
      "removes those recipients, the defaults come back when reset",
    async () => {
      await withTenant(env.platform.db, systemScope, (tx) =>
        saveSchoolRules(tx, s.school.uai, new Set(["pupil:class_teachers"])),
      );
      const ids = await reachable(s.pupil);
      expect(ids).toContain(s.teacher.id);
      expect(ids).not.toContain(s.otherPupil.id);
      await withTenant(env.platform.db, systemScope, (tx) =>
        saveSchoolRules(
          tx,
          s.school.uai,
          new Set([
            "pupil:classmates",
            "pupil:class_teachers",
            "parent:children_teachers",
            "parent:children_director",
            "parent:coparents",
            "teacher:school_staff",
            "teacher:class_pupils",
            "teacher:class_parents",
            "director:school_staff",
            "director:school_pupils",
            "director:school_parents",
            "staff:school_staff",
            "municipality:school_inspectors",
            "municipality:school_director",
            "municipality:school_teachers",
            "municipality:school_parents",
          ]),
        ),
      );
      expect(await count(sql`select count(*)::int as n from communication_rules where uai = ${s.school.uai}`)).toBe(0);
      expect(await reachable(s.pupil)).toContain(s.otherPupil.id);
    },
  );

  it(
    "614B the director edits the rules with a plain form; a teacher may not; the change applies at once and is " +
      "audited",
    async () => {
      const director = await as(s.director);
      const page = await director.get("/messagerie/regles");
      expect(page.status).toBe(200);
      expect(page.html).toContain('value="pupil:classmates" checked');
      expect(page.html).not.toContain('value="municipality:school_pupils"');
      expect((await (await as(s.teacher)).get("/messagerie/regles")).status).toBe(403);
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie");
      expect((await teacher.post("/messagerie/regles", { regles: [] })).status).toBe(403);
      const kept = [...page.html.matchAll(/name="regles" value="([a-z_]+:[a-z_]+)" checked/g)]
        .map((m) => m[1]!)
        .filter((r) => r !== "pupil:classmates");
      // A hand-made form cannot open what is never allowed.
      const saved = await director.post("/messagerie/regles", { regles: [...kept, "municipality:school_pupils"] });
      expect(saved.location).toBe("/messagerie/regles?fait=1");
      expect((await director.get(saved.location!)).text).toContain(t("message.rules.saved"));
      expect(await reachable(s.pupil)).not.toContain(s.otherPupil.id);
      expect(
        await count(
          sql`select count(*)::int as n from audit_log where action = 'communication_rules.saved' and uai =
          ${s.school.uai}`,
        ),
      ).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from communication_rules where uai = ${s.school.uai} and relation =
          'school_pupils'`,
        ),
      ).toBe(0);
      await director.post("/messagerie/regles", { regles: [...kept, "pupil:classmates"] });
      expect(await reachable(s.pupil)).toContain(s.otherPupil.id);
      // Another school's director changes only their own school.
      expect(await count(sql`select count(*)::int as n from communication_rules where uai = ${other.school.uai}`)).toBe(
        0,
      );
    },
  );

  it(
    "614A a teacher writes to the parents of the class as a group: both parents receive it, its pupils do not; each " +
      "recipient trashes, restores and searches their own copy",
    async () => {
      const teacher = await as(s.teacher);
      const compose = await teacher.get("/messagerie/nouveau");
      expect(compose.text).toContain(t("message.group.parents", { name: "CM1" }));
      const sent = await teacher.post("/messagerie/nouveau", {
        objet: "Sortie au musée",
        texte: "Bonjour,\nla sortie a lieu mardi.",
        groupes: `parents:${s.classId}`,
      });
      expect(sent.status).toBe(303);
      expect(sent.location).toBe("/messagerie/envoyes?fait=envoye");
      const sentPage = await teacher.get(sent.location!);
      expect(sentPage.text).toContain(t("message.sent"));
      expect(sentPage.text).toContain("Sortie au musée");
      const id = /href="\/messagerie\/([0-9a-f-]{36})">Sortie au musée/.exec(sentPage.html)![1]!;
      // The group is the class's parents, exactly: both parents of its pupil, nobody else.
      const recipients = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ user_id: string }>(
          await tx.execute(sql`select user_id from message_recipients where message_id = ${id} order by user_id`),
        ).map((r) => r.user_id),
      );
      expect(recipients).toEqual([s.parent.id, secondParent.id].sort());
      for (const name of [await nameOf(s.parent), await nameOf(secondParent)]) expect(sentPage.text).toContain(name);

      const parent = await as(s.parent);
      const inbox = await parent.get("/messagerie");
      expect(inbox.text).toContain("Sortie au musée");
      expect(inbox.text).toContain(t("message.unread"));
      const read = await parent.get(`/messagerie/${id}`);
      expect(read.status).toBe(200);
      expect(read.text).toContain("la sortie a lieu mardi.");
      expect(
        await count(
          sql`select count(*)::int as n from notifications where user_id = ${s.parent.id} and link =
          ${`/messagerie/${id}`}`,
        ),
      ).toBe(1);
      expect(await inboxOf(secondParent)).toContain("Sortie au musée");
      expect(await inboxOf(s.pupil)).not.toContain("Sortie au musée");

      // Trash and back, each side its own.
      expect((await parent.post(`/messagerie/${id}/corbeille`, { retour: "0" })).location).toBe(
        "/messagerie?fait=corbeille",
      );
      expect((await parent.get("/messagerie")).text).not.toContain("Sortie au musée");
      expect((await parent.get("/messagerie/corbeille")).text).toContain("Sortie au musée");
      expect(await inboxOf(secondParent)).toContain("Sortie au musée");
      expect((await parent.post(`/messagerie/${id}/corbeille`, { retour: "1" })).status).toBe(303);
      expect((await parent.get("/messagerie?q=mus%C3%A9e")).text).toContain("Sortie au musée");
      expect((await parent.get("/messagerie?q=piscine")).text).not.toContain("Sortie au musée");
    },
  );

  it(
    "54G read receipts on request: the sender sees who read and who has not yet, told once per reader; recipients " +
      "see no read marks, nor does a sender who did not ask",
    async () => {
      const [parentName, secondName] = [await nameOf(s.parent), await nameOf(secondParent)];
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie/nouveau");
      const sent = await teacher.post("/messagerie/nouveau", {
        objet: "Réunion de classe",
        texte: "Jeudi 18 h.",
        destinataires: [s.parent.id, secondParent.id],
        accuse: "1",
      });
      expect(sent.location).toBe("/messagerie/envoyes?fait=envoye");
      const id = /href="\/messagerie\/([0-9a-f-]{36})">Réunion de classe/.exec(
        (await teacher.get(sent.location!)).html,
      )![1]!;
      const receipts = () =>
        count(sql`select count(*)::int as n from notifications
        where user_id = ${s.teacher.id} and kind = 'message.receipt' and link = ${`/messagerie/${id}`}`);
      const marks = async () => plain(await teacher.get(`/messagerie/${id}`));

      expect(await receipts()).toBe(0);
      const unread = await marks();
      expect(unread).toContain(`${parentName} (${t("message.not_read")})`);
      expect(unread).toContain(`${secondName} (${t("message.not_read")})`);

      // The first parent reads it, twice: the teacher is told once, by name.
      const parent = await as(s.parent);
      await parent.get(`/messagerie/${id}`);
      await parent.get(`/messagerie/${id}`);
      expect(await receipts()).toBe(1);
      expect(
        await count(sql`select count(*)::int as n from notifications where user_id = ${s.teacher.id}
        and kind = 'message.receipt' and body = ${`${parentName} a lu « Réunion de classe ».`}`),
      ).toBe(1);
      const half = await marks();
      expect(half).toContain(`${parentName} (${t("message.read_by")})`);
      expect(half).toContain(`${secondName} (${t("message.not_read")})`);

      // A recipient sees who else received it, never who read it.
      const asRecipient = plain(await (await as(secondParent)).get(`/messagerie/${id}`));
      expect(asRecipient).toContain(parentName);
      expect(asRecipient).not.toContain(`(${t("message.read_by")})`);
      expect(asRecipient).not.toContain(`(${t("message.not_read")})`);
      expect(await receipts()).toBe(2);
      const both = await marks();
      expect(both).toContain(`${parentName} (${t("message.read_by")})`);
      expect(both).toContain(`${secondName} (${t("message.read_by")})`);

      // Without a receipt asked for: no notice, no marks.
      const plainSent = await teacher.post("/messagerie/nouveau", {
        objet: "Sans accusé",
        texte: "Pour info.",
        destinataires: s.parent.id,
      });
      const other = /href="\/messagerie\/([0-9a-f-]{36})">Sans accusé/.exec(
        (await teacher.get(plainSent.location!)).html,
      )![1]!;
      await parent.get(`/messagerie/${other}`);
      expect(
        await count(sql`select count(*)::int as n from notifications where user_id = ${s.teacher.id}
        and kind = 'message.receipt' and link = ${`/messagerie/${other}`}`),
      ).toBe(0);
      const view = plain(await teacher.get(`/messagerie/${other}`));
      expect(view).toContain(t("message.to", { names: parentName }));
      expect(view).not.toContain(`(${t("message.read_by")})`);
    },
  );

  it(
    "54F a delayed message reaches nobody before its time, then is delivered once by the job runner, even when run " +
      "again",
    async () => {
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie/nouveau");
      // 2026-11-24 10:00 in Paris is the test clock: 14:30 the same day.
      const scheduled = await teacher.post("/messagerie/nouveau", {
        objet: "Rappel piscine",
        texte: "Demain, bonnet obligatoire.",
        destinataires: s.parent.id,
        envoi: "2026-11-24T14:30",
      });
      expect(scheduled.location).toBe("/messagerie/envoyes?fait=programme");
      const sentPage = await teacher.get(scheduled.location!);
      expect(sentPage.text).toContain(t("message.scheduled"));
      expect(sentPage.text).toMatch(/programmé pour le 24\/11\/2026 14:30/);
      const id = /href="\/messagerie\/([0-9a-f-]{36})">Rappel piscine/.exec(sentPage.html)![1]!;
      // Times in the past, too far, or unreadable are refused in French.
      for (const [envoi, key] of [
        ["2020-01-01T10:00", "message.error.send_at_past"],
        ["2030-01-01T10:00", "message.error.send_at_far"],
        ["demain matin", "message.error.send_at_invalid"],
      ] as const) {
        const page = await teacher.post("/messagerie/nouveau", {
          objet: "Plus tard",
          texte: "x",
          destinataires: s.parent.id,
          envoi,
        });
        expect(page.status).toBe(422);
        expect(page.text).toContain(t(key));
      }
      expect(await inboxOf(s.parent)).not.toContain("Rappel piscine");
      expect((await (await as(s.parent)).get(`/messagerie/${id}`)).status).toBe(404);
      const handlers = {
        "message.deliver": async (payload: Record<string, unknown>, ctx: { now: Date }) => {
          await deliverScheduled(env.platform.db, String(payload.messageId), ctx.now);
        },
      };
      expect(await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger)).toBe(0);
      env.clock.advance(5 * 3600_000);
      expect(await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger)).toBeGreaterThanOrEqual(
        1,
      );
      expect(await inboxOf(s.parent)).toContain("Rappel piscine");
      // A second run, a restart re-running the job, or the handler called again: nothing is delivered twice.
      await withTenant(env.platform.db, systemScope, (tx) =>
        tx.execute(sql`update jobs set state = 'pending' where dedupe_key = ${`message.deliver:${id}`}`),
      );
      await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger);
      expect(await deliverScheduled(env.platform.db, id, env.clock.now())).toBe(false);
      expect(
        await count(
          sql`select count(*)::int as n from notifications where user_id = ${s.parent.id} and link =
          ${`/messagerie/${id}`}`,
        ),
      ).toBe(1);
      env.clock.set("2026-11-24T10:00:00+01:00");
    },
  );

  it(
    "71B anti-spam: a pupil who sends too many messages in an hour is stopped, in French; an hour later they may " +
      "write again",
    async () => {
      const pupil = await buildUser(env.platform.db, env.platform.passwords, {
        profile: "pupil",
        uai: s.school.uai,
        classId: s.classId,
      });
      const b = await as(pupil);
      await b.get("/messagerie/nouveau");
      for (let i = 0; i < env.platform.config.messaging.pupilHourly; i += 1) {
        expect(
          (
            await b.post("/messagerie/nouveau", {
              objet: `Message ${i}`,
              texte: "Coucou",
              destinataires: s.otherPupil.id,
            })
          ).status,
        ).toBe(303);
      }
      const stopped = await b.post("/messagerie/nouveau", {
        objet: "Encore un",
        texte: "Coucou",
        destinataires: s.otherPupil.id,
      });
      expect(stopped.status).toBe(422);
      expect(stopped.text).toContain(t("message.error.rate_limited"));
      env.clock.advance(3600_000 + 1000);
      const later = await as(pupil);
      await later.get("/messagerie/nouveau");
      expect(
        (
          await later.post("/messagerie/nouveau", {
            objet: "Une heure après",
            texte: "Coucou",
            destinataires: s.otherPupil.id,
          })
        ).status,
      ).toBe(303);
      env.clock.set("2026-11-24T10:00:00+01:00");
    },
  );

  it(
    "a message carries attachments: stored in the blob store, downloaded by its recipients only; bad files refused " +
      "in French",
    async () => {
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie/nouveau");
      const pdf = `%PDF-1.4\n% Préau\n${"x".repeat(2000)}\n%%EOF\n`;
      const sent = await teacher.upload(
        "/messagerie/nouveau",
        { objet: "Autorisation de sortie", texte: "À signer.", destinataires: s.parent.id },
        { pieces: { name: "autorisation sortie é.pdf", content: pdf, type: "application/pdf" } },
      );
      expect(sent.location).toBe("/messagerie/envoyes?fait=envoye");
      const id = /href="\/messagerie\/([0-9a-f-]{36})">Autorisation de sortie/.exec(
        (await teacher.get(sent.location!)).html,
      )![1]!;
      const parent = await as(s.parent);
      const page = await parent.get(`/messagerie/${id}`);
      expect(page.text).toContain("autorisation sortie é.pdf");
      const href = new RegExp(`href="(/messagerie/${id}/pieces/[0-9a-f-]{36})"`).exec(page.html)![1]!;
      const res = await parent.get(href);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toContain(
        `filename*=UTF-8''${encodeURIComponent("autorisation sortie é.pdf")}`,
      );
      expect(res.html).toBe(pdf);
      for (const intruder of [other.parent, s.pupil, other.teacher])
        expect((await (await as(intruder)).get(href)).status).toBe(404);
      const before = await count(sql`select count(*)::int as n from message_attachments`);
      const cases: [{ name: string; content: string | Uint8Array }, string][] = [
        [{ name: "jeu.exe", content: "MZ\x90\x00" }, t("message.error.attachment_type")],
        [{ name: "photo.png", content: "%PDF-1.4 pas une image" }, t("message.error.attachment_type")],
        [
          { name: "gros.pdf", content: new Uint8Array(5 * 1024 * 1024 + 1).fill(0x25) },
          t("message.error.attachment_size"),
        ],
      ];
      for (const [file, error] of cases) {
        await teacher.get("/messagerie/nouveau");
        const refused = await teacher.upload(
          "/messagerie/nouveau",
          { objet: "Pièce", texte: "x", destinataires: s.parent.id },
          { pieces: file },
        );
        expect(refused.status).toBe(422);
        expect(refused.text).toContain(error);
      }
      expect(await count(sql`select count(*)::int as n from message_attachments`)).toBe(before);
    },
  );

  it("54L–54M each user chooses, by category, to be told in the hub and/or by e-mail", async () => {
    const teacher = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: s.classId,
    });
    // An address of this run's teacher only: the outbox of a reused database still holds the previous runs' mail.
    const email = `prof.${teacher.id.slice(0, 8)}@ac-test.fr`;
    await withTenant(env.platform.db, systemScope, (tx) =>
      tx.execute(sql`update users set academic_email = ${email} where id = ${teacher.id}`),
    );
    const b = await as(teacher);
    const page = await b.get("/compte/notifications");
    expect(page.status).toBe(200);
    expect(page.html).toContain('value="messages:hub" checked');
    expect(page.html).not.toContain('value="messages:mail" checked');
    // Not in the hub, by e-mail instead.
    expect(
      (await b.post("/compte/notifications", { choix: ["messages:mail", "moderation:hub", "moderation:mail"] }))
        .location,
    ).toBe("/compte/notifications?enregistre=1");
    const director = await as(s.director);
    await director.get("/messagerie/nouveau");
    expect(
      (
        await director.post("/messagerie/nouveau", {
          objet: "Conseil de cycle",
          texte: "Lundi 17 h.",
          destinataires: teacher.id,
        })
      ).status,
    ).toBe(303);
    expect(
      await count(sql`select count(*)::int as n from notifications where user_id = ${teacher.id} and kind = 'message'`),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from outbox_mail where "to" = ${email} and subject like 'Nouveau message de %'`,
      ),
    ).toBe(1);
    expect(await inboxOf(teacher)).toContain("Conseil de cycle");
    // Others keep the defaults: in the hub, no e-mail.
    await director.post("/messagerie/nouveau", {
      objet: "Conseil de cycle (2)",
      texte: "Lundi 17 h.",
      destinataires: s.teacher.id,
    });
    expect(
      await count(
        sql`select count(*)::int as n from notifications where user_id = ${s.teacher.id} and body =
          'Conseil de cycle (2)'`,
      ),
    ).toBe(1);
    // Nobody changes another's choices: the form only ever saves the signed-in user's.
    expect(
      await count(sql`select count(*)::int as n from notification_preferences where user_id = ${teacher.id}`),
    ).toBe(CATEGORIES.length);
    expect(
      await count(sql`select count(*)::int as n from notification_preferences where user_id = ${s.teacher.id}`),
    ).toBe(0);
  });

  it("bad input gets a French message, keeps what was typed, and writes nothing", async () => {
    const pupil = await as(s.pupil);
    await pupil.get("/messagerie/nouveau");
    const before = await count(sql`select count(*)::int as n from messages where sender_id = ${s.pupil.id}`);
    const cases: [Record<string, string | string[]>, string][] = [
      [{ objet: "", texte: "Bonjour", destinataires: s.teacher.id }, t("message.error.subject_missing")],
      [{ objet: "x".repeat(201), texte: "Bonjour", destinataires: s.teacher.id }, t("message.error.subject_long")],
      [{ objet: "Question", texte: "   ", destinataires: s.teacher.id }, t("message.error.body_missing")],
      [{ objet: "Question", texte: "a".repeat(10_001), destinataires: s.teacher.id }, t("message.error.body_long")],
      [{ objet: "Question", texte: "Bonjour" }, t("message.error.recipients_missing")],
      [{ objet: "Question", texte: "Bonjour", destinataires: other.pupil.id }, t("message.error.recipients_forbidden")],
      [
        { objet: "Question", texte: "Bonjour", destinataires: "pas-un-identifiant" },
        t("message.error.recipients_forbidden"),
      ],
      [
        { objet: "Question", texte: "Bonjour", groupes: `parents:${s.classId}` },
        t("message.error.recipients_forbidden"),
      ],
      [
        { objet: "Question", texte: "Bonjour", groupes: `pupils:${other.classId}` },
        t("message.error.recipients_forbidden"),
      ],
      [{ objet: "Question", texte: "Bonjour", groupes: "n'importe quoi" }, t("message.error.recipients_forbidden")],
      [
        { objet: "Question", texte: "Bonjour", destinataires: s.teacher.id, groupes: `teachers:${s.classId}x` },
        t("message.error.recipients_forbidden"),
      ],
    ];
    for (const [form, error] of cases) {
      const page = await pupil.post("/messagerie/nouveau", form);
      expect(page.status).toBe(422);
      expect(page.text).toContain(error);
      if (typeof form.objet === "string" && form.objet && form.objet.length < 50)
        expect(page.html).toContain(`value="${form.objet}"`);
    }
    expect(await count(sql`select count(*)::int as n from messages where sender_id = ${s.pupil.id}`)).toBe(before);
    expect(
      (
        await pupil.post(
          "/messagerie/nouveau",
          { objet: "Question", texte: "Bonjour", destinataires: s.teacher.id },
          { csrf: null },
        )
      ).status,
    ).toBe(403);
  });

  it(
    "52C–52D a pupil's insult is never delivered: the pupil is told kindly, the teacher gets an incident report " +
      "with the words",
    async () => {
      const pupil = await as(s.pupil);
      await pupil.get("/messagerie/nouveau");
      const page = await pupil.post("/messagerie/nouveau", {
        objet: "Récré",
        texte: "T'es qu'un c0nnnard",
        destinataires: s.otherPupil.id,
      });
      expect(page.status).toBe(422);
      expect(page.text).toContain(t("message.blocked"));
      expect(page.text).toContain("T'es qu'un c0nnnard");
      expect(
        await count(sql`select count(*)::int as n from message_recipients r join messages m on m.id = r.message_id
      where m.sender_id = ${s.pupil.id} and m.state = 'blocked'`),
      ).toBe(0);
      expect(await inboxOf(s.otherPupil)).not.toContain("Récré");
      expect(
        await count(
          sql`select count(*)::int as n from notifications where user_id = ${s.teacher.id} and kind =
            'message.incident'`,
        ),
      ).toBe(1);
      expect(
        await count(
          sql`select count(*)::int as n from notifications where user_id = ${otherClassTeacher.id} and kind =
          'message.incident'`,
        ),
      ).toBe(0);

      const teacher = await as(s.teacher);
      const queue = await teacher.get("/messagerie/moderation");
      expect(queue.text).toContain("Récré");
      expect(queue.text).toContain(t("message.moderation.blocked"));
      const id = /href="\/messagerie\/moderation\/([0-9a-f-]{36})"/.exec(queue.html)![1]!;
      const detail = await teacher.get(`/messagerie/moderation/${id}`);
      expect(detail.text).toContain(t("message.moderation.words", { words: "connard" }));
      // Another class's teacher does not moderate this pupil; a pupil moderates nothing.
      expect((await (await as(otherClassTeacher)).get(`/messagerie/moderation/${id}`)).status).toBe(404);
      expect((await pupil.get("/messagerie/moderation")).status).toBe(403);
      // An adult's message is not filtered.
      const ok = await teacher.post("/messagerie/nouveau", {
        objet: "Vocabulaire",
        texte: "Le mot « connard » est une insulte.",
        destinataires: s.director.id,
      });
      expect(ok.status).toBe(303);
    },
  );

  it(
    "52A–52B a recipient reports a message; the director sees the message, its recipients, its date and who " +
      "reported it",
    async () => {
      env.clock.set("2026-11-24T10:00:00+01:00");
      const pupil = await as(s.otherPupil);
      await pupil.get("/messagerie/nouveau");
      expect(
        (
          await pupil.post("/messagerie/nouveau", {
            objet: "Devoirs",
            texte: "Tu me prêtes ton cahier ?",
            destinataires: s.pupil.id,
          })
        ).status,
      ).toBe(303);
      // Reported an hour and a half later: the page tells the message's time from the report's.
      env.clock.advance(90 * 60_000);
      const reader = await as(s.pupil);
      const inbox = await reader.get("/messagerie");
      const id = /href="\/messagerie\/([0-9a-f-]{36})">(?:<strong>)?Devoirs/.exec(inbox.html)![1]!;
      await reader.get(`/messagerie/${id}`);
      const reported = await reader.post(`/messagerie/${id}/signaler`, {});
      expect(reported.status).toBe(303);
      expect((await reader.get(reported.location!)).text).toContain(t("message.reported"));
      expect((await reader.post(`/messagerie/${id}/signaler`, {})).status).toBe(303);
      expect(await count(sql`select count(*)::int as n from message_reports where message_id = ${id}`)).toBe(1);
      const director = await as(s.director);
      const detail = await director.get(`/messagerie/moderation/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.text).toContain("Tu me prêtes ton cahier ?");
      const [senderName, readerName] = [await nameOf(s.otherPupil), await nameOf(s.pupil)];
      expect(detail.text).toContain(t("message.moderation.sent_at", { name: senderName, date: "24/11/2026 10:00" }));
      expect(detail.text).toContain(t("message.moderation.recipients", { names: readerName }));
      expect(detail.text).toContain(t("message.moderation.reports"));
      expect(detail.text).toContain(
        t("message.moderation.report_line", { name: readerName, date: "24/11/2026 11:30" }),
      );
      // The sender cannot report their own message (signed in afresh: the clock moved on).
      const sender = await as(s.otherPupil);
      await sender.get("/messagerie");
      expect((await sender.post(`/messagerie/${id}/signaler`, {})).status).toBe(404);
      env.clock.set("2026-11-24T10:00:00+01:00");
    },
  );

  it(
    "tenant isolation: another school's users get 404 on every messaging route for this school's message, and " +
      "change nothing",
    async () => {
      const teacher = await as(s.teacher);
      await teacher.get("/messagerie/nouveau");
      const sent = await teacher.post("/messagerie/nouveau", {
        objet: "Conseil des maîtres",
        texte: "Jeudi 17 h",
        destinataires: s.director.id,
      });
      const id = /href="\/messagerie\/([0-9a-f-]{36})">Conseil des maîtres/.exec(
        (await teacher.get(sent.location!)).html,
      )![1]!;
      for (const intruder of [other.teacher, other.director, other.parent, other.pupil, otherClassTeacher]) {
        const b = await as(intruder);
        await b.get("/messagerie");
        expect((await b.get(`/messagerie/${id}`)).status).toBe(404);
        expect((await b.get(`/messagerie/moderation/${id}`)).status).toBe(404);
        expect((await b.post(`/messagerie/${id}/corbeille`, { retour: "0" })).status).toBe(404);
        expect((await b.post(`/messagerie/${id}/signaler`, {})).status).toBe(404);
        expect((await b.get("/messagerie?q=Conseil")).text).not.toContain("Conseil des maîtres");
      }
      expect(await count(sql`select count(*)::int as n from message_reports where message_id = ${id}`)).toBe(0);
      expect(
        await count(
          sql`select count(*)::int as n from message_recipients where message_id = ${id} and (deleted_at is not null or
          read_at is not null)`,
        ),
      ).toBe(0);
      // Without a session: the login page.
      expect((await new TestBrowser(env.app).get("/messagerie")).status).toBe(303);
      expect((await (await as(other.teacher)).get("/messagerie/pas-un-id")).status).toBe(404);
    },
  );

  it("a school created without messages shows empty folders", async () => {
    const school = await buildSchool(env.platform.db);
    const teacher = await buildUser(env.platform.db, env.platform.passwords, { profile: "teacher", uai: school.uai });
    expect(await inboxOf(teacher)).toContain(t("message.empty"));
  });
});
