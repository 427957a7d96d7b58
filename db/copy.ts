// COPY … FROM for bulk loads inside a transaction, on either driver: postgres.js streams the rows over the
// connection (`copy … from stdin`), PGlite reads them from a Blob (`copy … from '/dev/blob'`). The rows are COPY text
// (tab-separated, `\N` for NULL, see copyField), built by the caller.
import { rowsOf, type Tx } from "./client";

interface PostgresJsWritable {
  write(chunk: string | Uint8Array, callback: (error?: Error | null) => void): boolean;
  end(): void;
  once(event: "finish" | "error", listener: (error?: Error) => void): void;
}
interface PostgresJsClient {
  unsafe(query: string): { writable(): Promise<PostgresJsWritable> } & PromiseLike<unknown>;
}
interface PgliteClient {
  query(query: string, params: unknown[], options: { blob?: Blob }): Promise<unknown>;
}

/** The driver's own transaction object under drizzle's (drizzle keeps it as `session.client`). */
function driverOf(tx: Tx): { kind: "postgres"; client: PostgresJsClient } | { kind: "pglite"; client: PgliteClient } {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as
    | Partial<PostgresJsClient & PgliteClient>
    | undefined;
  if (client && typeof client.unsafe === "function") return { kind: "postgres", client: client as PostgresJsClient };
  if (client && typeof client.query === "function") return { kind: "pglite", client: client as PgliteClient };
  throw new Error("COPY : pilote de base inconnu");
}

const TABLE_OR_COLUMN = /^[a-z_][a-z0-9_]*$/;

/**
 * Loads `text` (complete COPY text lines, each ending with a newline; or those lines in UTF-8) into `table`
 * (`columns`, in that order), in the transaction `tx`. A refused row fails the statement, and so the transaction.
 */
export async function copyInto(
  tx: Tx,
  table: string,
  columns: readonly string[],
  text: string | Uint8Array,
): Promise<void> {
  for (const name of [table, ...columns])
    if (!TABLE_OR_COLUMN.test(name)) throw new Error(`COPY : nom invalide ${name}`);
  if (!text.length) return;
  const target = `${table} (${columns.join(", ")})`;
  const driver = driverOf(tx);
  if (driver.kind === "pglite") {
    // Postgres lets only superusers COPY from a "file", which '/dev/blob' is: the statement runs as the session's
    // user (PGlite's own superuser, in a database of this process only), the transaction's role restored after.
    const role = rowsOf<{ role: string }>(await driver.client.query("select current_user as role", [], {}))[0]!.role;
    await driver.client.query("select set_config('role', 'none', true)", [], {});
    // A refused COPY aborts the transaction, which takes the role back with it: nothing to restore then.
    await driver.client.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([text as BlobPart]) });
    await driver.client.query("select set_config('role', $1, true)", [role], {});
    return;
  }
  const client = driver.client;
  const stream = await client.unsafe(`copy ${target} from stdin`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.once("finish", () => resolve());
    stream.once("error", reject);
  });
  finished.catch(() => {});
  await new Promise<void>((resolve, reject) => stream.write(text, (error) => (error ? reject(error) : resolve())));
  stream.end();
  // postgres.js 3.4 never settles the stream of a COPY the server refuses after its last row was sent
  // (porsager/postgres#1173): a query queued behind the COPY runs once it is over and fails in the aborted
  // transaction, so a refusal surfaces instead of hanging. Until the COPY is over, the driver answers COPY_IN_PROGRESS.
  const after = async (): Promise<void> => {
    for (;;) {
      try {
        await client.unsafe("select 1");
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "COPY_IN_PROGRESS") throw error;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  await Promise.all([finished, after()]);
}

/** One value as a COPY text field: NULL as `\N`, arrays as Postgres array literals, backslashes and separators escaped. */
export function copyField(value: string | number | boolean | null | undefined | readonly string[]): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return escapeText(value);
  return escapeText(`{${value.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`);
}

const SPECIAL = /[\\\t\n\r\0]/;

function escapeText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  if (value.includes("\0")) throw new Error("COPY : caractère nul dans une valeur");
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}
