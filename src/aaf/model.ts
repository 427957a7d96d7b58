// The AAF feed as Préau reads it. The parser (parser.ts) turns ficAlimMENESR files into raw records; the
// normaliser (normalise.ts) turns raw records of either flavour (1D primary, 2D secondary) into typed entities;
// the reconciler (reconcile.ts) applies a whole set of entities to the directory, all or nothing.

export type AafCategory = "EtabEducNat" | "Eleve" | "PersRelEleve" | "PersEducNat" | "MatiereEducNat" | "MefEducNat";
export type AafOperation = "add" | "modify" | "delete";

/** Where a record or a problem was found, for messages an académie admin can act on. */
export interface AafSource {
  file: string;
  line: number;
}

export interface AafRawRecord {
  category: AafCategory;
  operation: AafOperation;
  /** `<identifier><id>` */
  id: string;
  /** Attribute name → values as delivered (entities decoded, `<value/>` as ""), in document order. */
  attributes: Map<string, string[]>;
  source: AafSource;
}

export interface AafWarning {
  source: AafSource;
  code: "unknown_attribute" | "ignored_value" | "deprecated_attribute";
  detail: string;
}

/** A fatal problem with the set: the import is refused and the reasons are recorded. */
export interface AafProblem {
  source?: AafSource;
  code: string;
  message: string;
}

export interface AafClassRef {
  /** ENTStructureJointure of the school the class belongs to. */
  structureJointure: string;
  code: string;
  /** Display name when the flavour delivers one (1D ENTPersonClasses part 4), else the code. */
  label: string;
}

export interface AafSchool {
  jointure: string;
  uai: string;
  name: string;
  city: string | null;
  /** ENTStructureTypeStruct (ECOLE, COLLEGE…). */
  type: string | null;
  /** 1D ENTEcoleCirconscription, ENTEcoleCommune, ENTEcoleRPI: code and label when `$`-joined, else both the value. */
  circonscription: { code: string; name: string } | null;
  commune: { code: string; name: string } | null;
  rpi: { code: string; name: string } | null;
}

export interface AafParentLink {
  jointure: string;
  /** BCN N_LIEN_ELEVE_RESPONSABLE code (10 mère, 20 père, 50 tuteur…) when delivered. */
  relation: string | null;
  /** Only legal guardians become parent accounts' links (2D respLegal = 1; every 1D ENTEleveAutoriteParentale). */
  legalGuardian: boolean;
}

export interface AafPupil {
  jointure: string;
  firstName: string;
  lastName: string;
  /** ISO yyyy-mm-dd */
  birthDate: string | null;
  email: string | null;
  /** Structure jointures the pupil is attached to. */
  structures: string[];
  classes: AafClassRef[];
  parents: AafParentLink[];
  /** 1D ENTEleveNiveau (CP, CE1…) when delivered. */
  level: string | null;
}

export interface AafRelative {
  jointure: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  /** Pupils' jointures (ENTPersRelEleveEleve / ENTAuxPersRelEleveEleve), when delivered. */
  children: string[];
}

export interface AafFunction {
  structureJointure: string;
  code: string;
  label: string;
}

export interface AafStaff {
  jointure: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  /** Academic e-mail (ENTPersonMail / mail): Arena logins are matched on it. */
  email: string | null;
  structures: string[];
  functions: AafFunction[];
  /** Structure jointures where the person directs (ENTEnsFonctionDir, or a DIR function). */
  directs: string[];
  /** Teacher or other staff, by the SDET rules (ENTPersonCategorieEnseignant, ENS/DOC functions…). */
  teacher: boolean;
  classes: AafClassRef[];
}

export type AafEntity =
  | { kind: "school"; value: AafSchool }
  | { kind: "pupil"; value: AafPupil }
  | { kind: "relative"; value: AafRelative }
  | { kind: "staff"; value: AafStaff };

/**
 * One normalised record. For `add`, every field is set. For `modify` (a replace on the named attributes) only
 * the fields derived from delivered attributes are set, and `fields` lists them. For `delete`, only the jointure.
 */
export type AafChange =
  | { operation: "add"; entity: AafEntity; source: AafSource }
  | { operation: "modify"; entity: AafEntity; fields: string[]; source: AafSource }
  | { operation: "delete"; kind: AafEntity["kind"]; jointure: string; source: AafSource };

/** How a delivery names itself: complete or delta, and when. */
export interface AafSetInfo {
  mode: "complete" | "delta";
  date: string | null;
}
