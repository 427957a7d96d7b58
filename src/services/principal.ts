// The signed-in user as every service sees it: who they are, their profiles, and the schools they may reach.
import { sql } from "drizzle-orm";
import { rowsOf, schoolsScope, systemScope, type Scope, type Tx } from "../../db/client";
import { isAcademieAdmin } from "../policy/roles";

export type ProfileKind =
  | "pupil"
  | "parent"
  | "teacher"
  | "director"
  | "staff"
  | "guest"
  | "inspector"
  | "adviser"
  | "municipality"
  | "academie_admin";

export type UserState = "pre_created" | "active" | "suspended" | "pre_deleted";

export interface SchoolProfile {
  uai: string;
  schoolName: string;
  profile: ProfileKind;
}
export interface StructureRole {
  structureId: string;
  structureKind: string;
  structureName: string;
  role: ProfileKind;
}

export type Perimeter = { all: true } | { all: false; uais: string[] };

export interface Principal {
  userId: string;
  sessionId: string;
  login: string | null;
  firstName: string;
  lastName: string;
  state: UserState;
  source: string;
  charterAccepted: boolean;
  hasPassword: boolean;
  profiles: SchoolProfile[];
  structureRoles: StructureRole[];
  /** The school the user is working in now (a parent of children in two schools switches between them). */
  activeUai: string | null;
  perimeter: Perimeter;
  font: "standard" | "dyslexic";
  hiddenApps: string[];
  unreadNotifications: number;
}

export function displayName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`;
}

/** Profiles the user holds where they are working now: school profiles of the active school, and structure roles. */
export function activeProfiles(p: Principal): ProfileKind[] {
  const kinds = new Set<ProfileKind>();
  for (const sp of p.profiles) if (sp.uai === p.activeUai) kinds.add(sp.profile);
  for (const r of p.structureRoles) kinds.add(r.role);
  return [...kinds];
}

const PRECEDENCE: ProfileKind[] = [
  "academie_admin",
  "inspector",
  "adviser",
  "municipality",
  "director",
  "teacher",
  "staff",
  "guest",
  "parent",
  "pupil",
];

/** The profile that shapes the home page and theme when a user holds several (a director who also teaches). */
export function mainProfile(p: Principal): ProfileKind {
  const kinds = activeProfiles(p);
  return PRECEDENCE.find((k) => kinds.includes(k)) ?? "guest";
}

export function isPupilOnly(p: Principal): boolean {
  const kinds = activeProfiles(p);
  return kinds.length > 0 && kinds.every((k) => k === "pupil");
}

export function scopeOf(p: Principal): Scope {
  return p.perimeter.all ? { kind: "all", userId: p.userId } : schoolsScope(p.userId, p.perimeter.uais);
}

export function reaches(p: Principal, uai: string): boolean {
  return p.perimeter.all || p.perimeter.uais.includes(uai);
}

interface PrincipalRow {
  user_id: string;
  login: string | null;
  first_name: string;
  last_name: string;
  state: UserState;
  source: string;
  charter_accepted: boolean;
  has_password: boolean;
  font: "standard" | "dyslexic" | null;
  hidden_apps: string[] | null;
  profiles: SchoolProfile[];
  structure_roles: StructureRole[];
  unread: number;
}

/** Loads everything about a user in one round trip. Runs in the system scope (before the user's scope exists). */
export async function loadPrincipal(
  tx: Tx,
  userId: string,
  sessionId: string,
  activeUai: string | null,
): Promise<Principal | null> {
  const [row] = rowsOf<PrincipalRow>(
    await tx.execute(sql`
    select u.id as user_id, u.login, u.first_name, u.last_name, u.state, u.source,
      u.charter_accepted_at is not null as charter_accepted,
      exists (select 1 from credentials c where c.user_id = u.id) as has_password,
      pref.font, pref.hidden_apps,
      (select count(*)::int from notifications n where n.user_id = u.id and n.read_at is null) as unread,
      coalesce((select json_agg(json_build_object('uai', sp.uai, 'schoolName', s.name, 'profile', sp.profile)
                                order by s.name, sp.profile)
                from school_profiles sp join schools s on s.uai = sp.uai where sp.user_id = u.id), '[]') as profiles,
      coalesce((select json_agg(json_build_object('structureId', st.id, 'structureKind', st.kind,
                                                  'structureName', st.name, 'role', r.role) order by st.name)
                from structure_roles r join structures st on st.id = r.structure_id where r.user_id = u.id), '[]')
        as structure_roles
    from users u left join user_preferences pref on pref.user_id = u.id
    where u.id = ${userId}`),
  );
  if (!row) return null;
  const perimeter = await perimeterOf(tx, userId, row.profiles, row.structure_roles);
  const schoolUais = [...new Set(row.profiles.map((p) => p.uai))];
  const active = activeUai && schoolUais.includes(activeUai) ? activeUai : (schoolUais[0] ?? null);
  return {
    userId: row.user_id,
    sessionId,
    login: row.login,
    firstName: row.first_name,
    lastName: row.last_name,
    state: row.state,
    source: row.source,
    charterAccepted: row.charter_accepted,
    hasPassword: row.has_password,
    profiles: row.profiles,
    structureRoles: row.structure_roles,
    activeUai: active,
    perimeter,
    font: row.font ?? "standard",
    hiddenApps: row.hidden_apps ?? [],
    unreadNotifications: Number(row.unread ?? 0),
  };
}

/** A school profile gives its school; a structure role gives every school below that structure in the graph. */
async function perimeterOf(
  tx: Tx,
  userId: string,
  profiles: SchoolProfile[],
  roles: StructureRole[],
): Promise<Perimeter> {
  if (isAcademieAdmin({ structureRoles: roles })) return { all: true };
  const uais = new Set(profiles.map((p) => p.uai));
  if (roles.length > 0) {
    const below = rowsOf<{ uai: string }>(
      await tx.execute(sql`
      with recursive below(id) as (
        select structure_id from structure_roles where user_id = ${userId}
        union
        select sp.structure_id from structure_parents sp join below b on sp.parent_id = b.id
      )
      select distinct ss.uai from school_structures ss join below b on ss.structure_id = b.id`),
    );
    for (const r of below) uais.add(r.uai);
  }
  return { all: false, uais: [...uais].sort() };
}

export { systemScope };
