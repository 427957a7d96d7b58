// PGlite client factory: the embedded Postgres used by default (a data folder) and by tests (in memory).
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./client";

export async function createPgliteDatabase(dataDir?: string): Promise<DatabaseHandle & { client: PGlite }> {
  const client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const db = drizzle(client, { schema }) as unknown as Database;
  return { kind: "pglite", db, client, close: () => client.close() };
}
