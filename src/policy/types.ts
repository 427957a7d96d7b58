// The resources the policy decides about: plain facts a service has read (ids, members, owners), never a query.
import type { Principal } from "../services/principal";

export interface SchoolResource {
  kind: "school";
  uai: string;
}

/** A class with its members: `memberIds` (pupils, teachers, staff), its teachers, the parents of its pupils. */
export interface ClassResource {
  kind: "class";
  uai: string;
  classId: string;
  memberIds: readonly string[];
  teacherIds: readonly string[];
  parentIdsOfPupils: readonly string[];
}

export interface PersonResource {
  kind: "person";
  uai: string;
  userId: string;
  sharesClassWith: boolean;
  isChildOf: boolean;
}

/** What belongs to the whole platform (the audit trail, the directory imports, académie-wide announcements). */
export interface PlatformResource {
  kind: "platform";
}

/** A rule: whether principal `p` may do the action on resource `r`. */
export type Rule<R> = (p: Principal, r: R) => boolean;
