// 3.2.1.3–6: the demo platform is deterministic and has one generic account per profile.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createPgliteDatabase } from "../../db/pglite";
import { rowsOf, systemScope, withTenant, type DatabaseHandle } from "../../db/client";
import { migratePgliteDatabase } from "../../src/node/migrate";
import { buildDemo, DEMO_ACCOUNTS, DEMO_SCHOOLS } from "../../src/demo/demo";
import { passwordHasher } from "../../src/auth/password";
import { nativeScrypt } from "../../src/node/scrypt";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeRooms } from "../../src/node/rooms";
import { readPostits } from "../../realtime/wall-model";
import { readBlocks } from "../../realtime/document-model";
import { wallRoomId } from "../../src/services/collaboration/walls";
import { documentRoomId } from "../../src/services/collaboration/documents";
import { DEMO_DOCUMENT_TITLE, DEMO_WALL_TITLE } from "../../src/demo/demo-class-work";

describe("3.2.1.3 demo platform", () => {
  // Its own database: the demo uses fixed UAIs that other test files must not see.
  let handle: DatabaseHandle;
  const passwords = passwordHasher(nativeScrypt);
  const now = new Date("2026-11-24T09:00:00Z");
  beforeAll(async () => {
    handle = await createPgliteDatabase();
    await migratePgliteDatabase(handle);
  });
  afterAll(async () => handle.close());

  const query = <T>(q: ReturnType<typeof sql>) =>
    withTenant(handle.db, systemScope, async (tx) => rowsOf<T>(await tx.execute(q)));

  it(
    "builds one académie, a département, two circonscriptions, " + "two communes, six schools and an RPI of two sites",
    async () => {
      const summary = await buildDemo(handle.db, passwords, now);
      expect(summary).toMatchObject({ schools: 6, classes: 22 });
      const kinds = await query<{ kind: string; n: number }>(
        sql`select kind::text, count(*)::int as n from structures group by kind order by kind`,
      );
      expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
        academie: 1,
        departement: 1,
        circonscription: 2,
        commune: 2,
        rpi: 1,
      });
      const rpiSites = await query<{ n: number }>(
        sql`select count(*)::int as n from school_structures ss join structures s on s.id = ss.structure_id where s.kind
        = 'rpi'`,
      );
      expect(rpiSites[0]!.n).toBe(2);
      const sizes = await query<{ n: number }>(
        sql`select count(*)::int as n from class_members where role = 'pupil' group by class_id`,
      );
      for (const { n } of sizes) expect(n).toBeGreaterThanOrEqual(22);
      for (const { n } of sizes) expect(n).toBeLessThanOrEqual(27);
      const parentsPerPupil = await query<{ n: number }>(
        sql`select count(*)::int as n from parent_links group by child_id`,
      );
      expect(parentsPerPupil.every((p) => p.n >= 2)).toBe(true);
    },
  );

  it("has every generic account with its profile, active but the newcomer", async () => {
    const rows = await query<{ login: string; state: string; profiles: string[]; roles: string[] }>(sql`
      select u.login, u.state::text,
        coalesce((select array_agg(distinct p.profile::text) from school_profiles p where p.user_id = u.id), '{}') as
        profiles,
        coalesce((select array_agg(r.role::text) from structure_roles r where r.user_id = u.id), '{}') as roles
      from users u join credentials c on c.user_id = u.id`);
    const byLogin = new Map(rows.map((r) => [r.login, r]));
    for (const account of DEMO_ACCOUNTS) {
      const row = byLogin.get(account.login);
      expect(row, account.login).toBeDefined();
      expect([...row!.profiles, ...row!.roles], account.login).toContain(account.profile);
      expect(row!.state, account.login).toBe(account.login === "demo.nouveau" ? "pre_created" : "active");
    }
    const children = await query<{ uai: string }>(sql`
      select l.uai from parent_links l join users u on u.id = l.parent_id where u.login = 'demo.parent'`);
    expect(new Set(children.map((c) => c.uai)).size).toBe(2);
  });

  it("is deterministic: rebuilding gives the same people, classes and ids", async () => {
    const snapshot = () =>
      query<{ id: string; first_name: string; login: string | null }>(sql`
      select id, first_name, login from users where source = 'demo' order by id`);
    const before = await snapshot();
    await buildDemo(handle.db, passwords, now);
    expect(await snapshot()).toEqual(before);
    const schools = await query<{ uai: string }>(sql`select uai from schools order by uai`);
    expect(schools.map((s) => s.uai)).toEqual(DEMO_SCHOOLS.map((s) => s.uai).sort());
  });

  it("issue 21: with rooms, the demo class gets a wall full of its pupils' post-its and a shared report, rebuilt the " +
    "same", async () => {
    const rooms = new NodeRooms({ dir: mkdtempSync(join(tmpdir(), "preau-demo-rooms-")) });
    try {
      await buildDemo(handle.db, passwords, now, rooms);
      const [wall] = await query<{
        id: string;
        uai: string;
        scope: string;
        layout: string;
        mode: string;
        class_name: string;
      }>(sql`
        select w.id, w.uai, w.scope::text, w.layout::text, w.mode::text, c.name as class_name
        from walls w join classes c on c.id = w.class_id where w.title = ${DEMO_WALL_TITLE}`);
      expect(wall).toMatchObject({
        uai: DEMO_SCHOOLS[0]!.uai,
        scope: "class",
        layout: "free",
        mode: "open",
        class_name: "CM1",
      });
      const members = await query<{ user_id: string; login: string | null }>(sql`
        select m.user_id, u.login from class_members m join users u on u.id = m.user_id
        join walls w on w.class_id = m.class_id where w.id = ${wall!.id}`);
      const memberIds = new Set(members.map((m) => m.user_id));
      const postits = await rooms.read(wallRoomId(wall!), readPostits);
      expect(postits.length).toBeGreaterThanOrEqual(8);
      expect(postits.length).toBeLessThanOrEqual(12);
      // Different pupils (Léa, demo.eleve, among them) and the teacher, all of the class; several colours; all shown.
      const authors = new Set(postits.map((p) => p.authorId));
      expect(authors.size).toBeGreaterThanOrEqual(8);
      for (const a of authors) expect(memberIds.has(a), a).toBe(true);
      const lea = members.find((m) => m.login === "demo.eleve")!.user_id;
      expect(postits.some((p) => p.authorId === lea && p.authorName === "Léa Martin")).toBe(true);
      expect(new Set(postits.map((p) => p.colour)).size).toBeGreaterThanOrEqual(4);
      expect(postits.every((p) => p.approved && p.text.length > 10)).toBe(true);
      // Spread on the canvas: no two post-its at the same place.
      expect(new Set(postits.map((p) => `${p.x},${p.y}`)).size).toBe(postits.length);

      const [document] = await query<{
        id: string;
        uai: string;
        sharing: string;
        access: string;
        text: string;
        class_name: string;
      }>(sql`
        select d.id, d.uai, d.sharing::text, d.access::text, d.text, c.name as class_name
        from documents d join classes c on c.id = d.class_id where d.title = ${DEMO_DOCUMENT_TITLE}`);
      expect(document).toMatchObject({ sharing: "class", access: "write", class_name: "CM1" });
      // Search finds it at once: its text is derived from the content.
      expect(document!.text).toContain("musée d'histoire naturelle");
      const blocks = await rooms.read(documentRoomId(document!), readBlocks);
      expect(blocks[0]).toMatchObject({ type: "heading", level: 1 });
      expect(blocks.filter((b) => b.type === "paragraph").length).toBeGreaterThanOrEqual(3);

      // A rebuild gives the same wall and document, not twice their content.
      await buildDemo(handle.db, passwords, now, rooms);
      const [again] = await query<{ id: string }>(sql`select id from walls where title = ${DEMO_WALL_TITLE}`);
      expect(again!.id).toBe(wall!.id);
      const postitsAgain = await rooms.read(wallRoomId(wall!), readPostits);
      expect(postitsAgain.map((p) => [p.id, p.text, p.x, p.y])).toEqual(postits.map((p) => [p.id, p.text, p.x, p.y]));
      expect((await rooms.read(documentRoomId(document!), readBlocks)).length).toBe(blocks.length);
    } finally {
      await rooms.stop();
    }
  }, 120_000);
});
