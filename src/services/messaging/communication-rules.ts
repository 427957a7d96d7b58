// Who may write to whom (614A–B, 2.1.2). A rule lets a sender profile reach one relation; the defaults below are
// the rules of the tender, and a school's admins switch any of them on or off (rows of communication_rules).
// Every recipient search and every send goes through `reachableContacts`.
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { can } from "../../policy";
import { reaches, type Principal, type ProfileKind } from "../principal";
import { messagingHoursOf, settingsSchool, type WeeklyHours } from "./messaging-restrictions";

export const RELATIONS = [
  "classmates",
  "class_teachers",
  "children_teachers",
  "children_director",
  "coparents",
  "school_staff",
  "class_pupils",
  "class_parents",
  "school_pupils",
  "school_parents",
  "school_director",
  "school_teachers",
  "school_inspectors",
] as const;
export type Relation = (typeof RELATIONS)[number];

export const SENDER_PROFILES = ["pupil", "parent", "teacher", "director", "staff", "municipality"] as const;
export type SenderProfile = (typeof SENDER_PROFILES)[number];

/** The tender's rules. Municipality staff never reach pupils (2.1.2). */
export const DEFAULT_RULES: Record<SenderProfile, readonly Relation[]> = {
  pupil: ["classmates", "class_teachers"],
  parent: ["children_teachers", "children_director", "coparents"],
  teacher: ["school_staff", "class_pupils", "class_parents"],
  director: ["school_staff", "school_pupils", "school_parents"],
  staff: ["school_staff"],
  municipality: ["school_inspectors", "school_director", "school_teachers", "school_parents"],
};

/** Relations no school may open to a profile, whatever its settings say. */
const NEVER: Partial<Record<SenderProfile, readonly Relation[]>> = {
  municipality: ["classmates", "class_pupils", "school_pupils"],
  pupil: ["school_pupils", "school_parents", "class_parents"],
};

export function mayBeAllowed(from: SenderProfile, relation: Relation): boolean {
  return !(NEVER[from] ?? []).includes(relation);
}

export type RuleTable = Record<SenderProfile, Set<Relation>>;

/** The school's rules: the defaults, with the school's own choices applied. */
export async function schoolRules(tx: Tx, uai: string): Promise<RuleTable> {
  const table = Object.fromEntries(SENDER_PROFILES.map((p) => [p, new Set(DEFAULT_RULES[p])])) as RuleTable;
  const rows = rowsOf<{ from_profile: string; relation: string; allowed: boolean }>(
    await tx.execute(sql`
    select from_profile, relation, allowed from communication_rules where uai = ${uai}`),
  );
  for (const r of rows) {
    const from = r.from_profile as SenderProfile;
    const relation = r.relation as Relation;
    if (!table[from] || !RELATIONS.includes(relation)) continue;
    if (r.allowed && mayBeAllowed(from, relation)) table[from].add(relation);
    else table[from].delete(relation);
  }
  return table;
}

/** 614B, 52F: the director's page of their active school's rules and messaging hours (null for anyone else). */
export async function rulesPage(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ rules: RuleTable; hours: WeeklyHours | null } | null> {
  const uai = settingsSchool(p);
  if (!uai) return null;
  return inTenant(deps, p, async (tx) => ({
    rules: await schoolRules(tx, uai),
    hours: await messagingHoursOf(tx, uai),
  }));
}

/** 614B: the director sets who may write to whom in their active school (`from:relation` pairs); audited. False
 *  when they may not. */
export async function rulesSaver(deps: ServiceDeps, p: Principal, allowed: ReadonlySet<string>): Promise<boolean> {
  const uai = settingsSchool(p);
  if (!uai) return false;
  await inTenant(deps, p, async (tx) => {
    await saveSchoolRules(tx, uai, allowed);
    await auditAction(tx, deps, p, {
      action: "communication_rules.saved",
      target: uai,
      uai,
      details: { allowed: [...allowed].sort() },
    });
  });
  return true;
}

export async function saveSchoolRules(tx: Tx, uai: string, allowed: ReadonlySet<string>): Promise<void> {
  await tx.execute(sql`delete from communication_rules where uai = ${uai}`);
  for (const from of SENDER_PROFILES) {
    for (const relation of RELATIONS) {
      if (!mayBeAllowed(from, relation)) continue;
      const on = allowed.has(`${from}:${relation}`);
      if (on === DEFAULT_RULES[from].includes(relation)) continue;
      await tx.execute(sql`insert into communication_rules (uai, from_profile, relation, allowed)
        values (${uai}, ${from}::profile_kind, ${relation}, ${on})`);
    }
  }
}

/** The profiles a user writes as in a school: their school profiles there, and municipality staff of its perimeter. */
export function senderProfilesIn(p: Principal, uai: string): SenderProfile[] {
  const kinds = new Set<ProfileKind>(p.profiles.filter((sp) => sp.uai === uai).map((sp) => sp.profile));
  if (can(p, "message.writeAsMunicipality", { kind: "school", uai })) kinds.add("municipality");
  return SENDER_PROFILES.filter((k) => kinds.has(k));
}

function relationQuery(relation: Relation, me: string, uai: string): SQL {
  switch (relation) {
    case "classmates":
      return sql`select m2.user_id
      from class_members m1 join class_members m2 on m2.class_id = m1.class_id and m2.role = 'pupil'
      where m1.user_id = ${me} and m1.role = 'pupil' and m1.uai = ${uai}`;
    case "class_teachers":
      return sql`select m2.user_id
      from class_members m1 join class_members m2 on m2.class_id = m1.class_id and m2.role = 'teacher'
      where m1.user_id = ${me} and m1.role = 'pupil' and m1.uai = ${uai}`;
    case "children_teachers":
      return sql`select t.user_id
      from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
      join class_members t on t.class_id = m.class_id and t.role = 'teacher'
      where l.parent_id = ${me} and l.uai = ${uai} and m.uai = ${uai}`;
    case "children_director":
      return sql`select sp.user_id from school_profiles sp where sp.uai = ${uai} and sp.profile = 'director'
      and exists (select 1 from parent_links l where l.parent_id = ${me} and l.uai = ${uai})`;
    case "coparents":
      return sql`select l2.parent_id from parent_links l1 join parent_links l2 on l2.child_id = l1.child_id
      where l1.parent_id = ${me} and l1.uai = ${uai}`;
    case "school_staff":
      return sql`select user_id from school_profiles
      where uai = ${uai} and profile in ('teacher', 'director', 'staff')`;
    case "class_pupils":
      return sql`select m.user_id
      from class_members t join class_members m on m.class_id = t.class_id and m.role = 'pupil'
      where t.user_id = ${me} and t.role = 'teacher' and t.uai = ${uai}`;
    case "class_parents":
      return sql`select l.parent_id
      from class_members t join class_members m on m.class_id = t.class_id and m.role = 'pupil'
      join parent_links l on l.child_id = m.user_id where t.user_id = ${me} and t.role = 'teacher' and t.uai = ${uai}`;
    case "school_pupils":
      return sql`select user_id from school_profiles where uai = ${uai} and profile = 'pupil'`;
    case "school_parents":
      return sql`select user_id from school_profiles where uai = ${uai} and profile = 'parent'`;
    case "school_director":
      return sql`select user_id from school_profiles where uai = ${uai} and profile = 'director'`;
    case "school_teachers":
      return sql`select user_id from school_profiles where uai = ${uai} and profile = 'teacher'`;
    // Inspectors hold a role on the circonscription, not the school: the structure graph answers (migration 0013).
    case "school_inspectors":
      return sql`select preau_school_inspectors(${uai}) as user_id`;
  }
}

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  profiles: ProfileKind[];
}

/** The union of the relations the user's profiles open in this school; null when they open none. */
async function reachQuery(tx: Tx, p: Principal, uai: string): Promise<SQL | null> {
  if (!reaches(p, uai)) return null;
  const rules = await schoolRules(tx, uai);
  const relations = new Set<Relation>();
  for (const from of senderProfilesIn(p, uai)) for (const r of rules[from]) relations.add(r);
  if (relations.size === 0) return null;
  return sql.join(
    [...relations].map((r) => relationQuery(r, p.userId, uai)),
    sql` union `,
  );
}

/**
 * Which of these users the user may write to in this school (the send path: only the chosen recipients are checked,
 * rather than listing the whole school). Null when the user may write to nobody there.
 */
export async function reachableAmong(
  tx: Tx,
  p: Principal,
  uai: string,
  candidates: readonly string[],
): Promise<Set<string> | null> {
  const union = await reachQuery(tx, p, uai);
  if (!union) return null;
  if (candidates.length === 0) return new Set();
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
    with reach(user_id) as (${union})
    select u.id from users u where u.id = any(${`{${candidates.join(",")}}`}::uuid[]) and u.id <> ${p.userId}
      and u.state in ('pre_created', 'active') and u.id in (select user_id from reach)`),
  );
  return new Set(rows.map((r) => r.id));
}

/** Everyone the user may write to in this school, by name; each with their profiles there (data minimised, 621E). */
export async function reachableContacts(tx: Tx, p: Principal, uai: string): Promise<Contact[]> {
  const union = await reachQuery(tx, p, uai);
  if (!union) return [];
  const rows = rowsOf<{ id: string; first_name: string; last_name: string; profiles: ProfileKind[] }>(
    await tx.execute(sql`
    with reach(user_id) as (${union})
    select u.id, u.first_name, u.last_name,
      case when u.id in (select preau_school_inspectors(${uai})) then array['inspector']
        else array(select sp.profile::text from school_profiles sp
          where sp.user_id = u.id and sp.uai = ${uai} order by 1) end as profiles
    from users u
    where u.id in (select user_id from reach) and u.id <> ${p.userId} and u.state in ('pre_created', 'active')
    order by u.last_name, u.first_name, u.id`),
  );
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, profiles: r.profiles }));
}
