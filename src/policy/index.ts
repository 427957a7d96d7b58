// The one place that answers "may this user do that?" — reused by routes, and later by websocket upgrades.
// Row-level security is the second line: a wrong answer here still cannot reach another school's rows.
import { activeProfiles, reaches, type Principal, type ProfileKind } from "../services/principal";

export type Resource =
  | { kind: "school"; uai: string }
  | {
      kind: "class";
      uai: string;
      classId: string;
      memberIds: readonly string[];
      teacherIds: readonly string[];
      parentIdsOfPupils: readonly string[];
    }
  | { kind: "person"; uai: string; userId: string; sharesClassWith: boolean; isChildOf: boolean }
  | { kind: "platform" }
  | WallResource
  | DocumentResource
  | ConnectorResource;

/** A connector to a third-party service (3.11.1.3, 510B): who owns it and where it is open. */
export interface ConnectorResource {
  kind: "connector";
  ownerStructureId: string | null;
  allSchools: boolean;
  schools: readonly string[];
  enabled: boolean;
}

/** A wall (54B), or the wall a teacher is about to create. `memberIds`: the class's or group's members. */
export interface WallResource {
  kind: "wall";
  uai: string;
  scope: "class" | "group" | "school";
  ownerId: string | null;
  mode: "open" | "moderated" | "closed";
  memberIds: readonly string[];
  teacherIds: readonly string[];
}

/** A live document (56B). `memberIds`: the members of the class it is shared with. */
export interface DocumentResource {
  kind: "document";
  uai: string;
  ownerId: string | null;
  sharing: "private" | "class" | "staff";
  access: "read" | "write";
  memberIds: readonly string[];
}

export type Action =
  | "school.view"
  | "school.configure"
  | "school.viewStructureStats"
  | "class.view"
  | "class.viewRoster"
  | "class.configureApps"
  | "person.view"
  | "audit.view"
  | "wall.create"
  | "wall.view"
  | "wall.post"
  | "wall.moderate"
  | "document.create"
  | "document.view"
  | "document.edit"
  | "document.manage"
  | "aaf.manage"
  | "duplicates.review"
  | "feed.addDate"
  | "feed.announce"
  | "connector.use"
  | "connector.manage";

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
    case "connector.use": {
      // Open where the user works: everywhere, or in one of their schools.
      if (resource.kind !== "connector" || !resource.enabled) return false;
      if (resource.allSchools) return true;
      const mine = new Set([...(p.activeUai ? [p.activeUai] : []), ...p.profiles.map((sp) => sp.uai)]);
      return resource.schools.some((uai) => mine.has(uai));
    }
    case "connector.manage":
      // The académie manages every connector; municipality staff those their commune owns (510B).
      if (resource.kind !== "connector") return false;
      if (p.structureRoles.some((r) => r.role === "academie_admin")) return true;
      return (
        resource.ownerStructureId !== null &&
        p.structureRoles.some((r) => r.role === "municipality" && r.structureId === resource.ownerStructureId)
      );
    case "feed.addDate": {
      // 54H: important dates by directors (their school), teachers (their classes), inspectors and advisers (their perimeter).
      if (resource.kind !== "school" && resource.kind !== "class") return false;
      if (!reaches(p, resource.uai)) return false;
      if (profilesIn(p, resource.uai).includes("director")) return true;
      if (p.structureRoles.some((r) => r.role === "inspector" || r.role === "adviser")) return true;
      return resource.kind === "class" && resource.teacherIds.includes(p.userId);
    }
    case "feed.announce":
      // 54J: urgent messages by a school's director, and by advisers, municipality staff and the académie for their perimeter.
      if (resource.kind === "platform") return p.structureRoles.some((r) => r.role === "academie_admin");
      if (resource.kind !== "school" || !reaches(p, resource.uai)) return false;
      return (
        profilesIn(p, resource.uai).includes("director") ||
        p.structureRoles.some((r) => ["adviser", "municipality", "academie_admin"].includes(r.role))
      );
    case "wall.create":
    case "wall.view":
    case "wall.post":
    case "wall.moderate":
    case "document.create":
    case "document.view":
    case "document.edit":
    case "document.manage":
      return canCollaborate(p, action, resource);
    case "audit.view":
    case "aaf.manage":
      return p.structureRoles.some((r) => r.role === "academie_admin");
    case "duplicates.review":
      // 612A: the school's admins (its directors), and the académie for every school.
      if (p.structureRoles.some((r) => r.role === "academie_admin")) return true;
      return resource.kind === "school" && profilesIn(p, resource.uai).includes("director");
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

/**
 * Walls and documents (54B, 56B). The same answers decide pages, forms and websocket upgrades (read or write ticket).
 * A school's adults see all its walls; pupils those of the school and of their class or group; families and perimeter
 * roles none. Documents are private to their owner unless shared with a class or with the school's adults.
 */
function canCollaborate(p: Principal, action: Action, resource: Resource): boolean {
  if ((resource.kind !== "wall" && resource.kind !== "document") || !reaches(p, resource.uai)) return false;
  const kinds = profilesIn(p, resource.uai);
  const adult = holdsAny(kinds, STAFF);
  if (resource.kind === "wall") {
    const moderator =
      resource.ownerId === p.userId || resource.teacherIds.includes(p.userId) || kinds.includes("director");
    switch (action) {
      case "wall.create":
        if (resource.scope === "school") return holdsAny(kinds, ["teacher", "director"]);
        return (
          kinds.includes("director") ||
          (holdsAny(kinds, ["teacher", "staff"]) && resource.teacherIds.includes(p.userId))
        );
      case "wall.view":
        return (
          adult || (kinds.includes("pupil") && (resource.scope === "school" || resource.memberIds.includes(p.userId)))
        );
      case "wall.moderate":
        return moderator && can(p, "wall.view", resource);
      case "wall.post":
        return can(p, "wall.view", resource) && (moderator || resource.mode !== "closed");
      default:
        return false;
    }
  }
  const owner = resource.ownerId === p.userId;
  switch (action) {
    case "document.create":
      return holdsAny(kinds, [...STAFF, "pupil"]);
    case "document.view":
      return (
        owner ||
        (resource.sharing === "class" && resource.memberIds.includes(p.userId)) ||
        (resource.sharing === "staff" && adult)
      );
    case "document.edit":
      return owner || (resource.access === "write" && can(p, "document.view", resource));
    case "document.manage":
      return owner;
    default:
      return false;
  }
}
