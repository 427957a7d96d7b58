// Walls and documents (54B, 56B). The same answers decide pages, forms and websocket upgrades (read or write ticket).
// A school's adults see all its walls; pupils those of the school and of their class or group; families and perimeter
// roles none. Documents are private to their owner unless shared with a class or with the school's adults.
import { reaches } from "../services/principal";
import { holdsAny, isDirectorOf, profilesIn, STAFF } from "./roles";
import type { Rule } from "./types";

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

const wallView: Rule<WallResource> = (p, r) => {
  if (!reaches(p, r.uai)) return false;
  const kinds = profilesIn(p, r.uai);
  return (
    holdsAny(kinds, STAFF) || (kinds.includes("pupil") && (r.scope === "school" || r.memberIds.includes(p.userId)))
  );
};

const wallModerator: Rule<WallResource> = (p, r) =>
  r.ownerId === p.userId || r.teacherIds.includes(p.userId) || isDirectorOf(p, r.uai);

const documentView: Rule<DocumentResource> = (p, r) =>
  reaches(p, r.uai) &&
  (r.ownerId === p.userId ||
    (r.sharing === "class" && r.memberIds.includes(p.userId)) ||
    (r.sharing === "staff" && holdsAny(profilesIn(p, r.uai), STAFF)));

export const collaborationRules = {
  /** A school wall by its teachers and director; a class or group wall by its teachers and staff, or the director. */
  "wall.create": ((p, r) => {
    if (!reaches(p, r.uai)) return false;
    const kinds = profilesIn(p, r.uai);
    if (r.scope === "school") return holdsAny(kinds, ["teacher", "director"]);
    return kinds.includes("director") || (holdsAny(kinds, ["teacher", "staff"]) && r.teacherIds.includes(p.userId));
  }) as Rule<WallResource>,
  "wall.view": wallView,
  "wall.moderate": ((p, r) => wallModerator(p, r) && wallView(p, r)) as Rule<WallResource>,
  /** Whoever sees the wall posts, unless it is closed; its moderators always. */
  "wall.post": ((p, r) => wallView(p, r) && (wallModerator(p, r) || r.mode !== "closed")) as Rule<WallResource>,
  "document.create": ((p, r) =>
    reaches(p, r.uai) && holdsAny(profilesIn(p, r.uai), [...STAFF, "pupil"])) as Rule<DocumentResource>,
  "document.view": documentView,
  "document.edit": ((p, r) =>
    reaches(p, r.uai) &&
    (r.ownerId === p.userId || (r.access === "write" && documentView(p, r)))) as Rule<DocumentResource>,
  /** Renaming, sharing and exporting are the owner's. */
  "document.manage": ((p, r) => reaches(p, r.uai) && r.ownerId === p.userId) as Rule<DocumentResource>,
};
