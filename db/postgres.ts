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
  /** Named prepared statements for every query (issue 22); off for the migrator, whose DDL runs once. */
  prepare?: boolean;
}

/**
 * The client drizzle talks to (issue 22), in two ways cheaper than postgres.js's defaults as drizzle uses them:
 * - every query is a named prepared statement. drizzle asks for unnamed ones unless a query is built with
 *   `.prepare(name)`; an unnamed statement with parameters costs two round trips (Parse/Describe, then Bind/Execute,
 *   since postgres.js needs the parameter types) and a new plan every time. Named, postgres.js keeps it per connection
 *   by its text and types: from the second use on, one round trip, and Postgres may keep a generic plan.
 * - a transaction's BEGIN is sent with its first statements instead of waiting for its answer (postgres.js's `begin`
 *   waits): a reserved connection, BEGIN queued, then the work, then COMMIT. As with `begin`, a failed statement fails
 *   the transaction even if the caller caught its error: it is rolled back and that error thrown, never committed.
 */
export function alwaysPrepared(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe")
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
      if (prop === "begin") return (...args: unknown[]) => pipelinedTransaction(target, args.pop() as Work);
      return Reflect.get(target, prop, receiver);
    },
  });
}

type Work = (sql: postgres.Sql) => unknown;

async function pipelinedTransaction(pool: postgres.Sql, work: Work): Promise<unknown> {
  const connection = await pool.reserve();
  let failure: { error: unknown } | null = null;
  const note = (error: unknown) => {
    failure ??= { error };
  };
  let savepoints = 0;
  const scoped: postgres.Sql = new Proxy(connection, {
    get(target, prop, receiver) {
      if (prop === "unsafe")
        return (query: string, params?: unknown[], options?: Record<string, unknown>) => {
          const q = target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
          q.catch(note);
          return q;
        };
      if (prop === "savepoint")
        return async (inner: Work) => {
          const name = `s${++savepoints}`;
          const before = failure;
          await target.unsafe(`savepoint ${name}`);
          try {
            const result = await inner(scoped);
            await target.unsafe(`release savepoint ${name}`);
            return result;
          } catch (error) {
            // Rolled back to the savepoint, the transaction goes on: only what failed inside it is forgiven.
            await target.unsafe(`rollback to savepoint ${name}`);
            failure = before;
            throw error;
          }
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  try {
    connection.unsafe("begin").execute().catch(note);
    const result = await work(scoped);
    if (failure) throw (failure as { error: unknown }).error;
    await connection.unsafe("commit");
    return result;
  } catch (error) {
    await connection.unsafe("rollback").catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
}

export function createPostgresDatabase(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    fetch_types: options.fetchTypes ?? true,
    onnotice: () => {},
    connection: { application_name: "preau" },
  });
  const db = drizzle(options.prepare === false ? client : alwaysPrepared(client), { schema }) as unknown as Database;
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
