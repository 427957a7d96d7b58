// When messaging is closed to someone (52E–52G): a pupil's suspension by a teacher or the director, the school's
// messaging hours for pupils and families, and the académie's blocks by profile, once or every week. Checked at
// every send; other apps are never affected.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import type { WeeklyHours } from "../../../db/schema/portal";
import { DAY_KEYS, localDayAndTime, withinHours } from "../access-hours";
import { zonedToUtc } from "../../time";
import { activeProfiles, reaches, type Principal, type ProfileKind } from "../principal";

export type Restriction =
  | { kind: "suspended"; until: Date }
  | { kind: "hours" }
  | { kind: "academie"; until: Date | null };

const FAMILY: ProfileKind[] = ["pupil", "parent"];

/** Why this user may not send messages in this school now, or null. */
export async function messagingRestriction(
  tx: Tx,
  p: Principal,
  uai: string,
  now: Date,
  timeZone: string,
): Promise<Restriction | null> {
  const kinds = [
    ...new Set([...p.profiles.filter((sp) => sp.uai === uai).map((sp) => sp.profile), ...activeProfiles(p)]),
  ];
  const block = (await academieBlocks(tx)).find(
    (b) =>
      (b.profiles.length === 0 || b.profiles.some((k) => kinds.includes(k as ProfileKind))) &&
      blockActive(b, now, timeZone),
  );
  if (block) return { kind: "academie", until: block.kind === "once" ? block.endsAt : null };
  if (kinds.includes("pupil")) {
    const [s] = rowsOf<{ until: string | Date }>(
      await tx.execute(sql`
      select until from messaging_suspensions where uai = ${uai} and user_id = ${p.userId} and until > ${now.toISOString()}::timestamptz`),
    );
    if (s) return { kind: "suspended", until: new Date(s.until) };
  }
  const staff = kinds.some((k) => !FAMILY.includes(k));
  if (!staff) {
    const hours = await messagingHoursOf(tx, uai);
    if (hours && !withinHours(hours, now, timeZone)) return { kind: "hours" };
  }
  return null;
}

export async function messagingHoursOf(tx: Tx, uai: string): Promise<WeeklyHours | null> {
  const [row] = rowsOf<{ h: WeeklyHours | null }>(
    await tx.execute(sql`select messaging_hours as h from school_settings where uai = ${uai}`),
  );
  return row?.h ?? null;
}

export async function saveMessagingHours(tx: Tx, uai: string, hours: WeeklyHours | null): Promise<void> {
  await tx.execute(sql`insert into school_settings (uai, messaging_hours) values (${uai}, ${hours ? JSON.stringify(hours) : null}::jsonb)
    on conflict (uai) do update set messaging_hours = excluded.messaging_hours`);
}

// ---------------------------------------------------------------- 52E suspensions

/** A teacher suspends pupils of their classes; the director any pupil of the school. */
export async function maySuspend(tx: Tx, p: Principal, uai: string, pupilId: string): Promise<boolean> {
  if (!reaches(p, uai)) return false;
  const [row] = rowsOf<{ pupil: boolean; director: boolean; teacher: boolean }>(
    await tx.execute(sql`
    select exists (select 1 from school_profiles where uai = ${uai} and user_id = ${pupilId} and profile = 'pupil') as pupil,
      exists (select 1 from school_profiles where uai = ${uai} and user_id = ${p.userId} and profile = 'director') as director,
      exists (select 1 from class_members s join class_members t on t.class_id = s.class_id and t.role = 'teacher'
        where s.user_id = ${pupilId} and s.role = 'pupil' and t.user_id = ${p.userId} and s.uai = ${uai}) as teacher`),
  );
  return !!row && row.pupil && (row.director || row.teacher);
}

export const SUSPENSION_DAYS = [1, 3, 7, 14] as const;

export async function suspendMessaging(
  tx: Tx,
  p: Principal,
  uai: string,
  pupilId: string,
  days: number,
  now: Date,
): Promise<boolean> {
  if (!(SUSPENSION_DAYS as readonly number[]).includes(days) || !(await maySuspend(tx, p, uai, pupilId))) return false;
  const until = new Date(now.getTime() + days * 86_400_000);
  await tx.execute(sql`insert into messaging_suspensions (uai, user_id, until, by_id, created_at)
    values (${uai}, ${pupilId}, ${until.toISOString()}::timestamptz, ${p.userId}, ${now.toISOString()}::timestamptz)
    on conflict (uai, user_id) do update set until = excluded.until, by_id = excluded.by_id, created_at = excluded.created_at`);
  return true;
}

export async function liftSuspension(tx: Tx, p: Principal, uai: string, pupilId: string): Promise<boolean> {
  if (!(await maySuspend(tx, p, uai, pupilId))) return false;
  return (
    rowsOf(
      await tx.execute(sql`delete from messaging_suspensions where uai = ${uai} and user_id = ${pupilId} returning 1`),
    ).length > 0
  );
}

export interface SuspensionLine {
  userId: string;
  name: string;
  until: Date;
}

/** Current suspensions the user may lift. */
export async function currentSuspensions(tx: Tx, p: Principal, uai: string, now: Date): Promise<SuspensionLine[]> {
  const rows = rowsOf<{ user_id: string; name: string; until: string | Date }>(
    await tx.execute(sql`
    select s.user_id, u.first_name || ' ' || u.last_name as name, s.until from messaging_suspensions s join users u on u.id = s.user_id
    where s.uai = ${uai} and s.until > ${now.toISOString()}::timestamptz order by s.until`),
  );
  const out: SuspensionLine[] = [];
  for (const r of rows)
    if (await maySuspend(tx, p, uai, r.user_id))
      out.push({ userId: r.user_id, name: r.name, until: new Date(r.until) });
  return out;
}

// ---------------------------------------------------------------- 52G académie blocks

export interface AcademieBlock {
  id: string;
  profiles: string[];
  kind: "once" | "weekly";
  startsAt: Date | null;
  endsAt: Date | null;
  days: string[];
  fromTime: string | null;
  toTime: string | null;
}

export const BLOCKABLE_PROFILES: ProfileKind[] = ["pupil", "parent", "teacher", "director", "staff", "municipality"];

export async function academieBlocks(tx: Tx): Promise<AcademieBlock[]> {
  const rows = rowsOf<{
    id: string;
    profiles: string[];
    kind: "once" | "weekly";
    starts_at: string | null;
    ends_at: string | null;
    days: string[] | null;
    from_time: string | null;
    to_time: string | null;
  }>(
    await tx.execute(sql`
    select id, profiles, kind, starts_at, ends_at, days, from_time, to_time from messaging_blocks order by created_at`),
  );
  return rows.map((r) => ({
    id: r.id,
    profiles: r.profiles,
    kind: r.kind,
    startsAt: r.starts_at ? new Date(r.starts_at) : null,
    endsAt: r.ends_at ? new Date(r.ends_at) : null,
    days: r.days ?? [],
    fromTime: r.from_time,
    toTime: r.to_time,
  }));
}

export function blockActive(b: AcademieBlock, now: Date, timeZone: string): boolean {
  if (b.kind === "once") return !!b.startsAt && !!b.endsAt && now >= b.startsAt && now < b.endsAt;
  const { day, time } = localDayAndTime(now, timeZone);
  return b.days.includes(day) && !!b.fromTime && !!b.toTime && time >= b.fromTime && time < b.toTime;
}

export function mayBlockMessaging(p: Principal): boolean {
  return p.structureRoles.some((r) => r.role === "academie_admin");
}

export type BlockInput = {
  profiles: string[];
  kind: string;
  startsAt: string;
  endsAt: string;
  days: string[];
  fromTime: string;
  toTime: string;
};
export type BlockError = "profiles" | "kind" | "period" | "days" | "times";

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** Reads the académie's form; datetimes are local times of the platform's zone (`datetime-local` inputs). */
export function parseBlock(
  input: BlockInput,
  timeZone: string,
): { ok: true; value: Omit<AcademieBlock, "id"> } | { ok: false; errors: BlockError[] } {
  const errors: BlockError[] = [];
  const profiles = [...new Set(input.profiles)];
  if (profiles.some((k) => !BLOCKABLE_PROFILES.includes(k as ProfileKind))) errors.push("profiles");
  if (input.kind === "once") {
    const from = LOCAL.test(input.startsAt) ? zonedToUtc(input.startsAt, timeZone) : null;
    const to = LOCAL.test(input.endsAt) ? zonedToUtc(input.endsAt, timeZone) : null;
    if (!from || !to || from >= to) errors.push("period");
    return errors.length
      ? { ok: false, errors }
      : {
          ok: true,
          value: { profiles, kind: "once", startsAt: from, endsAt: to, days: [], fromTime: null, toTime: null },
        };
  }
  if (input.kind !== "weekly") return { ok: false, errors: [...errors, "kind"] };
  const days = [...new Set(input.days)].sort();
  if (days.length === 0 || days.some((d) => !DAY_KEYS.includes(d as (typeof DAY_KEYS)[number]))) errors.push("days");
  if (!HHMM.test(input.fromTime) || !HHMM.test(input.toTime) || input.fromTime >= input.toTime) errors.push("times");
  return errors.length
    ? { ok: false, errors }
    : {
        ok: true,
        value: {
          profiles,
          kind: "weekly",
          startsAt: null,
          endsAt: null,
          days,
          fromTime: input.fromTime,
          toTime: input.toTime,
        },
      };
}

export async function addBlock(tx: Tx, p: Principal, value: Omit<AcademieBlock, "id">, now: Date): Promise<string> {
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(sql`
    insert into messaging_blocks (profiles, kind, starts_at, ends_at, days, from_time, to_time, created_by, created_at)
    values (${`{${value.profiles.join(",")}}`}::text[], ${value.kind}, ${value.startsAt?.toISOString() ?? null}::timestamptz,
      ${value.endsAt?.toISOString() ?? null}::timestamptz, ${value.days.length ? `{${value.days.join(",")}}` : null}::text[],
      ${value.fromTime}, ${value.toTime}, ${p.userId}, ${now.toISOString()}::timestamptz)
    returning id`),
  );
  return row!.id;
}

export async function removeBlock(tx: Tx, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return false;
  return rowsOf(await tx.execute(sql`delete from messaging_blocks where id = ${id} returning 1`)).length > 0;
}
