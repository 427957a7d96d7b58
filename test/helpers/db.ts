// The databases integration tests run against: PGlite always, and the Postgres server when DATABASE_URL is set.
// One of each per worker, opened on first use and kept for the worker's files (vitest isolate: false).
import type { DatabaseHandle } from "../../db/client";
import { createPgliteDatabase } from "../../db/pglite";
import { appRoleUrl, createPostgresDatabase } from "../../db/postgres";
import { migratePgliteDatabase } from "../../src/node/migrate";

export type DatabaseKind = "pglite" | "postgres";

export const DATABASE_KINDS: DatabaseKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

const opened = new Map<DatabaseKind, Promise<DatabaseHandle>>();

export function testDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  let handle = opened.get(kind);
  if (!handle) {
    handle = kind === "pglite" ? openPglite() : Promise.resolve(openPostgres());
    opened.set(kind, handle);
  }
  return handle;
}

async function openPglite(): Promise<DatabaseHandle> {
  const handle = await createPgliteDatabase();
  await migratePgliteDatabase(handle);
  return handle;
}

function openPostgres(): DatabaseHandle {
  // Migrated once by the global setup; the app connects as the non-owner role, like production.
  return createPostgresDatabase(appRoleUrl(process.env.DATABASE_URL!), { max: 4 });
}

/** The owner connection, for what a test does behind the app's back (tampering with the audit trail). */
export async function ownerDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === "pglite") return testDatabase("pglite");
  const handle = createPostgresDatabase(process.env.DATABASE_URL!, { max: 1 });
  return handle;
}
