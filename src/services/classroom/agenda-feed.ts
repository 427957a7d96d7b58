// iCalendar (RFC 5545) export and subscription of a user's calendars (54C), written by ical-generator. A subscription
// address is private to its user and one calendar: it carries the feed's id and an HMAC of it under the platform
// secret (a copy of the database alone does not open it) and stops working once revoked.
import ical, { ICalCalendarMethod } from "ical-generator";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { addDays } from "../../time";
import { agendaEntries, calendarsOf, type CalendarInfo } from "./agenda";
import { loadPrincipal, scopeOf, type Principal } from "../principal";

/** A feed covers a month back and a school year ahead. */
const PAST_DAYS = 31;
const AHEAD_DAYS = 366;

export function calendarLabel(c: CalendarInfo): string {
  if (c.kind === "personal") return "Mon agenda";
  return c.kind === "class" ? `Classe ${c.name} (${c.schoolName})` : `École ${c.name}`;
}

/** The calendars a key names: one of the user's, or "all" of them. */
export function selectCalendars(all: CalendarInfo[], key: string): CalendarInfo[] | null {
  if (key === "all") return all;
  const one = all.find((c) => c.key === key);
  return one ? [one] : null;
}

/** The .ics text of these calendars around `now`. */
export async function icsOf(
  tx: Tx,
  p: Principal,
  calendars: CalendarInfo[],
  key: string,
  now: Date,
  timeZone: string,
  baseUrl: string,
): Promise<string> {
  const from = new Date(now.getTime() - PAST_DAYS * 86_400_000);
  const to = new Date(now.getTime() + AHEAD_DAYS * 86_400_000);
  const entries = await agendaEntries(tx, p, calendars, from, to, timeZone);
  const names = new Map(calendars.map((c) => [c.key, calendarLabel(c)]));
  const cal = ical({
    name: key === "all" ? "Préau — mes agendas" : `Préau — ${names.get(key) ?? ""}`,
    prodId: { company: "Préau", product: "agenda", language: "FR" },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 3600,
  });
  for (const e of entries) {
    // Whole days are written as dates (the end is the day after, exclusive); noon UTC keeps the calendar day whatever
    // zone the writer runs in.
    const day = (d: string) => new Date(`${d}T12:00:00Z`);
    cal.createEvent({
      id: `${e.source}-${e.id}@preau`,
      summary: e.title,
      description: e.details || null,
      location: e.place || null,
      start: e.allDay ? day(e.firstDay) : e.startsAt,
      end: e.allDay ? day(addDays(e.lastDay, 1)) : e.endsAt,
      allDay: e.allDay,
      stamp: now,
      categories: [{ name: names.get(e.calendarKey) ?? "" }],
      url: e.link ? `${baseUrl}${e.link}` : null,
    });
  }
  return cal.toString();
}

export interface FeedLine {
  calendar: string;
  token: string;
}

async function hmacOf(secret: string, feedId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`agenda-feed:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(feedId)));
  return encodeBase64urlNoPadding(mac.subarray(0, 18));
}

const tokenOf = async (secret: string, feedId: string) => `${feedId}.${await hmacOf(secret, feedId)}`;

/** The user's subscription addresses (tokens), by calendar key. */
export async function myFeeds(tx: Tx, p: Principal, secret: string): Promise<Map<string, string>> {
  const rows = rowsOf<{ id: string; calendar: string }>(
    await tx.execute(sql`select id, calendar from agenda_feeds where user_id = ${p.userId}`),
  );
  return new Map(
    await Promise.all(rows.map(async (r) => [r.calendar, await tokenOf(secret, r.id)] as [string, string])),
  );
}

/** Opens (or keeps) the subscription address of one of the user's calendars. */
export async function feedOpener(db: Database, p: Principal, key: string, now: Date): Promise<boolean> {
  return withTenant(db, scopeOf(p), async (tx) => {
    if (!selectCalendars(await calendarsOf(tx, p), key)) return false;
    await tx.execute(sql`insert into agenda_feeds (user_id, calendar, created_at) values (${p.userId}, ${key}, ${now.toISOString()})
      on conflict (user_id, calendar) do nothing`);
    return true;
  });
}

/** Revokes it: the old address stops working at once; opening it again gives a new one. */
export async function feedRevoker(db: Database, p: Principal, key: string): Promise<void> {
  await withTenant(db, scopeOf(p), (tx) =>
    tx.execute(sql`delete from agenda_feeds where user_id = ${p.userId} and calendar = ${key}`),
  );
}

/** A subscription address fetched by a calendar app: the calendar's .ics, or null (unknown, revoked, forged, or the
 *  account no longer active). */
export async function feedCalendar(
  db: Database,
  secret: string,
  token: string,
  now: Date,
  timeZone: string,
  baseUrl: string,
): Promise<string | null> {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{24})$/.exec(token);
  const encoder = new TextEncoder();
  if (!m || !constantTimeEqual(encoder.encode(await hmacOf(secret, m[1]!)), encoder.encode(m[2]!))) return null;
  const found = await withTenant(db, systemScope, async (tx) => {
    const [feed] = rowsOf<{ user_id: string; calendar: string }>(
      await tx.execute(sql`
      select f.user_id, f.calendar from agenda_feeds f join users u on u.id = f.user_id where f.id = ${m[1]} and u.state = 'active'`),
    );
    return feed ? { feed, principal: await loadPrincipal(tx, feed.user_id, "agenda-feed", null) } : null;
  });
  if (!found?.principal) return null;
  const p = found.principal;
  return withTenant(db, scopeOf(p), async (tx) => {
    const calendars = selectCalendars(await calendarsOf(tx, p), found.feed.calendar);
    return calendars ? icsOf(tx, p, calendars, found.feed.calendar, now, timeZone, baseUrl) : null;
  });
}
