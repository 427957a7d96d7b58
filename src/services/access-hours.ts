// 51A / 51A bis: pupils use the ENT within access hours (by default on weekdays until 20:30); a school may
// set its own. Times are the school's local time.
import { eq } from "drizzle-orm";
import { schoolSettings, type WeeklyHours } from "../../db/schema/portal";
import { withTenant, type Database, type Scope, type Tx } from "../../db/client";
import type { ReadCache } from "./read-cache";
import { localTime, zonedToUtc } from "../time";
import type { Principal } from "./principal";
import { isTime } from "../validation";

/** The hours of a week, per ISO weekday ("1" Monday … "7" Sunday); null: closed that day. Views read it from here. */
export type { WeeklyHours };

export function localDayAndTime(now: Date, timeZone: string): { day: keyof WeeklyHours; time: string } {
  const local = localTime(now, timeZone);
  return { day: local.weekday as keyof WeeklyHours, time: local.time };
}

export function withinHours(hours: WeeklyHours, now: Date, timeZone: string): boolean {
  const { day, time } = localDayAndTime(now, timeZone);
  const slot = hours[day];
  return slot !== null && slot !== undefined && time >= slot.from && time < slot.to;
}

export async function pupilHoursOf(tx: Tx, uai: string, platformDefault: WeeklyHours): Promise<WeeklyHours> {
  const [row] = await tx
    .select({ hours: schoolSettings.pupilHours })
    .from(schoolSettings)
    .where(eq(schoolSettings.uai, uai));
  return row?.hours ?? platformDefault;
}

/** Whether the access hours bind this user: every profile they hold is a pupil's. */
export function hoursApply(p: Pick<Principal, "profiles">): boolean {
  return p.profiles.length > 0 && p.profiles.every((sp) => sp.profile === "pupil");
}

/** Until when a pupil may go on using the ENT (issue 21 F3: their room sockets close then): the end of the latest
 *  slot open now among their schools; "closed" outside hours; null for users the hours do not bind. */
export async function hoursEnd(
  tx: Tx,
  p: Pick<Principal, "profiles">,
  settings: { pupilHours: WeeklyHours; timeZone: string },
  now: Date,
): Promise<Date | "closed" | null> {
  if (!hoursApply(p)) return null;
  let end: Date | null = null;
  for (const uai of new Set(p.profiles.map((sp) => sp.uai))) {
    const hours = await pupilHoursOf(tx, uai, settings.pupilHours);
    if (!withinHours(hours, now, settings.timeZone)) continue;
    const local = localTime(now, settings.timeZone);
    const slot = hours[local.weekday as keyof WeeklyHours]!;
    const slotEnd = zonedToUtc(`${local.date}T${slot.to}`, settings.timeZone);
    if (!end || slotEnd > end) end = slotEnd;
  }
  return end ?? "closed";
}

export const DAY_KEYS: (keyof WeeklyHours)[] = ["1", "2", "3", "4", "5", "6", "7"];

/** One day of hours as a form sends it: whether it is open, and the times typed ("HH:MM"). */
export interface HoursInput {
  open: boolean;
  from: string;
  to: string;
}

/** Checks hours typed by a director; returns the problems by day, or the clean value. */
export function parseWeeklyHours(
  input: Record<string, HoursInput>,
): { ok: true; hours: WeeklyHours } | { ok: false; badDays: (keyof WeeklyHours)[] } {
  const hours = {} as WeeklyHours;
  const badDays: (keyof WeeklyHours)[] = [];
  for (const day of DAY_KEYS) {
    const d = input[day];
    if (!d?.open) {
      hours[day] = null;
      continue;
    }
    if (!isTime(d.from) || !isTime(d.to) || d.from >= d.to) {
      badDays.push(day);
      continue;
    }
    hours[day] = { from: d.from, to: d.to };
  }
  return badDays.length ? { ok: false, badDays } : { ok: true, hours };
}

/** A school's pupil hours through the per-process cache (every request of a pupil needs them). */
export async function cachedPupilHours(
  db: Database,
  cache: ReadCache | undefined,
  scope: Scope,
  uai: string,
  platformDefault: WeeklyHours,
): Promise<WeeklyHours> {
  const cached = cache?.pupilHours(uai);
  if (cached) return cached;
  const generation = cache?.currentGeneration ?? 0;
  const hours = await withTenant(db, scope, (tx) => pupilHoursOf(tx, uai, platformDefault));
  cache?.storePupilHours(uai, hours, generation);
  return hours;
}
