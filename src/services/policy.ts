// The one place that answers "may this user do that?" — reused by routes, and later by websocket upgrades.
// Row-level security is the second line: a wrong answer here still cannot reach another school's rows.
import { activeProfiles, reaches, type Principal, type ProfileKind } from "./principal";

export type Resource =
  | { kind: "school"; uai: string }
  | { kind: "class"; uai: string; classId: string; memberIds: readonly string[]; teacherIds: readonly string[];
      parentIdsOfPupils: readonly string[] }
  | { kind: "person"; uai: string; userId: string; sharesClassWith: boolean; isChildOf: boolean }
  | { kind: "platform" };

export type Action =
  | "school.view" | "school.configure" | "school.viewStructureStats"
  | "class.view" | "class.viewRoster" | "class.configureApps"
  | "person.view"
  | "audit.view";

const STAFF: ProfileKind[] = ["teacher", "director", "staff"];
const PERIMETER_ROLES: ProfileKind[] = ["inspector", "adviser", "municipality", "academie_admin"];

function profilesIn(p: Principal, uai: string): ProfileKind[] {
  return p.profiles.filter((sp) => sp.uai === uai).map((sp) => sp.profile);
}

function holdsAny(kinds: ProfileKind[], wanted: ProfileKind[]): boolean {
  return kinds.some((k) => wanted.includes(k));
}

function perimeterRole(p: Principal, uai: string): boolean {
  return reaches(p, uai) && p.structureRoles.some((r) => r.role !== "municipality" && PERIMETER_ROLES.includes(r.role));
}

export function can(p: Principal, action: Action, resource: Resource): boolean {
  switch (action) {
    case "audit.view":
      return p.structureRoles.some((r) => r.role === "academie_admin");
    case "school.viewStructureStats":
      return holdsAny(activeProfiles(p), PERIMETER_ROLES);
    case "school.view": {
      // The school page lists classes and staff: for the school's adults and its perimeter, not for families (621E).
      if (resource.kind !== "school" || !reaches(p, resource.uai)) return false;
      return holdsAny(profilesIn(p, resource.uai), [...STAFF, "guest"]) || p.structureRoles.length > 0;
    }
    case "school.configure":
      return resource.kind === "school" && profilesIn(p, resource.uai).includes("director");
    case "class.view": {
      if (resource.kind !== "class" || !reaches(p, resource.uai)) return false;
      const kinds = profilesIn(p, resource.uai);
      if (holdsAny(kinds, ["director", "staff"]) || perimeterRole(p, resource.uai)) return true;
      return resource.memberIds.includes(p.userId) || resource.parentIdsOfPupils.includes(p.userId);
    }
    case "class.viewRoster":
      // Everyone who may see the class sees who is in it; the roster view itself minimises data (621E).
      return can(p, "class.view", resource);
    case "class.configureApps": {
      if (resource.kind !== "class" || !reaches(p, resource.uai)) return false;
      return resource.teacherIds.includes(p.userId) || profilesIn(p, resource.uai).includes("director");
    }
    case "person.view": {
      if (resource.kind !== "person" || !reaches(p, resource.uai)) return false;
      if (resource.userId === p.userId) return true;
      const kinds = profilesIn(p, resource.uai);
      if (holdsAny(kinds, STAFF) || perimeterRole(p, resource.uai)) return true;
      return resource.sharesClassWith || resource.isChildOf;
    }
  }
}
