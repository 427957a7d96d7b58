// The database as the core sees it: one drizzle type over PGlite or postgres.js, and the tenancy helper.
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type * as schema from "./schema";
import type { ChangeFeed } from "./changes";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Database;
  /** What committed writes announce; absent where no process outlives a request (Workers). */
  changes?: ChangeFeed;
  close(): Promise<void>;
}

/** Which schools a transaction may reach. `all` is the académie perimeter and system tasks. */
export type Scope =
  | { readonly kind: "schools"; readonly userId: string | null; readonly uais: readonly string[] }
  | { readonly kind: "all"; readonly userId: string | null };

export const systemScope: Scope = { kind: "all", userId: null };

export function schoolsScope(userId: string | null, uais: readonly string[]): Scope {
  return { kind: "schools", userId, uais };
}

const UAI = /^[0-9]{7}[A-Z]$/;

/**
 * Runs `fn` in a transaction bound to a scope: the role is the non-owner app role, and row-level security
 * filters every tenant-owned table by the allowed schools. RLS is the guarantee; services still check first.
 */
export async function withTenant<T>(db: Database, scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const uais = scope.kind === "schools" ? scope.uais : [];
  for (const uai of uais) if (!UAI.test(uai)) throw new Error(`UAI invalide dans le périmètre : ${uai}`);
  const params = [uais.join(","), scope.kind === "all" ? "on" : "off", scope.userId ?? ""];
  return db.transaction(async (tx) => {
    const wire = wireClient(tx);
    if (!wire) {
      await tx.execute(sql`select
        set_config('role', 'preau_app', true),
        set_config('preau.uais', ${params[0]}, true),
        set_config('preau.all_schools', ${params[1]}, true),
        set_config('preau.user_id', ${params[2]}, true)`);
      return fn(tx as unknown as Tx);
    }
    // On a server, the settings are sent now and `fn`'s first query follows them on the same connection without
    // waiting for their answer (postgres.js queues a transaction's queries in the order they are executed): one round
    // trip fewer per transaction. A failure of the settings aborts the transaction, so no query of `fn` runs unscoped.
    const scoped = wire.unsafe(SCOPE_SQL, params, { prepare: true }).execute();
    const [, result] = await Promise.all([scoped, fn(tx as unknown as Tx)]);
    return result;
  });
}

/** The scope of a transaction, as transaction-local settings the row policies read (migrations 0001 and 0026). */
const SCOPE_SQL =
  "select set_config('role', 'preau_app', true), set_config('preau.uais', $1, true), " +
  "set_config('preau.all_schools', $2, true), set_config('preau.user_id', $3, true)";

/** postgres.js's client under a drizzle transaction, or null on PGlite (in-process: no round trip to save). */
function wireClient(
  tx: unknown,
): { unsafe(q: string, p: string[], o: { prepare: boolean }): { execute(): Promise<unknown> } } | null {
  const client = (tx as { session?: { client?: { unsafe?: unknown } } }).session?.client;
  return client && typeof client.unsafe === "function" ? (client as ReturnType<typeof wireClient>) : null;
}

/**
 * A system task's set-based transaction over the whole académie (directory imports): the system perimeter, as the
 * role preau_system, which has the app's rights without the row policies where the install allows it (migration 0005).
 * Never for request code.
 */
export async function withSystemBulk<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(db, systemScope, async (tx) => {
    await tx.execute(sql`select set_config('role', 'preau_system', true), set_config('jit', 'off', true)`);
    return fn(tx);
  });
}

/** An ILIKE pattern matching text that contains `words` literally (their % and _ are not wildcards). */
export function containsPattern(words: string): string {
  return `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Rows of a raw `execute()`, whichever driver answered (postgres.js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
