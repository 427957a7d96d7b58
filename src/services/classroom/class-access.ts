// How a user stands to one class's daily life (homework log, attendance, statistics, agenda, booking): the facts the
// policy decides on (src/policy/classroom.ts: its teachers and staff and the school's director write; its pupils and
// their parents read).
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import type { Principal } from "../principal";
import { can, type ClassLifeResource } from "../../policy";
import { isId } from "../../validation";

/** The ways a user reaches classes, one row each — (class_id, write, child): a class they teach or assist in (write)
 *  or learn in, every class of a school they direct (write), their children's classes (child: the first name). The
 *  homework log's class list, the agenda's calendars and the booking offers all start from it. */
export function classesReachedBy(userId: string) {
  return sql`
    select m.class_id, m.role in ('teacher', 'staff') as write, null::text as child
      from class_members m where m.user_id = ${userId}
    union all select c.id, true, null
      from classes c join school_profiles sp on sp.uai = c.uai and sp.profile = 'director' and sp.user_id = ${userId}
    union all select m.class_id, false, u.first_name
      from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
      join users u on u.id = l.child_id where l.parent_id = ${userId}`;
}

export type ClassAccess = "write" | "read" | null;

export interface ClassFacts {
  id: string;
  name: string;
  uai: string;
  schoolName: string;
  teacher: boolean;
  director: boolean;
  pupil: boolean;
  childIds: string[];
}

/** The columns of how user `userId` stands to class `c` (the query's alias for classes): teacher, director, pupil,
 *  child_ids — what the policy's ClassLifeResource reads. classFacts and the agenda's calendars select them. */
export function classFactColumns(userId: string) {
  return sql`
    exists (select 1 from class_members m where m.class_id = c.id and m.user_id = ${userId}
      and m.role in ('teacher', 'staff')) as teacher,
    exists (select 1 from school_profiles sp where sp.uai = c.uai and sp.user_id = ${userId}
      and sp.profile = 'director') as director,
    exists (select 1 from class_members m where m.class_id = c.id and m.user_id = ${userId}
      and m.role = 'pupil') as pupil,
    array(select l.child_id::text from parent_links l
      join class_members m on m.user_id = l.child_id and m.class_id = c.id and m.role = 'pupil'
      where l.parent_id = ${userId}) as child_ids`;
}

/** The facts classFactColumns selected, as the policy reads them. */
export interface ClassFactRow {
  uai: string;
  teacher: boolean;
  director: boolean;
  pupil: boolean;
  child_ids: string[];
}

export function factsOfRow(row: ClassFactRow): ClassLifeResource {
  return { uai: row.uai, teacher: row.teacher, director: row.director, pupil: row.pupil, childIds: row.child_ids };
}

export async function classFacts(tx: Tx, p: Principal, classId: string): Promise<ClassFacts | null> {
  if (!isId(classId)) return null;
  const [row] = rowsOf<ClassFactRow & { id: string; name: string; school_name: string }>(
    await tx.execute(sql`
      select c.id, c.name, c.uai, s.name as school_name, ${classFactColumns(p.userId)}
      from classes c join schools s on s.uai = c.uai where c.id = ${classId}`),
  );
  return row
    ? { id: row.id, name: row.name, schoolName: row.school_name, ...factsOfRow(row), childIds: row.child_ids }
    : null;
}

/** What the user may do with the class's daily life: write (classLife.write), read (classLife.read), or nothing. */
export function accessOf(p: Principal, f: ClassFacts | null): ClassAccess {
  if (!f) return null;
  if (can(p, "classLife.write", f)) return "write";
  return can(p, "classLife.read", f) ? "read" : null;
}
