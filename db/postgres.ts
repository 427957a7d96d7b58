// postgres.js client factory: a Postgres server (production, CI) or, on Workers, a connection per request.
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./client";
import { CHANGE_CHANNEL, changeFeed } from "./changes";

export interface PostgresOptions {
  /** Listen to the change feed (long-lived processes); Workers and one-shot tools do without. */
  changes?: boolean;
  max?: number;
  /** Array columns (levels, profiles…) are parsed once pg_type is read at connect time; on by default. */
  fetchTypes?: boolean;
}

export function createPostgresDatabase(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    fetch_types: options.fetchTypes ?? true,
    onnotice: () => {},
    connection: { application_name: "preau" },
  });
  const db = drizzle(client, { schema }) as unknown as Database;
  if (options.changes === false) return { kind: "postgres", db, close: () => client.end({ timeout: 5 }) };
  const changes = changeFeed({
    // postgres.js keeps one dedicated connection for LISTEN and re-listens after a reconnection.
    listen: async (onPayload) => {
      const request = await client.listen(CHANGE_CHANNEL, onPayload);
      return () => request.unlisten();
    },
    notify: async (payload) => {
      await client`select pg_notify(${CHANGE_CHANNEL}, ${payload})`;
    },
  });
  return {
    kind: "postgres",
    db,
    changes,
    close: async () => {
      await changes.close();
      await client.end({ timeout: 5 });
    },
  };
}

/** The app connects as the non-owner role: same server and database, user `preau_app`, unless told otherwise. */
export function appRoleUrl(ownerUrl: string, appUrl?: string): string {
  if (appUrl) return appUrl;
  const url = new URL(ownerUrl);
  url.username = "preau_app";
  url.password = "";
  return url.toString();
}
