// 4.4: reading the AAF format — both flavours, encodings, entities, safety — and the archives it comes in.
import { describe, expect, it } from "vitest";
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import yazl from "yazl";
import { AafParseError, parseAafStream } from "../../src/aaf/parser";
import { normaliseRecord } from "../../src/aaf/normalise";
import { AafArchiveError, deliveryInfo, openAafDelivery } from "../../src/node/aaf-archive";
import { synthesiseAcademy } from "../../src/node/aaf-synth";
import type { AafChange, AafRawRecord, AafWarning } from "../../src/aaf/model";
import { attr, file, record } from "../helpers/aaf";

async function* bytes(text: string | Uint8Array, chunk = 7): AsyncGenerator<Uint8Array> {
  const data = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
}

async function parse(text: string | Uint8Array, chunk?: number) {
  const warnings: AafWarning[] = [];
  const records: AafRawRecord[] = [];
  for await (const r of parseAafStream(bytes(text, chunk), "test.xml", (w) => warnings.push(w))) records.push(r);
  return { records, warnings };
}

function normaliseAll(records: AafRawRecord[]) {
  const warnings: AafWarning[] = [];
  const changes = records
    .map((r) => normaliseRecord(r, (w) => warnings.push(w)))
    .filter((c): c is AafChange => c !== null);
  return { changes, warnings };
}

async function failure(text: string): Promise<AafParseError> {
  try {
    await parse(text);
  } catch (err) {
    if (err instanceof AafParseError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

const SAMPLES = join(import.meta.dirname, "../fixtures/aaf2d");

describe("4.4 AAF parser", () => {
  it("reads the real 2D samples as they are: no error, no unknown attribute", async () => {
    for (const name of ["ENT_Complet_20200101_EtabEducNat_0000.xml", "ENT_Complet_20200101_Eleve_0000.xml"]) {
      const { records } = await parse(await readFile(join(SAMPLES, name)), 64);
      expect(records).toHaveLength(1);
      const { changes, warnings } = normaliseAll(records);
      expect(warnings).toEqual([]);
      expect(changes).toHaveLength(1);
    }
    const { records } = await parse(await readFile(join(SAMPLES, "ENT_Complet_20200101_EtabEducNat_0000.xml")));
    expect(records[0]!.attributes.get("ENTEtablissementMinistereTutelle")).toEqual([
      "MINISTERE DE L'EDUCATION NATIONALE",
    ]);
    const school = normaliseAll(records).changes[0]!;
    expect(school).toMatchObject({
      operation: "add",
      entity: { kind: "school", value: { jointure: "1", uai: "0000000V", city: "DOUAI", type: "ECOLE" } },
    });
  });

  it(
    "maps the 2D pupil sample: names, ISO birth date, " + "class struct$code, only legal guardians (never oneself)",
    async () => {
      const { records } = await parse(await readFile(join(SAMPLES, "ENT_Complet_20200101_Eleve_0000.xml")));
      const pupil = normaliseAll(records).changes[0]!;
      expect(pupil).toMatchObject({
        operation: "add",
        entity: {
          kind: "pupil",
          value: {
            jointure: "2000000",
            firstName: "Prenom",
            lastName: "NOM",
            birthDate: "2000-01-01",
            classes: [{ structureJointure: "3000", code: "1AQUA", label: "1AQUA" }],
            parents: [{ jointure: "3000000", relation: "20", legalGuardian: true }],
          },
        },
      });
    },
  );

  it(
    "reads 1D records: ENTPersonClasses in five parts, ENTEleveAutoriteParentale, O/N, CRLF, entities, modify and " +
      "delete",
    async () => {
      const text = file([
        record("add", "Eleve", "11", [
          attr("ENTPersonJointure", "11"),
          attr("ENTPersonNom", "D'Amico"),
          attr("ENTPersonPrenom", "Zoé"),
          attr("ENTPersonDateNaissance", "29/02/2016"),
          attr("ENTPersonStructRattach", "77"),
          attr("ENTPersonClasses", "77$x$y$CM2A$CM2 A"),
          attr("ENTEleveAutoriteParentale", "21$10", "22$20"),
          attr("ENTEleveNiveau", "CM2"),
          attr("ENTEleveRestaurantScolaire", "O"),
        ]),
        record("modify", "Eleve", "12", [attr("ENTPersonClasses", "77$x$y$CM1A$CM1 A")]),
        record("delete", "PersRelEleve", "23"),
        record("add", "PersEducNat", "31", [
          attr("ENTPersonJointure", "31"),
          attr("ENTPersonNom", "Martin"),
          attr("ENTPersonPrenom", "Luc"),
          attr("ENTPersonMail", "Luc.Martin@AC-TEST.fr"),
          attr("ENTPersonStructRattach", "77"),
          attr("ENTPersonFonctions", "77$DIR$DIRECTION$-$-"),
          attr("ENTPersonCategorieEnseignant", "N"),
          attr("ENTPersonProfils", "National_DIR"),
        ]),
      ]);
      const { records } = await parse(text, 5);
      const { changes, warnings } = normaliseAll(records);
      expect(changes[0]).toMatchObject({
        entity: {
          value: {
            lastName: "D'Amico",
            firstName: "Zoé",
            birthDate: "2016-02-29",
            classes: [{ structureJointure: "77", code: "CM2A", label: "CM2 A" }],
            parents: [{ jointure: "21", legalGuardian: true }, { jointure: "22" }],
            level: "CM2",
          },
        },
      });
      expect(changes[1]).toMatchObject({ operation: "modify", fields: ["classes"] });
      expect(changes[2]).toEqual({
        operation: "delete",
        kind: "relative",
        jointure: "23",
        source: expect.objectContaining({ file: "test.xml" }),
      });
      expect(changes[3]).toMatchObject({
        entity: { kind: "staff", value: { email: "luc.martin@ac-test.fr", directs: ["77"], teacher: false } },
      });
      // The format grows every year: an unknown attribute is a warning, never a failure.
      expect(warnings).toEqual([
        expect.objectContaining({ code: "unknown_attribute", detail: "Attribut inconnu ignoré : ENTPersonProfils" }),
      ]);
    },
  );

  it("decodes ISO-8859-15 bytes when a file is not UTF-8", async () => {
    const latin9 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-15"?><ficAlimMENESR>'),
      Buffer.from(
        record("add", "PersRelEleve", "5", [
          attr("ENTPersonJointure", "5"),
          attr("ENTPersonNom", "X"),
          attr("ENTPersonPrenom", "X"),
        ])
          .replace('"ENTPersonNom"><value>X', '"ENTPersonNom"><value>L\u00e9a \u20ac')
          .replace(/\u20ac/, "EUR"),
      ),
      Buffer.from("</ficAlimMENESR>"),
    ]);
    const encoded = Buffer.from(latin9.toString("utf8").replace("Léa", "L\u00e9a"), "latin1");
    const { records } = await parse(encoded);
    expect(records[0]!.attributes.get("ENTPersonNom")).toEqual(["Léa EUR"]);
  });

  it("gives an AAF record's line for problems, e.g. an impossible date", async () => {
    const text = file([
      record("add", "Eleve", "1", [
        attr("ENTPersonJointure", "1"),
        attr("ENTPersonNom", "A"),
        attr("ENTPersonPrenom", "B"),
        attr("ENTPersonDateNaissance", "31/02/2017"),
      ]),
    ]);
    const { records } = await parse(text);
    expect(() => normaliseAll(records)).toThrow(/Date invalide « 31\/02\/2017 »/);
  });

  const refused: [string, string, RegExp][] = [
    [
      "truncated",
      file([record("add", "Eleve", "1", [attr("ENTPersonJointure", "1")])]).slice(0, 200),
      /tronqué|illisible/,
    ],
    ["not XML", "Bonjour, voici le fichier.", /pas un fichier XML AAF/],
    ["empty", "", /aucun élément|illisible/],
    ["wrong root", '<?xml version="1.0"?><annuaire/>', /racine inattendu « annuaire »/],
    ["unknown category", file([record("add", "Martien", "1", [])]), /Catégorie inconnue « Martien »/],
    [
      "no identifier",
      "<ficAlimMENESR><addRequest><operationalAttributes><attr " +
        'name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><attributes/></addRequest></ficA' +
        "limMENESR>",
      /sans identifiant/,
    ],
    [
      "XXE",
      '<?xml version="1.0"?><!DOCTYPE ficAlimMENESR [<!ENTITY xxe SYSTEM ' +
        '"file:///etc/passwd">]><ficAlimMENESR>&xxe;</ficAlimMENESR>',
      /sécurité/,
    ],
    [
      "billion laughs",
      '<!DOCTYPE ficAlimMENESR [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><ficAlimMENESR>&b;</ficAlimMENESR>',
      /sécurité/,
    ],
    ["undeclared entity", "<ficAlimMENESR>&inconnue;</ficAlimMENESR>", /entité XML non déclarée \(&inconnue;\)/],
    [
      "1 MB value",
      file([record("add", "Eleve", "1", [attr("ENTPersonNom", "x".repeat(1024 * 1024))])]),
      /plus de 64 Kio/,
    ],
  ];
  for (const [name, text, message] of refused) {
    it(`refuses ${name} with a French reason and where it was found`, async () => {
      const err = await failure(text);
      expect(err.message).toMatch(message);
      expect(err.source.file).toBe("test.xml");
    });
  }

  it("streams: a large file parses in bounded memory", async () => {
    const one = record("add", "PersRelEleve", "1", [
      attr("ENTPersonJointure", "1"),
      attr("ENTPersonNom", "Dupont"),
      attr("ENTPersonPrenom", "Marie"),
    ]);
    // The 200 MB case is in aaf-parser.test.ts; here, the normalised record stream of a mid-size file.
    const count = 120_000;
    async function* big(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("<ficAlimMENESR>");
      const block = new TextEncoder().encode(one.repeat(1000));
      for (let i = 0; i < count / 1000; i++) yield block;
      yield new TextEncoder().encode("</ficAlimMENESR>");
    }
    // What the parser keeps, not garbage the collector has not reached yet (that depends on the machine's load):
    // the heap is measured right after a full collection.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let seen = 0;
    let peak = 0;
    for await (const _ of parseAafStream(big(), "big.xml")) {
      seen += 1;
      if (seen % 10_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(seen).toBe(count);
    // ~40 MB of XML went through; a parser that kept its records would hold far more than this.
    expect(peak).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});

async function zipOf(entries: { name: string; data: Buffer; compress?: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: e.compress ?? true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function names(path: string) {
  const out: string[] = [];
  for await (const f of openAafDelivery(path)) {
    out.push(f.name);
    for await (const _ of f.open()) {
      /* drain */
    }
  }
  return out;
}

describe("4.4 AAF deliveries and archives", () => {
  const xml = (category: string) => Buffer.from(file([record("add", category, "1", [attr("ENTPersonJointure", "1")])]));

  it("orders files by category then number, and tells complete from delta", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aaf-"));
    const zip = join(dir, "ENT1D_Delta_20260915.zip");
    await writeFile(
      zip,
      await zipOf([
        { name: "ENT1D_Delta_20260915_PersEducNat_0000.xml", data: xml("PersEducNat") },
        { name: "ENT1D_Delta_20260915_Eleve_0001.xml", data: xml("Eleve") },
        { name: "LISEZMOI.txt", data: Buffer.from("notes") },
        { name: "ENT1D_Delta_20260915_Eleve_0000.xml", data: xml("Eleve") },
        { name: "ENT1D_Delta_20260915_EtabEducNat_0000.xml", data: xml("EtabEducNat") },
      ]),
    );
    expect(await names(zip)).toEqual([
      "ENT1D_Delta_20260915_EtabEducNat_0000.xml",
      "ENT1D_Delta_20260915_Eleve_0000.xml",
      "ENT1D_Delta_20260915_Eleve_0001.xml",
      "ENT1D_Delta_20260915_PersEducNat_0000.xml",
    ]);
    expect(deliveryInfo(["ENT1D_Delta_20260915.zip"])).toEqual({ mode: "delta", date: "20260915" });
    expect(deliveryInfo(["ENT_Complet_20200101_Eleve_0000.xml"])).toEqual({ mode: "complete", date: "20200101" });
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a zip whose names climb out of the archive", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aaf-"));
    const good = await zipOf([{ name: "zz/ENT1D_Complet_20260901_Eleve_0000.xml", data: xml("Eleve") }]);
    // yazl will not write "../"; the same bytes with the name patched are what an attacker would send.
    const evil = Buffer.from(good.toString("latin1").replaceAll("zz/ENT1D", "../ENT1D"), "latin1");
    const path = join(dir, "evil.zip");
    await writeFile(path, evil);
    await expect(names(path)).rejects.toThrow(/sort de l'archive|refusée/);
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a zip bomb before inflating it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aaf-"));
    const path = join(dir, "bomb.zip");
    await writeFile(
      path,
      await zipOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(60 * 1024 * 1024, 32) }]),
    );
    await expect(names(path)).rejects.toThrow(AafArchiveError);
    await expect(names(path)).rejects.toThrow(/bombe de décompression/);
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses a tar.gz bomb while inflating it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aaf-"));
    const big = join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml");
    await writeFile(big, Buffer.alloc(60 * 1024 * 1024, 32));
    const { execFileSync } = await import("node:child_process");
    const path = join(dir, "bomb.tar.gz");
    execFileSync("tar", ["-czf", path, "-C", dir, "ENT1D_Complet_20260901_Eleve_0000.xml"]);
    await expect(names(path)).rejects.toThrow(/bombe de décompression/);
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses an archive without AAF files, and an unknown format", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aaf-"));
    const path = join(dir, "vide.zip");
    await writeFile(path, await zipOf([{ name: "photo.jpg", data: Buffer.from("x") }]));
    await expect(names(path)).rejects.toThrow(/aucun fichier AAF/);
    await writeFile(join(dir, "notes.docx"), "x");
    await expect(names(join(dir, "notes.docx"))).rejects.toThrow(/Format de livraison non reconnu/);
    await rm(dir, { recursive: true, force: true });
  });
});

describe("4.4 académie generator", () => {
  it("writes a complete 1D set and a delta that parse and normalise with no warning, deterministically", async () => {
    const dir = await mkdtemp(join(tmpdir(), "synth-"));
    const summary = await synthesiseAcademy({
      outDir: dir,
      schools: 12,
      seed: 7,
      deltaShare: 0.05,
      maxRecordsPerFile: 400,
    });
    expect(summary.accounts).toBe(summary.pupils + summary.relatives + summary.staff);
    expect(summary.files.filter((f) => f.includes("_Eleve_")).length).toBeGreaterThan(1);
    let counted = 0;
    const warnings: AafWarning[] = [];
    for (const set of ["complet", "delta"]) {
      for await (const f of openAafDelivery(join(dir, set))) {
        for await (const r of parseAafStream(f.open(), f.name)) {
          if (set === "complet" && r.category !== "EtabEducNat") counted += 1;
          normaliseRecord(r, (w) => warnings.push(w));
        }
      }
    }
    await expect(names(dir)).rejects.toThrow(/plusieurs livraisons/);
    expect(counted).toBe(summary.accounts);
    expect(warnings).toEqual([]);
    expect(summary.delta!.modified + summary.delta!.deleted + summary.delta!.added).toBeGreaterThan(0);
    const again = await mkdtemp(join(tmpdir(), "synth-"));
    await synthesiseAcademy({ outDir: again, schools: 12, seed: 7, deltaShare: 0.05, maxRecordsPerFile: 400 });
    expect(await readFile(join(again, "complet", summary.files[1]!), "utf8")).toBe(
      await readFile(join(dir, "complet", summary.files[1]!), "utf8"),
    );
    const text = await readFile(join(dir, "complet", summary.files[0]!), "latin1");
    expect(text.startsWith('<?xml version="1.0" encoding="ISO-8859-15"?>\r\n')).toBe(true);
    await rm(dir, { recursive: true, force: true });
    await rm(again, { recursive: true, force: true });
  });
});
