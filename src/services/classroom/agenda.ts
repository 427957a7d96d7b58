// Agenda (54C): each user's calendars — their own (personal), their classes' (theirs, their children's, the whole
// school's for a director) and their schools' — and what is in them over a period: events, the news feed's
// important dates, and booked meetings. Who writes which calendar is the policy's (agenda.writeCalendar): a class's
// by the class's teachers and the director, a school's by the director, a personal calendar by its owner alone.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { can } from "../../policy";
import { addDays, localTime, zonedToUtc } from "../../time";
import { isDay, isId, isTime } from "../../validation";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { classesReachedBy, classFactColumns, factsOfRow, type ClassFactRow } from "./class-access";
import { mondayOf } from "./homework";
import { notifyFromUserScope } from "../notifications/notifications";
import type { Principal } from "../principal";

export const LIMITS = { title: 120, place: 200, details: 2000, maxDays: 366, maxLengthDays: 31 };

export type CalendarKind = "personal" | "class" | "school";
export interface CalendarInfo {
  key: string;
  kind: CalendarKind;
  name: string;
  schoolName: string;
  uai: string;
  classId: string | null;
  writable: boolean;
}

/** The profiles whose schools' calendars the user reads. */
const SCHOOL_PROFILES = new Set(["pupil", "parent", "teacher", "director", "staff"]);

/** Whether the user has an agenda at all (agenda.open): it belongs to school life. */
export function hasAgenda(p: Principal): boolean {
  return can(p, "agenda.open", { kind: "platform" });
}

/** The calendars the user reads, in one transaction of their own. */
export async function agendaCalendars(deps: ServiceDeps, p: Principal): Promise<CalendarInfo[]> {
  return inTenant(deps, p, (tx) => calendarsOf(tx, p));
}

/** The calendars the user reads, the ones they may write marked (agenda.writeCalendar). */
export async function calendarsOf(tx: Tx, p: Principal): Promise<CalendarInfo[]> {
  if (!hasAgenda(p)) return [];
  const active = p.profiles.find((sp) => sp.uai === p.activeUai);
  return [
    {
      key: "personal",
      kind: "personal",
      name: "",
      schoolName: active?.schoolName ?? "",
      uai: p.activeUai!,
      classId: null,
      writable: can(p, "agenda.writeCalendar", { calendar: "personal", ownerId: p.userId }),
    },
    ...(await classCalendars(tx, p)),
    ...schoolCalendars(p),
  ];
}

/** The calendars of the classes the user reaches (theirs, their children's, their school's for a director). */
async function classCalendars(tx: Tx, p: Principal): Promise<CalendarInfo[]> {
  const rows = rowsOf<ClassFactRow & { id: string; name: string; school_name: string }>(
    await tx.execute(sql`
    with mine as (${classesReachedBy(p.userId)})
    select c.id, c.name, c.uai, s.name as school_name, ${classFactColumns(p.userId)}
    from (select distinct class_id from mine) r join classes c on c.id = r.class_id join schools s on s.uai = c.uai
    order by s.name, c.name`),
  );
  return rows.map((c) => ({
    key: `class:${c.id}`,
    kind: "class",
    name: c.name,
    schoolName: c.school_name,
    uai: c.uai,
    classId: c.id,
    writable: can(p, "agenda.writeCalendar", { calendar: "class", ...factsOfRow(c) }),
  }));
}

/** The calendars of the schools where the user has a school life. */
function schoolCalendars(p: Principal): CalendarInfo[] {
  const schools = new Map<string, CalendarInfo>();
  for (const sp of p.profiles) {
    if (!SCHOOL_PROFILES.has(sp.profile) || schools.has(sp.uai)) continue;
    schools.set(sp.uai, {
      key: `school:${sp.uai}`,
      kind: "school",
      name: sp.schoolName,
      schoolName: sp.schoolName,
      uai: sp.uai,
      classId: null,
      writable: can(p, "agenda.writeCalendar", { calendar: "school", uai: sp.uai }),
    });
  }
  return [...schools.values()];
}

/** 58D: the calendars "a pupil (or a parent) of the class" reads — the class's and its school's, none personal —
 *  for `viewer` (nobody, standing for them), with the coming `days` of their entries. */
export async function classAgenda(
  tx: Tx,
  viewer: Principal,
  klass: { id: string; name: string; uai: string; schoolName: string },
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  days: number,
): Promise<{ calendars: CalendarInfo[]; entries: AgendaEntry[]; from: string }> {
  if (!hasAgenda(viewer)) return { calendars: [], entries: [], from: "" };
  const { timeZone } = deps;
  const from = localTime(deps.now, timeZone).date;
  const calendars: CalendarInfo[] = [
    {
      key: `class:${klass.id}`,
      kind: "class",
      name: klass.name,
      schoolName: klass.schoolName,
      uai: klass.uai,
      classId: klass.id,
      writable: false,
    },
    ...schoolCalendars(viewer),
  ];
  const entries = await agendaEntries(
    tx,
    viewer,
    calendars,
    zonedToUtc(`${from}T00:00`, timeZone),
    zonedToUtc(`${addDays(from, days)}T00:00`, timeZone),
    timeZone,
  );
  return { calendars, entries, from };
}

/** The calendars a key names: one of the user's, or "all" of them. */
export function selectCalendars(all: CalendarInfo[], key: string): CalendarInfo[] | null {
  if (key === "all") return all;
  const one = all.find((c) => c.key === key);
  return one ? [one] : null;
}

export type AgendaView = "semaine" | "mois";
export const AGENDA_VIEWS = ["semaine", "mois"] as const satisfies readonly AgendaView[];

export interface AgendaPeriodPage {
  calendars: CalendarInfo[];
  entries: AgendaEntry[];
  period: { from: string; days: number; view: AgendaView; calendar: string };
  today: string;
}

/** The agenda's page: a week from its Monday, or four weeks from the asked day, in one calendar or all of them. */
export async function agendaPeriod(
  deps: ServiceDeps,
  p: Principal,
  asked: { view: AgendaView; day: string | null; calendar: string },
): Promise<AgendaPeriodPage> {
  const { timeZone } = deps;
  const today = localTime(deps.now, timeZone).date;
  const day = isDay(asked.day) ? asked.day : today;
  const from = asked.view === "semaine" ? mondayOf(day) : day;
  const days = asked.view === "semaine" ? 7 : 28;
  return inTenant(deps, p, async (tx) => {
    const calendars = await calendarsOf(tx, p);
    const chosen = selectCalendars(calendars, asked.calendar);
    const entries = await agendaEntries(
      tx,
      p,
      chosen ?? calendars,
      zonedToUtc(`${from}T00:00`, timeZone),
      zonedToUtc(`${addDays(from, days)}T00:00`, timeZone),
      timeZone,
    );
    const calendar = chosen ? asked.calendar : "all";
    return { calendars, entries, period: { from, days, view: asked.view, calendar }, today };
  });
}

export interface AgendaEntry {
  id: string;
  source: "event" | "date" | "booking" | "slot";
  calendarKey: string;
  title: string;
  place: string;
  details: string;
  startsAt: Date;
  endsAt: Date;
  allDay: boolean;
  /** For all-day entries: the first and last calendar days. */
  firstDay: string;
  lastDay: string;
  link: string | null;
  deletable: boolean;
}

interface EntryRow {
  id: string;
  source: AgendaEntry["source"];
  calendar_key: string;
  title: string;
  place: string;
  details: string;
  starts_at: Date | string;
  ends_at: Date | string;
  all_day: boolean;
  link: string | null;
  deletable: boolean;
}

/** Everything in these calendars between two instants, in time order. */
export async function agendaEntries(
  tx: Tx,
  p: Principal,
  calendars: CalendarInfo[],
  from: Date,
  to: Date,
  timeZone: string,
): Promise<AgendaEntry[]> {
  const rows = await entryRows(tx, p, calendarFilters(calendars), {
    from,
    to,
    fromDay: localTime(from, timeZone).date,
    toDay: localTime(to, timeZone).date,
  });
  return rows.map((r) => entryOf(r, timeZone));
}

/** The calendars as the query's filters: Postgres array literals of the class ids and schools read and written. */
function calendarFilters(calendars: CalendarInfo[]) {
  const list = (values: (string | null)[]) => `{${values.join(",")}}`;
  const classCals = calendars.filter((c) => c.kind === "class");
  const schoolCals = calendars.filter((c) => c.kind === "school");
  return {
    personal: calendars.some((c) => c.kind === "personal"),
    classIds: list(classCals.map((c) => c.classId)),
    writableClassIds: list(classCals.filter((c) => c.writable).map((c) => c.classId)),
    uais: list(schoolCals.map((c) => c.uai)),
    writableUais: list(schoolCals.filter((c) => c.writable).map((c) => c.uai)),
  };
}

/** Events, the news feed's important dates, the user's bookings and the booked slots of their offers. */
async function entryRows(
  tx: Tx,
  p: Principal,
  cals: ReturnType<typeof calendarFilters>,
  span: { from: Date; to: Date; fromDay: string; toDay: string },
): Promise<EntryRow[]> {
  const { personal, classIds, writableClassIds, uais, writableUais } = cals;
  const from = span.from.toISOString();
  const to = span.to.toISOString();
  return rowsOf<EntryRow>(
    await tx.execute(sql`
    select e.id, 'event' as source,
      case e.calendar when 'personal' then 'personal' when 'class' then 'class:' || e.class_id
        else 'school:' || e.uai end as calendar_key,
      e.title, e.place, e.details, e.starts_at, e.ends_at, e.all_day, null as link,
      (e.owner_id = ${p.userId} or (e.calendar = 'class' and e.class_id = any(${writableClassIds}::uuid[]))
        or (e.calendar = 'school' and e.uai = any(${writableUais}::text[]))) as deletable
    from agenda_events e
    where e.starts_at < ${to} and e.ends_at > ${from}
      and ((${personal} and e.calendar = 'personal' and e.owner_id = ${p.userId})
        or (e.calendar = 'class' and e.class_id = any(${classIds}::uuid[]))
        or (e.calendar = 'school' and e.uai = any(${uais}::text[])))
    union all
    select d.id, 'date', case when d.class_id is null then 'school:' || d.uai else 'class:' || d.class_id end,
      d.title, '', '', (d.on_date::text || 'T12:00:00Z')::timestamptz, (d.on_date::text || 'T12:00:00Z')::timestamptz,
      true, '/fil', false
    from important_dates d
    where d.on_date between ${span.fromDay}::date and ${span.toDay}::date
      and (d.class_id = any(${classIds}::uuid[]) or (d.class_id is null and d.uai = any(${uais}::text[])))
    union all
    select b.id, 'booking', 'personal', o.title || ' — ' || c.first_name, o.place, o.details, s.starts_at, s.ends_at,
      false, '/agenda/creneaux/' || o.id, false
    from agenda_bookings b join agenda_slots s on s.id = b.slot_id join agenda_offers o on o.id = b.offer_id
      join users c on c.id = b.child_id
    where ${personal} and b.parent_id = ${p.userId} and s.starts_at < ${to} and s.ends_at > ${from}
    union all
    select s.id, 'slot', 'personal',
      o.title || ' — ' || string_agg(c.first_name || ' ' || c.last_name, ', ' order by c.last_name), o.place, '',
      s.starts_at, s.ends_at, false, '/agenda/creneaux/' || o.id, false
    from agenda_slots s join agenda_offers o on o.id = s.offer_id join agenda_bookings b on b.slot_id = s.id
      join users c on c.id = b.child_id
    where ${personal} and o.author_id = ${p.userId} and s.starts_at < ${to} and s.ends_at > ${from}
    group by s.id, o.id, o.title, o.place
    order by 7, 4 limit 500`),
  );
}

function entryOf(r: EntryRow, timeZone: string): AgendaEntry {
  const startsAt = new Date(r.starts_at);
  const endsAt = new Date(r.ends_at);
  const allDay = r.all_day;
  // An all-day event ends at midnight after its last day; a news-feed date is one noon.
  const firstDay = allDay ? localTime(startsAt, timeZone).date : "";
  const lastDay = allDay ? (r.source === "date" ? firstDay : addDays(localTime(endsAt, timeZone).date, -1)) : "";
  return {
    id: r.id,
    source: r.source,
    calendarKey: r.calendar_key,
    title: r.title,
    place: r.place,
    details: r.details,
    startsAt,
    endsAt,
    allDay,
    firstDay,
    lastDay,
    link: r.link ?? (r.source === "event" ? `/agenda/evenements/${r.id}` : null),
    deletable: r.deletable,
  };
}

export type EventIssue =
  | "calendar"
  | "title"
  | "place"
  | "details"
  | "day"
  | "time"
  | "order"
  | "past"
  | "far"
  | "long";
export interface EventInput {
  calendar: string;
  title: string;
  place: string;
  details: string;
  day: string;
  endDay: string;
  start: string;
  end: string;
  allDay: boolean;
}

/** "2026-12-08" → "08/12/2026", for notices. */
export const frenchDay = (day: string) => day.split("-").reverse().join("/");

/** The instants a form's day and times mean in the schools' zone, or why not. */
export function periodOf(
  input: { day: string; endDay: string; start: string; end: string; allDay: boolean },
  now: Date,
  timeZone: string,
): { startsAt: Date; endsAt: Date } | { issue: EventIssue } {
  if (!isDay(input.day)) return { issue: "day" };
  let startsAt: Date;
  let endsAt: Date;
  if (input.allDay) {
    const last = input.endDay || input.day;
    if (!isDay(last)) return { issue: "day" };
    if (last < input.day) return { issue: "order" };
    startsAt = zonedToUtc(`${input.day}T00:00`, timeZone);
    endsAt = zonedToUtc(`${addDays(last, 1)}T00:00`, timeZone);
  } else {
    if (!isTime(input.start) || !isTime(input.end)) return { issue: "time" };
    startsAt = zonedToUtc(`${input.day}T${input.start}`, timeZone);
    endsAt = zonedToUtc(`${input.day}T${input.end}`, timeZone);
    if (endsAt.getTime() <= startsAt.getTime()) return { issue: "order" };
  }
  const today = localTime(now, timeZone).date;
  if (input.allDay ? input.day < today : startsAt.getTime() < now.getTime()) return { issue: "past" };
  if (startsAt.getTime() > now.getTime() + LIMITS.maxDays * 86_400_000) return { issue: "far" };
  if (endsAt.getTime() - startsAt.getTime() > LIMITS.maxLengthDays * 86_400_000) return { issue: "long" };
  return { startsAt, endsAt };
}

/** What is wrong with an event's texts and period, or the period it means. */
function checkEvent(
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  calendar: CalendarInfo,
  input: EventInput,
): { issues: EventIssue[]; period?: { startsAt: Date; endsAt: Date } } {
  const issues: EventIssue[] = [];
  if (!calendar.writable) issues.push("calendar");
  const title = input.title.trim();
  if (!title || title.length > LIMITS.title) issues.push("title");
  if (input.place.trim().length > LIMITS.place) issues.push("place");
  if (input.details.trim().length > LIMITS.details) issues.push("details");
  const period = periodOf(input, deps.now, deps.timeZone);
  if ("issue" in period) return { issues: [...issues, period.issue] };
  return { issues, period };
}

export async function eventCreator(
  deps: ServiceDeps,
  p: Principal,
  input: EventInput,
): Promise<
  { ok: true; id: string; day: string } | { ok: false; issues: EventIssue[] } | { ok: false; forbidden: true }
> {
  return inTenant(deps, p, async (tx) => {
    const calendar = (await calendarsOf(tx, p)).find((c) => c.key === input.calendar);
    if (!calendar) return { ok: false as const, forbidden: true as const };
    const { issues, period } = checkEvent(deps, calendar, input);
    if (issues.length || !period) return { ok: false as const, issues };
    const title = input.title.trim();
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into agenda_events (uai, calendar, class_id, owner_id, title, place, details, starts_at, ends_at, all_day,
        created_at)
      values (${calendar.uai}, ${calendar.kind}, ${calendar.classId}, ${p.userId}, ${title}, ${input.place.trim()},
        ${input.details.trim()}, ${period.startsAt.toISOString()}, ${period.endsAt.toISOString()}, ${input.allDay},
        ${deps.now.toISOString()}) returning id`),
    );
    const id = row!.id;
    if (calendar.kind === "class") await tellClass(tx, deps, calendar, { ...input, id, title });
    await auditAction(tx, deps, p, {
      action: "agenda.event_created",
      target: id,
      uai: calendar.uai,
      details: { calendar: calendar.kind },
    });
    return { ok: true as const, id, day: input.day };
  });
}

/** A class's new event is told to its pupils and their parents. */
async function tellClass(
  tx: Tx,
  deps: ServiceDeps,
  calendar: CalendarInfo,
  event: EventInput & { id: string; title: string },
): Promise<void> {
  const audience = rowsOf<{ id: string }>(
    await tx.execute(sql`
    select m.user_id as id from class_members m where m.class_id = ${calendar.classId} and m.role = 'pupil'
    union select l.parent_id from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
    where m.class_id = ${calendar.classId}`),
  ).map((r) => r.id);
  await notifyFromUserScope(
    tx,
    audience,
    {
      kind: "agenda.event",
      title: `Agenda de la classe ${calendar.name} : ${event.title}`,
      body: event.allDay ? `Le ${frenchDay(event.day)}` : `Le ${frenchDay(event.day)} de ${event.start} à ${event.end}`,
      link: `/agenda/evenements/${event.id}`,
    },
    deps.now,
    deps.delivery,
  );
}

export interface EventView {
  entry: AgendaEntry;
  calendar: CalendarInfo;
}

export async function eventView(deps: ServiceDeps, p: Principal, id: string): Promise<EventView | null> {
  if (!isId(id)) return null;
  return inTenant(deps, p, async (tx) => {
    const calendars = await calendarsOf(tx, p);
    const [row] = rowsOf<{ starts_at: Date | string; ends_at: Date | string }>(
      await tx.execute(sql`select starts_at, ends_at from agenda_events where id = ${id}`),
    );
    if (!row) return null;
    const entries = await agendaEntries(
      tx,
      p,
      calendars,
      new Date(row.starts_at),
      new Date(new Date(row.ends_at).getTime() + 1),
      deps.timeZone,
    );
    const entry = entries.find((e) => e.id === id && e.source === "event");
    const calendar = entry && calendars.find((c) => c.key === entry.calendarKey);
    return entry && calendar ? { entry, calendar } : null;
  });
}

export async function eventRemover(deps: ServiceDeps, p: Principal, id: string): Promise<boolean> {
  const view = await eventView(deps, p, id);
  if (!view?.entry.deletable) return false;
  return inTenant(deps, p, async (tx) => {
    await tx.execute(sql`delete from agenda_events where id = ${id}`);
    await auditAction(tx, deps, p, {
      action: "agenda.event_removed",
      target: id,
      uai: view.calendar.uai,
      details: {},
    });
    return true;
  });
}
