// What a school decides for itself: pupils' access hours (51A bis, director) and, per class, which apps
// pupils and parents see by default (57D, the class's teachers or the director).
import { eq, sql } from "drizzle-orm";
import { classAppDefaults, schoolSettings } from "../../../db/schema/portal";
import { rowsOf, type Tx } from "../../../db/client";
import { auditAction } from "../audit";
import { can } from "../../policy";
import { classResource } from "../directory/directory";
import { HIDEABLE_APPS } from "../portal/apps";
import { parseWeeklyHours, pupilHoursOf, type HoursInput, type WeeklyHours } from "../access-hours";
import { inTenant, type ServiceDeps } from "../context";
import type { Principal } from "../principal";

export interface ConfiguredSchool {
  uai: string;
  name: string;
}

/** The school whose settings the user changes: the one they work in now, when they may configure it (51A bis). */
export function configuredSchool(p: Principal): ConfiguredSchool | null {
  const sp = p.profiles.find(
    (x) => x.uai === p.activeUai && can(p, "school.configure", { kind: "school", uai: x.uai }),
  );
  return sp ? { uai: sp.uai, name: sp.schoolName } : null;
}

/** 51A bis: the school's pupil hours as they stand (the platform's default until the director sets them). */
export async function schoolPupilHours(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ school: ConfiguredSchool; hours: WeeklyHours } | null> {
  const school = configuredSchool(p);
  if (!school) return null;
  const hours = await inTenant(deps, p, (tx) => pupilHoursOf(tx, school.uai, deps.config.pupilHours));
  return { school, hours };
}

export type SaveHoursOutcome =
  | { ok: true }
  | { ok: false; forbidden: true }
  | { ok: false; badDays: (keyof WeeklyHours)[] };

/** 51A bis: the director sets the pupils' access hours, day by day; days whose times do not hold are named. */
export async function savePupilHours(
  deps: ServiceDeps,
  p: Principal,
  uai: string,
  typed: Record<string, HoursInput>,
): Promise<SaveHoursOutcome> {
  if (!can(p, "school.configure", { kind: "school", uai })) return { ok: false, forbidden: true };
  const parsed = parseWeeklyHours(typed);
  if (!parsed.ok) return { ok: false, badDays: parsed.badDays };
  const hours = parsed.hours;
  await inTenant(deps, p, async (tx) => {
    await tx
      .insert(schoolSettings)
      .values({ uai, pupilHours: hours })
      .onConflictDoUpdate({ target: schoolSettings.uai, set: { pupilHours: hours } });
    await auditAction(tx, deps, p, {
      action: "school.pupil_hours",
      target: uai,
      uai,
      details: { hours },
    });
  });
  return { ok: true };
}

export interface ClassAppSettings {
  hiddenForPupils: string[];
  hiddenForParents: string[];
}

export async function classAppSettings(tx: Tx, classId: string): Promise<ClassAppSettings> {
  const [row] = await tx.select().from(classAppDefaults).where(eq(classAppDefaults.classId, classId));
  return { hiddenForPupils: row?.hiddenForPupils ?? [], hiddenForParents: row?.hiddenForParents ?? [] };
}

/** 57D: the apps a class's pupils and parents do not see by default (the class's teachers or the director). */
export async function saveClassAppSettings(
  deps: Pick<ServiceDeps, "db" | "now" | "ip">,
  p: Principal,
  classId: string,
  input: ClassAppSettings,
): Promise<"ok" | "forbidden" | "not_found"> {
  const valid = new Set(HIDEABLE_APPS.map((a) => a.id));
  const clean = (ids: string[]) => [...new Set(ids)].filter((id) => valid.has(id)).sort();
  return inTenant(deps, p, async (tx) => {
    const resource = await classResource(tx, classId);
    if (!resource) return "not_found" as const;
    if (!can(p, "class.configureApps", resource)) return "forbidden" as const;
    const values = { hiddenForPupils: clean(input.hiddenForPupils), hiddenForParents: clean(input.hiddenForParents) };
    await tx
      .insert(classAppDefaults)
      .values({ classId, uai: resource.uai, ...values })
      .onConflictDoUpdate({ target: classAppDefaults.classId, set: values });
    await auditAction(tx, deps, p, {
      action: "class.app_defaults",
      target: classId,
      uai: resource.uai,
      details: values,
    });
    return "ok" as const;
  });
}

/** For the launcher: the default-hidden lists of the classes a pupil is in, or a parent's children are in. */
export async function hiddenByClasses(
  tx: Tx,
  p: Principal,
): Promise<{ forPupils: string[][]; forParents: string[][] }> {
  const rows = rowsOf<{ for_pupil: boolean; hidden_for_pupils: string[] | null; hidden_for_parents: string[] | null }>(
    await tx.execute(sql`
    select m.user_id = ${p.userId} as for_pupil, d.hidden_for_pupils, d.hidden_for_parents
    from class_members m left join class_app_defaults d on d.class_id = m.class_id
    where m.role = 'pupil' and (m.user_id = ${p.userId}
      or m.user_id in (select child_id from parent_links where parent_id = ${p.userId}))`),
  );
  return {
    forPupils: rows.filter((r) => r.for_pupil).map((r) => r.hidden_for_pupils ?? []),
    forParents: rows.filter((r) => !r.for_pupil).map((r) => r.hidden_for_parents ?? []),
  };
}
