// 54B collaborative walls through the real app: pages and plain forms (no JavaScript), the room behind them with
// official y-websocket clients on real sockets, moderation modes, bad input, and tenant isolation on pages and sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { readPostits } from "../../realtime/wall-model";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildClass, buildSchoolWithClass, buildUser } from "../helpers/factories";
import { roomsApp, until, yClient, type Client } from "../helpers/realtime";
import { testApp } from "../helpers/platform";

describe.each(DATABASE_KINDS)("54B walls on %s", (kind) => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherClassPupil: { id: string; login: string; password: string };
  let wallId: string;
  let roomId: string;
  const clients: Client[] = [];

  async function as(user: { login: string; password: string }) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    await b.get("/murs");
    return b;
  }
  const cookieOf = (b: TestBrowser) => `preau_session=${b.cookie("preau_session")}`;
  async function live(b: TestBrowser | null, room: string, waitSync = true) {
    const c = await yClient(env.ws, room, { headers: b ? { cookie: cookieOf(b) } : {}, waitSync });
    clients.push(c);
    return c;
  }
  const wallCount = async (uai: string) =>
    withTenant(
      env.platform.db,
      systemScope,
      async (tx) =>
        rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from walls where uai = ${uai}`))[0]!.n,
    );

  beforeAll(async () => {
    env = await roomsApp(kind);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const otherClass = await buildClass(env.platform.db, s.school.uai, "CE2");
    otherClassPupil = await buildUser(env.platform.db, env.platform.passwords, {
      profile: "pupil",
      uai: s.school.uai,
      classId: otherClass,
    });
    const teacher = await as(s.teacher);
    const created = await teacher.post("/murs", {
      titre: "Nos idées",
      cible: `classe:${s.classId}`,
      disposition: "free",
      mode: "open",
      colonnes: "",
    });
    expect(created.status).toBe(303);
    wallId = created.location!.split("/").pop()!;
    roomId = `${s.school.uai}:wall:${wallId}`;
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await env?.stop();
  });

  it("54B a teacher creates a wall for the class; it is listed for the class's pupils", async () => {
    const page = await (await as(s.teacher)).get(`/murs/${wallId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Nos idées");
    expect(page.text).toContain(t("wall.board.empty"));
    expect(page.html).toContain(`data-room="${roomId}"`);
    const list = await (await as(s.pupil)).get("/murs");
    expect(list.text).toContain("Nos idées");
    expect(list.text).not.toContain(t("wall.new.title"));
    // 54I: the class is told, and the news feed shows it among the apps' events; another class is not.
    const feed = await (await as(s.pupil)).get("/fil");
    expect(feed.text).toContain("Nouveau mur : Nos idées");
    expect(feed.html).toContain(`href="/murs/${wallId}"`);
    expect((await (await as(otherClassPupil)).get("/fil")).text).not.toContain("Nouveau mur : Nos idées");
  });

  it("54B bad creation input gets a clear French error, the form as typed, and creates nothing", async () => {
    const teacher = await as(s.teacher);
    await teacher.get("/murs");
    const before = await wallCount(s.school.uai);
    const cases: [Record<string, string>, string][] = [
      [
        { titre: "  ", cible: `classe:${s.classId}`, disposition: "free", mode: "open", colonnes: "" },
        t("wall.error.title_required"),
      ],
      [
        { titre: "x".repeat(121), cible: `classe:${s.classId}`, disposition: "free", mode: "open", colonnes: "" },
        t("wall.error.title_too_long"),
      ],
      [
        { titre: "Colonnes", cible: `classe:${s.classId}`, disposition: "columns", mode: "open", colonnes: "" },
        t("wall.error.columns_required"),
      ],
      [
        {
          titre: "Colonnes",
          cible: `classe:${s.classId}`,
          disposition: "columns",
          mode: "open",
          colonnes: "a\nb\nc\nd\ne\nf\ng",
        },
        t("wall.error.columns_too_many"),
      ],
      [
        { titre: "Mode", cible: `classe:${s.classId}`, disposition: "free", mode: "anarchie", colonnes: "" },
        t("wall.error.mode_invalid"),
      ],
      [
        { titre: "Cible", cible: "classe:../../etc", disposition: "free", mode: "open", colonnes: "" },
        t("wall.error.target_invalid"),
      ],
      [
        { titre: "Autre école", cible: `classe:${other.classId}`, disposition: "free", mode: "open", colonnes: "" },
        t("wall.error.target_invalid"),
      ],
    ];
    for (const [fields, message] of cases) {
      const page = await teacher.post("/murs", fields);
      expect(page.status, message).toBe(422);
      expect(page.text).toContain(message);
      expect(page.text).toContain(t("wall.error.form"));
      if (fields.titre!.trim() && fields.titre!.length <= 120) expect(page.html).toContain(`value="${fields.titre}"`);
    }
    expect(await wallCount(s.school.uai)).toBe(before);
    // A pupil has nowhere to create a wall.
    const pupil = await as(s.pupil);
    await pupil.get("/murs");
    expect(
      (
        await pupil.post("/murs", {
          titre: "Le mien",
          cible: `classe:${s.classId}`,
          disposition: "free",
          mode: "open",
          colonnes: "",
        })
      ).status,
    ).toBe(403);
    expect(await wallCount(s.school.uai)).toBe(before);
  });

  it("54B a post-it added with the plain form (no JavaScript) appears on a live screen without a click", async () => {
    const teacher = await as(s.teacher);
    const screen = await live(teacher, roomId);
    const pupil = await as(s.pupil);
    await pupil.get(`/murs/${wallId}`);
    const posted = await pupil.post(`/murs/${wallId}/postits`, {
      texte: "J'aime les volcans",
      couleur: "vert",
      colonne: "0",
    });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe(`/murs/${wallId}?fait=ajoute`);
    // The POST answers once the room has stored and sent it: the live screen has it by then or a moment later.
    await until(
      () => readPostits(screen.doc).some((p) => p.text === "J'aime les volcans"),
      3_000,
      "live screen never got the post-it",
    );
    const postit = readPostits(screen.doc).find((p) => p.text === "J'aime les volcans")!;
    expect(postit).toMatchObject({ authorId: s.pupil.id, colour: "vert", approved: true });
    const after = await pupil.get(`/murs/${wallId}?fait=ajoute`);
    expect(after.text).toContain("J'aime les volcans");
    expect(after.text).toContain(t("wall.postit.added"));
  });

  it("54B a live client's post-it is in the no-JS HTML view at once, and the pupils' clients converge", async () => {
    const a = await live(await as(s.pupil), roomId);
    const b = await live(await as(s.otherPupil), roomId);
    const { addPostit } = await import("../../realtime/wall-model");
    addPostit(a.doc, {
      id: crypto.randomUUID(),
      authorId: s.pupil.id,
      authorName: "Camille",
      text: "Posté en direct",
      colour: "rose",
      x: 10,
      y: 10,
      column: 0,
      approved: true,
      createdAt: new Date().toISOString(),
    });
    await until(() => readPostits(b.doc).some((p) => p.text === "Posté en direct"));
    const page = await (await as(s.teacher)).get(`/murs/${wallId}`);
    expect(page.text).toContain("Posté en direct");
  });

  it("54B bad post-it input gets a clear French error and changes nothing", async () => {
    const pupil = await as(s.pupil);
    await pupil.get(`/murs/${wallId}`);
    const count = async () => (await env.rooms.read(roomId, (d) => readPostits(d))).length;
    const before = await count();
    for (const [fields, key] of [
      [{ texte: "   ", couleur: "jaune", colonne: "0" }, "wall.postit.error.text_required"],
      [{ texte: "a".repeat(501), couleur: "jaune", colonne: "0" }, "wall.postit.error.text_too_long"],
      [{ texte: "Bonjour", couleur: "fuchsia", colonne: "0" }, "wall.postit.error.colour_invalid"],
    ] as const) {
      const page = await pupil.post(`/murs/${wallId}/postits`, fields);
      expect(page.status).toBe(422);
      expect(page.text).toContain(t(key));
    }
    expect(await count()).toBe(before);
    expect(
      (await pupil.post(`/murs/${wallId}/postits/nimporte-quoi`, { texte: "x", couleur: "jaune", colonne: "0" }))
        .status,
    ).toBe(404);
  });

  it("54B pupils edit and delete their own post-its only; the teacher moderates all", async () => {
    const pupil = await as(s.pupil);
    await pupil.get(`/murs/${wallId}`);
    await pupil.post(`/murs/${wallId}/postits`, { texte: "À corriger", couleur: "jaune", colonne: "0" });
    const mine = (await env.rooms.read(roomId, readPostits)).find((p) => p.text === "À corriger")!;
    const otherPupil = await as(s.otherPupil);
    await otherPupil.get(`/murs/${wallId}`);
    expect(
      (await otherPupil.post(`/murs/${wallId}/postits/${mine.id}`, { texte: "Piraté", couleur: "jaune", colonne: "0" }))
        .status,
    ).toBe(403);
    expect((await otherPupil.post(`/murs/${wallId}/postits/${mine.id}/supprimer`, {})).status).toBe(403);
    expect(
      (await pupil.post(`/murs/${wallId}/postits/${mine.id}`, { texte: "Corrigé", couleur: "bleu", colonne: "0" }))
        .status,
    ).toBe(303);
    expect((await env.rooms.read(roomId, readPostits)).find((p) => p.id === mine.id)).toMatchObject({
      text: "Corrigé",
      colour: "bleu",
    });
    const teacher = await as(s.teacher);
    await teacher.get(`/murs/${wallId}`);
    expect((await teacher.post(`/murs/${wallId}/postits/${mine.id}/supprimer`, {})).status).toBe(303);
    expect((await env.rooms.read(roomId, readPostits)).some((p) => p.id === mine.id)).toBe(false);
  });

  it(
    "54B moderated: a pupil's post-it waits, hidden " + "from the other pupils, until the teacher approves it",
    async () => {
      const teacher = await as(s.teacher);
      await teacher.get(`/murs/${wallId}`);
      expect((await teacher.post(`/murs/${wallId}/mode`, { mode: "moderated" })).status).toBe(303);
      const pupil = await as(s.pupil);
      await pupil.get(`/murs/${wallId}`);
      const posted = await pupil.post(`/murs/${wallId}/postits`, {
        texte: "Idée à valider",
        couleur: "jaune",
        colonne: "0",
      });
      expect(posted.location).toContain("fait=attente");
      expect((await pupil.get(`/murs/${wallId}`)).text).toContain(t("wall.postit.pending"));
      expect((await (await as(s.otherPupil)).get(`/murs/${wallId}`)).text).not.toContain("Idée à valider");
      const seen = await teacher.get(`/murs/${wallId}`);
      expect(seen.text).toContain("Idée à valider");
      const pending = (await env.rooms.read(roomId, readPostits)).find((p) => p.text === "Idée à valider")!;
      expect(pending.approved).toBe(false);
      expect((await pupil.post(`/murs/${wallId}/postits/${pending.id}/valider`, {})).status).toBe(403);
      expect((await teacher.post(`/murs/${wallId}/postits/${pending.id}/valider`, {})).status).toBe(303);
      expect((await (await as(s.otherPupil)).get(`/murs/${wallId}`)).text).toContain("Idée à valider");
    },
  );

  it("54B closed: pupils can no longer post, and a connected pupil's socket becomes read-only at once", async () => {
    const pupilBrowser = await as(s.pupil);
    const pupilScreen = await live(pupilBrowser, roomId);
    const teacher = await as(s.teacher);
    const teacherScreen = await live(teacher, roomId);
    await teacher.get(`/murs/${wallId}`);
    expect((await teacher.post(`/murs/${wallId}/mode`, { mode: "closed" })).status).toBe(303);
    await pupilBrowser.get(`/murs/${wallId}`);
    expect(
      (await pupilBrowser.post(`/murs/${wallId}/postits`, { texte: "Interdit", couleur: "jaune", colonne: "0" }))
        .status,
    ).toBe(403);
    pupilScreen.doc.getMap("postits").set("forced", new (await import("yjs")).Map());
    // The teacher's post-it, sent after the pupil's attempt, marks when the room has seen both.
    const { addPostit, postitsOf } = await import("../../realtime/wall-model");
    const marker = crypto.randomUUID();
    addPostit(teacherScreen.doc, {
      id: marker,
      authorId: s.teacher.id,
      authorName: "",
      text: "Repère",
      colour: "bleu",
      x: 0,
      y: 0,
      column: 0,
      approved: true,
      createdAt: "",
    });
    await until(() => postitsOf(pupilScreen.doc).has(marker));
    await new Promise((r) => setTimeout(r, 100));
    expect(teacherScreen.doc.getMap("postits").has("forced")).toBe(false);
    expect((await teacher.post(`/murs/${wallId}/mode`, { mode: "open" })).status).toBe(303);
  });

  it(
    "54B over the socket a pupil changes only their own post-its: anything else closes the socket (4403) and is not " +
      "kept",
    async () => {
      const { addPostit, updatePostit, removePostit, postitsOf } = await import("../../realtime/wall-model");
      const teacher = await as(s.teacher);
      await teacher.post(`/murs/${wallId}/postits`, { texte: "Consigne du maître", couleur: "bleu", colonne: "0" });
      const teacherPostit = (await env.rooms.read(roomId, readPostits)).find((p) => p.text === "Consigne du maître")!;
      const attempts: [string, (doc: import("yjs").Doc) => void][] = [
        ["edit another's post-it", (d) => void updatePostit(d, teacherPostit.id, { text: "Piraté" })],
        ["move another's post-it", (d) => void updatePostit(d, teacherPostit.id, { x: 999 })],
        ["delete another's post-it", (d) => void removePostit(d, teacherPostit.id)],
        [
          "sign a post-it with someone else's id",
          (d) =>
            addPostit(d, {
              id: crypto.randomUUID(),
              authorId: s.teacher.id,
              authorName: "Le maître",
              text: "Faux",
              colour: "jaune",
              x: 0,
              y: 0,
              column: 0,
              approved: true,
              createdAt: new Date().toISOString(),
            }),
        ],
        ["write outside the post-its", (d) => d.getMap("reglages").set("mode", "open")],
      ];
      for (const [what, attempt] of attempts) {
        const screen = await live(await as(s.pupil), roomId);
        attempt(screen.doc);
        expect((await screen.closed).code, what).toBe(4403);
      }
      const after = await env.rooms.read(roomId, (d) => ({
        postits: readPostits(d),
        other: d.getMap("reglages").size,
      }));
      expect(after.postits.find((p) => p.id === teacherPostit.id)).toMatchObject({
        text: "Consigne du maître",
        x: teacherPostit.x,
      });
      expect(after.postits.some((p) => p.text === "Faux")).toBe(false);
      expect(after.other).toBe(0);
      // Their own: add, edit, move, delete — all kept.
      const mine = await live(await as(s.pupil), roomId);
      const id = crypto.randomUUID();
      addPostit(mine.doc, {
        id,
        authorId: s.pupil.id,
        authorName: "Camille",
        text: "Le mien",
        colour: "vert",
        x: 5,
        y: 5,
        column: 0,
        approved: true,
        createdAt: new Date().toISOString(),
      });
      updatePostit(mine.doc, id, { text: "Le mien, corrigé", x: 45 });
      await until(() => postitsOf(mine.doc).has(id));
      await new Promise((r) => setTimeout(r, 150));
      expect((await env.rooms.read(roomId, readPostits)).find((p) => p.id === id)).toMatchObject({
        text: "Le mien, corrigé",
        x: 45,
      });
      removePostit(mine.doc, id);
      await new Promise((r) => setTimeout(r, 150));
      expect((await env.rooms.read(roomId, readPostits)).some((p) => p.id === id)).toBe(false);
      expect(mine.provider.wsconnected).toBe(true);
    },
  );

  it(
    "54B tenant isolation: another school's user gets 404 " +
      "on the page and 4403 on the socket; no session gets 4401",
    async () => {
      const stranger = await as(other.teacher);
      expect((await stranger.get(`/murs/${wallId}`)).status).toBe(404);
      await stranger.get("/");
      expect(
        (await stranger.post(`/murs/${wallId}/postits`, { texte: "Intrus", couleur: "jaune", colonne: "0" })).status,
      ).toBe(404);
      const refused = await live(stranger, roomId, false);
      expect((await refused.closed).code).toBe(4403);
      // The same wall id under the stranger's own school is not that room either.
      const disguised = await live(stranger, `${other.school.uai}:wall:${wallId}`, false);
      expect((await disguised.closed).code).toBe(4404);
      const anonymous = await live(null, roomId, false);
      expect((await anonymous.closed).code).toBe(4401);
      expect((await env.rooms.read(roomId, readPostits)).some((p) => p.text === "Intrus")).toBe(false);
    },
  );

  it("54B a pupil of another class of the school gets 403 on the page and 4403 on the socket", async () => {
    const outsider = await as(otherClassPupil);
    expect((await outsider.get(`/murs/${wallId}`)).status).toBe(403);
    const refused = await live(outsider, roomId, false);
    expect((await refused.closed).code).toBe(4403);
  });

  it("54B a columns wall renders its columns without JavaScript and checks the column", async () => {
    const teacher = await as(s.teacher);
    await teacher.get("/murs");
    const created = await teacher.post("/murs", {
      titre: "Tri",
      cible: "ecole",
      disposition: "columns",
      mode: "open",
      colonnes: "Vrai\nFaux",
    });
    expect(created.status).toBe(303);
    const id = created.location!.split("/").pop()!;
    await teacher.get(`/murs/${id}`);
    expect(
      (await teacher.post(`/murs/${id}/postits`, { texte: "La Terre est ronde", couleur: "bleu", colonne: "0" }))
        .status,
    ).toBe(303);
    expect(
      (await teacher.post(`/murs/${id}/postits`, { texte: "Mauvaise colonne", couleur: "bleu", colonne: "5" })).status,
    ).toBe(422);
    const page = await (await as(otherClassPupil)).get(`/murs/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(
      /<h3 id="col-0">Vrai<\/h3>\s*<ul class="postits" data-column="0"><li[^>]*>\s*<p class="postit-text">La Terre est ronde/,
    );
    expect(page.text).toContain("Faux");
  });
});

describe("54B 56B without realtime rooms (a runtime that has none)", () => {
  it("54B 56B walls and documents answer 404 on every page and form, and nothing is created", async () => {
    const env = await testApp("pglite");
    const s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const teacher = new TestBrowser(env.app);
    expect((await teacher.login(s.teacher.login, s.teacher.password)).status).toBe(303);
    await teacher.get("/");
    const someId = "00000000-0000-4000-8000-000000000000";
    expect((await teacher.get("/murs")).status).toBe(404);
    const wall = { titre: "Nos idées", cible: `classe:${s.classId}`, disposition: "free", mode: "open", colonnes: "" };
    expect((await teacher.post("/murs", wall)).status).toBe(404);
    expect((await teacher.get(`/murs/${someId}`)).status).toBe(404);
    expect((await teacher.post(`/murs/${someId}/mode`, { mode: "closed" })).status).toBe(404);
    expect((await teacher.get("/documents")).status).toBe(404);
    expect((await teacher.post("/documents", { titre: "Sortie" })).status).toBe(404);
    expect((await teacher.get(`/documents/${someId}/export/html`)).status).toBe(404);
    const [counts] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ walls: number; documents: number }>(
        await tx.execute(sql`select (select count(*)::int from walls where uai = ${s.school.uai}) as walls,
          (select count(*)::int from documents where uai = ${s.school.uai}) as documents`),
      ),
    );
    expect(counts).toEqual({ walls: 0, documents: 0 });
  });
});
