// 622E: a teacher's figures for a class — homework ticked, liaison notes read, attendance — over the last 30 days.
import { sql } from "drizzle-orm";
import { rowsOf } from "../../../db/client";
import { addDays, localTime } from "../../time";
import type { Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { isId } from "../../validation";
import { accessOf, classFacts } from "./class-access";

export interface ClassStatistics {
  klass: { id: string; name: string };
  since: string;
  pupils: number;
  homework: { items: number; ticks: number };
  liaison: { notes: number; read: number; expected: number };
  attendance: { halfDays: number; absences: number; lates: number };
}

export async function classStatistics(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
): Promise<ClassStatistics | null> {
  if (!isId(classId)) return null;
  const since = addDays(localTime(deps.now, deps.timeZone).date, -30);
  return inTenant(deps, p, async (tx) => {
    if (accessOf(p, await classFacts(tx, p, classId)) !== "write") return null;
    const [row] = rowsOf<{
      name: string;
      pupils: number;
      items: number;
      ticks: number;
      notes: number;
      read: number;
      expected: number;
      half_days: number;
      absences: number;
      lates: number;
    }>(
      await tx.execute(sql`
      select c.name,
        (select count(*)::int from class_members where class_id = c.id and role = 'pupil') as pupils,
        (select count(*)::int from homework_entries e
          where e.class_id = c.id and e.to_do <> '' and e.day >= ${since}::date) as items,
        (select count(*)::int from homework_ticks t join homework_entries e on e.id = t.entry_id
          where e.class_id = c.id and e.day >= ${since}::date) as ticks,
        (select count(*)::int from liaison_notes n where n.class_id = c.id and n.created_at >= ${since}::date) as notes,
        (select count(distinct (r.note_id, r.child_id))::int
          from liaison_recipients r join liaison_notes n on n.id = r.note_id
          where n.class_id = c.id and n.created_at >= ${since}::date and r.read_at is not null) as read,
        (select count(distinct (r.note_id, r.child_id))::int
          from liaison_recipients r join liaison_notes n on n.id = r.note_id
          where n.class_id = c.id and n.created_at >= ${since}::date) as expected,
        (select count(*)::int from attendance_rolls r where r.class_id = c.id and r.day >= ${since}::date) as half_days,
        (select count(*)::int from attendance_marks mk join attendance_rolls r on r.id = mk.roll_id
          where r.class_id = c.id and r.day >= ${since}::date and mk.status = 'absent') as absences,
        (select count(*)::int from attendance_marks mk join attendance_rolls r on r.id = mk.roll_id
          where r.class_id = c.id and r.day >= ${since}::date and mk.status = 'late') as lates
      from classes c where c.id = ${classId}`),
    );
    if (!row) return null;
    return {
      klass: { id: classId, name: row.name },
      since,
      pupils: row.pupils,
      homework: { items: row.items, ticks: row.ticks },
      liaison: { notes: row.notes, read: row.read, expected: row.expected },
      attendance: { halfDays: row.half_days, absences: row.absences, lates: row.lates },
    };
  });
}

/** A share as a French percentage ("87 %"), or a dash when there is nothing to divide. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)} %` : "—";
}
