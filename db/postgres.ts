// postgres.js client factory: a Postgres server (production, CI) or, on Workers, a connection per request.
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "./schema";
import type { Database, DatabaseHandle } from "./client";

export interface PostgresOptions {
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
  return { kind: "postgres", db, close: () => client.end({ timeout: 5 }) };
}

/** The app connects as the non-owner role: same server and database, user `preau_app`, unless told otherwise. */
export function appRoleUrl(ownerUrl: string, appUrl?: string): string {
  if (appUrl) return appUrl;
  const url = new URL(ownerUrl);
  url.username = "preau_app";
  url.password = "";
  return url.toString();
}
