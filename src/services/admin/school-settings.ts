// What a school decides for itself: pupils' access hours (51A bis, director) and, per class, which apps
// pupils and parents see by default (57D, the class's teachers or the director).
import { eq, sql } from "drizzle-orm";
import { classAppDefaults, schoolSettings, type WeeklyHours } from "../../../db/schema/portal";
import { rowsOf, withTenant, type Database, type Tx } from "../../../db/client";
import { audit } from "../audit";
import { can } from "../../policy";
import { classResource } from "../directory/directory";
import { HIDEABLE_APPS } from "../portal/apps";
import { scopeOf, type Principal } from "../principal";

export interface Ctx {
  db: Database;
  now: Date;
  ip: string | null;
}

export async function savePupilHours(
  ctx: Ctx,
  p: Principal,
  uai: string,
  hours: WeeklyHours,
): Promise<"ok" | "forbidden"> {
  if (!can(p, "school.configure", { kind: "school", uai })) return "forbidden";
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await tx
      .insert(schoolSettings)
      .values({ uai, pupilHours: hours })
      .onConflictDoUpdate({ target: schoolSettings.uai, set: { pupilHours: hours } });
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "school.pupil_hours",
      target: uai,
      uai,
      ip: ctx.ip,
      details: { hours },
    });
  });
  return "ok";
}

export interface ClassAppSettings {
  hiddenForPupils: string[];
  hiddenForParents: string[];
}

export async function classAppSettings(tx: Tx, classId: string): Promise<ClassAppSettings> {
  const [row] = await tx.select().from(classAppDefaults).where(eq(classAppDefaults.classId, classId));
  return { hiddenForPupils: row?.hiddenForPupils ?? [], hiddenForParents: row?.hiddenForParents ?? [] };
}

export async function saveClassAppSettings(
  ctx: Ctx,
  p: Principal,
  classId: string,
  input: ClassAppSettings,
): Promise<"ok" | "forbidden" | "not_found"> {
  const valid = new Set(HIDEABLE_APPS.map((a) => a.id));
  const clean = (ids: string[]) => [...new Set(ids)].filter((id) => valid.has(id)).sort();
  return withTenant(ctx.db, scopeOf(p), async (tx) => {
    const resource = await classResource(tx, classId);
    if (!resource) return "not_found" as const;
    if (!can(p, "class.configureApps", resource)) return "forbidden" as const;
    const values = { hiddenForPupils: clean(input.hiddenForPupils), hiddenForParents: clean(input.hiddenForParents) };
    await tx
      .insert(classAppDefaults)
      .values({ classId, uai: resource.uai, ...values })
      .onConflictDoUpdate({ target: classAppDefaults.classId, set: values });
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "class.app_defaults",
      target: classId,
      uai: resource.uai,
      ip: ctx.ip,
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
