// From raw AAF records of either flavour (1D primary, 2D secondary) to Préau's entities. The attribute lists are
// those of the format (research/entcore.md §2.4); an attribute outside them is a warning, never a failure: the
// format grows every year.
import type { AafChange, AafClassRef, AafEntity, AafParentLink, AafRawRecord, AafWarning } from "./model";
import { AafParseError } from "./parser";

const COMMON_PERSON = ["ENTPersonJointure", "ENTPersonDateNaissance", "sn", "givenName", "ENTPersonAutresPrenoms", "ENTPersonNomPatro",
  "personalTitle", "categoriePersonne", "ENTPersonNom", "ENTPersonPrenom", "ENTPersonCivilite", "ENTPersonMail", "mail",
  "ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille", "ENTPersonPays", "ENTPersonStructRattach"];

const KNOWN: Record<"EtabEducNat" | "Eleve" | "PersRelEleve" | "PersEducNat", Set<string>> = {
  EtabEducNat: new Set(["ENTStructureJointure", "ENTStructureUAI", "ENTEtablissementUAI", "ENTStructureSIREN", "ENTStructureNomCourant",
    "ENTStructureTypeStruct", "ENTStructureCodeTypeStruct", "ENTEtablissementMinistereTutelle", "ENTEtablissementCodeMinistereTutelle",
    "ENTEtablissementContrat", "postOfficeBox", "street", "postalCode", "l", "telephoneNumber", "facsimileTelephoneNumber",
    "ENTEtablissementStructRattachFctl", "ENTEtablissementBassin", "ENTServAcAcademie", "ENTServAcCodeAcademie", "ENTStructureClasses",
    "ENTStructureGroupes", "ENTStructureMailSI", "categorieStructure", "ENTEcoleMinistereTutelle", "ENTEcoleCodeMinistereTutelle",
    "ENTStructureBoitePostale", "ENTStructureAdresse", "ENTStructureCodePostal", "ENTStructureVille", "ENTStructureTelephone",
    "ENTStructureFax", "ENTStructureEmail", "ENTEcoleSecteur", "ENTEcoleCirconscription", "ENTEcoleCommune", "ENTEcoleRPI"]),
  Eleve: new Set([...COMMON_PERSON, "ENTEleveINE", "ENTElevePersRelEleve", "ENTEleveStructRattachId", "ENTEleveStructureRattachIdMEN",
    "ENTEleveRegime", "ENTEleveMEF", "ENTEleveLibelleMEF", "ENTEleveClasses", "ENTEleveGroupes", "ENTEleveNivFormation", "ENTEleveFiliere",
    "ENTEleveBoursier", "ENTEleveTransport", "ENTEleveStatutEleve", "ENTEleveCodeEnseignements", "ENTEleveEnseignements", "homePhone",
    "ENTEleveAdresseRel", "ENTEleveDateEntreeClasses", "ENTEleveDateSortieClasses", "ENTEleveDateEntreeStructRattach",
    "ENTEleveDateSortieStructRattach", "ENTEleveAutoriteParentale", "ENTPersonClasses", "ENTPersonGroupes", "ENTEleveNiveau",
    "ENTEleveCycle", "ENTEleveTypeClasse", "ENTEleveRestaurantScolaire", "ENTEleveGarderieMatin", "ENTEleveGarderieSoir",
    "ENTEleveEtudesSurveillees"]),
  PersRelEleve: new Set([...COMMON_PERSON, "homePhone", "telephoneNumber", "mobile", "ENTPersonMobileSMS", "ENTPersonAdresseDiffusion",
    "ENTAuxPersRelEleveEleve", "ENTPersonTelPerso", "ENTPersRelEleveTelPro", "ENTPersRelEleveTelMobile", "ENTPersRelEleveEleve"]),
  PersEducNat: new Set([...COMMON_PERSON, "ENTAuxEnsCategoDiscipline", "ENTAuxEnsMEF", "ENTAuxEnsMatiereEnseignEtab", "ENTAuxEnsClasses",
    "ENTAuxEnsGroupes", "ENTAuxEnsClassesMatieres", "ENTAuxEnsGroupesMatieres", "ENTAuxEnsClassesPrincipal", "ENTEnsFonctionDir",
    "ENTPersonFonctions", "PersEducNatPresenceDevantEleves", "ENTPersonCategorieEnseignant", "ENTEnsFonctionDirDate",
    "ENTPersonStructRattachDate", "ENTPersonFonctionsDate", "ENTPersonCategorieEnseignantDate"]),
};

/** Accepted and ignored: the format marks them deprecated. */
const DEPRECATED = new Set(["ENTEleveParents", "ENTElevePere", "ENTEleveMere", "ENTElevePersRelEleve1", "ENTElevePersRelEleve2",
  "ENTEleveQualitePersRelEleve1", "ENTEleveQualitePersRelEleve2", "ENTEleveEnseignementsEtablissementsAccueil",
  "ENTAuxEnsDisciplinesPoste", "ENTPersonSTSId", "ENTAuxEnsCategoDisciplineDate", "ENTAuxEnsMEFDate", "ENTAuxEnsClassesMatieresDate",
  "ENTAuxEnsGroupesMatieresDate", "ENTAuxEnsClassesPrincipalDate", "ENTEnsSpecialites"]);

const KINDS = { EtabEducNat: "school", Eleve: "pupil", PersRelEleve: "relative", PersEducNat: "staff" } as const;

export function normaliseRecord(record: AafRawRecord, onWarning: (w: AafWarning) => void): AafChange | null {
  if (record.category === "MatiereEducNat" || record.category === "MefEducNat") return null;
  const kind = KINDS[record.category];
  const source = record.source;
  if (record.operation === "delete") return { operation: "delete", kind, jointure: record.id, source };
  const known = KNOWN[record.category];
  for (const name of record.attributes.keys()) {
    if (known.has(name)) continue;
    if (DEPRECATED.has(name)) continue;
    onWarning({ source, code: "unknown_attribute", detail: `Attribut inconnu ignoré : ${name}` });
  }
  const a = new Reader(record);
  const entity = build(record, a);
  return record.operation === "add"
    ? { operation: "add", entity, source }
    : { operation: "modify", entity, fields: a.fields(record.category), source };
}

/** Reads attributes and remembers which entity fields were delivered (for a modify's replace semantics). */
class Reader {
  constructor(private readonly record: AafRawRecord) {}
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
  date(name: string): string | null {
    const v = this.one(name);
    if (v === null) return null;
    const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v);
    const iso = m ? `${m[3]}-${m[2]}-${m[1]}` : "";
    const d = new Date(`${iso}T00:00:00Z`);
    if (!m || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      throw new AafParseError(`Date invalide « ${v} » dans ${name} (attendu jj/mm/aaaa).`, this.record.source);
    }
    return iso;
  }
  fields(category: AafRawRecord["category"]): string[] {
    const map: Record<string, string[]> = category === "EtabEducNat"
      ? { ENTStructureUAI: ["uai"], ENTStructureNomCourant: ["name"], ENTStructureVille: ["city"], l: ["city"],
          ENTEcoleCirconscription: ["circonscription"], ENTEcoleCommune: ["commune"], ENTEcoleRPI: ["rpi"] }
      : { ENTPersonNom: ["lastName"], sn: ["lastName"], ENTPersonPrenom: ["firstName"], givenName: ["firstName"],
          ENTPersonDateNaissance: ["birthDate"], ENTPersonMail: ["email"], mail: ["email"], ENTPersonStructRattach: ["structures"],
          ENTPersonClasses: ["classes"], ENTEleveClasses: ["classes"], ENTAuxEnsClasses: ["classes"],
          ENTEleveAutoriteParentale: ["parents"], ENTElevePersRelEleve: ["parents"], ENTPersRelEleveEleve: ["children"],
          ENTAuxPersRelEleveEleve: ["children"], ENTPersonFonctions: ["functions", "directs", "teacher"], ENTEnsFonctionDir: ["directs"],
          ENTPersonCategorieEnseignant: ["teacher"], PersEducNatPresenceDevantEleves: ["teacher"], ENTEleveNiveau: ["level"] };
    return [...new Set([...this.record.attributes.keys()].flatMap((n) => map[n] ?? []))];
  }
}

function codeAndLabel(value: string | null): { code: string; name: string } | null {
  if (!value) return null;
  const [code, ...rest] = value.split("$");
  const name = rest.filter(Boolean).join(" ");
  return { code: code!, name: name || code! };
}

function yes(value: string | null): boolean | null {
  if (value === null) return null;
  return /^(O|Y|OUI|1|TRUE)$/i.test(value);
}

function classesOf(values: string[]): AafClassRef[] {
  return values.map((v) => {
    const parts = v.split("$");
    // 1D ENTPersonClasses: structure $ … $ … $ class id $ label; 2D: structure $ class code.
    if (parts.length >= 5) return { structureJointure: parts[0]!, code: parts[3]!, label: parts[4] || parts[3]! };
    return { structureJointure: parts[0]!, code: parts[1] ?? "", label: parts[1] ?? "" };
  }).filter((c) => c.structureJointure && c.code);
}

function build(record: AafRawRecord, a: Reader): AafEntity {
  const lastName = a.one("ENTPersonNom", "sn") ?? "";
  const firstName = a.one("ENTPersonPrenom", "givenName") ?? "";
  switch (record.category) {
    case "EtabEducNat": {
      const parts = (a.one("ENTStructureNomCourant") ?? "").split("$").map((p) => p.trim()).filter(Boolean);
      return { kind: "school", value: {
        jointure: a.one("ENTStructureJointure") ?? record.id,
        uai: (a.one("ENTStructureUAI", "ENTEtablissementUAI") ?? "").toUpperCase(),
        name: parts.length >= 2 ? parts[1]! : (parts[0] ?? ""),
        city: a.one("ENTStructureVille", "l") ?? (parts.length >= 3 ? parts[parts.length - 1]! : null),
        type: a.one("ENTStructureTypeStruct"),
        circonscription: codeAndLabel(a.one("ENTEcoleCirconscription")),
        commune: codeAndLabel(a.one("ENTEcoleCommune")),
        rpi: codeAndLabel(a.one("ENTEcoleRPI")),
      } };
    }
    case "Eleve": {
      const parents: AafParentLink[] = a.has("ENTElevePersRelEleve")
        ? a.all("ENTElevePersRelEleve").map((v) => {
            const p = v.split("$");
            return { jointure: p[0]!, relation: p[1] || null, legalGuardian: p[3] === "1" };
          })
        : a.all("ENTEleveAutoriteParentale").map((v) => {
            const p = v.split("$");
            return { jointure: p[0]!, relation: p[1] || null, legalGuardian: true };
          });
      return { kind: "pupil", value: {
        jointure: a.one("ENTPersonJointure") ?? record.id, firstName, lastName, birthDate: a.date("ENTPersonDateNaissance"),
        email: a.one("ENTPersonMail", "mail"), structures: a.all("ENTPersonStructRattach"),
        classes: classesOf([...a.all("ENTPersonClasses"), ...a.all("ENTEleveClasses")]),
        // A pupil listed as their own responsible person (seen in test extracts) is no parent link.
        parents: parents.filter((p) => p.jointure && p.jointure !== (a.one("ENTPersonJointure") ?? record.id)),
        level: a.one("ENTEleveNiveau"),
      } };
    }
    case "PersRelEleve":
      return { kind: "relative", value: {
        jointure: a.one("ENTPersonJointure") ?? record.id, firstName, lastName, birthDate: a.date("ENTPersonDateNaissance"),
        email: a.one("ENTPersonMail", "mail"),
        children: [...a.all("ENTPersRelEleveEleve"), ...a.all("ENTAuxPersRelEleveEleve")].map((v) => v.split("$")[0]!).filter(Boolean),
      } };
    case "PersEducNat": {
      const functions = a.all("ENTPersonFonctions").map((v) => {
        const p = v.split("$");
        return { structureJointure: p[0]!, code: p[1] ?? "", label: p[2] ?? "" };
      }).filter((f) => f.structureJointure && f.code);
      const structures = a.all("ENTPersonStructRattach");
      const dir = a.all("ENTEnsFonctionDir");
      const directs = new Set(functions.filter((f) => f.code === "DIR").map((f) => f.structureJointure));
      for (const v of dir) {
        if (yes(v)) structures.forEach((s) => directs.add(s));
        else if (!/^(N|NON|0|FALSE)$/i.test(v)) directs.add(v.split("$")[0]!);
      }
      // SDET profile rules: the teacher category when given, else "in front of pupils", else an ENS/DOC function.
      const category = yes(a.one("ENTPersonCategorieEnseignant"));
      const presence = yes(a.one("PersEducNatPresenceDevantEleves"));
      const teacher = category ?? presence ?? functions.some((f) => f.code === "ENS" || f.code === "DOC");
      return { kind: "staff", value: {
        jointure: a.one("ENTPersonJointure") ?? record.id, firstName, lastName, birthDate: a.date("ENTPersonDateNaissance"),
        email: a.one("ENTPersonMail", "mail")?.toLowerCase() ?? null, structures, functions, directs: [...directs], teacher,
        classes: classesOf(a.all("ENTAuxEnsClasses")),
      } };
    }
    default:
      throw new AafParseError(`Catégorie non prise en charge : ${record.category}`, record.source);
  }
}
