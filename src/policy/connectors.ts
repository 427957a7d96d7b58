// Connectors to third-party services (3.11.1.3, 510B) and the GAR's single sign-on (3.11.1.1).
import { activeProfiles, type Principal } from "../services/principal";
import { hasRole, holdsAny, isAcademieAdmin, STAFF } from "./roles";
import type { PlatformResource, Rule } from "./types";

/** A connector to a third-party service: who owns it and where it is open. */
export interface ConnectorResource {
  kind: "connector";
  ownerStructureId: string | null;
  allSchools: boolean;
  schools: readonly string[];
  enabled: boolean;
}

/** The communes whose connectors the user manages (510B): those where they hold the municipality role. */
export function managedCommunes(p: Principal): string[] {
  return p.structureRoles.filter((r) => r.role === "municipality").map((r) => r.structureId);
}

/** Who owns a connector the user registers: the académie's own (none) for the académie, else their commune's. */
export function connectorOwnerFor(p: Principal): string | null {
  return isAcademieAdmin(p) ? null : (managedCommunes(p)[0] ?? null);
}

export const connectorRules = {
  /** Open where the user works: everywhere, or in one of their schools. */
  "connector.use": ((p, r) => {
    if (!r.enabled) return false;
    if (r.allSchools) return true;
    const mine = new Set([...(p.activeUai ? [p.activeUai] : []), ...p.profiles.map((sp) => sp.uai)]);
    return r.schools.some((uai) => mine.has(uai));
  }) as Rule<ConnectorResource>,
  /** The académie manages every connector; municipality staff those their commune owns (510B). */
  "connector.manage": ((p, r) =>
    isAcademieAdmin(p) ||
    (r.ownerStructureId !== null && managedCommunes(p).includes(r.ownerStructureId))) as Rule<ConnectorResource>,
  /** The connectors page (/admin/connecteurs): the académie's, and municipality staff's for their commune (510B). */
  "connector.manageAny": ((p) => isAcademieAdmin(p) || hasRole(p, ["municipality"])) as Rule<PlatformResource>,
  /** A native connector (listed publicly) or one open in every school is the académie's to register (510B). */
  "connector.publishEverywhere": ((p) => isAcademieAdmin(p)) as Rule<PlatformResource>,
  /** 3.11.1.1: the GAR serves pupils and staff of the active school, never families or guests. */
  "gar.use": ((p) => holdsAny(activeProfiles(p), ["pupil", ...STAFF])) as Rule<PlatformResource>,
};
