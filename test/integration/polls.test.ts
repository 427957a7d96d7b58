// 54D polls: audience through the messaging rules, one vote each, anonymous ballots name nobody, results for the
// author at once and for voters after voting, closing time; pupils cannot create; bad input writes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("polls on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function create(fields: Record<string, string | string[]>) {
    const b = await as(s.teacher);
    await b.get("/sondages/nouveau");
    return b.post("/sondages/nouveau", {
      ecole: s.school.uai,
      question: "Quel jour pour la fête ?",
      choix: "Vendredi\nSamedi",
      fin: "2026-12-20T18:00",
      groupes: `parents:${s.classId}`,
      ...fields,
    });
  }
  const pollId = (location: string) => /\/sondages\/([0-9a-f-]{36})/.exec(location)![1]!;

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set("2026-12-14T10:00:00+01:00");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
  });

  it("54D the parents of the class answer once; the author sees results live, the voter after voting", async () => {
    const res = await create({});
    expect(res.status).toBe(303);
    const id = pollId(res.location!);
    const parent = await as(s.parent);
    const page = await parent.get(`/sondages/${id}`);
    expect(page.html).not.toContain(t("poll.results"));
    expect((await parent.post(`/sondages/${id}/vote`, { choix: "1" })).location).toBe(`/sondages/${id}?fait=vote`);
    const after = await parent.get(`/sondages/${id}`);
    expect(after.text).toContain(t("poll.count", { count: 1 }));
    const again = await parent.post(`/sondages/${id}/vote`, { choix: "0" });
    expect(again.status).toBe(422);
    expect(again.text).toContain(t("poll.error.already"));
    const author = (await (await as(s.teacher)).get(`/sondages/${id}`)).text;
    expect(author).toContain(t("poll.participation", { voters: 1, audience: 1 }));
    expect(author).toContain("Samedi");
    // Not addressed: a pupil of the class, another school.
    expect((await (await as(s.pupil)).get(`/sondages/${id}`)).status).toBe(404);
    expect((await (await as(other.parent)).get(`/sondages/${id}`)).status).toBe(404);
  });

  it("54D an anonymous poll's ballots name nobody; a closed poll takes no vote; multiple choice", async () => {
    const res = await create({
      anonyme: "1",
      plusieurs: "1",
      choix: "Jeux\nChants\nGoûter",
      groupes: [],
      destinataires: [s.pupil.id, s.otherPupil.id],
    });
    const id = pollId(res.location!);
    const pupil = await as(s.pupil);
    await pupil.get(`/sondages/${id}`);
    expect((await pupil.post(`/sondages/${id}/vote`, { choix: ["0", "2"] })).status).toBe(303);
    const ballots = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ voter_id: string | null }>(
        await tx.execute(sql`
      select voter_id from poll_ballots where poll_id = ${id}`),
      ),
    );
    expect(ballots).toEqual([{ voter_id: null }]);
    // The results give counts only, no names in brackets.
    const results = (await (await as(s.teacher)).get(`/sondages/${id}`)).text;
    expect(results).toContain(t("poll.count", { count: 1 }));
    expect(results).not.toMatch(/voix \(/);
    env.clock.set("2026-12-21T10:00:00+01:00");
    try {
      const late = await as(s.otherPupil);
      await late.get(`/sondages/${id}`);
      const refused = await late.post(`/sondages/${id}/vote`, { choix: "1" });
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(t("poll.error.closed"));
    } finally {
      env.clock.set("2026-12-14T10:00:00+01:00");
    }
  });

  it(
    "54D pupils cannot create; bad input and unreachable " + "audiences are refused in French and write nothing",
    async () => {
      expect((await (await as(s.pupil)).get("/sondages/nouveau")).status).toBe(403);
      const count = async () =>
        withTenant(
          env.platform.db,
          systemScope,
          async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from polls`))[0]!.n,
        );
      const before = await count();
      for (const [fields, issue] of [
        [{ question: "" }, "question"],
        [{ question: "x".repeat(10_000) }, "question"],
        [{ choix: "Seul" }, "options"],
        [{ fin: "demain" }, "closes"],
        // A day that does not exist is refused, not read as 2 March (which would be within the 90 days).
        [{ fin: "2027-02-30T10:00" }, "closes"],
        [{ fin: "2026-12-01T10:00" }, "closes_past"],
        [{ fin: "2027-06-01T10:00" }, "closes_far"],
        [{ groupes: [] }, "audience"],
        [{ groupes: [], destinataires: [other.parent.id] }, "forbidden_audience"],
      ] as const) {
        const res = await create(fields as Record<string, string | string[]>);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`poll.error.${issue}` as never));
      }
      expect(await count()).toBe(before);
    },
  );
  it(
    "57E the list narrows by words of the question and " + "by state; a search's % is a character, not a wildcard",
    async () => {
      const first = pollId((await create({ question: "Kermesse : quelle date ?" })).location!);
      await create({ question: "Couleur des t-shirts à 100 % coton ?" });
      const parent = await as(s.parent);
      await parent.get(`/sondages/${first}`);
      await parent.post(`/sondages/${first}/vote`, { choix: "0" });
      const list = async (query: string) => (await parent.get(`/sondages?${query}`)).text;
      const byWords = await list("q=kermesse");
      expect(byWords).toContain("Kermesse : quelle date ?");
      expect(byWords).not.toContain("Couleur des t-shirts");
      const waiting = await list("etat=to_answer");
      expect(waiting).toContain("Couleur des t-shirts");
      expect(waiting).not.toContain("Kermesse : quelle date ?");
      expect(await list("q=100%20%25")).toContain("Couleur des t-shirts");
      expect(await list("q=%25%25%25")).toContain(t("poll.filter.none"));
      expect(await list("etat=closed")).not.toContain("Kermesse");
      // Unknown state: the whole list.
      expect(await list("etat=n'importe")).toContain("Kermesse : quelle date ?");
    },
  );
});
