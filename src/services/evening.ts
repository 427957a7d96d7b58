// The evening page (56C, 54E): what a parent checks every evening on a phone — for each child, the homework due in
// the next days (tomorrow up to a week ahead) with whether it is ticked done for that child, and the liaison notes
// not yet acknowledged for that child. A pupil gets the same page for themself, homework only. Three queries in one
// transaction: the children and their classes, the work due, the notes (the notebook's own query).
import { sql } from "drizzle-orm";
import { rowsOf, withTenant, type Database } from "../../db/client";
import { addDays, localTime } from "../time";
import { mondayOf } from "./homework";
import { parentNotes, type NoteForParent } from "./liaison";
import { scopeOf, type Principal } from "./principal";

export interface EveningDeps { db: Database; now: Date; timeZone: string }

/** Days ahead the page looks (tomorrow included). */
export const EVENING_DAYS = 7;

export interface EveningItem {
  id: string; classId: string; subject: string; toDo: string; dueDate: string; links: string[];
  /** The Monday of the homework log's week that shows it (where the log's tick form returns). */
  week: string;
  /** Ticked done for this child. */
  done: boolean;
}
export interface EveningNote { id: string; title: string; createdAt: Date; replyKind: NoteForParent["replyKind"]; className: string | null }
export interface EveningChild {
  id: string; firstName: string; classes: { id: string; name: string }[]; schoolName: string | null;
  homework: EveningItem[];
  /** Notes waiting for this child's acknowledgement (parents only). */
  notes: EveningNote[];
}
export interface EveningView { kind: "parent" | "pupil"; from: string; to: string; children: EveningChild[] }

const iso = (d: string | Date) => (typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));
const uuids = (ids: string[]) => `{${ids.join(",")}}`;

/** The page for a parent (their children) or a pupil (themself); null for anyone else. */
export async function eveningView(deps: EveningDeps, p: Principal): Promise<EveningView | null> {
  const parent = p.profiles.some((sp) => sp.profile === "parent");
  const pupil = !parent && p.profiles.some((sp) => sp.profile === "pupil");
  if (!parent && !pupil) return null;
  const today = localTime(deps.now, deps.timeZone).date;
  const from = addDays(today, 1);
  const to = addDays(today, EVENING_DAYS);
  return withTenant(deps.db, scopeOf(p), async (tx) => {
    const kids = rowsOf<{ id: string; first_name: string; classes: { id: string; name: string }[]; school_name: string | null }>(await tx.execute(sql`
      select u.id, u.first_name,
        coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name) filter (where c.id is not null), '[]') as classes,
        min(s.name) as school_name
      from ${parent ? sql`(select l.child_id as id from parent_links l where l.parent_id = ${p.userId})` : sql`(select ${p.userId}::uuid as id)`} k
      join users u on u.id = k.id
      left join class_members m on m.user_id = k.id and m.role = 'pupil'
      left join classes c on c.id = m.class_id
      left join schools s on s.uai = c.uai
      group by u.id, u.first_name order by u.first_name, u.id`));
    const children: EveningChild[] = kids.map((k) => ({ id: k.id, firstName: k.first_name, classes: k.classes, schoolName: k.school_name,
      homework: [], notes: [] }));
    const classIds = [...new Set(children.flatMap((c) => c.classes.map((x) => x.id)))];
    if (classIds.length) {
      const entries = rowsOf<{ id: string; class_id: string; subject: string; to_do: string; due_date: string | Date; links: string[]; done_for: string[] }>(
        await tx.execute(sql`
          select e.id, e.class_id, e.subject, e.to_do, e.due_date, e.links,
            array(select t.pupil_id::text from homework_ticks t where t.entry_id = e.id
              and t.pupil_id = any(${uuids(children.map((c) => c.id))}::uuid[])) as done_for
          from homework_entries e
          where e.class_id = any(${uuids(classIds)}::uuid[]) and e.due_date between ${from}::date and ${to}::date and e.to_do <> ''
          order by e.due_date, e.subject, e.day, e.id`));
      for (const child of children) {
        const mine = new Set(child.classes.map((c) => c.id));
        child.homework = entries.filter((e) => mine.has(e.class_id)).map((e) => ({ id: e.id, classId: e.class_id, subject: e.subject, toDo: e.to_do,
          dueDate: iso(e.due_date), links: e.links, week: mondayOf(iso(e.due_date)), done: e.done_for.includes(child.id) }));
      }
    }
    if (parent && children.length) {
      const byId = new Map(children.map((c) => [c.id, c]));
      // Newest first, as the notebook lists them; only those this child's acknowledgement still waits for.
      for (const note of await parentNotes(tx, p, null)) {
        for (const c of note.children) {
          if (c.read) continue;
          byId.get(c.id)?.notes.push({ id: note.id, title: note.title, createdAt: note.createdAt, replyKind: note.replyKind, className: note.className });
        }
      }
    }
    return { kind: parent ? "parent" as const : "pupil" as const, from, to, children };
  });
}
