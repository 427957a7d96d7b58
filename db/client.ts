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
  return db.transaction(async (tx) => {
    await tx.execute(sql`select
      set_config('role', 'preau_app', true),
      set_config('preau.uais', ${uais.join(",")}, true),
      set_config('preau.all_schools', ${scope.kind === "all" ? "on" : "off"}, true),
      set_config('preau.user_id', ${scope.userId ?? ""}, true)`);
    return fn(tx as unknown as Tx);
  });
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
