// When messaging is closed to someone (52E–52G): a pupil's suspension by a teacher or the director, the school's
// messaging hours for pupils and families, and the académie's blocks by profile, once or every week. Checked at
// every send; other apps are never affected.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import type { WeeklyHours } from "../../../db/schema/portal";
import { DAY_KEYS, localDayAndTime, parseWeeklyHours, withinHours } from "../access-hours";
import { audit, auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { can } from "../../policy";
import type { PupilResource } from "../../policy/messaging";
import { zonedToUtc } from "../../time";
import { isId, isLocalDateTime, isTime } from "../../validation";
import { activeProfiles, type Principal, type ProfileKind } from "../principal";

export type { WeeklyHours };

/** The school whose messages the user moderates (52B): their active school, when they moderate there. */
export function moderatedSchool(p: Principal): string | null {
  return p.activeUai && can(p, "message.moderate", { kind: "school", uai: p.activeUai }) ? p.activeUai : null;
}

/** The school whose messaging settings the user edits (614B rules, 52F hours): their active one, if they direct it. */
export function settingsSchool(p: Principal): string | null {
  return p.activeUai && can(p, "school.configure", { kind: "school", uai: p.activeUai }) ? p.activeUai : null;
}

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
      select until from messaging_suspensions
      where uai = ${uai} and user_id = ${p.userId} and until > ${now.toISOString()}::timestamptz`),
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

/** The director's form of hours (52F): any time, or the days and times it is open. */
export interface HoursInput {
  limited: boolean;
  days: Record<string, { open: boolean; from: string; to: string }>;
}

/** 52F: the director opens sending to pupils and families at set hours, or at any time; audited. */
export async function messagingHoursSaver(
  deps: ServiceDeps,
  p: Principal,
  input: HoursInput,
): Promise<{ ok: true } | { ok: false; forbidden: true } | { ok: false; badDays: string[] }> {
  const uai = settingsSchool(p);
  if (!uai) return { ok: false, forbidden: true };
  const parsed = input.limited ? parseWeeklyHours(input.days) : { ok: true as const, hours: null };
  if (!parsed.ok) return { ok: false, badDays: parsed.badDays };
  await inTenant(deps, p, async (tx) => {
    await tx.execute(sql`insert into school_settings (uai, messaging_hours)
      values (${uai}, ${parsed.hours ? JSON.stringify(parsed.hours) : null}::jsonb)
      on conflict (uai) do update set messaging_hours = excluded.messaging_hours`);
    await auditAction(tx, deps, p, {
      action: "messaging_hours.saved",
      target: uai,
      uai,
      details: { hours: parsed.hours },
    });
  });
  return { ok: true };
}

// ---------------------------------------------------------------- 52E suspensions

/** How the user stands to these people of the school (52E): whether each is a pupil of it, and whether the user
 *  teaches them in one of its classes — the facts `message.suspendPupil` decides on. */
async function pupilFacts(tx: Tx, p: Principal, uai: string, ids: readonly string[]): Promise<PupilResource[]> {
  const wanted = ids.filter(isId);
  if (wanted.length === 0) return [];
  const rows = rowsOf<{ id: string; pupil: boolean; taught: boolean }>(
    await tx.execute(sql`
    select x.id::text as id,
      exists (select 1 from school_profiles where uai = ${uai} and user_id = x.id and profile = 'pupil') as pupil,
      exists (select 1 from class_members s join class_members t on t.class_id = s.class_id and t.role = 'teacher'
        where s.user_id = x.id and s.role = 'pupil' and t.user_id = ${p.userId} and s.uai = ${uai}) as taught
    from unnest(${`{${wanted.join(",")}}`}::uuid[]) as x(id)`),
  );
  return rows.map((r) => ({ kind: "pupil", uai, pupilId: r.id, isPupil: r.pupil, taughtByUser: r.taught }));
}

/** Which of these people the user may suspend in this school. */
async function suspendableAmong(tx: Tx, p: Principal, uai: string, ids: readonly string[]): Promise<Set<string>> {
  const facts = await pupilFacts(tx, p, uai, ids);
  return new Set(facts.filter((f) => can(p, "message.suspendPupil", f)).map((f) => f.pupilId));
}

/** The pupils among `candidates` the user may suspend (the moderation page's list), in their order. */
export async function suspendablePupils<T extends { id: string }>(
  tx: Tx,
  p: Principal,
  uai: string,
  candidates: readonly T[],
): Promise<T[]> {
  const allowed = await suspendableAmong(
    tx,
    p,
    uai,
    candidates.map((x) => x.id),
  );
  return candidates.filter((x) => allowed.has(x.id));
}

export const SUSPENSION_DAYS = [1, 3, 7, 14] as const;

/** 52E: a moderator of their active school suspends a pupil's messaging for one of SUSPENSION_DAYS; audited.
 *  "refused": not a pupil they may suspend, or not an offered duration. */
export async function pupilSuspender(
  deps: ServiceDeps,
  p: Principal,
  pupilId: string,
  days: number,
): Promise<"done" | "refused" | "forbidden"> {
  const uai = moderatedSchool(p);
  if (!uai) return "forbidden";
  if (!isId(pupilId) || !(SUSPENSION_DAYS as readonly number[]).includes(days)) return "refused";
  return inTenant(deps, p, async (tx) => {
    if (!(await suspendableAmong(tx, p, uai, [pupilId])).has(pupilId)) return "refused";
    const until = new Date(deps.now.getTime() + days * 86_400_000);
    await tx.execute(sql`insert into messaging_suspensions (uai, user_id, until, by_id, created_at)
      values (${uai}, ${pupilId}, ${until.toISOString()}::timestamptz, ${p.userId},
        ${deps.now.toISOString()}::timestamptz)
      on conflict (uai, user_id) do update set until = excluded.until, by_id = excluded.by_id,
        created_at = excluded.created_at`);
    await auditAction(tx, deps, p, {
      action: "messaging.suspended",
      target: pupilId,
      uai,
      details: { days },
    });
    return "done";
  });
}

/** 52E: lifts a pupil's suspension before its end (whoever may suspend them); false when there is none to lift. */
export async function suspensionLifter(deps: ServiceDeps, p: Principal, pupilId: string): Promise<boolean> {
  const uai = moderatedSchool(p);
  if (!uai || !isId(pupilId)) return false;
  return inTenant(deps, p, async (tx) => {
    if (!(await suspendableAmong(tx, p, uai, [pupilId])).has(pupilId)) return false;
    const lifted = rowsOf(
      await tx.execute(sql`delete from messaging_suspensions where uai = ${uai} and user_id = ${pupilId} returning 1`),
    ).length;
    if (!lifted) return false;
    await auditAction(tx, deps, p, {
      action: "messaging.suspension_lifted",
      target: pupilId,
      uai,
    });
    return true;
  });
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
    select s.user_id, u.first_name || ' ' || u.last_name as name, s.until
    from messaging_suspensions s join users u on u.id = s.user_id
    where s.uai = ${uai} and s.until > ${now.toISOString()}::timestamptz order by s.until`),
  );
  const allowed = await suspendableAmong(
    tx,
    p,
    uai,
    rows.map((r) => r.user_id),
  );
  return rows
    .filter((r) => allowed.has(r.user_id))
    .map((r) => ({ userId: r.user_id, name: r.name, until: new Date(r.until) }));
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

async function academieBlocks(tx: Tx): Promise<AcademieBlock[]> {
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

/** 52G: the académie's blocks, for the académie (null for anyone else). */
export async function blocksPage(deps: ServiceDeps, p: Principal): Promise<AcademieBlock[] | null> {
  if (!can(p, "messaging.block", { kind: "platform" })) return null;
  return inTenant(deps, p, (tx) => academieBlocks(tx));
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

/** Reads the académie's form; datetimes are local times of the platform's zone (`datetime-local` inputs). */
export function parseBlock(
  input: BlockInput,
  timeZone: string,
): { ok: true; value: Omit<AcademieBlock, "id"> } | { ok: false; errors: BlockError[] } {
  const errors: BlockError[] = [];
  const profiles = [...new Set(input.profiles)];
  if (profiles.some((k) => !BLOCKABLE_PROFILES.includes(k as ProfileKind))) errors.push("profiles");
  if (input.kind === "once") {
    const from = isLocalDateTime(input.startsAt) ? zonedToUtc(input.startsAt, timeZone) : null;
    const to = isLocalDateTime(input.endsAt) ? zonedToUtc(input.endsAt, timeZone) : null;
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
  if (!isTime(input.fromTime) || !isTime(input.toTime) || input.fromTime >= input.toTime) errors.push("times");
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

/** 52G: the académie adds a block from its form; audited. */
export async function blockAdder(
  deps: ServiceDeps,
  p: Principal,
  input: BlockInput,
): Promise<{ ok: true } | { ok: false; forbidden: true } | { ok: false; errors: BlockError[] }> {
  if (!can(p, "messaging.block", { kind: "platform" })) return { ok: false, forbidden: true };
  const parsed = parseBlock(input, deps.timeZone);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  await inTenant(deps, p, async (tx) => {
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into messaging_blocks
        (profiles, kind, starts_at, ends_at, days, from_time, to_time, created_by, created_at)
      values (${`{${value.profiles.join(",")}}`}::text[], ${value.kind},
        ${value.startsAt?.toISOString() ?? null}::timestamptz, ${value.endsAt?.toISOString() ?? null}::timestamptz,
        ${value.days.length ? `{${value.days.join(",")}}` : null}::text[],
        ${value.fromTime}, ${value.toTime}, ${p.userId}, ${deps.now.toISOString()}::timestamptz)
      returning id`),
    );
    await auditAction(tx, deps, p, {
      action: "messaging.blocked",
      target: row!.id,
      details: { profiles: value.profiles, kind: value.kind },
    });
  });
  return { ok: true };
}

/** 52G: the académie lifts a block; audited. */
export async function blockRemover(
  deps: ServiceDeps,
  p: Principal,
  id: string,
): Promise<"done" | "missing" | "forbidden"> {
  if (!can(p, "messaging.block", { kind: "platform" })) return "forbidden";
  if (!isId(id)) return "missing";
  return inTenant(deps, p, async (tx) => {
    if (!rowsOf(await tx.execute(sql`delete from messaging_blocks where id = ${id} returning 1`)).length)
      return "missing";
    await audit(tx, { at: deps.now, actorId: p.userId, action: "messaging.unblocked", target: id, ip: deps.ip });
    return "done";
  });
}
