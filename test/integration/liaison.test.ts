// 54E liaison notebook: a teacher writes to the parents of the class; each parent acknowledges and answers; the
// teacher sees who read and what they answered; a reminder reaches those who have not read, once, at the chosen time;
// a parent never sees another family's child; bad input writes nothing; a printable slip.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { runDueJobs } from "../../src/jobs/runner";
import { liaisonReminder } from "../../src/services/classroom/liaison";
import { silentLogger } from "../../src/log";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildUser, linkParent, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("liaison notebook on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let secondParent: BuiltUser;
  let otherPupilParent: BuiltUser;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function send(fields: Record<string, string>) {
    const b = await as(s.teacher);
    await b.get("/carnet/nouveau");
    return b.post("/carnet/nouveau", { pour: `classe:${s.classId}`, reponse: "none", rappel: "", ...fields });
  }
  const noteId = (location: string) => /\/carnet\/([0-9a-f-]{36})/.exec(location)![1]!;

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set("2026-12-09T10:00:00+01:00");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    secondParent = await buildUser(env.platform.db, env.platform.passwords, {});
    await linkParent(env.platform.db, secondParent.id, s.pupil.id, s.school.uai);
    otherPupilParent = await buildUser(env.platform.db, env.platform.passwords, {});
    await linkParent(env.platform.db, otherPupilParent.id, s.otherPupil.id, s.school.uai);
  });

  it(
    "54E an outing authorisation: each parent answers " + "yes or no; the teacher sees per child and per parent",
    async () => {
      const res = await send({ titre: "Sortie au musée", texte: "Sortie jeudi, retour 16 h.", reponse: "yesno" });
      expect(res.status).toBe(303);
      const id = noteId(res.location!);
      const parent = await as(s.parent);
      const page = await parent.get("/carnet");
      expect(page.text).toContain("Sortie au musée");
      expect(page.text).not.toContain(s.otherPupil.login);
      // An answer is needed for this note.
      const missing = await parent.post(`/carnet/${id}/lu`, { enfant: s.pupil.id });
      expect(missing.status).toBe(422);
      expect(missing.text).toContain(t("liaison.error.reply_missing"));
      expect((await parent.post(`/carnet/${id}/lu`, { enfant: s.pupil.id, reponse: "oui" })).location).toBe(
        "/carnet?fait=lu",
      );
      // Not for another family's child.
      expect((await parent.post(`/carnet/${id}/lu`, { enfant: s.otherPupil.id, reponse: "oui" })).status).toBe(404);
      const teacher = await as(s.teacher);
      const status = (await teacher.get(`/carnet/${id}`)).text;
      expect(status).toContain("oui");
      expect((await teacher.get("/carnet")).text).toContain(t("liaison.read_count", { read: 1, total: 2 }));
      const slip = await teacher.get(`/carnet/${id}/coupon`);
      expect(slip.text).toContain(t("liaison.slip_yesno"));
      // Another school's staff and other parents see nothing of it.
      expect((await (await as(other.teacher)).get(`/carnet/${id}`)).status).toBe(404);
      expect((await (await as(other.parent)).get("/carnet")).text).not.toContain("Sortie au musée");
    },
  );

  it(
    "54E the reminder reaches parents who have not read, " +
      "once, at the chosen time; a parent who read is left alone",
    async () => {
      const res = await send({ titre: "Réunion de parents", texte: "Mardi 18 h.", rappel: "24" });
      const id = noteId(res.location!);
      const parent = await as(s.parent);
      await parent.get("/carnet");
      await parent.post(`/carnet/${id}/lu`, { enfant: s.pupil.id });
      const handlers = {
        "liaison.remind": async (payload: Record<string, unknown>, ctx: { now: Date }) => {
          await liaisonReminder(env.platform.db, String(payload.noteId), ctx.now, {});
        },
      };
      const remindersOf = async (userId: string) =>
        withTenant(
          env.platform.db,
          systemScope,
          async (tx) =>
            rowsOf<{ n: number }>(
              await tx.execute(sql`
      select count(*)::int as n from notifications where user_id = ${userId} and title =
      'Rappel — carnet de liaison : Réunion de parents'`),
            )[0]!.n,
        );
      env.clock.set("2026-12-10T09:59:00+01:00");
      await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger);
      expect(await remindersOf(otherPupilParent.id)).toBe(0);
      env.clock.set("2026-12-10T10:01:00+01:00");
      await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger);
      expect(await remindersOf(otherPupilParent.id)).toBe(1);
      // Each parent acknowledges for themself: the other parent of the same child is reminded too; the one who read is
      // not.
      expect(await remindersOf(secondParent.id)).toBe(1);
      expect(await remindersOf(s.parent.id)).toBe(0);
      // Once only, even if the job runs again.
      expect(await liaisonReminder(env.platform.db, id, env.clock.now(), {})).toBe(0);
      expect(await remindersOf(otherPupilParent.id)).toBe(1);
      env.clock.set("2026-12-09T10:00:00+01:00");
    },
  );

  it("54E only teachers of the class and the director write; bad input writes nothing", async () => {
    expect((await (await as(s.parent)).get("/carnet/nouveau")).status).toBe(403);
    expect((await (await as(s.pupil)).get("/carnet/nouveau")).status).toBe(403);
    const before = await withTenant(
      env.platform.db,
      systemScope,
      async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from liaison_notes`))[0]!.n,
    );
    for (const [fields, issue] of [
      [{ titre: "", texte: "x" }, "title"],
      [{ titre: "x".repeat(10_000), texte: "x" }, "title"],
      [{ titre: "T", texte: "" }, "body"],
      [{ titre: "T", texte: "x", reponse: "peut-être" }, "reply_kind"],
      [{ titre: "T", texte: "x", rappel: "5" }, "reminder"],
      [{ titre: "T", texte: "x", pour: `classe:${other.classId}` }, "audience"],
      [{ titre: "T", texte: "x", pour: "ecole" }, "audience"],
    ] as const) {
      const res = await send(fields);
      expect(res.status, issue).toBe(422);
      expect(res.text).toContain(t(`liaison.error.${issue}` as never));
    }
    const after = await withTenant(
      env.platform.db,
      systemScope,
      async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from liaison_notes`))[0]!.n,
    );
    expect(after).toBe(before);
    // The director writes to the whole school.
    const director = await as(s.director);
    await director.get("/carnet/nouveau");
    expect(
      (
        await director.post("/carnet/nouveau", {
          pour: "ecole",
          titre: "Fermeture",
          texte: "Pont de mai.",
          reponse: "none",
          rappel: "",
        })
      ).status,
    ).toBe(303);
    expect((await (await as(otherPupilParent)).get("/carnet")).text).toContain("Fermeture");
  });
  it("57E the sender's list narrows by words and to notes some families have not read", async () => {
    await send({ titre: "Photo de classe", texte: "Le photographe passe lundi." });
    const teacher = await as(s.teacher);
    const list = async (query: string) => (await teacher.get(`/carnet?${query}`)).text;
    const byWords = await list("q=photographe");
    expect(byWords).toContain("Photo de classe");
    expect(byWords).not.toContain("Sortie au musée");
    expect(await list("q=introuvable")).toContain(t("liaison.filter.none"));
    expect(await list("non_lus=1")).toContain("Photo de classe");
    // Another teacher's search finds nothing of this one's notes.
    expect((await (await as(other.teacher)).get("/carnet?q=photographe")).text).not.toContain("Photo de classe");
  });
});
