// Attendance (54O): the class's teacher (or the director) takes the roll per half-day — everyone present unless
// marked absent or late; an absence no parent announced is told to the parents at once, by their channels (job-free:
// the notices are queued in the same transaction, e-mails, pushes and SMS go from the outboxes). Parents announce
// absences in advance; the director sees the school's day and which classes have not taken the roll; a monthly
// register exports as CSV.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { can } from "../../policy";
import { localTime } from "../../time";
import { isDay, isId } from "../../validation";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { notifyEachFromUserScope } from "../notifications/notifications";
import type { Principal } from "../principal";
import { accessOf, classFacts } from "./class-access";

export type Half = "matin" | "apres-midi";
export const HALVES = ["matin", "apres-midi"] as const satisfies readonly Half[];

/** Whether the user sees the school's day (attendance.viewSchoolDay): the director of their active school. */
function seesSchoolDay(p: Principal): p is Principal & { activeUai: string } {
  return p.activeUai !== null && can(p, "attendance.viewSchoolDay", { kind: "school", uai: p.activeUai });
}

async function mayTakeRoll(tx: Tx, p: Principal, classId: string): Promise<{ uai: string; name: string } | null> {
  const facts = await classFacts(tx, p, classId);
  return accessOf(p, facts) === "write" ? { uai: facts!.uai, name: facts!.name } : null;
}

export interface RollSheet {
  klass: { id: string; name: string };
  day: string;
  half: Half;
  taken: boolean;
  pupils: {
    id: string;
    name: string;
    status: "present" | "absent" | "late";
    reason: string;
    announced: string | null;
  }[];
}

export async function rollSheet(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  day: string | null,
  half: string | null,
): Promise<RollSheet | null> {
  const today = localTime(deps.now, deps.timeZone);
  const d = isDay(day) ? day : today.date;
  const h: Half = half === "apres-midi" || (!half && today.time >= "12:00") ? "apres-midi" : "matin";
  return inTenant(deps, p, async (tx) => {
    const klass = await mayTakeRoll(tx, p, classId);
    if (!klass) return null;
    const [roll] = rowsOf<{ id: string }>(
      await tx.execute(sql`select id from attendance_rolls where class_id = ${classId} and day = ${d} and half = ${h}`),
    );
    const pupils = rowsOf<{
      id: string;
      name: string;
      status: string | null;
      reason: string | null;
      announced: string | null;
    }>(
      await tx.execute(sql`
      select u.id, u.last_name || ' ' || u.first_name as name, mk.status, mk.reason,
        (select n.reason from absence_notices n
          where n.pupil_id = u.id and ${d}::date between n.from_day and n.to_day
          order by n.created_at desc limit 1) as announced
      from class_members m join users u on u.id = m.user_id
      left join attendance_marks mk
        on mk.pupil_id = u.id and mk.roll_id = ${roll?.id ?? "00000000-0000-0000-0000-000000000000"}::uuid
      where m.class_id = ${classId} and m.role = 'pupil' order by u.last_name, u.first_name`),
    );
    return {
      klass: { id: classId, name: klass.name },
      day: d,
      half: h,
      taken: !!roll,
      pupils: pupils.map((x) => ({
        id: x.id,
        name: x.name,
        status: (x.status ?? "present") as "present" | "absent" | "late",
        reason: x.reason ?? "",
        announced: x.announced,
      })),
    };
  });
}

export type RollIssue = "day" | "half" | "future" | "status" | "reason";
export interface RollInput {
  day: string;
  half: string;
  marks: Record<string, { status: string; reason: string }>;
}
type Marks = [pupilId: string, mark: { status: string; reason: string }][];

function checkRoll(input: RollInput, today: string): RollIssue[] {
  const issues: RollIssue[] = [];
  if (!isDay(input.day)) issues.push("day");
  else if (input.day > today) issues.push("future");
  if (!(HALVES as readonly string[]).includes(input.half)) issues.push("half");
  for (const m of Object.values(input.marks)) {
    if (!["present", "absent", "late"].includes(m.status)) issues.push("status");
    if (m.reason.length > 300) issues.push("reason");
  }
  return [...new Set(issues)];
}

/** Saves the roll (the whole class at once: absent for whom it says, present for everyone else). */
export async function rollTaker(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  input: RollInput,
): Promise<{ ok: true; notified: number } | { ok: false; issues: RollIssue[] } | { ok: false; forbidden: true }> {
  const issues = checkRoll(input, localTime(deps.now, deps.timeZone).date);
  return inTenant(deps, p, async (tx) => {
    const klass = await mayTakeRoll(tx, p, classId);
    if (!klass) return { ok: false as const, forbidden: true as const };
    if (issues.length) return { ok: false as const, issues };
    const pupils = new Set(
      rowsOf<{ id: string }>(
        await tx.execute(sql`select user_id as id from class_members where class_id = ${classId} and role = 'pupil'`),
      ).map((r) => r.id),
    );
    if (Object.keys(input.marks).some((id) => !pupils.has(id)))
      return { ok: false as const, issues: ["status" as const] };
    const marked: Marks = Object.entries(input.marks).filter(([, m]) => m.status !== "present");
    const rollId = await saveRoll(tx, deps, p, { classId, uai: klass.uai }, input, marked);
    const notified = await tellUnexplained(tx, deps, rollId, klass.name, input);
    await auditAction(tx, deps, p, {
      action: "attendance.roll",
      target: rollId,
      uai: klass.uai,
      details: {
        absent: marked.filter(([, m]) => m.status === "absent").length,
        late: marked.filter(([, m]) => m.status === "late").length,
      },
    });
    return { ok: true as const, notified };
  });
}

/** The roll's row (taken again: by whom and when) and its marks: those not present, the others removed. */
async function saveRoll(
  tx: Tx,
  deps: ServiceDeps,
  p: Principal,
  klass: { classId: string; uai: string },
  input: RollInput,
  marked: Marks,
): Promise<string> {
  const [roll] = rowsOf<{ id: string }>(
    await tx.execute(sql`
    insert into attendance_rolls (uai, class_id, day, half, taken_by, taken_at)
    values (${klass.uai}, ${klass.classId}, ${input.day}, ${input.half}, ${p.userId}, ${deps.now.toISOString()})
    on conflict (class_id, day, half) do update set taken_by = excluded.taken_by, taken_at = excluded.taken_at
    returning id`),
  );
  const rollId = roll!.id;
  await tx.execute(sql`delete from attendance_marks where roll_id = ${rollId}
    and pupil_id <> all(${`{${marked.map(([id]) => id).join(",")}}`}::uuid[])`);
  // One statement for every mark: a round trip costs the hub more than the insert.
  if (marked.length) {
    const rows = marked.map(([pupilId, m]) => ({ pupil_id: pupilId, status: m.status, reason: m.reason.trim() }));
    await tx.execute(sql`insert into attendance_marks (roll_id, pupil_id, uai, status, reason)
      select ${rollId}, x.pupil_id, ${klass.uai}, x.status, x.reason
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(pupil_id uuid, status text, reason text)
      on conflict (roll_id, pupil_id) do update set status = excluded.status, reason = excluded.reason`);
  }
  return rollId;
}

/** Unexplained absences (no notice from a parent, no reason given) not yet told: the parents now, once. Returns how
 *  many pupils. */
async function tellUnexplained(
  tx: Tx,
  deps: ServiceDeps,
  rollId: string,
  className: string,
  input: RollInput,
): Promise<number> {
  const unexplained = rowsOf<{ pupil_id: string; first_name: string }>(
    await tx.execute(sql`
    update attendance_marks mk set notified_at = ${deps.now.toISOString()} from users u
    where mk.roll_id = ${rollId} and mk.status = 'absent' and mk.notified_at is null and mk.reason = ''
      and u.id = mk.pupil_id
      and not exists (select 1 from absence_notices n
        where n.pupil_id = mk.pupil_id and ${input.day}::date between n.from_day and n.to_day)
    returning mk.pupil_id, u.first_name`),
  );
  const parentsOf = new Map<string, string[]>();
  if (unexplained.length) {
    for (const l of rowsOf<{ parent_id: string; child_id: string }>(
      await tx.execute(sql`select parent_id, child_id from parent_links
      where child_id = any(${`{${unexplained.map((a) => a.pupil_id).join(",")}}`}::uuid[])`),
    )) {
      parentsOf.set(l.child_id, [...(parentsOf.get(l.child_id) ?? []), l.parent_id]);
    }
  }
  const half = input.half === "matin" ? "matin" : "après-midi";
  await notifyEachFromUserScope(
    tx,
    unexplained.map((a) => ({
      userIds: parentsOf.get(a.pupil_id) ?? [],
      notice: {
        kind: "absence",
        title: `Absence de ${a.first_name}`,
        urgent: true,
        body:
          `${a.first_name} est noté·e absent·e (${className}, ${half} du ${input.day}). ` +
          "Merci de prévenir l'école du motif.",
        link: "/absences",
      },
    })),
    deps.now,
    deps.delivery,
  );
  return unexplained.length;
}

export type NoticeIssue = "child" | "from" | "to" | "past" | "reason";

export async function absenceAnnouncer(
  deps: ServiceDeps,
  p: Principal,
  input: { childId: string; from: string; to: string; reason: string },
): Promise<{ ok: true } | { ok: false; issues: NoticeIssue[] }> {
  const issues: NoticeIssue[] = [];
  const today = localTime(deps.now, deps.timeZone).date;
  if (!isDay(input.from)) issues.push("from");
  else if (input.from < today) issues.push("past");
  if (!isDay(input.to) || (isDay(input.from) && input.to < input.from)) issues.push("to");
  const reason = input.reason.trim();
  if (!reason || reason.length > 300) issues.push("reason");
  return inTenant(deps, p, async (tx) => {
    const [link] = isId(input.childId)
      ? rowsOf<{ uai: string }>(
          await tx.execute(sql`
      select uai from parent_links where parent_id = ${p.userId} and child_id = ${input.childId}`),
        )
      : [];
    if (!link) issues.push("child");
    if (issues.length) return { ok: false as const, issues };
    await tx.execute(sql`insert into absence_notices (uai, pupil_id, parent_id, from_day, to_day, reason, created_at)
      values (${link!.uai}, ${input.childId}, ${p.userId}, ${input.from}, ${input.to}, ${reason},
        ${deps.now.toISOString()})`);
    await auditAction(tx, deps, p, {
      action: "attendance.announced",
      target: input.childId,
      uai: link!.uai,
    });
    return { ok: true as const };
  });
}

export interface ParentAbsences {
  children: { id: string; name: string }[];
  absences: { child: string; day: string; half: string; status: string; reason: string }[];
  notices: { child: string; from: string; to: string; reason: string }[];
}

/** A parent's page: their children, their recent absences and lateness, the absences they announced. */
export async function parentAbsences(deps: ServiceDeps, p: Principal): Promise<ParentAbsences> {
  return inTenant(deps, p, (tx) => absencesOf(tx, p));
}

async function absencesOf(tx: Tx, p: Principal): Promise<ParentAbsences> {
  const iso = (d: string | Date) => (typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));
  const children = rowsOf<{ id: string; name: string }>(
    await tx.execute(sql`
    select u.id, u.first_name as name from parent_links l join users u on u.id = l.child_id
    where l.parent_id = ${p.userId} order by u.first_name`),
  );
  const absences = rowsOf<{ child: string; day: string | Date; half: string; status: string; reason: string }>(
    await tx.execute(sql`
    select u.first_name as child, r.day, r.half, mk.status, mk.reason
    from attendance_marks mk join attendance_rolls r on r.id = mk.roll_id
    join users u on u.id = mk.pupil_id join parent_links l on l.child_id = mk.pupil_id and l.parent_id = ${p.userId}
    order by r.day desc, r.half limit 60`),
  );
  const notices = rowsOf<{ child: string; from_day: string | Date; to_day: string | Date; reason: string }>(
    await tx.execute(sql`
    select u.first_name as child, n.from_day, n.to_day, n.reason
    from absence_notices n join users u on u.id = n.pupil_id
    join parent_links l on l.child_id = n.pupil_id and l.parent_id = ${p.userId} order by n.from_day desc limit 30`),
  );
  return {
    children,
    absences: absences.map((a) => ({ ...a, day: iso(a.day) })),
    notices: notices.map((n) => ({ child: n.child, from: iso(n.from_day), to: iso(n.to_day), reason: n.reason })),
  };
}

export interface DailySheet {
  day: string;
  classes: { id: string; name: string; halves: Record<Half, boolean>; absent: string[]; late: string[] }[];
}

/** The director's day: every class, whether each half-day's roll is taken, who is absent or late. */
export async function schoolDay(deps: ServiceDeps, p: Principal, day: string | null): Promise<DailySheet | null> {
  if (!seesSchoolDay(p)) return null;
  const uai = p.activeUai;
  const d = isDay(day) ? day : localTime(deps.now, deps.timeZone).date;
  return inTenant(deps, p, async (tx) => {
    const rows = rowsOf<{ id: string; name: string; halves: string[]; absent: string[]; late: string[] }>(
      await tx.execute(sql`
      select c.id, c.name,
        array(select half from attendance_rolls r where r.class_id = c.id and r.day = ${d}) as halves,
        array(select distinct u.first_name || ' ' || u.last_name
          from attendance_rolls r join attendance_marks mk on mk.roll_id = r.id join users u on u.id = mk.pupil_id
          where r.class_id = c.id and r.day = ${d} and mk.status = 'absent') as absent,
        array(select distinct u.first_name || ' ' || u.last_name
          from attendance_rolls r join attendance_marks mk on mk.roll_id = r.id join users u on u.id = mk.pupil_id
          where r.class_id = c.id and r.day = ${d} and mk.status = 'late') as late
      from classes c where c.uai = ${uai} order by c.name`),
    );
    return {
      day: d,
      classes: rows.map((r) => ({
        id: r.id,
        name: r.name,
        halves: { matin: r.halves.includes("matin"), "apres-midi": r.halves.includes("apres-midi") },
        absent: r.absent,
        late: r.late,
      })),
    };
  });
}

/** The month's register of a class: a header line, then one line per absence or lateness. */
export async function monthlyRegister(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  month: string,
): Promise<string[][] | null> {
  if (!isMonth(month)) return null;
  return inTenant(deps, p, async (tx) => {
    if (!(await mayTakeRoll(tx, p, classId))) return null;
    const rows = rowsOf<{ name: string; day: string | Date; half: string; status: string; reason: string }>(
      await tx.execute(sql`
      select u.last_name || ' ' || u.first_name as name, r.day, r.half, mk.status, mk.reason
      from attendance_rolls r join attendance_marks mk on mk.roll_id = r.id join users u on u.id = mk.pupil_id
      where r.class_id = ${classId} and to_char(r.day, 'YYYY-MM') = ${month} order by r.day, r.half, u.last_name`),
    );
    return [
      ["Élève", "Jour", "Demi-journée", "Statut", "Motif"],
      ...rows.map((r) => [
        r.name,
        typeof r.day === "string" ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10),
        r.half === "matin" ? "matin" : "après-midi",
        r.status === "absent" ? "absent" : "retard",
        r.reason,
      ]),
    ];
  });
}

/** A month "YYYY-MM" (the register's). */
export function isMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/** The roll's first page: the classes whose roll the user takes, and whether they also see the school's day. */
export async function rollIndex(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ classes: { id: string; name: string }[]; schoolDay: boolean }> {
  return { classes: await inTenant(deps, p, (tx) => rollClasses(tx, p)), schoolDay: seesSchoolDay(p) };
}

/** The classes whose roll the user takes (classLife.write), from those they belong to or whose school they direct. */
async function rollClasses(tx: Tx, p: Principal): Promise<{ id: string; name: string }[]> {
  const rows = rowsOf<{ id: string; name: string; uai: string; teacher: boolean; director: boolean }>(
    await tx.execute(sql`
    with directed as (select sp.uai from school_profiles sp where sp.user_id = ${p.userId} and sp.profile = 'director')
    select c.id, c.name, c.uai,
      exists (select 1 from class_members m where m.class_id = c.id and m.user_id = ${p.userId}
        and m.role in ('teacher', 'staff')) as teacher,
      c.uai in (select uai from directed) as director
    from classes c
    where c.uai in (select uai from directed)
      or exists (select 1 from class_members m where m.class_id = c.id and m.user_id = ${p.userId})
    order by c.name`),
  );
  return rows
    .filter((r) => can(p, "classLife.write", { ...r, pupil: false, childIds: [] }))
    .map((r) => ({ id: r.id, name: r.name }));
}
