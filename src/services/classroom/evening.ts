// The evening page (56C, 54E): what a parent checks every evening on a phone — for each child, the homework due in
// the next days (tomorrow up to a week ahead) with whether it is ticked done for that child, and the liaison notes
// not yet acknowledged for that child. A pupil gets the same page for themself, homework only. Two queries in one
// transaction: the children with their classes and the work due, then the notes (the notebook's own parentNotes).
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { addDays, localTime } from "../../time";
import { inTenant, type ServiceDeps } from "../context";
import { mondayOf } from "./homework";
import { parentNotes, type NoteForParent } from "./liaison";
import type { Principal } from "../principal";

/** Days ahead the page looks (tomorrow included). */
export const EVENING_DAYS = 7;

export interface EveningItem {
  id: string;
  classId: string;
  subject: string;
  toDo: string;
  dueDate: string;
  links: string[];
  /** The Monday of the homework log's week that shows it (where the log's tick form returns). */
  week: string;
  /** Ticked done for this child. */
  done: boolean;
}
export interface EveningNote {
  id: string;
  title: string;
  createdAt: Date;
  replyKind: NoteForParent["replyKind"];
  className: string | null;
}
export interface EveningChild {
  id: string;
  firstName: string;
  classes: { id: string; name: string }[];
  schoolName: string | null;
  homework: EveningItem[];
  /** Notes waiting for this child's acknowledgement (parents only). */
  notes: EveningNote[];
}
export interface EveningView {
  kind: "parent" | "pupil";
  from: string;
  to: string;
  children: EveningChild[];
}

/** The page for a parent (their children) or a pupil (themself); null for anyone else. */
export async function eveningView(deps: ServiceDeps, p: Principal): Promise<EveningView | null> {
  const parent = p.profiles.some((sp) => sp.profile === "parent");
  const pupil = !parent && p.profiles.some((sp) => sp.profile === "pupil");
  if (!parent && !pupil) return null;
  const today = localTime(deps.now, deps.timeZone).date;
  const from = addDays(today, 1);
  const to = addDays(today, EVENING_DAYS);
  return inTenant(deps, p, async (tx) => {
    const children = await childrenWithWork(tx, p, parent, from, to);
    if (parent && children.length) await addNotesToRead(tx, p, children);
    return { kind: parent ? ("parent" as const) : ("pupil" as const), from, to, children };
  });
}

/** The children (or the pupil themself), their classes and the work due, in one round trip (each costs more than the
 *  query itself). */
async function childrenWithWork(
  tx: Tx,
  p: Principal,
  parent: boolean,
  from: string,
  to: string,
): Promise<EveningChild[]> {
  const kids = rowsOf<{
    id: string;
    first_name: string;
    classes: { id: string; name: string }[];
    school_name: string | null;
    homework: Omit<EveningItem, "week">[];
  }>(
    await tx.execute(sql`
    with kids as (
      select u.id, u.first_name
      from ${
        parent
          ? sql`(select l.child_id as id from parent_links l where l.parent_id = ${p.userId})`
          : sql`(select ${p.userId}::uuid as id)`
      } k
      join users u on u.id = k.id),
    kc as (
      select m.user_id as child_id, c.id, c.name, s.name as school_name
      from kids join class_members m on m.user_id = kids.id and m.role = 'pupil'
      join classes c on c.id = m.class_id join schools s on s.uai = c.uai)
    select k.id, k.first_name,
      coalesce((select json_agg(json_build_object('id', kc.id, 'name', kc.name) order by kc.name)
        from kc where kc.child_id = k.id), '[]') as classes,
      (select min(kc.school_name) from kc where kc.child_id = k.id) as school_name,
      coalesce((select json_agg(json_build_object('id', e.id, 'classId', e.class_id, 'subject', e.subject,
          'toDo', e.to_do, 'dueDate', e.due_date, 'links', e.links,
          'done', exists (select 1 from homework_ticks t where t.entry_id = e.id and t.pupil_id = k.id))
          order by e.due_date, e.subject, e.day, e.id)
        from homework_entries e where e.class_id in (select kc.id from kc where kc.child_id = k.id)
          and e.due_date between ${from}::date and ${to}::date and e.to_do <> ''), '[]') as homework
    from kids k order by k.first_name, k.id`),
  );
  return kids.map((k) => ({
    id: k.id,
    firstName: k.first_name,
    classes: k.classes,
    schoolName: k.school_name,
    homework: k.homework.map((e) => ({ ...e, week: mondayOf(e.dueDate) })),
    notes: [],
  }));
}

/** Newest first, as the notebook lists them: the notes each child's acknowledgement still waits for. */
async function addNotesToRead(tx: Tx, p: Principal, children: EveningChild[]): Promise<void> {
  const byId = new Map(children.map((c) => [c.id, c]));
  for (const note of await parentNotes(tx, p, null)) {
    for (const c of note.children) {
      if (c.read) continue;
      byId.get(c.id)?.notes.push({
        id: note.id,
        title: note.title,
        createdAt: note.createdAt,
        replyKind: note.replyKind,
        className: note.className,
      });
    }
  }
}
