// Connectors to third-party services (3.11.1.3, 510B).
import { isAcademieAdmin } from "./roles";
import type { Rule } from "./types";

/** A connector to a third-party service: who owns it and where it is open. */
export interface ConnectorResource {
  kind: "connector";
  ownerStructureId: string | null;
  allSchools: boolean;
  schools: readonly string[];
  enabled: boolean;
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
    (r.ownerStructureId !== null &&
      p.structureRoles.some(
        (s) => s.role === "municipality" && s.structureId === r.ownerStructureId,
      ))) as Rule<ConnectorResource>,
};
