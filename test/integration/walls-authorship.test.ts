// Authorship on walls (issue 21 F4): a post-it's author (id, name) and creation time come from the server — the
// socket's ticket and the server's clock — never from the client, for every role, moderators included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addPostit, postitsOf, readPostits, updatePostit } from "../../realtime/wall-model";
import { buildSchoolWithClass, buildUser } from "../helpers/factories";
import { classWall, postitOf, roomsApp, signedIn, until, yClient, type Client } from "../helpers/realtime";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("21 F4 authorship of a post-it is set by the server from the ticket", () => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let lea: { id: string; login: string; password: string };
  let wallId: string;
  let roomId: string;
  const clients: Client[] = [];

  async function live(user: { login: string; password: string }, room = roomId) {
    const { cookie } = await signedIn(env, user);
    const c = await yClient(env.ws, room, { headers: { cookie } });
    clients.push(c);
    return c;
  }
  const closedSoon = (c: Client, ms = 2_000) => Promise.race([c.closed, sleep(ms).then(() => null)]);
  const stored = async (id: string) => (await env.rooms.read(roomId, readPostits)).find((p) => p.id === id);

  beforeAll(async () => {
    env = await roomsApp("pglite");
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    lea = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: s.classId,
      firstName: "Léa",
      lastName: "Martin",
    });
    ({ wallId, roomId } = await classWall(env, s.teacher, s.school.uai, s.classId));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await env?.stop();
  });

  it(
    "a pupil signs 'Mme la Directrice': the wall stores " + "and shows the pupil's real name and the server's time",
    async () => {
      const watcher = await live(s.otherPupil);
      const seenNames: unknown[] = [];
      postitsOf(watcher.doc).observeDeep(() =>
        postitsOf(watcher.doc).forEach((m) => seenNames.push(m instanceof Y.Map ? m.get("authorName") : null)),
      );
      const pupil = await live(lea);
      const forged = postitOf(lea.id, {
        text: "Demain, pas école",
        authorName: "Mme la Directrice",
        createdAt: "2001-01-01T00:00:00.000Z",
      });
      addPostit(pupil.doc, forged);
      await until(() => seenNames.length > 0);
      await sleep(200);
      expect(await stored(forged.id)).toMatchObject({
        authorId: lea.id,
        authorName: "Léa Martin",
        createdAt: env.clock.now().toISOString(),
      });
      // The other screens never saw the forged name, and the author's own screen is corrected.
      expect(seenNames).not.toContain("Mme la Directrice");
      await until(() => postitsOf(pupil.doc).get(forged.id)?.get("authorName") === "Léa Martin");
      expect(pupil.provider.wsconnected).toBe(true);
      const page = await (await signedIn(env, s.teacher)).browser.get(`/murs/${wallId}`);
      expect(page.text).toContain("Demain, pas école");
      expect(page.text).toContain("Léa Martin");
      expect(page.text).not.toContain("Mme la Directrice");
    },
  );

  it("a pupil cannot rename the author of their own post-it or change its date afterwards (4403)", async () => {
    const pupil = await live(lea);
    const own = postitOf(lea.id, { text: "Le mien" });
    addPostit(pupil.doc, own);
    await sleep(200);
    expect(await stored(own.id)).toMatchObject({ authorName: "Léa Martin" });
    for (const [what, change] of [
      ["authorName", { authorName: "Mme la Directrice" }],
      ["createdAt", { createdAt: "2001-01-01T00:00:00.000Z" }],
    ] as const) {
      const screen = await live(lea);
      if (what === "createdAt") postitsOf(screen.doc).get(own.id)!.set("createdAt", change.createdAt!);
      else updatePostit(screen.doc, own.id, change);
      expect((await closedSoon(screen))?.code, what).toBe(4403);
    }
    expect(await stored(own.id)).toMatchObject({ authorName: "Léa Martin", createdAt: env.clock.now().toISOString() });
  });

  it(
    "a teacher cannot forge a pupil's authorship, but still " +
      "moderates the text; their own post-it bears their name",
    async () => {
      const pupil = await live(lea);
      const hers = postitOf(lea.id, { text: "Écrit par Léa" });
      addPostit(pupil.doc, hers);
      await sleep(300);
      const attempts: [string, (d: Y.Doc) => void][] = [
        ["a new post-it signed with the pupil's id", (d) => addPostit(d, postitOf(lea.id, { text: "Faux de Léa" }))],
        [
          "the pupil's name on her post-it",
          (d) => void updatePostit(d, hers.id, { authorName: "Léa Martin (corrigé)" }),
        ],
        ["the author id of her post-it", (d) => postitsOf(d).get(hers.id)!.set("authorId", s.teacher.id)],
      ];
      for (const [what, attempt] of attempts) {
        const teacher = await live(s.teacher);
        attempt(teacher.doc);
        expect((await closedSoon(teacher))?.code, what).toBe(4403);
      }
      const after = await env.rooms.read(roomId, readPostits);
      expect(after.some((p) => p.text === "Faux de Léa")).toBe(false);
      expect(after.find((p) => p.id === hers.id)).toMatchObject({ authorId: lea.id, authorName: "Léa Martin" });
      // Moderation: the teacher corrects the text of the pupil's post-it.
      const teacher = await live(s.teacher);
      updatePostit(teacher.doc, hers.id, { text: "Écrit par Léa, corrigé" });
      const mine = postitOf(s.teacher.id, { text: "Consigne", authorName: "Le ministre" });
      addPostit(teacher.doc, mine);
      await sleep(300);
      expect(await stored(hers.id)).toMatchObject({ text: "Écrit par Léa, corrigé", authorId: lea.id });
      expect((await stored(mine.id))?.authorName).not.toBe("Le ministre");
      expect((await stored(mine.id))?.authorName).toMatch(/^Camille Test/);
      expect(teacher.provider.wsconnected).toBe(true);
    },
  );

  it(
    "on a moderated wall a pupil's post-it waits for " + "approval even when the client leaves the approval out",
    async () => {
      const moderated = await classWall(env, s.teacher, s.school.uai, s.classId, "moderated");
      const pupil = await live(lea, moderated.roomId);
      const id = crypto.randomUUID();
      pupil.doc.transact(() => {
        const m = new Y.Map<unknown>();
        postitsOf(pupil.doc).set(id, m);
        m.set("authorId", lea.id);
        m.set("text", "Sans validation ?");
      });
      await sleep(300);
      const kept = (await env.rooms.read(moderated.roomId, readPostits)).find((p) => p.id === id);
      expect(kept).toMatchObject({ approved: false, authorName: "Léa Martin" });
    },
  );
});
