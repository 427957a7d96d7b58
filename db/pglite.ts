// PGlite client factory: the embedded Postgres used by default (a data folder) and by tests (in memory).
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./client";
import { CHANGE_CHANNEL, changeFeed } from "./changes";

export async function createPgliteDatabase(dataDir?: string): Promise<DatabaseHandle & { client: PGlite }> {
  const client = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const db = drizzle(client, { schema }) as unknown as Database;
  const changes = changeFeed({
    listen: async (onPayload) => {
      const unlisten = await client.listen(CHANGE_CHANNEL, onPayload);
      return () => unlisten();
    },
    notify: async (payload) => {
      await client.query("select pg_notify($1, $2)", [CHANGE_CHANNEL, payload]);
    },
  });
  return {
    kind: "pglite",
    db,
    client,
    changes,
    close: async () => {
      await changes.close();
      await client.close();
    },
  };
}
