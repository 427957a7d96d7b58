// Structured JSON logs, one line per event, on any runtime.
import { DrizzleQueryError } from "drizzle-orm/errors";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => console.log(l), minLevel: LogLevel = "info"): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, event, fields) {
      if (order[level] < order[minLevel]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };

/** Anything quoted in an error's message: Postgres quotes the value it refused (invalid input syntax for type
 *  integer: "…"), JSON.parse the text it could not read. */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;

const redacted = (text: string, max = 300) => text.replace(QUOTED, '"…"').slice(0, max);

/** The errors an error is made of, outermost first (drizzle's DrizzleQueryError wraps the driver's). */
function chainOf(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== null && e !== undefined && chain.length < 5; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== "object") break;
  }
  return chain;
}

const stringProp = (e: unknown, name: string): string | undefined => {
  const value = typeof e === "object" && e !== null ? (e as Record<string, unknown>)[name] : undefined;
  return typeof value === "string" ? value : undefined;
};

/**
 * What a log line may say about an error: its class and message (anything quoted blanked), the failed query's text
 * (its placeholders, $1, $2…, never the values bound to them), the database's error code, table, column and
 * constraint, and the stack's frames. Never the values a request sent: drizzle's DrizzleQueryError carries them in
 * `params` and prints them in its message ("params: …"), the driver's error in `parameters` — a private message's
 * subject and body ended up in the error log that way (issue 21 F6).
 */
export function errorFields(err: unknown): Record<string, unknown> {
  const chain = chainOf(err);
  // drizzle's wrapper prints the values in its message: the driver's error it wraps speaks for it.
  const shown = chain.find((e) => !(e instanceof DrizzleQueryError));
  const first = (...names: string[]) =>
    chain.flatMap((e) => names.map((n) => stringProp(e, n))).find((v) => v !== undefined && v !== "");
  // PGlite's errors carry a name and a message without being instances of Error.
  const message = stringProp(shown, "message");
  const fields: Record<string, unknown> = {
    error:
      message !== undefined
        ? `${stringProp(shown, "name") ?? "Error"}: ${redacted(message)}`
        : shown === undefined
          ? "query failed"
          : redacted(String(shown)),
  };
  const query = first("query");
  if (query !== undefined) fields.query = query.replace(/\s+/g, " ").trim().slice(0, 1000);
  const code = first("code");
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    fields.code = code;
    // Names from the schema, never values (PGlite and postgres.js name them differently).
    const table = first("table", "table_name");
    const column = first("column", "column_name");
    const constraint = first("constraint", "constraint_name");
    Object.assign(fields, table && { table }, column && { column }, constraint && { constraint });
  }
  const top = chain[0];
  if (top instanceof Error && top.stack)
    fields.stack = top.stack
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 12)
      .join("\n");
  return fields;
}
