// What the rules read of a principal: the profiles they hold in a school, their structure roles. Shared by every
// rule file of the policy; nothing outside src/policy/ decides with them.
import { reaches, type Principal, type ProfileKind } from "../services/principal";

export const STAFF: ProfileKind[] = ["teacher", "director", "staff"];
export const PERIMETER_ROLES: ProfileKind[] = ["inspector", "adviser", "municipality", "academie_admin"];

/** The profiles `p` holds in school `uai`. */
export function profilesIn(p: Principal, uai: string): ProfileKind[] {
  return p.profiles.filter((sp) => sp.uai === uai).map((sp) => sp.profile);
}

export function holdsAny(kinds: readonly ProfileKind[], wanted: readonly ProfileKind[]): boolean {
  return kinds.some((k) => wanted.includes(k));
}

/** Whether `p` holds one of these structure roles (inspector, adviser, municipality, académie). */
export function hasRole(p: Pick<Principal, "structureRoles">, roles: readonly ProfileKind[]): boolean {
  return p.structureRoles.some((r) => roles.includes(r.role));
}

/** The académie's administrators: every school, the audit trail, the directory imports, platform-wide settings. */
export function isAcademieAdmin(p: Pick<Principal, "structureRoles">): boolean {
  return hasRole(p, ["academie_admin"]);
}

export function isDirectorOf(p: Principal, uai: string): boolean {
  return profilesIn(p, uai).includes("director");
}

/** An inspector, adviser or the académie whose perimeter holds the school (municipality staff are not: 2.1.2). */
export function perimeterRole(p: Principal, uai: string): boolean {
  return reaches(p, uai) && p.structureRoles.some((r) => r.role !== "municipality" && PERIMETER_ROLES.includes(r.role));
}

/**
 * 2.1.2: municipality staff never address pupils — neither in messages nor in news-feed announcements. A person who
 * also holds the académie's or an adviser's role addresses pupils by that role.
 */
export function addressesPupils(p: Principal): boolean {
  return !(hasRole(p, ["municipality"]) && !hasRole(p, ["academie_admin", "adviser"]));
}
