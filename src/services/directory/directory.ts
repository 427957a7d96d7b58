// Directory reads for the portal: a user's classes and children, class rosters, person cards, schools of a
// perimeter. Always inside the user's tenant scope; data minimised to what each profile needs (621E).
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Tx } from "../../../db/client";
import { can, type ClassResource, type PersonResource } from "../../policy";
import { isId } from "../../validation";
import { classAppSettings, type ClassAppSettings } from "../admin/school-settings";
import { inTenant, type ServiceDeps } from "../context";
import { auditAction } from "../audit";
import { clearLoginAttempts, loginLocked as loginLockedNow } from "../identity/login-throttle";
import type { Principal, ProfileKind } from "../principal";
import { accessOf, classFacts } from "../classroom/class-access";

export interface ClassSummary {
  id: string;
  uai: string;
  schoolName: string;
  name: string;
  levels: string[];
  pupilCount: number;
}
export interface ChildSummary {
  id: string;
  firstName: string;
  lastName: string;
  uai: string;
  schoolName: string;
  classes: { id: string; name: string }[];
}

/** Classes the user belongs to (as pupil, teacher or staff), in every school of their profiles. */
export async function myClasses(tx: Tx, p: Principal): Promise<ClassSummary[]> {
  return rowsOf<ClassSummary>(
    await tx.execute(sql`
    select c.id, c.uai, s.name as "schoolName", c.name, c.levels::text[] as levels,
      (select count(*)::int from class_members m2 where m2.class_id = c.id and m2.role = 'pupil') as "pupilCount"
    from class_members m join classes c on c.id = m.class_id join schools s on s.uai = c.uai
    where m.user_id = ${p.userId}
    order by s.name, c.name`),
  );
}

export async function myChildren(tx: Tx, p: Principal): Promise<ChildSummary[]> {
  return rowsOf<ChildSummary>(
    await tx.execute(sql`
    select u.id, u.first_name as "firstName", u.last_name as "lastName", l.uai, s.name as "schoolName",
      coalesce((select json_agg(json_build_object('id', c.id, 'name', c.name) order by c.name)
        from class_members m join classes c on c.id = m.class_id
        where m.user_id = u.id and m.role = 'pupil'), '[]') as classes
    from parent_links l join users u on u.id = l.child_id join schools s on s.uai = l.uai
    where l.parent_id = ${p.userId}
    order by u.first_name`),
  );
}

/** Every class of a school (directors, staff, perimeter roles). */
async function schoolClasses(tx: Tx, uai: string): Promise<ClassSummary[]> {
  return rowsOf<ClassSummary>(
    await tx.execute(sql`
    select c.id, c.uai, s.name as "schoolName", c.name, c.levels::text[] as levels,
      (select count(*)::int from class_members m where m.class_id = c.id and m.role = 'pupil') as "pupilCount"
    from classes c join schools s on s.uai = c.uai where c.uai = ${uai}
    order by c.levels[1], c.name`),
  );
}

/** The classes a user may open from the "Classes" app: their own, their children's, or their school's. */
export async function visibleClasses(deps: ServiceDeps, p: Principal): Promise<ClassSummary[]> {
  return inTenant(deps, p, (tx) => classesSeenBy(tx, p));
}

async function classesSeenBy(tx: Tx, p: Principal): Promise<ClassSummary[]> {
  if (p.activeUai && can(p, "school.listAllClasses", { kind: "school", uai: p.activeUai }))
    return schoolClasses(tx, p.activeUai);
  const own = await myClasses(tx, p);
  const children = await myChildren(tx, p);
  const seen = new Set(own.map((c) => c.id));
  const childClassIds = children.flatMap((c) => c.classes.map((k) => k.id)).filter((id) => !seen.has(id));
  if (childClassIds.length === 0) return own;
  const extra = rowsOf<ClassSummary>(
    await tx.execute(sql`
    select c.id, c.uai, s.name as "schoolName", c.name, c.levels::text[] as levels,
      (select count(*)::int from class_members m where m.class_id = c.id and m.role = 'pupil') as "pupilCount"
    from classes c join schools s on s.uai = c.uai where c.id in ${childClassIds}`),
  );
  return [...own, ...extra];
}

export interface RosterEntry {
  id: string;
  firstName: string;
  lastName: string;
  role: "pupil" | "teacher" | "staff";
}
export interface ClassPage {
  id: string;
  uai: string;
  schoolName: string;
  name: string;
  levels: string[];
  schoolYear: string;
  teachers: RosterEntry[];
  pupils: RosterEntry[];
  staff: RosterEntry[];
  canConfigureApps: boolean;
  /** 58D: whether the user may preview the class as a pupil or a parent sees it (write access to its daily life). */
  canPreview: boolean;
}

export type Found<T> = { kind: "ok"; value: T } | { kind: "not_found" } | { kind: "forbidden" };

/** @deprecated `isId` from src/validation.ts; kept only for walls and documents until they import it themselves. */

export async function classResource(tx: Tx, classId: string): Promise<ClassResource | null> {
  const [row] = rowsOf<{ uai: string; member_ids: string[]; teacher_ids: string[]; parent_ids: string[] }>(
    await tx.execute(sql`
    select c.uai,
      coalesce((select array_agg(m.user_id::text) from class_members m where m.class_id = c.id), '{}') as member_ids,
      coalesce((select array_agg(m.user_id::text) from class_members m
                where m.class_id = c.id and m.role = 'teacher'), '{}') as teacher_ids,
      coalesce((select array_agg(distinct l.parent_id::text)
                from class_members m join parent_links l on l.child_id = m.user_id
                where m.class_id = c.id and m.role = 'pupil'), '{}') as parent_ids
    from classes c where c.id = ${classId}`),
  );
  if (!row) return null;
  return {
    kind: "class",
    uai: row.uai,
    classId,
    memberIds: row.member_ids,
    teacherIds: row.teacher_ids,
    parentIdsOfPupils: row.parent_ids,
  };
}

/** A class's page, and for those who choose them (57D) the apps its families see. */
export async function classPage(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
): Promise<Found<{ page: ClassPage; appSettings: ClassAppSettings | null }>> {
  return inTenant(deps, p, async (tx) => {
    const found = await classPageOf(tx, p, classId);
    if (found.kind !== "ok") return found;
    const appSettings = found.value.canConfigureApps ? await classAppSettings(tx, classId) : null;
    return { kind: "ok" as const, value: { page: found.value, appSettings } };
  });
}

async function classPageOf(tx: Tx, p: Principal, classId: string): Promise<Found<ClassPage>> {
  if (!isId(classId)) return { kind: "not_found" };
  const resource = await classResource(tx, classId);
  // Row-level security already hides other schools' classes: they are simply not found.
  if (!resource) return { kind: "not_found" };
  if (!can(p, "class.view", resource)) return { kind: "forbidden" };
  const [info] = rowsOf<{ name: string; levels: string[]; school_year: string; school_name: string }>(
    await tx.execute(sql`
    select c.name, c.levels::text[] as levels, c.school_year, s.name as school_name
    from classes c join schools s on s.uai = c.uai where c.id = ${classId}`),
  );
  const roster = rowsOf<RosterEntry>(
    await tx.execute(sql`
    select u.id, u.first_name as "firstName", u.last_name as "lastName", m.role
    from class_members m join users u on u.id = m.user_id where m.class_id = ${classId}
    order by u.last_name, u.first_name`),
  );
  return {
    kind: "ok",
    value: {
      id: classId,
      uai: resource.uai,
      schoolName: info!.school_name,
      name: info!.name,
      levels: info!.levels,
      schoolYear: info!.school_year,
      teachers: roster.filter((r) => r.role === "teacher"),
      pupils: roster.filter((r) => r.role === "pupil"),
      staff: roster.filter((r) => r.role === "staff"),
      canConfigureApps: can(p, "class.configureApps", resource),
      canPreview: accessOf(p, await classFacts(tx, p, classId)) === "write",
    },
  };
}

export interface PersonCard {
  id: string;
  firstName: string;
  lastName: string;
  schoolName: string;
  profiles: ProfileKind[];
  classes: { id: string; name: string }[];
  source: string | null;
  state: string | null;
  /** F5: to the school's director, whether the account's login is locked now (null for everyone else). */
  loginLocked: boolean | null;
}

export async function personCard(deps: ServiceDeps, p: Principal, userId: string): Promise<Found<PersonCard>> {
  const found = await inTenant(deps, p, (tx) => personCardOf(tx, p, userId));
  if (found.kind !== "ok") return found;
  const { unlockableLogin, ...card } = found.value;
  // The attempts are the system's (row security): read in its scope, once the policy has allowed it.
  const loginLocked =
    unlockableLogin === null
      ? null
      : await withTenant(deps.db, systemScope, (tx) =>
          loginLockedNow(tx, unlockableLogin, deps.now, deps.config.loginThrottle),
        );
  return { kind: "ok", value: { ...card, loginLocked } };
}

interface PersonFacts {
  resource: PersonResource;
  login: string | null;
  row: {
    first_name: string;
    last_name: string;
    school_name: string;
    profiles: ProfileKind[];
    source: string;
    state: string;
  };
}

/** The person as the policy decides on them (their school seen from the user's active one first). */
async function personFacts(tx: Tx, p: Principal, userId: string): Promise<PersonFacts | null> {
  if (!isId(userId)) return null;
  const [row] = rowsOf<PersonFacts["row"] & { uai: string; login: string | null; related: boolean; is_child: boolean }>(
    await tx.execute(sql`
    select u.first_name, u.last_name, u.login, sp.uai, s.name as school_name, u.source, u.state,
      array_agg(sp.profile::text) as profiles,
      exists (
        select 1 from class_members mine join class_members theirs on theirs.class_id = mine.class_id
        where theirs.user_id = u.id and (mine.user_id = ${p.userId}
          or mine.user_id in (select child_id from parent_links where parent_id = ${p.userId}))
      ) as related,
      exists (select 1 from parent_links where parent_id = ${p.userId} and child_id = u.id) as is_child
    from users u join school_profiles sp on sp.user_id = u.id join schools s on s.uai = sp.uai
    where u.id = ${userId}
    group by u.id, sp.uai, s.name
    order by (sp.uai = ${p.activeUai ?? ""}) desc limit 1`),
  );
  if (!row) return null;
  const resource: PersonResource = {
    kind: "person",
    uai: row.uai,
    userId,
    sharesClassWith: row.related,
    isChildOf: row.is_child,
  };
  return { resource, login: row.login, row };
}

async function personCardOf(
  tx: Tx,
  p: Principal,
  userId: string,
): Promise<Found<Omit<PersonCard, "loginLocked"> & { unlockableLogin: string | null }>> {
  const facts = await personFacts(tx, p, userId);
  if (!facts) return { kind: "not_found" };
  const { resource, row } = facts;
  if (!can(p, "person.view", resource)) return { kind: "forbidden" };
  const classes = rowsOf<{ id: string; name: string }>(
    await tx.execute(sql`
    select c.id, c.name from class_members m join classes c on c.id = m.class_id
    where m.user_id = ${userId} order by c.name`),
  );
  const staffView = can(p, "person.viewAccount", resource);
  return {
    kind: "ok",
    value: {
      id: userId,
      firstName: row.first_name,
      lastName: row.last_name,
      schoolName: row.school_name,
      profiles: row.profiles,
      classes,
      // 621B: the account's source is shown to those who administer it; others do not need it (621E).
      source: staffView ? row.source : null,
      state: staffView ? row.state : null,
      unlockableLogin: can(p, "person.unlockLogin", resource) ? facts.login : null,
    },
  };
}

/**
 * F5: the director lifts the login lockout of an account of their school — every address's failed attempts are
 * forgotten — with an audit line naming the login.
 */
export async function unlockPersonLogin(
  deps: ServiceDeps,
  p: Principal,
  userId: string,
): Promise<"ok" | "forbidden" | "not_found"> {
  const facts = await inTenant(deps, p, (tx) => personFacts(tx, p, userId));
  if (!facts || !can(p, "person.view", facts.resource)) return "not_found";
  if (!can(p, "person.unlockLogin", facts.resource)) return "forbidden";
  const login = facts.login;
  if (login === null) return "not_found";
  await withTenant(deps.db, systemScope, async (tx) => {
    const cleared = await clearLoginAttempts(tx, login);
    await auditAction(tx, deps, p, {
      action: "login.unlocked",
      target: login,
      uai: facts.resource.uai,
      details: { userId, cleared },
    });
  });
  return "ok";
}

export interface SchoolPage {
  uai: string;
  name: string;
  city: string | null;
  structures: { kind: string; name: string }[];
  classes: ClassSummary[];
  staff: { id: string; firstName: string; lastName: string; profile: ProfileKind }[];
}

export async function schoolPage(deps: ServiceDeps, p: Principal, uai: string): Promise<Found<SchoolPage>> {
  return inTenant(deps, p, (tx) => schoolPageOf(tx, p, uai));
}

async function schoolPageOf(tx: Tx, p: Principal, uai: string): Promise<Found<SchoolPage>> {
  if (!/^[0-9]{7}[A-Z]$/.test(uai)) return { kind: "not_found" };
  const [school] = rowsOf<{ uai: string; name: string; city: string | null }>(
    await tx.execute(sql`select uai, name, city from schools where uai = ${uai}`),
  );
  if (!school) return { kind: "not_found" };
  if (!can(p, "school.view", { kind: "school", uai })) return { kind: "forbidden" };
  const structures = rowsOf<{ kind: string; name: string }>(
    await tx.execute(sql`
    select st.kind, st.name from school_structures ss join structures st on st.id = ss.structure_id
    where ss.uai = ${uai} order by st.kind, st.name`),
  );
  const staff = rowsOf<{ id: string; firstName: string; lastName: string; profile: ProfileKind }>(
    await tx.execute(sql`
    select u.id, u.first_name as "firstName", u.last_name as "lastName", sp.profile
    from school_profiles sp join users u on u.id = sp.user_id
    where sp.uai = ${uai} and sp.profile in ('director', 'teacher', 'staff')
    order by case sp.profile when 'director' then 0 when 'teacher' then 1 else 2 end, u.last_name`),
  );
  return { kind: "ok", value: { ...school, structures, classes: await schoolClasses(tx, uai), staff } };
}

export interface PerimeterSchool {
  uai: string;
  name: string;
  city: string | null;
  classes: number;
  pupils: number;
  accounts: number;
  activeAccounts: number;
}

/** 611A: the schools of the user's perimeter with their key figures, in one query; null for those who have no
 *  perimeter (row-level security narrows the schools to it). */
export async function perimeterSchools(
  deps: ServiceDeps,
  p: Principal,
  limit = 500,
): Promise<PerimeterSchool[] | null> {
  if (!can(p, "school.viewStructureStats", { kind: "platform" })) return null;
  return inTenant(deps, p, async (tx) =>
    rowsOf<PerimeterSchool>(
      await tx.execute(sql`
    select s.uai, s.name, s.city,
      (select count(*)::int from classes c where c.uai = s.uai) as classes,
      (select count(*)::int from school_profiles sp where sp.uai = s.uai and sp.profile = 'pupil') as pupils,
      (select count(distinct sp.user_id)::int from school_profiles sp where sp.uai = s.uai) as accounts,
      (select count(distinct sp.user_id)::int from school_profiles sp join users u on u.id = sp.user_id
        where sp.uai = s.uai and u.state = 'active') as "activeAccounts"
    from schools s order by s.name limit ${limit}`),
    ),
  );
}
