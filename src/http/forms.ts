// Reading what requests send: HTML form posts (every field a string, or a list for repeated names, never a File
// here), files of multipart forms, and the one check every request goes through first (sentNul).
import type { Context } from "hono";
import type { AnyEnv } from "./env";

/** What a request sent, as far as the NUL check is concerned: clean, holding U+0000, or a body that is not the form
 *  or the JSON its content type says. */
export type SentText = "clean" | "nul" | "unreadable";

const hasNul = (value: unknown): boolean => {
  if (typeof value === "string") return value.includes("\u0000");
  if (value instanceof File) return value.name.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (typeof value === "object" && value !== null)
    return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v));
  return false;
};

/**
 * Whether the request's path, query string (names and values), form fields (names, values, repeated values), file
 * names or JSON hold U+0000. Postgres cannot store it in text — it was a 500 on fifteen routes (issue 21 F6) — and
 * no page of the hub sends it: the app refuses such a request once, here, before any route reads it. The body is
 * parsed the way routes parse it (Hono keeps it: readForm, readFiles and c.req.json read it again for free).
 */
export async function sentNul<E extends AnyEnv>(c: Context<E>): Promise<SentText> {
  if (c.req.path.includes("\u0000") || hasNul(c.req.queries())) return "nul";
  const type = c.req.header("content-type") ?? "";
  try {
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))
      return hasNul(await c.req.parseBody({ all: true })) ? "nul" : "clean";
    // JSON can only spell NUL as an escape; the parsed value is walked (a body that is not JSON is the route's).
    if (type.startsWith("application/json")) {
      const body = await c.req.text();
      return /\\u0000/i.test(body) && hasNul(JSON.parse(body)) ? "nul" : "clean";
    }
  } catch {
    return type.startsWith("application/json") ? "clean" : "unreadable";
  }
  return "clean";
}

export type FormFields = Record<string, string | string[]>;

export async function readForm<E extends AnyEnv>(c: Context<E>): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const out: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === "string");
    else if (typeof value === "string") out[name] = value;
  }
  return out;
}

export function field(form: FormFields, name: string): string {
  const v = form[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

/** The single-valued fields a schema object names, read from the form ("" when absent). */
export function fieldsOf(form: FormFields, schema: { entries: Record<string, unknown> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(schema.entries)) out[name] = field(form, name);
  return out;
}

export function fieldList(form: FormFields, name: string): string[] {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Same-site return path only: a form's "come back here" must never become an open redirect. */
export function safeReturnPath(value: string, fallback = "/"): string {
  return /^\/(?![/\\])[\w\-./%?=&]*$/.test(value) && value.length < 300 ? value : fallback;
}

/** Files sent under one field name (a multipart form); empty file inputs are left out. */
export async function readFiles<E extends AnyEnv>(c: Context<E>, name: string): Promise<File[]> {
  const body = await c.req.parseBody({ all: true });
  const v = body[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.filter((f): f is File => typeof f !== "string" && f.size > 0);
}
