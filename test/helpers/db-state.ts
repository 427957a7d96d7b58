// A digest of what the database holds, table by table, to show that a refused request changed nothing: every row
// of a table read as text, hashed in a stable order. Scoped to some schools and users (the Postgres server is shared
// by the test workers, whose files write at the same time), or the whole database (PGlite: one per worker).
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";

/** The columns that tie a row to a school or a person, for the scoped digest. */
const OWNER_COLUMNS = ["uai", "user_id", "actor_id", "created_by", "owner_id", "author_id", "sender_id", "parent_id"];

/** Tables that change on every request by design: the session's sliding expiry. */
const ALWAYS_CHANGING = ["sessions"];

export interface DigestScope {
  uais: string[];
  userIds: string[];
}

/** table name → md5 of its rows (of the scope's rows when a scope is given; tables tied to none are left out). */
export async function tableDigest(db: Database, scope?: DigestScope): Promise<Record<string, string>> {
  return withTenant(db, systemScope, async (tx) => {
    const columns = rowsOf<{ table_name: string; column_name: string }>(
      await tx.execute(sql`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' order by c.table_name`),
    );
    const tables = new Map<string, string[]>();
    for (const c of columns) tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), c.column_name]);
    const parts = [];
    for (const [table, cols] of tables) {
      if (ALWAYS_CHANGING.includes(table) || table.startsWith("__")) continue;
      let where = sql``;
      if (scope) {
        const owners = cols.filter((c) => OWNER_COLUMNS.includes(c));
        if (!owners.length) continue;
        const values = (c: string) => (c === "uai" ? scope.uais : scope.userIds);
        const tests = owners
          .filter((c) => values(c).length)
          .map(
            (c) =>
              sql`${sql.identifier(c)}::text in (${sql.join(
                values(c).map((v) => sql`${v}`),
                sql`, `,
              )})`,
          );
        if (!tests.length) continue;
        where = sql` where ${sql.join(tests, sql` or `)}`;
      }
      parts.push(
        sql`select ${table} as name, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest
        from ${sql.identifier(table)} r${where}`,
      );
    }
    const rows = rowsOf<{ name: string; digest: string }>(await tx.execute(sql.join(parts, sql` union all `)));
    return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
  });
}

/** The tables whose digest differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}
