// From raw AAF records of either flavour (1D primary, 2D secondary) to Préau's entities. The attribute lists are
// exactly the keys of the reference importer's mappings (research/entcore.md §2.4, checked against
// edificeio/entcore feeder/src/main/resources/dictionary/mapping/{aaf,aaf1d}/*.json): an attribute outside them is a
// warning, never a failure, because the format grows every year. No academy prefix here: the reconciler adds it.
import type {
  AafCategory,
  AafChange,
  AafClassRef,
  AafEntity,
  AafFunction,
  AafParentLink,
  AafRawRecord,
  AafWarning,
} from "./model";
import { AafParseError } from "./parser";

type PersonOrSchool = Exclude<AafCategory, "MatiereEducNat" | "MefEducNat">;

const set = (...names: string[]) => new Set(names);

/** Attributes of the secondary-school flavour (aaf/*.json), deprecated ones excepted. */
const KNOWN_2D: Record<PersonOrSchool, Set<string>> = {
  EtabEducNat: set(
    "ENTStructureJointure",
    "ENTStructureUAI",
    "ENTEtablissementUAI",
    "ENTStructureSIREN",
    "ENTStructureNomCourant",
    "ENTStructureTypeStruct",
    "ENTStructureCodeTypeStruct",
    "ENTEtablissementMinistereTutelle",
    "ENTEtablissementCodeMinistereTutelle",
    "ENTEtablissementContrat",
    "postOfficeBox",
    "street",
    "postalCode",
    "l",
    "telephoneNumber",
    "facsimileTelephoneNumber",
    "ENTEtablissementStructRattachFctl",
    "ENTEtablissementBassin",
    "ENTServAcAcademie",
    "ENTServAcCodeAcademie",
    "ENTStructureClasses",
    "ENTStructureGroupes",
    "ENTStructureMailSI",
    "categorieStructure",
  ),
  Eleve: set(
    "ENTPersonJointure",
    "ENTEleveINE",
    "ENTPersonDateNaissance",
    "sn",
    "givenName",
    "ENTPersonAutresPrenoms",
    "ENTPersonNomPatro",
    "personalTitle",
    "categoriePersonne",
    "ENTElevePersRelEleve",
    "ENTPersonStructRattach",
    "ENTEleveRegime",
    "ENTEleveMEF",
    "ENTEleveLibelleMEF",
    "ENTEleveClasses",
    "ENTEleveGroupes",
    "ENTEleveNivFormation",
    "ENTEleveFiliere",
    "ENTEleveBoursier",
    "ENTEleveTransport",
    "ENTEleveStatutEleve",
    "ENTEleveStructRattachId",
    "ENTEleveStructureRattachIdMEN",
    "ENTEleveCodeEnseignements",
    "ENTEleveEnseignements",
    "ENTPersonAdresse",
    "ENTPersonCodePostal",
    "ENTPersonVille",
    "ENTPersonPays",
    "mail",
    "homePhone",
    "ENTEleveAdresseRel",
    "ENTEleveDateEntreeClasses",
    "ENTEleveDateSortieClasses",
    "ENTEleveDateEntreeStructRattach",
    "ENTEleveDateSortieStructRattach",
  ),
  PersRelEleve: set(
    "ENTPersonJointure",
    "ENTPersonDateNaissance",
    "sn",
    "givenName",
    "ENTPersonAutresPrenoms",
    "ENTPersonNomPatro",
    "personalTitle",
    "homePhone",
    "telephoneNumber",
    "ENTPersonAdresse",
    "ENTPersonCodePostal",
    "ENTPersonVille",
    "ENTPersonPays",
    "ENTPersonAdresseDiffusion",
    "mobile",
    "mail",
    "ENTPersonMobileSMS",
    "ENTAuxPersRelEleveEleve",
    "categoriePersonne",
  ),
  PersEducNat: set(
    "ENTPersonJointure",
    "ENTPersonDateNaissance",
    "sn",
    "givenName",
    "ENTPersonAutresPrenoms",
    "ENTPersonNomPatro",
    "personalTitle",
    "categoriePersonne",
    "mail",
    "ENTPersonStructRattach",
    "ENTAuxEnsCategoDiscipline",
    "ENTAuxEnsMEF",
    "ENTAuxEnsMatiereEnseignEtab",
    "ENTAuxEnsClasses",
    "ENTAuxEnsGroupes",
    "ENTAuxEnsClassesMatieres",
    "ENTAuxEnsGroupesMatieres",
    "ENTAuxEnsClassesPrincipal",
    "ENTEnsFonctionDir",
    "ENTPersonFonctions",
    "PersEducNatPresenceDevantEleves",
    "ENTPersonCategorieEnseignant",
  ),
};

/** Attributes of the primary-school flavour (aaf1d/*.json), deprecated ones excepted. */
const KNOWN_1D: Record<PersonOrSchool, Set<string>> = {
  EtabEducNat: set(
    "ENTStructureJointure",
    "ENTStructureUAI",
    "ENTStructureSIREN",
    "ENTStructureNomCourant",
    "ENTStructureTypeStruct",
    "ENTStructureCodeTypeStruct",
    "ENTEcoleMinistereTutelle",
    "ENTEcoleCodeMinistereTutelle",
    "ENTEtablissementContrat",
    "ENTStructureBoitePostale",
    "ENTStructureAdresse",
    "ENTStructureCodePostal",
    "ENTStructureVille",
    "ENTStructureTelephone",
    "ENTStructureFax",
    "ENTServAcAcademie",
    "ENTServAcCodeAcademie",
    "ENTEcoleSecteur",
    "ENTEcoleCirconscription",
    "ENTEcoleCommune",
    "ENTEcoleRPI",
    "ENTStructureEmail",
    "ENTStructureMailSI",
    "categorieStructure",
  ),
  Eleve: set(
    "ENTPersonJointure",
    "ENTEleveINE",
    "ENTPersonDateNaissance",
    "ENTPersonNom",
    "ENTPersonPrenom",
    "ENTPersonAutresPrenoms",
    "ENTPersonNomPatro",
    "ENTPersonCivilite",
    "ENTPersonMail",
    "categoriePersonne",
    "ENTEleveAutoriteParentale",
    "ENTPersonStructRattach",
    "ENTPersonClasses",
    "ENTPersonGroupes",
    "ENTEleveNiveau",
    "ENTEleveCycle",
    "ENTEleveTypeClasse",
    "ENTEleveDateEntreeClasses",
    "ENTEleveDateSortieClasses",
    "ENTEleveDateEntreeStructRattach",
    "ENTEleveDateSortieStructRattach",
    "ENTEleveRestaurantScolaire",
    "ENTEleveTransport",
    "ENTEleveGarderieMatin",
    "ENTEleveGarderieSoir",
    "ENTEleveEtudesSurveillees",
  ),
  PersRelEleve: set(
    "ENTPersonJointure",
    "ENTPersonDateNaissance",
    "ENTPersonNom",
    "ENTPersonPrenom",
    "ENTPersonNomPatro",
    "ENTPersonAutresPrenoms",
    "ENTPersonCivilite",
    "ENTPersonTelPerso",
    "ENTPersRelEleveTelPro",
    "ENTPersonAdresse",
    "ENTPersonCodePostal",
    "ENTPersonVille",
    "ENTPersonPays",
    "ENTPersonAdresseDiffusion",
    "ENTPersonMail",
    "ENTPersRelEleveTelMobile",
    "ENTPersRelEleveEleve",
    "categoriePersonne",
  ),
  PersEducNat: set(
    "ENTPersonJointure",
    "ENTPersonDateNaissance",
    "ENTPersonNom",
    "ENTPersonPrenom",
    "ENTPersonAutresPrenoms",
    "ENTPersonNomPatro",
    "ENTPersonCivilite",
    "categoriePersonne",
    "ENTPersonMail",
    "ENTPersonStructRattach",
    "ENTPersonFonctions",
    "ENTEnsFonctionDir",
    "ENTPersonCategorieEnseignant",
    "ENTPersonStructRattachDate",
    "ENTPersonFonctionsDate",
    "ENTEnsFonctionDirDate",
    "ENTPersonCategorieEnseignantDate",
  ),
};

/**
 * Marked "deprecated" by the reference mappings, and still found in current files (e.g. ENTAuxEnsDisciplinesPoste in
 * the 2024 PersEducNat sample, the `…Date` attributes of AAF-VE2407): accepted and ignored without a word.
 */
const IGNORED: Record<PersonOrSchool, Set<string>> = {
  EtabEducNat: set(),
  Eleve: set("ENTEleveEnseignementsEtablissementsAccueil"),
  PersRelEleve: set(),
  PersEducNat: set(
    "ENTAuxEnsDisciplinesPoste",
    "ENTPersonSTSId",
    "ENTAuxEnsCategoDisciplineDate",
    "ENTAuxEnsMEFDate",
    "ENTAuxEnsClassesMatieresDate",
    "ENTAuxEnsGroupesMatieresDate",
    "ENTAuxEnsClassesPrincipalDate",
    "ENTEnsSpecialites",
  ),
};

/**
 * Deprecated attributes carrying data Préau does not read (the old parent fields, replaced by ENTElevePersRelEleve).
 * Old files carry them beside ENTElevePersRelEleve on every pupil: silent then. Alone, they get one
 * `deprecated_attribute` warning, for the pupil's parents are then not linked.
 */
const DEPRECATED: Record<PersonOrSchool, Set<string>> = {
  EtabEducNat: set(),
  Eleve: set(
    "ENTEleveParents",
    "ENTElevePere",
    "ENTEleveMere",
    "ENTElevePersRelEleve1",
    "ENTElevePersRelEleve2",
    "ENTEleveQualitePersRelEleve1",
    "ENTEleveQualitePersRelEleve2",
  ),
  PersRelEleve: set(),
  PersEducNat: set(),
};

const KNOWN: Record<PersonOrSchool, Set<string>> = Object.fromEntries(
  (Object.keys(KNOWN_1D) as PersonOrSchool[]).map((c) => [c, new Set([...KNOWN_1D[c], ...KNOWN_2D[c], ...IGNORED[c]])]),
) as Record<PersonOrSchool, Set<string>>;

/** Exported for tests and for the documentation of the import. */
export const AAF_ATTRIBUTES = { "1D": KNOWN_1D, "2D": KNOWN_2D, ignored: IGNORED, deprecated: DEPRECATED } as const;

const KINDS = { EtabEducNat: "school", Eleve: "pupil", PersRelEleve: "relative", PersEducNat: "staff" } as const;

/** What every person entry (pupil, relative, staff) carries, under its AAF and its LDAP name. */
const PERSON_FIELDS: Record<string, string[]> = {
  ENTPersonNom: ["lastName"],
  sn: ["lastName"],
  ENTPersonPrenom: ["firstName"],
  givenName: ["firstName"],
  ENTPersonDateNaissance: ["birthDate"],
  ENTPersonMail: ["email"],
  mail: ["email"],
};

/** Entity fields each attribute feeds (the `fields` of a modify). */
const FIELDS: Record<PersonOrSchool, Record<string, string[]>> = {
  EtabEducNat: {
    ENTStructureJointure: [],
    ENTStructureUAI: ["uai"],
    ENTEtablissementUAI: ["uai"],
    ENTStructureNomCourant: ["name"],
    ENTStructureVille: ["city"],
    l: ["city"],
    ENTStructureTypeStruct: ["type"],
    ENTEcoleCirconscription: ["circonscription"],
    ENTEcoleCommune: ["commune"],
    ENTEcoleRPI: ["rpi"],
  },
  Eleve: {
    ...PERSON_FIELDS,
    ENTPersonStructRattach: ["structures"],
    ENTPersonClasses: ["classes"],
    ENTEleveClasses: ["classes"],
    ENTEleveAutoriteParentale: ["parents"],
    ENTElevePersRelEleve: ["parents"],
    ENTEleveNiveau: ["level"],
  },
  PersRelEleve: {
    ...PERSON_FIELDS,
    ENTPersRelEleveEleve: ["children"],
    ENTAuxPersRelEleveEleve: ["children"],
  },
  PersEducNat: {
    ...PERSON_FIELDS,
    ENTPersonStructRattach: ["structures"],
    ENTPersonFonctions: ["functions", "directs"],
    ENTEnsFonctionDir: ["directs"],
    ENTPersonCategorieEnseignant: ["teacher"],
    PersEducNatPresenceDevantEleves: ["teacher"],
    ENTAuxEnsClasses: ["classes"],
    ENTAuxEnsClassesMatieres: ["classes"],
    ENTAuxEnsClassesPrincipal: ["classes"],
  },
};

/** Function labels that mean direction in the reference importer (besides the DIR function code). */
const DIRECTION_LABELS = new Set([
  "DIRECTION",
  "DIRECTION CHEF D'ETABLISSEMENT",
  "DIRECTION ADJOINT AU CHEF ETABLISSEMENT",
  "CHEF D'ETABLISSEMENT ADJOINT",
]);

/**
 * One raw record → one change, or null for the Matière / MEF categories (not used by Préau yet, no warning).
 * Throws `AafParseError` (with the record's source) for a value that makes the set unusable: an impossible date.
 */
export function normaliseRecord(record: AafRawRecord, onWarning: (w: AafWarning) => void): AafChange | null {
  if (record.category === "MatiereEducNat" || record.category === "MefEducNat") return null;
  const category = record.category;
  const kind = KINDS[category];
  const source = record.source;
  if (record.operation === "delete") return { operation: "delete", kind, jointure: record.id, source };
  const deprecated: string[] = [];
  for (const name of record.attributes.keys()) {
    if (KNOWN[category].has(name)) continue;
    if (DEPRECATED[category].has(name)) deprecated.push(name);
    else onWarning({ source, code: "unknown_attribute", detail: `Attribut inconnu ignoré : ${name}` });
  }
  if (
    deprecated.length &&
    !record.attributes.has("ENTElevePersRelEleve") &&
    !record.attributes.has("ENTEleveAutoriteParentale")
  ) {
    const plural = deprecated.length > 1 ? "s" : "";
    onWarning({
      source,
      code: "deprecated_attribute",
      detail:
        `Attribut${plural} obsolète${plural} ignoré${plural} : ${deprecated.join(", ")} ` +
        "(sans ENTElevePersRelEleve, les responsables de l'élève ne sont pas rattachés).",
    });
  }
  const a = new Reader(record, onWarning);
  const entity = build(category, a);
  if (record.operation === "add") return { operation: "add", entity, source };
  const fields = [...new Set([...record.attributes.keys()].flatMap((n) => FIELDS[category][n] ?? []))];
  return { operation: "modify", entity, fields, source };
}

/** Reads a record's attributes: `<value/>` (empty) means none. */
class Reader {
  constructor(
    readonly record: AafRawRecord,
    private readonly onWarning: (w: AafWarning) => void,
  ) {}
  has(name: string): boolean {
    return this.record.attributes.has(name);
  }
  all(name: string): string[] {
    return (this.record.attributes.get(name) ?? []).filter((v) => v !== "");
  }
  one(...names: string[]): string | null {
    for (const n of names) {
      const v = this.all(n)[0];
      if (v !== undefined) return v;
    }
    return null;
  }
  warn(detail: string): void {
    this.onWarning({ source: this.record.source, code: "ignored_value", detail });
  }
  /** The record's jointure: the attribute when delivered (as the reference importer), else `<identifier><id>`. */
  jointure(attribute: string): string {
    const value = this.one(attribute);
    if (value === null) return this.record.id;
    if (value !== this.record.id)
      this.warn(`${attribute} « ${value} » diffère de l'identifiant « ${this.record.id} » : ${value} retenu.`);
    return value;
  }
  /** dd/MM/yyyy → yyyy-mm-dd; an impossible date refuses the set. */
  date(name: string): string | null {
    const v = this.one(name);
    if (v === null) return null;
    const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
    const iso = m ? `${m[3]}-${m[2]}-${m[1]}` : "";
    const year = m ? Number(m[3]) : 0;
    const d = new Date(`${iso}T00:00:00Z`);
    if (!m || year < 1880 || year > 2100 || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      throw new AafParseError(
        `Date invalide « ${v} » dans ${name} de l'enregistrement ${this.record.id} (attendu jj/mm/aaaa).`,
        this.record.source,
      );
    }
    return iso;
  }
  /** O / N (also Y, OUI, NON, 1, 0); anything else is a warning and counts as not delivered. */
  bool(name: string): boolean | null {
    const v = this.one(name);
    if (v === null) return null;
    if (/^(O|Y|OUI|YES|1|TRUE)$/i.test(v)) return true;
    if (/^(N|NON|NO|0|FALSE)$/i.test(v)) return false;
    this.warn(`Valeur « ${v} » de ${name} ni O ni N : ignorée.`);
    return null;
  }
  email(...names: string[]): string | null {
    const v = this.one(...names);
    return v === null ? null : v.toLowerCase();
  }
  /** Values split on `$`; values with fewer than `min` parts are warned about and dropped. */
  parts(name: string, min: number, format: string): string[][] {
    const out: string[][] = [];
    for (const v of this.all(name)) {
      const p = v.split("$").map((x) => x.trim());
      if (p.length < min || !p[0]) this.warn(`Valeur « ${v} » de ${name} ignorée (format attendu ${format}).`);
      else out.push(p);
    }
    return out;
  }
}

/** `code$label` → both; a plain value is both the code and the name. */
function codeAndLabel(value: string | null): { code: string; name: string } | null {
  if (!value) return null;
  const [code, ...rest] = value.split("$").map((p) => p.trim());
  if (!code) return null;
  const name = rest.filter(Boolean).join(" ");
  return { code, name: name || code };
}

/**
 * ENTStructureNomCourant is `TYPE$NAME$CITY` (e.g. `CLG$CLG INTEGRATION$PARIS`) or a plain name. The display name is
 * the NAME part (the type is ENTStructureTypeStruct, the city ENTStructureVille / l); without it, the value with `$`
 * read as " - ", as the reference importer does.
 */
function schoolName(value: string | null): { name: string; city: string | null } {
  if (!value) return { name: "", city: null };
  const parts = value.split("$").map((p) => p.trim());
  if (parts.length === 1) return { name: parts[0]!, city: null };
  const middle = parts.length === 2 ? parts[1]! : parts.slice(1, -1).filter(Boolean).join(" ");
  const city = parts.length >= 3 ? parts[parts.length - 1] || null : null;
  return { name: middle || parts.filter(Boolean).join(" - "), city };
}

function uniqueClasses(classes: AafClassRef[]): AafClassRef[] {
  const seen = new Set<string>();
  return classes.filter((c) => {
    const key = `${c.structureJointure}$${c.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function build(category: PersonOrSchool, a: Reader): AafEntity {
  const lastName = a.one("ENTPersonNom", "sn") ?? "";
  const firstName = a.one("ENTPersonPrenom", "givenName") ?? "";
  switch (category) {
    case "EtabEducNat": {
      const { name, city } = schoolName(a.one("ENTStructureNomCourant"));
      return {
        kind: "school",
        value: {
          jointure: a.jointure("ENTStructureJointure"),
          uai: (a.one("ENTStructureUAI", "ENTEtablissementUAI") ?? "").toUpperCase(),
          name,
          city: a.one("ENTStructureVille", "l") ?? city,
          type: a.one("ENTStructureTypeStruct"),
          circonscription: codeAndLabel(a.one("ENTEcoleCirconscription")),
          commune: codeAndLabel(a.one("ENTEcoleCommune")),
          rpi: codeAndLabel(a.one("ENTEcoleRPI")),
        },
      };
    }
    case "Eleve": {
      const jointure = a.jointure("ENTPersonJointure");
      // 2D: person $ relation code $ financial $ legal $ contact $ payment; 1D: parent $ relation code (parental
      // authority).
      const parents: AafParentLink[] = a.has("ENTElevePersRelEleve")
        ? a
            .parts("ENTElevePersRelEleve", 1, "jointure$lien$financier$légal$contact$paiement")
            .map((p) => ({ jointure: p[0]!, relation: p[1] || null, legalGuardian: p[3] === "1" }))
        : a
            .parts("ENTEleveAutoriteParentale", 1, "jointure$lien")
            .map((p) => ({ jointure: p[0]!, relation: p[1] || null, legalGuardian: true }));
      const links = new Map<string, AafParentLink>();
      for (const p of parents) {
        // A pupil listed as their own responsible person (an adult pupil, as in the 2D sample) is no parent link.
        if (p.jointure === jointure) continue;
        const known = links.get(p.jointure);
        if (known) known.legalGuardian ||= p.legalGuardian;
        else links.set(p.jointure, p);
      }
      const classes: AafClassRef[] = [
        // 1D: structure $ ? $ ? $ class id $ label (entcore reads [3] and [4]); a 2-part value reads as 2D.
        ...a.parts("ENTPersonClasses", 2, "structure$…$…$classe$libellé").map((p) => {
          const code = (p.length >= 4 ? p[3] : p[1])!;
          return { structureJointure: p[0]!, code, label: p[4] || code };
        }),
        // 2D: structure $ class code.
        ...a
          .parts("ENTEleveClasses", 2, "structure$classe")
          .map((p) => ({ structureJointure: p[0]!, code: p[1]!, label: p[1]! })),
      ].filter((c) => c.code);
      return {
        kind: "pupil",
        value: {
          jointure,
          firstName,
          lastName,
          birthDate: a.date("ENTPersonDateNaissance"),
          email: a.email("ENTPersonMail", "mail"),
          structures: [...new Set(a.all("ENTPersonStructRattach"))],
          classes: uniqueClasses(classes),
          parents: [...links.values()],
          level: a.one("ENTEleveNiveau"),
        },
      };
    }
    case "PersRelEleve": {
      const children = [...a.all("ENTPersRelEleveEleve"), ...a.all("ENTAuxPersRelEleveEleve")]
        .map((v) => v.split("$")[0]!.trim())
        .filter(Boolean);
      return {
        kind: "relative",
        value: {
          jointure: a.jointure("ENTPersonJointure"),
          firstName,
          lastName,
          birthDate: a.date("ENTPersonDateNaissance"),
          email: a.email("ENTPersonMail", "mail"),
          children: [...new Set(children)],
        },
      };
    }
    case "PersEducNat": {
      // structure $ function code $ function label $ discipline code $ discipline label; "-" means none.
      const raw = a.parts("ENTPersonFonctions", 2, "structure$code$libellé$discipline$libellé");
      const functions: AafFunction[] = raw
        .filter((p) => p[1] && p[1] !== "-")
        .map((p) => ({ structureJointure: p[0]!, code: p[1]!, label: p[2] && p[2] !== "-" ? p[2] : "" }));
      const structures = [...new Set(a.all("ENTPersonStructRattach"))];
      const directs = new Set<string>();
      for (const p of raw) if (p[1] === "DIR" || DIRECTION_LABELS.has(p[4] ?? "")) directs.add(p[0]!);
      // ENTEnsFonctionDir lists the structures the person directs (entcore: jointures); O/N is read as "all of them".
      for (const v of a.all("ENTEnsFonctionDir")) {
        if (/^(O|Y|OUI)$/i.test(v)) structures.forEach((s) => directs.add(s));
        else if (!/^(N|NON)$/i.test(v)) directs.add(v.split("$")[0]!.trim());
      }
      // Profile (entcore.md §2.5): the teacher category when delivered, else "in front of pupils", else ENS/DOC.
      const teacher =
        a.bool("ENTPersonCategorieEnseignant") ??
        (a.bool("PersEducNatPresenceDevantEleves") === true ||
          functions.some((f) => f.code === "ENS" || f.code === "DOC"));
      const classes = uniqueClasses(
        [
          ...a.parts("ENTAuxEnsClasses", 2, "structure$classe"),
          ...a.parts("ENTAuxEnsClassesMatieres", 2, "structure$classe$matière"),
          ...a.parts("ENTAuxEnsClassesPrincipal", 2, "structure$classe"),
        ]
          .map((p) => ({ structureJointure: p[0]!, code: p[1]!, label: p[1]! }))
          .filter((c) => c.code),
      );
      return {
        kind: "staff",
        value: {
          jointure: a.jointure("ENTPersonJointure"),
          firstName,
          lastName,
          birthDate: a.date("ENTPersonDateNaissance"),
          email: a.email("ENTPersonMail", "mail"),
          structures,
          functions,
          directs: [...directs].filter(Boolean),
          teacher,
          classes,
        },
      };
    }
  }
}
