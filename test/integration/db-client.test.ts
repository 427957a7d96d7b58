// Issue 22: the database client's cheaper transactions keep every guarantee of the ones they replace — a scope set in
// the same round trip as the first query still binds that query, a failed statement rolls the whole transaction
// back even when the caller caught its error, a savepoint forgives only what failed inside it — on PGlite and on a
// Postgres server (where BEGIN and the scope settings are pipelined and every statement is a named prepared one).
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf, schoolsScope, systemScope, withTenant, type DatabaseHandle } from "../../db/client";
import { DATABASE_KINDS, testDatabase } from "../helpers/db";
import { buildSchoolWithClass } from "../helpers/factories";
import { passwordHasher } from "../../src/auth/password";
import { nativeScrypt } from "../../src/node/scrypt";

for (const kind of DATABASE_KINDS) {
  describe(`issue 22 transactions on ${kind}`, () => {
    let handle: DatabaseHandle;
    let a: Awaited<ReturnType<typeof buildSchoolWithClass>>;
    let b: Awaited<ReturnType<typeof buildSchoolWithClass>>;
    beforeAll(async () => {
      handle = await testDatabase(kind);
      const passwords = passwordHasher(nativeScrypt);
      a = await buildSchoolWithClass(handle.db, passwords);
      b = await buildSchoolWithClass(handle.db, passwords);
    });

    const classesSeen = (uai: string) =>
      withTenant(handle.db, schoolsScope(null, [uai]), async (tx) =>
        rowsOf<{ uai: string }>(await tx.execute(sql`select distinct uai from classes`)).map((r) => r.uai),
      );

    it("the scope binds the transaction's very first query, and only its schools are seen", async () => {
      expect(await classesSeen(a.school.uai)).toEqual([a.school.uai]);
      expect(await classesSeen(b.school.uai)).toEqual([b.school.uai]);
      // Many transactions at once on the pool: each sees its own scope, never its neighbour's.
      const seen = await Promise.all(
        Array.from({ length: 40 }, (_, i) => classesSeen(i % 2 ? a.school.uai : b.school.uai)),
      );
      seen.forEach((uais, i) => expect(uais).toEqual([i % 2 ? a.school.uai : b.school.uai]));
    });

    it("queries sent together in a transaction all answer, in the scope", async () => {
      const [x, y, z] = await withTenant(handle.db, schoolsScope(null, [a.school.uai]), (tx) =>
        Promise.all([
          tx.execute(sql`select count(*)::int as n from classes`),
          tx.execute(sql`select current_setting('preau.uais') as v`),
          tx.execute(sql`select count(*)::int as n from schools`),
        ]),
      );
      expect(rowsOf<{ n: number }>(x)[0]!.n).toBeGreaterThan(0);
      expect(rowsOf<{ v: string }>(y)[0]!.v).toBe(a.school.uai);
      expect(rowsOf<{ n: number }>(z)[0]!.n).toBe(1);
    });

    it("a failed statement whose error the caller caught still rolls everything back", async () => {
      const name = `Rollback ${kind} ${Date.now()}`;
      await expect(
        withTenant(handle.db, systemScope, async (tx) => {
          await tx.execute(sql`update classes set name = ${name} where id = ${a.classId}`);
          await tx.execute(sql`select 1 / 0`).catch(() => "caught");
          return "returned normally";
        }),
      ).rejects.toThrow();
      const [row] = await withTenant(handle.db, systemScope, async (tx) =>
        rowsOf<{ name: string }>(await tx.execute(sql`select name from classes where id = ${a.classId}`)),
      );
      expect(row!.name).not.toBe(name);
    });

    it("a write commits, and a savepoint forgives only what failed inside it", async () => {
      const name = `Savepoint ${kind} ${Date.now()}`;
      await withTenant(handle.db, systemScope, async (tx) => {
        await tx.execute(sql`update classes set name = ${name} where id = ${a.classId}`);
        await expect(
          tx.transaction(async (inner) => {
            await inner.execute(sql`update classes set name = 'lost' where id = ${a.classId}`);
            await inner.execute(sql`select 1 / 0`);
          }),
        ).rejects.toThrow();
      });
      const [row] = await withTenant(handle.db, systemScope, async (tx) =>
        rowsOf<{ name: string }>(await tx.execute(sql`select name from classes where id = ${a.classId}`)),
      );
      expect(row!.name).toBe(name);
    });
  });
}
