// Applies migrations/ at start, as the database owner, one process at a time.
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { DatabaseHandle } from "../../db/client";
import { createPostgresDatabase } from "../../db/postgres";
import { ROOT } from "./root";

export const MIGRATIONS_FOLDER = join(ROOT, "migrations");

export async function migratePgliteDatabase(handle: DatabaseHandle): Promise<void> {
  await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** On a server, several processes may start together: an advisory lock lets one migrate while the others wait. */
export async function migratePostgresDatabase(ownerUrl: string): Promise<void> {
  const owner = createPostgresDatabase(ownerUrl, { max: 1, prepare: false });
  try {
    await owner.db.execute(sql`select pg_advisory_lock(727274)`);
    await migratePostgres(owner.db as unknown as PostgresJsDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    await owner.db.execute(sql`select pg_advisory_unlock(727274)`);
  } finally {
    await owner.close();
  }
}
