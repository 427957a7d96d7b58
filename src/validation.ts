// Shared input schemas (valibot): ids, days, times, bounded texts, choices and page numbers, the same for every form,
// query string and route parameter. Routes parse with them at the edge; services that take input from elsewhere
// (jobs, other services, tests) check with the same predicates. A bad value never reaches SQL: ids that are not
// uuids, days that do not exist (2026-02-30), texts longer than their bound.
import * as v from "valibot";

/** A uuid as Postgres writes it (lower case), for patterns that embed one (room ids, group keys). */
export const UUID_SOURCE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID = new RegExp(`^${UUID_SOURCE}$`);

/** A record's id (uuid, lower case as Postgres writes it). */
export const Id = v.pipe(v.string(), v.regex(UUID));

/** The years a day typed in a form may fall in. Outside them a well-formed date is refused too: Postgres has no year
 *  0 (0000-01-01 was a 500), the zone arithmetic needs four-digit years (0001 broke it), and 9999-12-31 has no next
 *  day. Nothing a school writes lies outside. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

/** A calendar day "YYYY-MM-DD" that exists (no month 13, no 30 February, no day 00) between MIN_YEAR and MAX_YEAR. */
export const Day = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}$/),
  v.check((d) => {
    const year = Number(d.slice(0, 4));
    if (year < MIN_YEAR || year > MAX_YEAR) return false;
    // Date.UTC rolls an impossible day over (2026-02-30 → 2 March): the day exists when it reads back the same.
    const noon = new Date(Date.UTC(year, Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)), 12));
    return noon.toISOString().slice(0, 10) === d;
  }),
);

/** A time of day "HH:MM" (00:00–23:59: no 24:00, no 24:61). */
export const Time = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/));

/** A local date and time as an `<input type="datetime-local">` sends it: "YYYY-MM-DDTHH:MM", both parts real. */
export const LocalDateTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
  v.check((s) => v.is(Day, s.slice(0, 10)) && v.is(Time, s.slice(11))),
);

/** Text the user typed, cut at `max` characters — a bound above the field's own limit, so the service still sees
 *  that it is too long and names the field, while nothing larger than the bound travels further. */
export function bounded(max: number) {
  return v.pipe(
    v.optional(v.string(), ""),
    v.transform((s) => s.slice(0, max)),
  );
}

/** Text the user typed, at most `max` characters (longer: refused). */
export function text(max: number) {
  return v.pipe(v.string(), v.maxLength(max));
}

/** Text the user typed, trimmed, not empty, at most `max` characters. */
export function requiredText(max: number) {
  return v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(max));
}

/** Free words to search with: trimmed and cut at `max` characters (a search never fails). */
export function searchWords(max = 100) {
  return v.pipe(
    v.optional(v.string(), ""),
    v.transform((s) => s.trim().slice(0, max)),
  );
}

/** One of a fixed set of values. */
export function oneOf<const T extends readonly string[]>(values: T) {
  return v.picklist(values);
}

/** The values a repeated field (checkboxes, a multiple select) sent, at most `max` of them. */
export function boundedList(values: readonly string[], max: number): string[] {
  return values.slice(0, max);
}

/** A page number from a query string: a positive integer, 1 when absent or bad. */
export const Page = v.pipe(
  v.optional(v.string(), "1"),
  v.transform((s) => {
    const n = Number(s);
    return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
  }),
);

/** A checkbox: "1" (or "on") when ticked. */
export const Checkbox = v.pipe(
  v.optional(v.string(), ""),
  v.transform((s) => s === "1" || s === "on"),
);

export const isId = (value: unknown): value is string => v.is(Id, value);
export const isDay = (value: unknown): value is string => v.is(Day, value);
export const isTime = (value: unknown): value is string => v.is(Time, value);
export const isLocalDateTime = (value: unknown): value is string => v.is(LocalDateTime, value);

/** `value` when it is one of `values`, else `fallback` (query strings: an unknown filter is the default one). */
export function choice<const T extends readonly string[]>(values: T, value: unknown, fallback: T[number]): T[number] {
  return typeof value === "string" && (values as readonly string[]).includes(value) ? value : fallback;
}

/** A day asked in a query string (`?jour=`, `?semaine=`): null when none is asked (the page shows today), the day
 *  when it exists, false when it does not (2026-13-45, 0000-00-00: the route answers a French 400). */
export function askedDay(value: string | undefined): string | null | false {
  if (value === undefined || value === "") return null;
  return isDay(value) ? value : false;
}

/** A form's fields read with a schema of bounded texts and choices (never fails: bounds cut, choices fall back). */
export function readWith<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  return v.parse(schema, input);
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; fields: string[] };

/** Parses an object (a form's fields) with a schema; on failure, the names of the fields at fault (for aria-invalid
 *  and the French message beside each). */
export function parseFields<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const fields = new Set<string>();
  for (const issue of result.issues) {
    const key = issue.path?.[0]?.key;
    fields.add(typeof key === "string" ? key : "");
  }
  return { ok: false, fields: [...fields] };
}
