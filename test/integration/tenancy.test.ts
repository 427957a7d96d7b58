// Tenant isolation: RLS is the guarantee (a query without WHERE sees only allowed schools), the routes the first line.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, schoolsScope, systemScope, withTenant } from "../../db/client";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildStructure, buildSchool, buildUser, buildClass } from "../helpers/factories";
import type { Hono } from "hono";

/** drizzle wraps driver errors ("Failed query: …"); the database's own message is the cause. */
function causeOf(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e.cause?.message ?? e.message ?? String(error);
}

const TENANT_TABLES = [
  "schools",
  "school_structures",
  "school_profiles",
  "classes",
  "class_members",
  "parent_links",
  "groups",
  "group_members",
  "class_app_defaults",
  "school_settings",
];

describe.each(DATABASE_KINDS)("tenant isolation on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  let a: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let b: Awaited<ReturnType<typeof buildSchoolWithClass>>;

  beforeAll(async () => {
    tp = await testApp(kind);
    a = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    b = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    await withTenant(tp.platform.db, systemScope, async (tx) => {
      await tx.execute(
        sql`insert into school_settings (uai, pupil_hours) values (${a.school.uai}, null), (${b.school.uai}, null)`,
      );
      await tx.execute(
        sql`insert into groups (uai, name) values (${a.school.uai}, 'Chorale A'), (${b.school.uai}, 'Chorale B')`,
      );
    });
  });

  it("every table with a uai column is under forced row-level security with a policy", async () => {
    const rows = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ table: string; rls: boolean; forced: boolean; policies: number }>(
        await tx.execute(sql`
        select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
          (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'uai' and not
          a.attisdropped)`),
      ),
    );
    expect(rows.length).toBeGreaterThanOrEqual(TENANT_TABLES.length);
    for (const r of rows) expect(r, r.table).toMatchObject({ rls: true, forced: true });
    for (const r of rows) expect(r.policies, r.table).toBeGreaterThan(0);
  });

  it("a raw SELECT without WHERE through the app role returns only the allowed school's rows", async () => {
    for (const table of TENANT_TABLES) {
      const uais = await withTenant(tp.platform.db, schoolsScope(a.teacher.id, [a.school.uai]), async (tx) =>
        rowsOf<{ uai: string }>(await tx.execute(sql.raw(`select distinct uai from ${table}`))).map((r) => r.uai),
      );
      expect(uais, table).not.toContain(b.school.uai);
      if (
        [
          "schools",
          "school_profiles",
          "classes",
          "class_members",
          "parent_links",
          "groups",
          "school_settings",
        ].includes(table)
      ) {
        expect(uais, table).toEqual([a.school.uai]);
      }
    }
  });

  it("users of another school are invisible, and a write into another school is refused by the database", async () => {
    const visible = await withTenant(tp.platform.db, schoolsScope(a.teacher.id, [a.school.uai]), async (tx) =>
      rowsOf<{ id: string }>(await tx.execute(sql`select id from users`)).map((r) => r.id),
    );
    expect(visible).toContain(a.pupil.id);
    expect(visible).not.toContain(b.pupil.id);
    await expect(
      withTenant(tp.platform.db, schoolsScope(a.teacher.id, [a.school.uai]), (tx) =>
        tx.execute(
          sql`insert into classes (uai, name, levels, school_year) values (${b.school.uai}, 'Intruse', '{CP}',
            '2026-2027')`,
        ),
      ),
    ).rejects.toSatisfy((e) => /row-level security/.test(causeOf(e)));
  });

  it("the app role is not the owner, cannot bypass RLS and cannot touch the audit chain head", async () => {
    const [role] = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ name: string; bypass: boolean; superuser: boolean }>(
        await tx.execute(
          sql`select current_user as name, rolbypassrls as bypass, rolsuper as superuser from pg_roles where rolname =
            current_user`,
        ),
      ),
    );
    expect(role).toEqual({ name: "preau_app", bypass: false, superuser: false });
    await expect(
      withTenant(tp.platform.db, systemScope, (tx) => tx.execute(sql`update audit_chain_head set seq = 0`)),
    ).rejects.toSatisfy((e) => /permission denied/.test(causeOf(e)));
  });

  it("a teacher of school A asking for school B's class, pupil, profile and school pages gets 403 or 404", async () => {
    const browser = new TestBrowser(tp.app);
    expect((await browser.login(a.teacher.login, a.teacher.password)).status).toBe(303);
    for (const path of [
      `/classes/${b.classId}`,
      `/personnes/${b.pupil.id}`,
      `/personnes/${b.teacher.id}`,
      `/personnes/${b.parent.id}`,
      `/ecoles/${b.school.uai}`,
    ]) {
      const page = await browser.get(path);
      expect([403, 404], path).toContain(page.status);
      expect(page.html, path).not.toContain(b.school.name);
    }
    // The same pages of their own school open.
    expect((await browser.get(`/classes/${a.classId}`)).status).toBe(200);
    expect((await browser.get(`/personnes/${a.pupil.id}`)).status).toBe(200);
    expect((await browser.get(`/ecoles/${a.school.uai}`)).status).toBe(200);
  });

  it("a teacher cannot change another school's class settings, and nothing is written", async () => {
    const browser = new TestBrowser(tp.app);
    await browser.login(a.teacher.login, a.teacher.password);
    await browser.get("/");
    const res = await browser.post(`/classes/${b.classId}/applis`, { eleves: "classes" });
    expect(res.status).toBe(404);
    const rows = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf(await tx.execute(sql`select 1 from class_app_defaults where class_id = ${b.classId}`)),
    );
    expect(rows).toHaveLength(0);
  });

  it("a parent sees their child's class but never another family's child", async () => {
    const browser = new TestBrowser(tp.app);
    await browser.login(a.parent.login, a.parent.password);
    expect((await browser.get(`/personnes/${a.pupil.id}`)).status).toBe(200);
    expect((await browser.get(`/classes/${a.classId}`)).status).toBe(200);
    expect((await browser.get(`/personnes/${b.pupil.id}`)).status).toBe(404);
    expect((await browser.get(`/ecoles/${a.school.uai}`)).status).toBe(403);
  });

  it("perimeters come from the structure graph: inspector, municipality, académie, director", async () => {
    const { db } = tp.platform;
    const academie = await buildStructure(db, "academie");
    const circ = await buildStructure(db, "circonscription", academie);
    const otherCirc = await buildStructure(db, "circonscription", academie);
    const commune = await buildStructure(db, "commune", academie);
    const rpi = await buildStructure(db, "rpi", circ);
    const inCirc = await buildSchool(db, { structureIds: [circ, commune] });
    const inRpi = await buildSchool(db, { structureIds: [rpi] });
    const elsewhere = await buildSchool(db, { structureIds: [otherCirc] });
    await buildClass(db, inCirc.uai);
    const inspector = await buildUser(db, tp.platform.passwords, { profile: "inspector", structureId: circ });
    const mayor = await buildUser(db, tp.platform.passwords, { profile: "municipality", structureId: commune });

    const schoolsSeenBy = async (login: { login: string; password: string }) => {
      const browser = new TestBrowser(tp.app);
      await browser.login(login.login, login.password);
      return browser.get("/ecoles");
    };
    const ien = await schoolsSeenBy(inspector);
    expect(ien.status).toBe(200);
    expect(ien.html).toContain(inCirc.name);
    expect(ien.html).toContain(inRpi.name);
    expect(ien.html).not.toContain(elsewhere.name);
    expect(ien.html).not.toContain(a.school.name);

    const town = await schoolsSeenBy(mayor);
    expect(town.html).toContain(inCirc.name);
    expect(town.html).not.toContain(inRpi.name);

    const director = new TestBrowser(tp.app);
    await director.login(a.director.login, a.director.password);
    expect((await director.get("/ecoles")).status).toBe(403);
    expect((await director.get(`/ecoles/${inCirc.uai}`)).status).toBe(404);
  });
});
