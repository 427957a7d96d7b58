// Schools, classes and person cards (621E, 611A, 57D), and what the académie alone administers (71E, 4.4, 612A).
import { activeProfiles, reaches } from "../services/principal";
import { holdsAny, isAcademieAdmin, isDirectorOf, PERIMETER_ROLES, perimeterRole, profilesIn, STAFF } from "./roles";
import type { ClassResource, PersonResource, PlatformResource, Rule, SchoolResource } from "./types";

const classView: Rule<ClassResource> = (p, r) => {
  if (!reaches(p, r.uai)) return false;
  if (holdsAny(profilesIn(p, r.uai), ["director", "staff"]) || perimeterRole(p, r.uai)) return true;
  return r.memberIds.includes(p.userId) || r.parentIdsOfPupils.includes(p.userId);
};

export const directoryRules = {
  /** The school page lists classes and staff: for the school's adults and its perimeter, not for families (621E). */
  "school.view": ((p, r) =>
    reaches(p, r.uai) &&
    (holdsAny(profilesIn(p, r.uai), [...STAFF, "guest"]) || p.structureRoles.length > 0)) as Rule<SchoolResource>,
  /** The school's settings (51A bis, 57D) are its director's. */
  "school.configure": ((p, r) => isDirectorOf(p, r.uai)) as Rule<SchoolResource>,
  /** 611A: the key figures of the schools of a perimeter. */
  "school.viewStructureStats": ((p) => holdsAny(activeProfiles(p), PERIMETER_ROLES)) as Rule<PlatformResource>,
  /** The "Classes" app lists every class of the school for its director and staff (others: their own classes). */
  "school.listAllClasses": ((p, r) => holdsAny(profilesIn(p, r.uai), ["director", "staff"])) as Rule<SchoolResource>,
  /** A class is seen by its members, its pupils' parents, the school's director and staff, and its perimeter. */
  "class.view": classView,
  /** Everyone who may see the class sees who is in it; the roster view itself minimises data (621E). */
  "class.viewRoster": classView,
  /** 57D: the class's teachers and the director choose the apps its pupils and parents see. */
  "class.configureApps": ((p, r) =>
    reaches(p, r.uai) && (r.teacherIds.includes(p.userId) || isDirectorOf(p, r.uai))) as Rule<ClassResource>,
  /** 621E: a card for oneself, the school's adults and perimeter, classmates and one's parents. */
  "person.view": ((p, r) => {
    if (!reaches(p, r.uai)) return false;
    if (r.userId === p.userId) return true;
    if (holdsAny(profilesIn(p, r.uai), STAFF) || perimeterRole(p, r.uai)) return true;
    return r.sharesClassWith || r.isChildOf;
  }) as Rule<PersonResource>,
  /** 621B: a card shows the account's source and state to the director of its school, who administers it. */
  "person.viewAccount": ((p, r) => isDirectorOf(p, r.uai)) as Rule<PersonResource>,
  /** F5 (issue 21): the director lifts a login lockout on an account of their school. */
  "person.unlockLogin": ((p, r) => isDirectorOf(p, r.uai)) as Rule<PersonResource>,
  /** 71E: the audit trail is the académie's. */
  "audit.view": ((p) => isAcademieAdmin(p)) as Rule<PlatformResource>,
  /** 4.4: directory imports (AAF) are the académie's. */
  "aaf.manage": ((p) => isAcademieAdmin(p)) as Rule<PlatformResource>,
  /** 612A: a school's duplicates are reviewed by its directors, and by the académie for every school. */
  "duplicates.review": ((p, r) => isAcademieAdmin(p) || (r.kind === "school" && isDirectorOf(p, r.uai))) as Rule<
    SchoolResource | PlatformResource
  >,
};
