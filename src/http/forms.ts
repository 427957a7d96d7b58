// Reading HTML form posts: every field arrives as a string (or a list for repeated names), never a File here.
import type { Context } from "hono";
import type { AnyEnv } from "./env";

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
