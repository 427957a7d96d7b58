// iCalendar (RFC 5545) export and subscription of a user's calendars (54C), written by ical-generator. A subscription
// address is private to its user and one calendar: it carries the feed's id and an HMAC of it under the platform
// secret (a copy of the database alone does not open it) and stops working once revoked.
import ical, { ICalCalendarMethod } from "ical-generator";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Tx } from "../../../db/client";
import { addDays } from "../../time";
import { isId } from "../../validation";
import { inTenant, type ServiceDeps } from "../context";
import { agendaEntries, calendarsOf, selectCalendars, type CalendarInfo } from "./agenda";
import { loadPrincipal, type Principal } from "../principal";

/** A feed covers a month back and a school year ahead. */
const PAST_DAYS = 31;
const AHEAD_DAYS = 366;

export function calendarLabel(c: CalendarInfo): string {
  if (c.kind === "personal") return "Mon agenda";
  return c.kind === "class" ? `Classe ${c.name} (${c.schoolName})` : `École ${c.name}`;
}

/** The .ics text of the user's calendars a key names ("all", or one of them), or null when it names none. */
export async function calendarExport(deps: ServiceDeps, p: Principal, key: string): Promise<string | null> {
  return inTenant(deps, p, (tx) => icsFor(tx, deps, p, key));
}

async function icsFor(tx: Tx, deps: ServiceDeps, p: Principal, key: string): Promise<string | null> {
  const calendars = selectCalendars(await calendarsOf(tx, p), key);
  return calendars ? icsOf(tx, p, calendars, key, deps.now, deps.timeZone, deps.config.publicUrl) : null;
}

/** The .ics text of these calendars around `now`. */
async function icsOf(
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

/** The subscriptions page: the user's calendars and their subscription addresses (tokens), by calendar key. */
export async function feedsPage(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ calendars: CalendarInfo[]; feeds: Map<string, string> }> {
  return inTenant(deps, p, async (tx) => ({
    calendars: await calendarsOf(tx, p),
    feeds: await myFeeds(tx, p, deps.config.secret),
  }));
}

async function myFeeds(tx: Tx, p: Principal, secret: string): Promise<Map<string, string>> {
  const rows = rowsOf<{ id: string; calendar: string }>(
    await tx.execute(sql`select id, calendar from agenda_feeds where user_id = ${p.userId}`),
  );
  return new Map(
    await Promise.all(rows.map(async (r) => [r.calendar, await tokenOf(secret, r.id)] as [string, string])),
  );
}

/** Opens (or keeps) the subscription address of one of the user's calendars. */
export async function feedOpener(deps: ServiceDeps, p: Principal, key: string): Promise<boolean> {
  return inTenant(deps, p, async (tx) => {
    if (!selectCalendars(await calendarsOf(tx, p), key)) return false;
    await tx.execute(sql`insert into agenda_feeds (user_id, calendar, created_at)
      values (${p.userId}, ${key}, ${deps.now.toISOString()})
      on conflict (user_id, calendar) do nothing`);
    return true;
  });
}

/** Revokes it: the old address stops working at once; opening it again gives a new one. */
export async function feedRevoker(deps: ServiceDeps, p: Principal, key: string): Promise<void> {
  await inTenant(deps, p, (tx) =>
    tx.execute(sql`delete from agenda_feeds where user_id = ${p.userId} and calendar = ${key}`),
  );
}

/** A subscription address fetched by a calendar app (no session): the calendar's .ics, or null (unknown, revoked,
 *  forged, or the account no longer active). */
export async function feedCalendar(deps: ServiceDeps, token: string): Promise<string | null> {
  const m = /^(.{36})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m || !isId(m[1])) return null;
  const feedId = m[1];
  const encoder = new TextEncoder();
  if (!constantTimeEqual(encoder.encode(await hmacOf(deps.config.secret, feedId)), encoder.encode(m[2]!))) return null;
  // Whose feed it is can only be read before knowing who they are: the system's scope, for that one row.
  const found = await withTenant(deps.db, systemScope, async (tx) => {
    const [feed] = rowsOf<{ user_id: string; calendar: string }>(
      await tx.execute(sql`
      select f.user_id, f.calendar from agenda_feeds f join users u on u.id = f.user_id
      where f.id = ${feedId} and u.state = 'active'`),
    );
    return feed ? { feed, principal: await loadPrincipal(tx, feed.user_id, "agenda-feed", null) } : null;
  });
  if (!found?.principal) return null;
  const p = found.principal;
  return inTenant(deps, p, (tx) => icsFor(tx, deps, p, found.feed.calendar));
}
