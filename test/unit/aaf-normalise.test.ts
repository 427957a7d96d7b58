// 4.4 — from raw AAF records (1D and 2D flavours) to Préau's entities: names, dates, O/N, `$`-joined values, parents,
// classes, functions, direction, teacher or other staff, modify fields; unknown attributes are warnings, never
// failures.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AafParseError, parseAafStream } from "../../src/aaf/parser";
import { AAF_ATTRIBUTES, normaliseRecord } from "../../src/aaf/normalise";
import type {
  AafCategory,
  AafChange,
  AafEntity,
  AafPupil,
  AafRawRecord,
  AafRelative,
  AafSchool,
  AafStaff,
  AafWarning,
} from "../../src/aaf/model";

const SAMPLES = join(import.meta.dirname, "../fixtures/aaf2d");
const FIXTURES = join(import.meta.dirname, "../fixtures/aaf1d");

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

async function readSet(dir: string) {
  const changes: AafChange[] = [];
  const warnings: AafWarning[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith(".xml")).sort()) {
    for await (const r of parseAafStream(once(await readFile(join(dir, name))), name, (w) => warnings.push(w))) {
      const c = normaliseRecord(r, (w) => warnings.push(w));
      if (c) changes.push(c);
    }
  }
  return { changes, warnings };
}

const source = { file: "t.xml", line: 3 };
function raw(
  category: AafCategory,
  attributes: Record<string, string[]>,
  operation: AafRawRecord["operation"] = "add",
  id = "J1",
): AafRawRecord {
  return { category, operation, id, attributes: new Map(Object.entries(attributes)), source };
}
function norm(record: AafRawRecord) {
  const warnings: AafWarning[] = [];
  const change = normaliseRecord(record, (w) => warnings.push(w));
  return { change, warnings };
}
interface Values {
  school: AafSchool;
  pupil: AafPupil;
  relative: AafRelative;
  staff: AafStaff;
}
function entity<K extends AafEntity["kind"]>(change: AafChange | null, kind: K): Values[K] {
  if (!change || change.operation === "delete" || change.entity.kind !== kind) throw new Error(`expected a ${kind}`);
  return change.entity.value as Values[K];
}
const byJointure = (changes: AafChange[], jointure: string) =>
  changes.find((c) => c.operation !== "delete" && c.entity.value.jointure === jointure)!;

describe("4.4 normaliser — the real 2D samples, as they are", () => {
  it("EtabEducNat: school from UAI, name from ENTStructureNomCourant, city from l, no warning", async () => {
    const { changes, warnings } = await readSet(SAMPLES);
    expect(warnings).toEqual([]);
    const school = entity(changes.find((c) => c.operation === "add" && c.entity.kind === "school")!, "school");
    expect(school).toEqual({
      jointure: "1",
      uai: "0000000V",
      name: "STRUCTURE",
      city: "DOUAI",
      type: "ECOLE",
      circonscription: null,
      commune: null,
      rpi: null,
    });
  });

  it(
    "Eleve: sn/givenName, ISO birth date, ENTEleveClasses " +
      "struct$code, legal guardians only flagged, never oneself",
    async () => {
      const { changes } = await readSet(SAMPLES);
      const pupil = entity(changes.find((c) => c.operation === "add" && c.entity.kind === "pupil")!, "pupil");
      expect(pupil).toEqual({
        jointure: "2000000",
        firstName: "Prenom",
        lastName: "NOM",
        birthDate: "2000-01-01",
        email: null,
        structures: ["1000"],
        classes: [{ structureJointure: "3000", code: "1AQUA", label: "1AQUA" }],
        parents: [{ jointure: "3000000", relation: "20", legalGuardian: true }],
        level: null,
      });
    },
  );
});

describe("4.4 normaliser — the hand-made 1D complete set", () => {
  it("reads every record; the one unknown attribute is a warning with its source, never a failure", async () => {
    const { changes, warnings } = await readSet(join(FIXTURES, "complet"));
    expect(changes).toHaveLength(21);
    expect(changes.every((c) => c.operation === "add")).toBe(true);
    expect(warnings).toEqual([
      {
        code: "unknown_attribute",
        detail: "Attribut inconnu ignoré : ENTEleveNouveauDispositif2027",
        source: { file: "ENT1D_Complet_20260901_Eleve_0000.xml", line: 62 },
      },
    ]);
  });

  it("schools: circonscription, commune and RPI as code$label, or the plain value as both", async () => {
    const { changes } = await readSet(join(FIXTURES, "complet"));
    expect(entity(byJointure(changes, "6001"), "school")).toEqual({
      jointure: "6001",
      uai: "0771234Y",
      name: "ECOLE PRIMAIRE L'ORÉE DU BOIS",
      city: "SAINT-MAMMÈS",
      type: "ECOLE PRIMAIRE",
      circonscription: { code: "0772155Z", name: "CIRCONSCRIPTION DE MORET-SUR-LOING" },
      commune: { code: "77419", name: "SAINT-MAMMÈS" },
      rpi: { code: "RPI077014", name: "RPI DU CONFLUENT" },
    });
    expect(entity(byJointure(changes, "6002"), "school")).toMatchObject({
      name: "JULES FERRY",
      city: "MORET-LOING-ET-ORVANNE",
      circonscription: null,
      commune: { code: "77316", name: "77316" },
      rpi: null,
    });
  });

  it(
    "pupils: ENTPersonNom/Prénom, ENTPersonClasses in " + "five parts, ENTEleveAutoriteParentale, ENTEleveNiveau",
    async () => {
      const { changes } = await readSet(join(FIXTURES, "complet"));
      expect(entity(byJointure(changes, "7000001"), "pupil")).toEqual({
        jointure: "7000001",
        firstName: "Zoé",
        lastName: "D'Amico",
        birthDate: "2019-03-14",
        email: null,
        structures: ["6001"],
        classes: [{ structureJointure: "6001", code: "8000001", label: "CP-CE1" }],
        parents: [
          { jointure: "7100001", relation: "10", legalGuardian: true },
          { jointure: "7100002", relation: "20", legalGuardian: true },
        ],
        level: "CE1",
      });
      expect(entity(byJointure(changes, "7000006"), "pupil")).toMatchObject({
        birthDate: "2020-02-29",
        lastName: "Öztürk",
        level: "CP",
      });
      expect(entity(byJointure(changes, "7000005"), "pupil").parents).toEqual([
        { jointure: "7100006", relation: "50", legalGuardian: true },
      ]);
    },
  );

  it("parents: their children, their e-mail (lower case), none when <value/>", async () => {
    const { changes } = await readSet(join(FIXTURES, "complet"));
    expect(entity(byJointure(changes, "7100001"), "relative")).toEqual({
      jointure: "7100001",
      firstName: "Sandrine",
      lastName: "D'Amico",
      birthDate: null,
      email: "sandrine.damico@example.org",
      children: ["7000001", "7000002"],
    });
    expect(entity(byJointure(changes, "7100002"), "relative").email).toBeNull();
  });

  it(
    "staff: director by ENTEnsFonctionDir and DIR, teachers " + "by ENTPersonCategorieEnseignant, academic e-mail",
    async () => {
      const { changes } = await readSet(join(FIXTURES, "complet"));
      expect(entity(byJointure(changes, "7200001"), "staff")).toEqual({
        jointure: "7200001",
        firstName: "Sophie",
        lastName: "Bernard",
        birthDate: "1980-05-12",
        email: "sophie.bernard@ac-creteil.fr",
        structures: ["6001"],
        functions: [
          { structureJointure: "6001", code: "DIR", label: "DIRECTION" },
          { structureJointure: "6001", code: "ENS", label: "ENSEIGNEMENT" },
        ],
        directs: ["6001"],
        teacher: true,
        classes: [],
      });
      expect(entity(byJointure(changes, "7200002"), "staff")).toMatchObject({ directs: [], teacher: true });
      expect(entity(byJointure(changes, "7200003"), "staff")).toMatchObject({ directs: ["6002"], teacher: true });
      expect(entity(byJointure(changes, "7200004"), "staff")).toMatchObject({
        structures: ["6001", "6002"],
        directs: [],
        teacher: true,
      });
      expect(entity(byJointure(changes, "7200005"), "staff")).toMatchObject({
        teacher: false,
        functions: [{ code: "PSY", label: "PSYCHOLOGUE" }],
      });
    },
  );
});

describe("4.4 normaliser — the 1D delta: modify lists the fields delivered, delete only the jointure", () => {
  it("reads moves, name changes, newcomers, leavers, e-mail changes and removals", async () => {
    const { changes, warnings } = await readSet(join(FIXTURES, "delta"));
    expect(warnings).toEqual([]);
    const summary = changes.map((c) =>
      c.operation === "delete"
        ? ["delete", c.kind, c.jointure]
        : c.operation === "modify"
          ? ["modify", c.entity.kind, c.entity.value.jointure, c.fields]
          : ["add", c.entity.kind, c.entity.value.jointure],
    );
    expect(summary).toEqual([
      ["modify", "pupil", "7000006", ["classes", "level"]],
      ["modify", "pupil", "7000005", ["lastName"]],
      ["add", "pupil", "7000007"],
      ["delete", "pupil", "7000004"],
      ["modify", "staff", "7200004", ["structures", "functions", "directs"]],
      ["add", "staff", "7200006"],
      ["delete", "staff", "7200005"],
      ["add", "relative", "7100009"],
      ["modify", "relative", "7100003", ["email"]],
      ["modify", "relative", "7100006", ["email"]],
      ["delete", "relative", "7100004"],
      ["delete", "relative", "7100005"],
    ]);
    const moved = changes[0]!;
    expect(entity(moved, "pupil")).toMatchObject({
      classes: [{ structureJointure: "6001", code: "8000002", label: "CE2-CM1-CM2" }],
      level: "CE2",
    });
    expect(entity(changes[1]!, "pupil").lastName).toBe("Lefèvre");
    expect(entity(changes[9]!, "relative").email).toBeNull();
    expect(changes[3]).toEqual({
      operation: "delete",
      kind: "pupil",
      jointure: "7000004",
      source: { file: "ENT1D_Delta_20260915_Eleve_0000.xml", line: 37 },
    });
  });
});

describe("4.4 normaliser — attribute sets of both flavours (entcore.md §2.4)", () => {
  const categories = ["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat"] as const;

  it("accepts every 1D and 2D attribute of each category without a warning", () => {
    for (const category of categories) {
      for (const flavour of ["1D", "2D"] as const) {
        const names = [...AAF_ATTRIBUTES[flavour][category]];
        const { warnings } = norm(raw(category, Object.fromEntries(names.map((n) => [n, [""]]))));
        expect({ category, flavour, warnings }).toEqual({ category, flavour, warnings: [] });
      }
    }
    expect(AAF_ATTRIBUTES["1D"].Eleve.size).toBe(26);
    expect(AAF_ATTRIBUTES["2D"].Eleve.size).toBe(36);
    expect(AAF_ATTRIBUTES["1D"].PersEducNat.has("ENTEnsFonctionDir")).toBe(true);
    expect(AAF_ATTRIBUTES["2D"].EtabEducNat.has("l")).toBe(true);
  });

  it("accepts the deprecated attributes: silently, or with one warning when they are all a pupil's parents", () => {
    const { warnings } = norm(
      raw("PersEducNat", {
        ENTAuxEnsDisciplinesPoste: ["CHEF D'ETABLISSEMENT ADJOINT$00"],
        ENTPersonSTSId: ["1"],
        ENTAuxEnsMEFDate: ["x"],
        ENTEnsSpecialites: ["x"],
      }),
    );
    expect(warnings).toEqual([]);
    const parents = norm(
      raw("Eleve", { ENTElevePere: ["1"], ENTEleveMere: ["2"], ENTEleveEnseignementsEtablissementsAccueil: ["x"] }),
    );
    expect(parents.warnings).toEqual([
      {
        source,
        code: "deprecated_attribute",
        detail:
          "Attributs obsolètes ignorés : ENTElevePere, ENTEleveMere (sans ENTElevePersRelEleve, les responsables de " +
          "l'élève ne sont pas rattachés).",
      },
    ]);
    // Old files (AAF-VE1301) carry them beside ENTElevePersRelEleve on every pupil: no warning then.
    expect(norm(raw("Eleve", { ENTElevePere: ["1"], ENTElevePersRelEleve: ["1$20$1$1$1$1"] })).warnings).toEqual([]);
  });

  it("warns once per unknown attribute, keeps the rest of the record", () => {
    const { change, warnings } = norm(
      raw("PersRelEleve", { ENTPersonNom: ["Roy"], ENTPersonProfils: ["National_TUT"], ENTPersonAdresse: ["x"] }),
    );
    expect(warnings).toEqual([
      { source, code: "unknown_attribute", detail: "Attribut inconnu ignoré : ENTPersonProfils" },
    ]);
    expect(entity(change, "relative").lastName).toBe("Roy");
    // An attribute of another category is unknown here.
    expect(norm(raw("PersEducNat", { ENTEleveNiveau: ["CP"] })).warnings[0]).toMatchObject({
      code: "unknown_attribute",
    });
  });

  it("leaves Matière and MEF records aside, without a word", () => {
    expect(norm(raw("MatiereEducNat", { ENTMatJointure: ["1"], ENTLibelleMatiere: ["MATHS"] }))).toEqual({
      change: null,
      warnings: [],
    });
    expect(norm(raw("MefEducNat", { ENTMefJointure: ["1"], Inconnu: ["x"] }))).toEqual({ change: null, warnings: [] });
  });
});

describe("4.4 normaliser — values", () => {
  it("dates dd/MM/yyyy become ISO; an impossible date refuses the set with its source", () => {
    expect(entity(norm(raw("Eleve", { ENTPersonDateNaissance: ["29/02/2016"] })).change, "pupil").birthDate).toBe(
      "2016-02-29",
    );
    for (const bad of [
      "31/02/2017",
      "29/02/2019",
      "2017-02-01",
      "1/2/2017",
      "00/01/2017",
      "12/13/2017",
      "01/01/1700",
    ]) {
      let err: unknown;
      try {
        norm(raw("Eleve", { ENTPersonDateNaissance: [bad] }));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AafParseError);
      expect((err as AafParseError).message).toBe(
        `Date invalide « ${bad} » dans ENTPersonDateNaissance de l'enregistrement J1 (attendu jj/mm/aaaa).`,
      );
      expect((err as AafParseError).source).toEqual(source);
    }
    expect(entity(norm(raw("Eleve", { ENTPersonDateNaissance: [""] })).change, "pupil").birthDate).toBeNull();
  });

  it(
    "teacher or other staff, by the rules of §2.5: category " + "first, then presence in front of pupils, then ENS/DOC",
    () => {
      const teacher = (a: Record<string, string[]>) => entity(norm(raw("PersEducNat", a)).change, "staff").teacher;
      expect(teacher({ ENTPersonCategorieEnseignant: ["N"], ENTPersonFonctions: ["1$ENS$ENSEIGNEMENT$-$-"] })).toBe(
        false,
      );
      expect(teacher({ ENTPersonCategorieEnseignant: ["O"] })).toBe(true);
      expect(teacher({ ENTPersonCategorieEnseignant: ["Y"] })).toBe(true);
      expect(teacher({ PersEducNatPresenceDevantEleves: ["O"] })).toBe(true);
      expect(teacher({ PersEducNatPresenceDevantEleves: ["N"], ENTPersonFonctions: ["1$DOC$DOCUMENTATION$-$-"] })).toBe(
        true,
      );
      expect(teacher({ ENTPersonFonctions: ["1$ENS$ENSEIGNEMENT$L1700$EDUCATION MUSICALE"] })).toBe(true);
      expect(teacher({ ENTPersonFonctions: ["1$ADF$ADMINISTRATION$-$-"] })).toBe(false);
      expect(teacher({})).toBe(false);
      const odd = norm(
        raw("PersEducNat", { ENTPersonCategorieEnseignant: ["peut-être"], ENTPersonFonctions: ["1$ENS$E$-$-"] }),
      );
      expect(entity(odd.change, "staff").teacher).toBe(true);
      expect(odd.warnings).toEqual([
        {
          source,
          code: "ignored_value",
          detail: "Valeur « peut-être » de ENTPersonCategorieEnseignant ni O ni N : ignorée.",
        },
      ]);
    },
  );

  it("direction: ENTEnsFonctionDir jointures (or O/N), a DIR function, or a direction label", () => {
    const directs = (a: Record<string, string[]>) => entity(norm(raw("PersEducNat", a)).change, "staff").directs;
    expect(directs({ ENTEnsFonctionDir: ["52008"] })).toEqual(["52008"]);
    expect(directs({ ENTEnsFonctionDir: ["O"], ENTPersonStructRattach: ["1", "2"] })).toEqual(["1", "2"]);
    expect(directs({ ENTEnsFonctionDir: ["N"], ENTPersonStructRattach: ["1"] })).toEqual([]);
    expect(
      directs({
        ENTPersonFonctions: ["43$DIR$DIRECTION$D0011$CHEF D'ETABLISSEMENT ADJOINT", "43$AEH$ACCOMPAGNEMENT$D0021$X"],
      }),
    ).toEqual(["43"]);
    expect(directs({ ENTPersonFonctions: ["44$ENS$ENSEIGNEMENT$-$DIRECTION"] })).toEqual(["44"]);
    expect(directs({ ENTPersonFonctions: ["45$ENS$ENSEIGNEMENT$-$-"] })).toEqual([]);
    // "-" means none: no function.
    expect(entity(norm(raw("PersEducNat", { ENTPersonFonctions: ["45$-$-$-$-"] })).change, "staff").functions).toEqual(
      [],
    );
  });

  it("2D parents: ENTElevePersRelEleve in six parts, legal guardian when the fourth is 1; duplicates merged", () => {
    const pupil = entity(
      norm(
        raw("Eleve", {
          ENTPersonJointure: ["J1"],
          ENTElevePersRelEleve: ["P1$10$1$1$1$1", "P2$20$0$0$1$0", "J1$10$1$1$1$1", "P1$10$1$1$1$1", "P3$50$0$2$0$0"],
          ENTEleveAutoriteParentale: ["IGNORED$10"],
        }),
      ).change,
      "pupil",
    );
    expect(pupil.parents).toEqual([
      { jointure: "P1", relation: "10", legalGuardian: true },
      { jointure: "P2", relation: "20", legalGuardian: false },
      { jointure: "P3", relation: "50", legalGuardian: false },
    ]);
  });

  it(
    "classes: 2D struct$code, 1D in five parts, a 1D value " + "of two parts read as 2D; malformed ones warned about",
    () => {
      const { change, warnings } = norm(
        raw("Eleve", {
          ENTPersonClasses: ["S1$a$b$C1$CM1 A", "S1$C2", "S1$a$b$C1$CM1 A", "sans-dollar"],
          ENTEleveClasses: ["S2$4E1"],
        }),
      );
      expect(entity(change, "pupil").classes).toEqual([
        { structureJointure: "S1", code: "C1", label: "CM1 A" },
        { structureJointure: "S1", code: "C2", label: "C2" },
        { structureJointure: "S2", code: "4E1", label: "4E1" },
      ]);
      expect(warnings).toEqual([
        {
          source,
          code: "ignored_value",
          detail: "Valeur « sans-dollar » de ENTPersonClasses ignorée (format attendu structure$…$…$classe$libellé).",
        },
      ]);
      const staff = entity(
        norm(
          raw("PersEducNat", {
            ENTAuxEnsClasses: ["S$3A"],
            ENTAuxEnsClassesMatieres: ["S$3A$081300", "S$3B$081300"],
            ENTAuxEnsClassesPrincipal: ["S$3B"],
          }),
        ).change,
        "staff",
      );
      expect(staff.classes.map((c) => c.code)).toEqual(["3A", "3B"]);
    },
  );

  it("school names: TYPE$NAME$CITY keeps the name, plain names stay as they are", () => {
    const name = (v: string, extra: Record<string, string[]> = {}) =>
      entity(norm(raw("EtabEducNat", { ENTStructureNomCourant: [v], ...extra })).change, "school");
    expect(name("CLG$CLG INTEGRATION$PARIS")).toMatchObject({ name: "CLG INTEGRATION", city: "PARIS" });
    expect(name("Z.REMP-DIGNE-AIX_MARS.")).toMatchObject({ name: "Z.REMP-DIGNE-AIX_MARS.", city: null });
    expect(name("ECOLE$LES TILLEULS")).toMatchObject({ name: "LES TILLEULS" });
    expect(name("E.E.PU$JULES$FERRY$MELUN", { l: ["MELUN-CENTRE"] })).toMatchObject({
      name: "JULES FERRY",
      city: "MELUN-CENTRE",
    });
    expect(name("ECOLE$$MELUN")).toMatchObject({ name: "ECOLE - MELUN" });
    expect(entity(norm(raw("EtabEducNat", { ENTStructureUAI: ["0771234y"] })).change, "school").uai).toBe("0771234Y");
  });

  it("the jointure is ENTPersonJointure as delivered, the identifier otherwise; a difference is warned about", () => {
    expect(entity(norm(raw("PersRelEleve", {})).change, "relative").jointure).toBe("J1");
    const { change, warnings } = norm(raw("PersRelEleve", { ENTPersonJointure: ["J2"] }));
    expect(entity(change, "relative").jointure).toBe("J2");
    expect(warnings[0]).toMatchObject({
      code: "ignored_value",
      detail: expect.stringMatching(/ENTPersonJointure « J2 » diffère de l'identifiant « J1 »/),
    });
  });

  it("modify: only the delivered fields are listed; delete: only the kind and jointure", () => {
    const m = norm(
      raw(
        "PersEducNat",
        { ENTPersonMail: ["X@AC.FR"], ENTPersonCategorieEnseignant: ["O"], ENTEnsFonctionDir: ["9"] },
        "modify",
      ),
    ).change;
    expect(m).toMatchObject({
      operation: "modify",
      fields: ["email", "teacher", "directs"],
      entity: { kind: "staff", value: { email: "x@ac.fr" } },
    });
    expect(norm(raw("EtabEducNat", { ENTEcoleRPI: [""], l: ["X"] }, "modify")).change).toMatchObject({
      fields: ["rpi", "city"],
      entity: { value: { rpi: null, city: "X" } },
    });
    expect(norm(raw("PersEducNat", { Whatever: ["x"] }, "delete", "Z9")).change).toEqual({
      operation: "delete",
      kind: "staff",
      jointure: "Z9",
      source,
    });
  });
});
