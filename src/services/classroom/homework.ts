// The homework log (cahier de textes, 56C): the class's teachers (and the director) write, per day, what was done
// in class and what is to do for a date; the class's pupils and their parents read it and tick work done; the
// teacher sees, per item, who ticked. Pupils and parents are told of new work (notification category "homework").
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { addDays, localTime } from "../../time";
import { auditAction } from "../audit";
import { notifyFromUserScope } from "../notifications/notifications";
import type { Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { can } from "../../policy";
import { isDay, isId } from "../../validation";
import { accessOf, classesReachedBy, classFacts, type ClassFacts } from "./class-access";
import type { ViewAs } from "./view-as";

export const LIMITS = { subject: 60, text: 5000, links: 5, link: 500 };

export interface HomeworkClass {
  id: string;
  name: string;
  schoolName: string;
  access: "write" | "read";
  children: string[];
}

/** The classes whose log the user opens: theirs, their children's, and for a director the whole school's. */
export async function homeworkClasses(deps: ServiceDeps, p: Principal): Promise<HomeworkClass[]> {
  return inTenant(deps, p, (tx) => classesOf(tx, p));
}

async function classesOf(tx: Tx, p: Principal): Promise<HomeworkClass[]> {
  const rows = rowsOf<{ id: string; name: string; school_name: string; write: boolean; children: string[] }>(
    await tx.execute(sql`
    with mine as (${classesReachedBy(p.userId)})
    select c.id, c.name, s.name as school_name, bool_or(mine.write) as write,
      array_remove(array_agg(distinct mine.child), null) as children
    from mine join classes c on c.id = mine.class_id join schools s on s.uai = c.uai
    group by c.id, c.name, s.name order by s.name, c.name`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    schoolName: r.school_name,
    access: r.write ? "write" : "read",
    children: r.children,
  }));
}

export interface HomeworkEntry {
  id: string;
  day: string;
  subject: string;
  doneInClass: string;
  toDo: string;
  dueDate: string | null;
  links: string[];
  author: string | null;
  /** Teachers: who ticked (names). */
  tickedBy: string[];
  /** Pupils and parents: the children of theirs who ticked it. */
  doneFor: string[];
}

export interface HomeworkWeek {
  klass: { id: string; name: string; schoolName: string };
  access: "write" | "read";
  monday: string;
  entries: HomeworkEntry[];
  pupils: number;
  /** For a parent: their children in the class (id, first name); for a pupil: themself. */
  tickers: { id: string; name: string }[];
  /** 58D: a teacher's read-only preview of what a pupil or a parent of the class sees (no tickers, no forms). */
  viewAs?: ViewAs;
}

/** The Monday of the week holding `day` ("YYYY-MM-DD"). */
export function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/**
 * Who looks at a week: their access and whose ticks they see (a pupil themself, a parent their children; nobody in a
 * 58D preview).
 */
export interface WeekViewer {
  access: "write" | "read";
  tickers: { id: string; name: string }[];
  viewAs?: ViewAs;
}

/** The Monday of the asked week ("YYYY-MM-DD"), this week's when none or a bad one is asked. */
export function weekMonday(deps: Pick<ServiceDeps, "now" | "timeZone">, weekOf: string | null): string {
  const today = localTime(deps.now, deps.timeZone).date;
  return mondayOf(isDay(weekOf) ? weekOf : today);
}

export async function classWeek(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  weekOf: string | null,
): Promise<HomeworkWeek | null> {
  const monday = weekMonday(deps, weekOf);
  return inTenant(deps, p, async (tx) => {
    const f = await classFacts(tx, p, classId);
    const access = accessOf(p, f);
    if (!f || !access) return null;
    const tickers = f.pupil
      ? [{ id: p.userId, name: p.firstName }]
      : rowsOf<{ id: string; name: string }>(
          await tx.execute(sql`
      select id, first_name as name from users where id = any(${`{${f.childIds.join(",")}}`}::uuid[])
      order by first_name`),
        );
    return weekFor(tx, f, { access, tickers }, monday);
  });
}

/**
 * The week of a class as `viewer` sees it: the one builder of the teacher's, the pupil's, the parent's and the
 * preview's page.
 */
export async function weekFor(tx: Tx, f: ClassFacts, viewer: WeekViewer, monday: string): Promise<HomeworkWeek> {
  const { access, tickers } = viewer;
  const classId = f.id;
  const rows = rowsOf<{
    id: string;
    day: string | Date;
    subject: string;
    done_in_class: string;
    to_do: string;
    due_date: string | Date | null;
    links: string[];
    author: string | null;
    ticked_by: string[];
    done_for: string[];
  }>(
    await tx.execute(sql`
    select e.id, e.day, e.subject, e.done_in_class, e.to_do, e.due_date, e.links,
      a.first_name || ' ' || a.last_name as author,
      ${
        access === "write"
          ? sql`array(select u.first_name || ' ' || u.last_name from homework_ticks t join users u on u.id = t.pupil_id
        where t.entry_id = e.id order by u.last_name, u.first_name)`
          : sql`'{}'::text[]`
      } as ticked_by,
      array(select t.pupil_id::text from homework_ticks t where t.entry_id = e.id
        and t.pupil_id = any(${`{${tickers.map((x) => x.id).join(",")}}`}::uuid[])) as done_for
    from homework_entries e left join users a on a.id = e.author_id
    where e.class_id = ${classId} and ((e.day between ${monday}::date and ${addDays(monday, 6)}::date)
      or (e.due_date between ${monday}::date and ${addDays(monday, 6)}::date))
    order by coalesce(e.due_date, e.day), e.day, e.subject, e.id`),
  );
  const [{ n }] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from class_members where class_id = ${classId} and role = 'pupil'`),
  ) as [{ n: number }];
  const iso = (d: string | Date | null) =>
    d === null ? null : typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10);
  return {
    klass: { id: f.id, name: f.name, schoolName: f.schoolName },
    access,
    monday,
    pupils: n,
    tickers,
    ...(viewer.viewAs ? { viewAs: viewer.viewAs } : {}),
    entries: rows.map((r) => ({
      id: r.id,
      day: iso(r.day)!,
      subject: r.subject,
      doneInClass: r.done_in_class,
      toDo: r.to_do,
      dueDate: iso(r.due_date),
      links: r.links,
      author: r.author,
      tickedBy: r.ticked_by,
      doneFor: r.done_for,
    })),
  };
}

export type EntryIssue = "subject" | "day" | "text" | "empty" | "due" | "links";
export interface EntryInput {
  day: string;
  subject: string;
  doneInClass: string;
  toDo: string;
  dueDate: string;
  links: string;
}

export function checkEntry(input: EntryInput): { issues: EntryIssue[]; links: string[] } {
  const issues: EntryIssue[] = [];
  const subject = input.subject.trim();
  if (!subject || subject.length > LIMITS.subject) issues.push("subject");
  if (!isDay(input.day)) issues.push("day");
  if (input.doneInClass.length > LIMITS.text || input.toDo.length > LIMITS.text) issues.push("text");
  if (!input.doneInClass.trim() && !input.toDo.trim()) issues.push("empty");
  if (
    input.dueDate &&
    (!isDay(input.dueDate) ||
      (isDay(input.day) && (input.dueDate < input.day || input.dueDate > addDays(input.day, 366))))
  )
    issues.push("due");
  const links = input.links
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (links.length > LIMITS.links || links.some((l) => l.length > LIMITS.link || !/^https?:\/\/[^\s]+$/.test(l)))
    issues.push("links");
  return { issues, links };
}

export async function homeworkWriter(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  input: EntryInput,
): Promise<{ ok: true; id: string } | { ok: false; issues: EntryIssue[] } | { ok: false; forbidden: true }> {
  const { issues, links } = checkEntry(input);
  return inTenant(deps, p, async (tx) => {
    const f = await classFacts(tx, p, classId);
    if (accessOf(p, f) !== "write") return { ok: false as const, forbidden: true as const };
    if (issues.length) return { ok: false as const, issues };
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into homework_entries
        (uai, class_id, author_id, day, subject, done_in_class, to_do, due_date, links, created_at, updated_at)
      values (${f!.uai}, ${classId}, ${p.userId}, ${input.day}, ${input.subject.trim()}, ${input.doneInClass.trim()},
        ${input.toDo.trim()}, ${input.dueDate || null},
        array(select jsonb_array_elements_text(${JSON.stringify(links)}::jsonb)), ${deps.now.toISOString()},
        ${deps.now.toISOString()})
      returning id`),
    );
    await auditAction(tx, deps, p, {
      action: "homework.added",
      target: row!.id,
      uai: f!.uai,
    });
    if (input.toDo.trim()) {
      const audience = rowsOf<{ id: string }>(
        await tx.execute(sql`
        select m.user_id as id from class_members m where m.class_id = ${classId} and m.role = 'pupil'
        union select l.parent_id from parent_links l
          join class_members m on m.user_id = l.child_id and m.class_id = ${classId} and m.role = 'pupil'`),
      ).map((r) => r.id);
      await notifyFromUserScope(
        tx,
        audience,
        {
          kind: "homework",
          title: `Travail à faire — ${input.subject.trim()} (${f!.name})`,
          body: input.toDo.trim().slice(0, 300),
          link: `/cahier/${classId}?semaine=${input.dueDate || input.day}`,
        },
        deps.now,
        deps.delivery,
      );
    }
    return { ok: true as const, id: row!.id };
  });
}

/** A pupil ticks their own work, a parent their child's; ticking again unticks. */
export async function homeworkTicker(
  deps: ServiceDeps,
  p: Principal,
  entryId: string,
  pupilId: string,
  done: boolean,
): Promise<string | null> {
  if (!isId(entryId) || !isId(pupilId)) return null;
  return inTenant(deps, p, async (tx) => {
    const [e] = rowsOf<{ class_id: string; uai: string }>(
      await tx.execute(sql`select class_id, uai from homework_entries where id = ${entryId}`),
    );
    if (!e) return null;
    const f = await classFacts(tx, p, e.class_id);
    if (!f || !can(p, "homework.tick", { ...f, pupilId })) return null;
    if (done) {
      await tx.execute(sql`insert into homework_ticks (entry_id, pupil_id, uai, ticked_by, ticked_at)
        values (${entryId}, ${pupilId}, ${e.uai}, ${p.userId}, ${deps.now.toISOString()}) on conflict do nothing`);
    } else {
      await tx.execute(sql`delete from homework_ticks where entry_id = ${entryId} and pupil_id = ${pupilId}`);
    }
    return e.class_id;
  });
}

export async function homeworkRemover(deps: ServiceDeps, p: Principal, entryId: string): Promise<string | null> {
  if (!isId(entryId)) return null;
  return inTenant(deps, p, async (tx) => {
    const [e] = rowsOf<{ class_id: string; uai: string }>(
      await tx.execute(sql`select class_id, uai from homework_entries where id = ${entryId}`),
    );
    if (!e || accessOf(p, await classFacts(tx, p, e.class_id)) !== "write") return null;
    await tx.execute(sql`delete from homework_entries where id = ${entryId}`);
    await auditAction(tx, deps, p, {
      action: "homework.removed",
      target: entryId,
      uai: e.uai,
    });
    return e.class_id;
  });
}
