// The news feed (fil d'informations, 54H–54J): urgent announcements first, then important dates, classmates'
// birthdays and the latest events of every app (the user's notices). Authors: directors, teachers, inspectors and
// advisers set dates; directors, advisers, municipality staff and the académie send urgent announcements, shown at
// entry until read and notified through everyone's channels by a job (never in the request).
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { enqueue } from "../../jobs/runner";
import { addDays, localTime, zonedToUtc } from "../../time";
import { audit, auditAction } from "../audit";
import { myNotifications, notifyUsers, type Delivery, type NoticeLine } from "../notifications/notifications";
import { can } from "../../policy";
import type { ClassResource } from "../../policy/types";
import { isDay, isId } from "../../validation";
import { inTenant, type ServiceDeps } from "../context";
import { displayName, type Principal, type ProfileKind } from "../principal";

export interface AnnouncementLine {
  id: string;
  title: string;
  body: string;
  signedAs: string;
  createdAt: Date;
  endsAt: Date;
  seen: boolean;
}
export interface DateLine {
  id: string;
  batchId: string;
  title: string;
  onDate: string;
  className: string | null;
  schoolName: string;
  mine: boolean;
}
export interface BirthdayLine {
  firstName: string;
  lastInitial: string;
  className: string;
  day: string;
  today: boolean;
  me: boolean;
}
export interface Feed {
  urgent: AnnouncementLine[];
  dates: DateLine[];
  birthdays: BirthdayLine[];
  events: NoticeLine[];
}

/** Profiles an announcement may address (school profiles: those that see the feed). */
export const ANNOUNCEMENT_PROFILES = [
  "pupil",
  "parent",
  "teacher",
  "director",
  "staff",
] as const satisfies readonly ProfileKind[];
export const DATE_HORIZON_DAYS = 60;
export const BIRTHDAY_DAYS = 7;
export const LIMITS = { title: 120, body: 2000, announcementDays: 31, dateDays: 366 };

/** 54I: whether `user` (SQL) is a member of the announcement `a`'s class, or a parent of one of its pupils. */
const inClassOf = (user: SQL) => sql`(exists (select 1 from class_members m where m.class_id = a.class_id
    and m.user_id = ${user})
  or exists (select 1 from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
    where m.class_id = a.class_id and l.parent_id = ${user}))`;

/** Announcements addressed to the user now: one of their school profiles is in the audience of one of the schools. */
export async function activeAnnouncements(
  tx: Tx,
  reader: string | ClassReader,
  now: Date,
  onlyUnseen = false,
): Promise<AnnouncementLine[]> {
  // 58D: "a pupil (or a parent) of the class" is nobody: the school's announcements to that profile and the class's
  // own, never read by them.
  const userId = typeof reader === "string" ? reader : null;
  const audience =
    typeof reader === "string"
      ? sql`exists (select 1 from announcement_schools s join school_profiles sp on sp.uai = s.uai
                    where s.announcement_id = a.id and sp.user_id = ${userId} and sp.profile = any(a.profiles))
        and (a.class_id is null or ${inClassOf(sql`${userId}::uuid`)})`
      : sql`exists (select 1 from announcement_schools s where s.announcement_id = a.id and s.uai = ${reader.uai})
        and ${reader.profile}::profile_kind = any(a.profiles)
        and (a.class_id is null or a.class_id = ${reader.classId})`;
  const rows = rowsOf<{
    id: string;
    title: string;
    body: string;
    signed_as: string;
    created_at: Date | string;
    ends_at: Date | string;
    seen: boolean;
  }>(
    await tx.execute(sql`
      select a.id, a.title, a.body, a.signed_as, a.created_at, a.ends_at,
        ${
          userId
            ? sql`exists (select 1 from announcement_reads r where r.announcement_id = a.id and r.user_id =
          ${userId})`
            : sql`false`
        } as seen
      from announcements a
      where a.withdrawn_at is null and a.ends_at > ${now.toISOString()} and a.created_at <= ${now.toISOString()}
        ${
          onlyUnseen && userId
            ? sql`and not exists (select 1 from announcement_reads r where r.announcement_id = a.id
          and r.user_id = ${userId})`
            : sql``
        }
        and ${audience}
      order by a.created_at desc limit 20`),
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    signedAs: r.signed_as,
    createdAt: new Date(r.created_at),
    endsAt: new Date(r.ends_at),
    seen: r.seen,
  }));
}

/** Dates of the user's schools (whole school) and classes (theirs, their children's; all of them for the school's
 *  staff), and the dates they set themselves. */
async function upcomingDates(tx: Tx, reader: string | ClassReader, today: string, limit: number): Promise<DateLine[]> {
  const userId = typeof reader === "string" ? reader : null;
  const audience =
    typeof reader === "string"
      ? sql`(d.author_id = ${userId}
          or (d.class_id is null and d.uai in (select uai from school_profiles where user_id = ${userId}))
          or d.class_id in (select class_id from class_members where user_id = ${userId})
          or d.class_id in (select m.class_id from parent_links l join class_members m on m.user_id = l.child_id
                            where l.parent_id = ${userId})
          or d.uai in (select uai from school_profiles where user_id = ${userId} and profile in ('director', 'staff')))`
      : sql`((d.class_id is null and d.uai = ${reader.uai}) or d.class_id = ${reader.classId})`;
  const rows = rowsOf<{
    id: string;
    batch_id: string;
    title: string;
    on_date: string | Date;
    class_name: string | null;
    school_name: string;
    mine: boolean;
  }>(
    await tx.execute(sql`
      select d.id, d.batch_id, d.title, d.on_date, c.name as class_name, sc.name as school_name,
        ${userId ? sql`(d.author_id = ${userId})` : sql`false`} as mine
      from important_dates d join schools sc on sc.uai = d.uai left join classes c on c.id = d.class_id
      where d.on_date between ${today}::date and ${addDays(today, DATE_HORIZON_DAYS)}::date
        and ${audience}
      order by d.on_date, d.title limit ${limit}`),
  );
  // A date set for a whole circonscription is one row per school: its author sees it once.
  const seen = new Set<string>();
  return rows
    .filter((r) => !(r.mine && seen.has(r.batch_id)) && seen.add(r.batch_id))
    .map((r) => ({
      id: r.id,
      batchId: r.batch_id,
      title: r.title,
      onDate: typeof r.on_date === "string" ? r.on_date.slice(0, 10) : r.on_date.toISOString().slice(0, 10),
      className: r.class_name,
      schoolName: r.school_name,
      mine: r.mine,
    }));
}

/** "MM-DD" of the next `days` days; 29 February birthdays are wished on the 28th in other years. */
function monthDays(today: string, days: number): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < days; i++) {
    const date = addDays(today, i);
    out.set(date.slice(5), date);
    const year = Number(date.slice(0, 4));
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (date.slice(5) === "02-28" && !leap) out.set("02-29", date);
  }
  return out;
}

/** 54H: birthdays of a pupil's classmates (and their own), and of a teacher's pupils, in the coming week. */
async function birthdays(tx: Tx, userId: string, today: string): Promise<BirthdayLine[]> {
  const days = monthDays(today, BIRTHDAY_DAYS);
  const rows = rowsOf<{ id: string; first_name: string; last_name: string; md: string; class_name: string }>(
    await tx.execute(sql`
    select distinct u.id, u.first_name, u.last_name, to_char(u.birth_date, 'MM-DD') as md, c.name as class_name
    from class_members me join class_members m on m.class_id = me.class_id and m.role = 'pupil'
    join classes c on c.id = me.class_id join users u on u.id = m.user_id
    where me.user_id = ${userId} and me.role in ('pupil', 'teacher') and u.birth_date is not null
      and u.state in ('active', 'pre_created')
      and to_char(u.birth_date, 'MM-DD') = any(${`{${[...days.keys()].join(",")}}`}::text[])`),
  );
  return rows
    .map((r) => ({
      firstName: r.first_name,
      lastInitial: r.last_name.slice(0, 1),
      className: r.class_name,
      day: days.get(r.md)!,
      today: days.get(r.md) === today,
      me: r.id === userId,
    }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.firstName.localeCompare(b.firstName, "fr"));
}

async function newsFeed(tx: Tx, p: Principal, deps: Pick<ServiceDeps, "now" | "timeZone">): Promise<Feed> {
  const today = localTime(deps.now, deps.timeZone).date;
  return {
    urgent: await activeAnnouncements(tx, p.userId, deps.now),
    dates: await upcomingDates(tx, p.userId, today, 30),
    birthdays: await birthdays(tx, p.userId, today),
    events: await myNotifications(tx, p.userId, 15),
  };
}

/** 58D: the feed of "a pupil (or a parent) of the class" — its school's and its class's announcements and dates, and
 *  nothing personal (no birthdays, no notices): what the class's teacher previews. */
export interface ClassReader {
  classId: string;
  uai: string;
  profile: "pupil" | "parent";
}
export async function classFeed(
  tx: Tx,
  reader: ClassReader,
  deps: Pick<ServiceDeps, "now" | "timeZone">,
): Promise<Pick<Feed, "urgent" | "dates">> {
  const today = localTime(deps.now, deps.timeZone).date;
  return { urgent: await activeAnnouncements(tx, reader, deps.now), dates: await upcomingDates(tx, reader, today, 30) };
}

/** What the feed page offers the user: the forms to add dates, to send urgent announcements. */
export interface FeedRights {
  dates: boolean;
  announcements: boolean;
}

export interface FeedPageData {
  feed: Feed;
  /** The dates and announcements the user wrote (for the forms' authors). */
  mine: { dates: DateLine[]; announcements: MyAnnouncement[] };
  rights: FeedRights;
}

/** The feed page (/fil): the feed, and for its authors what they wrote. */
export async function feedPage(deps: ServiceDeps, p: Principal): Promise<FeedPageData> {
  const rights: FeedRights = {
    dates: can(p, "feed.writeDates", { kind: "platform" }),
    announcements: can(p, "feed.writeAnnouncements", { kind: "platform" }),
  };
  return inTenant(deps, p, async (tx) => ({
    feed: await newsFeed(tx, p, deps),
    mine: {
      dates: rights.dates ? await myDates(tx, p, deps) : [],
      announcements: rights.announcements ? await myAnnouncements(tx, p) : [],
    },
    rights,
  }));
}

/** What the home page shows at entry: unseen urgent announcements, and the next few dates and birthdays. */
export async function entryFeed(deps: ServiceDeps, p: Principal): Promise<Omit<Feed, "events">> {
  return inTenant(deps, p, (tx) => entryFeedIn(tx, deps, p));
}

/**
 * The feed's entry in the caller's transaction. Its three reads do not depend on each other: they are sent together,
 * and postgres.js pipelines them on the transaction's connection (one write, one round trip; issue 22).
 */
export async function entryFeedIn(
  tx: Tx,
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  p: Principal,
): Promise<Omit<Feed, "events">> {
  const today = localTime(deps.now, deps.timeZone).date;
  const [urgent, dates, days] = await Promise.all([
    activeAnnouncements(tx, p.userId, deps.now, true),
    upcomingDates(tx, p.userId, today, 3),
    birthdays(tx, p.userId, today),
  ]);
  return { urgent, dates, birthdays: days.filter((b) => b.today) };
}

/** "J'ai lu": the user has seen an urgent announcement shown at entry. */
export async function markAnnouncementSeen(deps: ServiceDeps, p: Principal, announcementId: string): Promise<void> {
  if (!isId(announcementId)) return;
  // Only an announcement the user can see (RLS on announcements) gets a read mark.
  await inTenant(deps, p, (tx) =>
    tx.execute(sql`insert into announcement_reads (announcement_id, user_id, seen_at)
      select a.id, ${p.userId}, ${deps.now.toISOString()} from announcements a where a.id = ${announcementId}
      on conflict do nothing`),
  );
}

// ——— Audiences ———

export interface AudienceOption {
  value: string;
  kind: "class" | "school" | "perimeter" | "academie";
  label: string;
}

const PERIMETER_AUTHORS: ProfileKind[] = ["inspector", "adviser", "municipality"];

async function perimeterSchools(tx: Tx, p: Principal): Promise<{ uai: string; name: string }[]> {
  if (p.perimeter.all) return [];
  return rowsOf<{ uai: string; name: string }>(
    await tx.execute(sql`
    select uai, name from schools where uai = any(${`{${p.perimeter.uais.join(",")}}`}::text[]) order by name`),
  );
}

/** The schools the user directs, as audiences. */
function directedSchools(p: Principal): AudienceOption[] {
  return p.profiles
    .filter((x) => x.profile === "director")
    .map((sp) => ({ value: `ecole:${sp.uai}`, kind: "school" as const, label: sp.schoolName }));
}

/** The user's perimeter (a circonscription, a commune) and each of its schools, as audiences. */
async function perimeterOptions(tx: Tx, p: Principal): Promise<AudienceOption[]> {
  const schools = await perimeterSchools(tx, p);
  return [
    { value: "perimetre", kind: "perimeter", label: "" },
    ...schools.map((s) => ({ value: `ecole:${s.uai}`, kind: "school" as const, label: s.name })),
  ];
}

/** The classes the user teaches, as audiences. */
async function taughtClasses(tx: Tx, p: Principal): Promise<AudienceOption[]> {
  const classes = rowsOf<{ id: string; name: string; school: string }>(
    await tx.execute(sql`
    select c.id, c.name, s.name as school
    from class_members m join classes c on c.id = m.class_id join schools s on s.uai = c.uai
    where m.user_id = ${p.userId} and m.role = 'teacher' order by s.name, c.name`),
  );
  return classes.map((c) => ({ value: `classe:${c.id}`, kind: "class", label: `${c.name} — ${c.school}` }));
}

/** Where the user may put an important date: their classes, their school, their perimeter. */
export async function dateAudiences(deps: ServiceDeps, p: Principal): Promise<AudienceOption[]> {
  return inTenant(deps, p, async (tx) => {
    const out = await taughtClasses(tx, p);
    out.push(...directedSchools(p));
    if (can(p, "feed.addDate", { kind: "perimeter" }) && !p.perimeter.all) out.push(...(await perimeterOptions(tx, p)));
    return dedupe(out);
  });
}

/** The urgent announcement's form: where the user may send it, and whether pupils may be among its readers. */
export interface AnnouncementForm {
  options: AudienceOption[];
  /** 2.1.2: municipality staff never address pupils. */
  pupilsAllowed: boolean;
}

export async function announcementForm(deps: ServiceDeps, p: Principal): Promise<AnnouncementForm> {
  return inTenant(deps, p, async (tx) => {
    const out: AudienceOption[] = [];
    if (can(p, "feed.announce", { kind: "platform" })) out.push({ value: "academie", kind: "academie", label: "" });
    out.push(...(await taughtClasses(tx, p)));
    out.push(...directedSchools(p));
    if (can(p, "feed.announce", { kind: "perimeter" }) && !p.perimeter.all)
      out.push(...(await perimeterOptions(tx, p)));
    return { options: dedupe(out), pupilsAllowed: can(p, "feed.addressPupils", { kind: "platform" }) };
  });
}

function dedupe(options: AudienceOption[]): AudienceOption[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.value) && seen.add(o.value));
}

// ——— Important dates (54H) ———

export type DateIssue = "title" | "date" | "date_past" | "date_far" | "audience";
export interface DateInput {
  title: string;
  date: string;
  audience: string;
}

/** The form's own checks: a title, a day that exists, from today to a year ahead. */
function checkDate(deps: Pick<ServiceDeps, "now" | "timeZone">, input: DateInput): DateIssue[] {
  const issues: DateIssue[] = [];
  const title = input.title.trim();
  if (!title || title.length > LIMITS.title) issues.push("title");
  const today = localTime(deps.now, deps.timeZone).date;
  if (!isDay(input.date)) issues.push("date");
  else if (input.date < today) issues.push("date_past");
  else if (input.date > addDays(today, LIMITS.dateDays)) issues.push("date_far");
  return issues;
}

export async function dateCreator(
  deps: ServiceDeps,
  p: Principal,
  input: DateInput,
): Promise<{ ok: true; count: number } | { ok: false; issues: DateIssue[] }> {
  const issues = checkDate(deps, input);
  return inTenant(deps, p, async (tx) => {
    const targets = await resolveDateAudience(tx, p, input.audience);
    if (!targets) issues.push("audience");
    if (issues.length || !targets) return { ok: false as const, issues };
    const batchId = crypto.randomUUID();
    for (const t of targets) {
      await tx.execute(sql`insert into important_dates (batch_id, uai, class_id, author_id, title, on_date, created_at)
        values (${batchId}, ${t.uai}, ${t.classId}, ${p.userId}, ${input.title.trim()}, ${input.date},
          ${deps.now.toISOString()})`);
    }
    await auditAction(tx, deps, p, {
      action: "feed.date.added",
      target: batchId,
      uai: targets.length === 1 ? targets[0]!.uai : null,
      details: { schools: targets.length, date: input.date },
    });
    return { ok: true as const, count: targets.length };
  });
}

type DateTarget = { uai: string; classId: string | null };

async function resolveDateAudience(tx: Tx, p: Principal, audience: string): Promise<DateTarget[] | null> {
  if (audience === "perimetre") {
    if (!can(p, "feed.addDate", { kind: "perimeter" }) || p.perimeter.all || p.perimeter.uais.length === 0) return null;
    return p.perimeter.uais.map((uai) => ({ uai, classId: null }));
  }
  const [kind, id] = audience.split(":");
  if (kind === "ecole" && id && can(p, "feed.addDate", { kind: "school", uai: id })) {
    const exists = rowsOf(await tx.execute(sql`select 1 from schools where uai = ${id}`)).length > 0;
    return exists ? [{ uai: id, classId: null }] : null;
  }
  if (kind === "classe" && isId(id)) return classTarget(tx, p, id);
  return null;
}

async function classTarget(tx: Tx, p: Principal, classId: string): Promise<DateTarget[] | null> {
  const c = await classOfAudience(tx, classId);
  return c && can(p, "feed.addDate", c.resource) ? [{ uai: c.resource.uai, classId }] : null;
}

/** A class named by an audience: what the policy asks of it (its school, its teachers), and its names. */
async function classOfAudience(
  tx: Tx,
  classId: string,
): Promise<{ resource: ClassResource; name: string; school: string } | null> {
  const [c] = rowsOf<{ uai: string; teachers: string[]; name: string; school: string }>(
    await tx.execute(sql`
    select c.uai, c.name, s.name as school,
      array(select user_id::text from class_members where class_id = c.id and role = 'teacher') as teachers
    from classes c join schools s on s.uai = c.uai where c.id = ${classId}`),
  );
  if (!c) return null;
  const resource: ClassResource = {
    kind: "class",
    uai: c.uai,
    classId,
    memberIds: [],
    teacherIds: c.teachers,
    parentIdsOfPupils: [],
  };
  return { resource, name: c.name, school: c.school };
}

/** Its author, or a director of the school, removes a date (every school's row of it for its author). */
export async function dateRemover(deps: ServiceDeps, p: Principal, batchId: string): Promise<boolean> {
  if (!isId(batchId)) return false;
  return inTenant(deps, p, async (tx) => {
    const rows = rowsOf<{ id: string; uai: string; author_id: string }>(
      await tx.execute(sql`select id, uai, author_id from important_dates where batch_id = ${batchId}`),
    );
    const removable = rows.filter((r) => can(p, "feed.removeDate", { uai: r.uai, authorId: r.author_id }));
    if (removable.length === 0) return false;
    await tx.execute(sql`delete from important_dates
      where id = any(${`{${removable.map((r) => r.id).join(",")}}`}::uuid[])`);
    await audit(tx, { at: deps.now, actorId: p.userId, action: "feed.date.removed", target: batchId, ip: deps.ip });
    return true;
  });
}

async function myDates(tx: Tx, p: Principal, deps: Pick<ServiceDeps, "now" | "timeZone">): Promise<DateLine[]> {
  return (await upcomingDates(tx, p.userId, localTime(deps.now, deps.timeZone).date, 200)).filter((d) => d.mine);
}

// ——— Urgent announcements (54J) ———

export type AnnouncementIssue =
  | "title"
  | "body"
  | "profiles"
  | "pupils_forbidden"
  | "until"
  | "until_past"
  | "until_far"
  | "audience";
export interface AnnouncementInput {
  title: string;
  body: string;
  profiles: string[];
  until: string;
  audience: string;
}

/** The form's own checks: a title, a text, the profiles addressed (2.1.2: pupils not by municipality staff), and a
 *  last day that exists, from today to a month ahead. */
function checkAnnouncement(
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  p: Principal,
  input: AnnouncementInput,
): { issues: AnnouncementIssue[]; profiles: ProfileKind[] } {
  const issues: AnnouncementIssue[] = [];
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title || title.length > LIMITS.title) issues.push("title");
  if (!body || body.length > LIMITS.body) issues.push("body");
  const profiles = ANNOUNCEMENT_PROFILES.filter((k) => input.profiles.includes(k));
  if (profiles.length === 0 || profiles.length !== new Set(input.profiles).size) issues.push("profiles");
  if (profiles.includes("pupil") && !can(p, "feed.addressPupils", { kind: "platform" }))
    issues.push("pupils_forbidden");
  const today = localTime(deps.now, deps.timeZone).date;
  if (!isDay(input.until)) issues.push("until");
  else if (input.until < today) issues.push("until_past");
  else if (input.until > addDays(today, LIMITS.announcementDays)) issues.push("until_far");
  return { issues, profiles };
}

export async function announcementCreator(
  deps: ServiceDeps,
  p: Principal,
  input: AnnouncementInput,
): Promise<{ ok: true; id: string } | { ok: false; issues: AnnouncementIssue[] }> {
  const { issues, profiles } = checkAnnouncement(deps, p, input);
  return inTenant(deps, p, async (tx) => {
    const target = await resolveAnnouncementAudience(tx, p, input.audience);
    if (!target) issues.push("audience");
    if (issues.length || !target) return { ok: false as const, issues };
    // Shown until the end of the chosen day, local time.
    const endsAt = zonedToUtc(`${addDays(input.until, 1)}T00:00`, deps.timeZone);
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into announcements (author_id, signed_as, title, body, profiles, class_id, created_at, ends_at)
      values (${p.userId}, ${target.signedAs}, ${input.title.trim()}, ${input.body.trim()},
        ${`{${profiles.join(",")}}`}::profile_kind[], ${(!target.all && target.classId) || null},
        ${deps.now.toISOString()}, ${endsAt.toISOString()})
      returning id`),
    );
    const id = row!.id;
    if (target.all) {
      await tx.execute(sql`insert into announcement_schools (announcement_id, uai) select ${id}, uai from schools`);
    } else {
      await tx.execute(sql`insert into announcement_schools (announcement_id, uai)
        select ${id}, uai from schools where uai = any(${`{${target.uais.join(",")}}`}::text[])`);
    }
    await enqueue(tx, "announcement.notify", { announcementId: id }, deps.now, {
      dedupeKey: `announcement.notify:${id}`,
    });
    await auditAction(tx, deps, p, {
      action: "feed.announcement.sent",
      target: id,
      uai: !target.all && target.uais.length === 1 ? target.uais[0]! : null,
      details: {
        schools: target.all ? "all" : target.uais.length,
        ...(!target.all && target.classId ? { classId: target.classId } : {}),
        profiles,
      },
    });
    return { ok: true as const, id };
  });
}

async function resolveAnnouncementAudience(
  tx: Tx,
  p: Principal,
  audience: string,
): Promise<
  { all: true; signedAs: string } | { all: false; uais: string[]; classId?: string; signedAs: string } | null
> {
  // Who signs: the structure the author acts for (their académie, circonscription or commune).
  const structure = (roles: ProfileKind[]) => p.structureRoles.find((r) => roles.includes(r.role));
  if (audience === "academie") {
    return can(p, "feed.announce", { kind: "platform" })
      ? { all: true, signedAs: structure(["academie_admin"])?.structureName ?? "L'académie" }
      : null;
  }
  if (audience === "perimetre") {
    if (!can(p, "feed.announce", { kind: "perimeter" }) || p.perimeter.all || p.perimeter.uais.length === 0)
      return null;
    const role = structure(PERIMETER_AUTHORS);
    return { all: false, uais: p.perimeter.uais, signedAs: `${displayName(p)} — ${role?.structureName ?? ""}` };
  }
  const [kind, uai] = audience.split(":");
  if (kind === "classe" && isId(uai)) {
    const c = await classOfAudience(tx, uai);
    if (!c || !can(p, "feed.announce", c.resource)) return null;
    return { all: false, uais: [c.resource.uai], classId: uai, signedAs: `${displayName(p)} — ${c.name}, ${c.school}` };
  }
  if (kind !== "ecole" || !uai || !can(p, "feed.announce", { kind: "school", uai })) return null;
  const [school] = rowsOf<{ name: string }>(await tx.execute(sql`select name from schools where uai = ${uai}`));
  if (!school) return null;
  const director = p.profiles.some((x) => x.uai === uai && x.profile === "director");
  const role = structure(PERIMETER_AUTHORS.concat("academie_admin"));
  return {
    all: false,
    uais: [uai],
    signedAs: director ? `La direction — ${school.name}` : `${displayName(p)} — ${role?.structureName ?? school.name}`,
  };
}

/**
 * Job "announcement.notify": everyone in the audience is told through their channels, urgent (through quiet hours
 * and digests). In batches, each its own transaction: a whole académie is a million accounts.
 */
export async function announcementNotifier(
  db: Database,
  announcementId: string,
  now: Date,
  delivery: Delivery,
  batch = 5000,
): Promise<number> {
  let after = "00000000-0000-0000-0000-000000000000";
  let told = 0;
  for (;;) {
    const done = await withTenant(db, systemScope, async (tx) => {
      const [a] = rowsOf<{ title: string; body: string; signed_as: string; withdrawn: boolean }>(
        await tx.execute(sql`
        select title, body, signed_as, withdrawn_at is not null as withdrawn
        from announcements where id = ${announcementId}`),
      );
      if (!a || a.withdrawn) return null;
      const ids = rowsOf<{ user_id: string }>(
        await tx.execute(sql`
        select distinct sp.user_id from announcement_schools s
        join announcements a on a.id = s.announcement_id
        join school_profiles sp on sp.uai = s.uai and sp.profile = any(a.profiles)
        join users u on u.id = sp.user_id and u.state in ('active', 'pre_created')
        where s.announcement_id = ${announcementId} and sp.user_id > ${after}::uuid
          and (a.class_id is null or ${inClassOf(sql`sp.user_id`)})
        order by sp.user_id limit ${batch}`),
      ).map((r) => r.user_id);
      if (ids.length === 0) return null;
      await notifyUsers(
        tx,
        ids,
        {
          kind: "announcement",
          title: `Message urgent : ${a.title}`,
          body: `${a.body}\n— ${a.signed_as}`,
          link: "/fil",
          urgent: true,
        },
        now,
        delivery,
      );
      return ids;
    });
    if (!done) return told;
    told += done.length;
    after = done[done.length - 1]!;
  }
}

export interface MyAnnouncement {
  id: string;
  title: string;
  createdAt: Date;
  endsAt: Date;
  withdrawn: boolean;
  schools: number;
  reads: number;
}

async function myAnnouncements(tx: Tx, p: Principal): Promise<MyAnnouncement[]> {
  const rows = rowsOf<{
    id: string;
    title: string;
    created_at: Date | string;
    ends_at: Date | string;
    withdrawn: boolean;
    schools: number;
    reads: number;
  }>(
    await tx.execute(sql`
      select a.id, a.title, a.created_at, a.ends_at, a.withdrawn_at is not null as withdrawn,
        (select count(*)::int from announcement_schools s where s.announcement_id = a.id) as schools,
        (select count(*)::int from announcement_reads r where r.announcement_id = a.id) as reads
      from announcements a where a.author_id = ${p.userId} order by a.created_at desc limit 50`),
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    createdAt: new Date(r.created_at),
    endsAt: new Date(r.ends_at),
    withdrawn: r.withdrawn,
    schools: r.schools,
    reads: r.reads,
  }));
}

export async function announcementWithdrawer(deps: ServiceDeps, p: Principal, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  return inTenant(deps, p, async (tx) => {
    const [a] = rowsOf<{ author_id: string | null }>(
      await tx.execute(sql`select author_id from announcements where id = ${id} and withdrawn_at is null`),
    );
    if (!a || !can(p, "feed.withdraw", { authorId: a.author_id })) return false;
    await tx.execute(sql`update announcements set withdrawn_at = ${deps.now.toISOString()} where id = ${id}`);
    await auditAction(tx, deps, p, {
      action: "feed.announcement.withdrawn",
      target: id,
    });
    return true;
  });
}
