// 4.4 — reading ficAlimMENESR files: both flavours, encodings, entities, CRLF, modify/delete, line numbers, and
// every way a file must be refused (truncated, wrong root, not XML, XXE, billion laughs, 1 MB value…), in bounded
// memory whatever the size.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { AafParseError, MAX_VALUE, parseAafStream } from "../../src/aaf/parser";
import type { AafRawRecord, AafWarning } from "../../src/aaf/model";

const SAMPLES = join(import.meta.dirname, "../fixtures/aaf2d");
const FIXTURES = join(import.meta.dirname, "../fixtures/aaf1d");

async function* chunks(data: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function parse(data: string | Uint8Array, size?: number, file = "test.xml") {
  const warnings: AafWarning[] = [];
  const records: AafRawRecord[] = [];
  for await (const r of parseAafStream(chunks(data, size ?? 7), file, (w) => warnings.push(w))) records.push(r);
  return { records, warnings };
}

async function refusal(data: string | Uint8Array, size?: number): Promise<AafParseError> {
  try {
    await parse(data, size);
  } catch (err) {
    if (err instanceof AafParseError) return err;
    throw err;
  }
  throw new Error("the file was accepted");
}

const plain = (records: AafRawRecord[]) => records.map((r) => ({ ...r, attributes: Object.fromEntries(r.attributes) }));

const xml = (body: string, { decl = true, doctype = true } = {}) =>
  `${decl ? '<?xml version="1.0" encoding="ISO-8859-15"?>\r\n' : ""}` +
  `${doctype ? '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\r\n' : ""}` +
  `<ficAlimMENESR>\r\n${body}</ficAlimMENESR>\r\n`;
const pupil = (id: string, attrs = `<attr name="ENTPersonNom"><value>Nom</value></attr>`) =>
  `<addRequest><operationalAttributes><attr ` +
  `name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>${id}</id></identifi` +
  `er><attributes>${attrs}</attributes></addRequest>\r\n`;

describe("4.4 AAF parser — the real samples, as they are", () => {
  it("reads the 2D EtabEducNat sample (ISO-8859-15 declared, &apos;, <value></value>, <value/>)", async () => {
    const { records, warnings } = await parse(
      await readFile(join(SAMPLES, "ENT_Complet_20200101_EtabEducNat_0000.xml")),
      64,
    );
    expect(warnings).toEqual([]);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r).toMatchObject({
      category: "EtabEducNat",
      operation: "add",
      id: "1",
      source: { file: "test.xml", line: 4 },
    });
    expect(r.attributes.get("ENTEtablissementMinistereTutelle")).toEqual(["MINISTERE DE L'EDUCATION NATIONALE"]);
    expect(r.attributes.get("postOfficeBox")).toEqual([""]);
    expect(r.attributes.get("ENTStructureClasses")).toEqual([""]);
    expect(r.attributes.get("ENTStructureNomCourant")).toEqual(["NOM$STRUCTURE$COURANT"]);
    expect(r.attributes.size).toBe(20);
  });

  it("reads the 2D Eleve sample: multi-valued attributes in document order", async () => {
    const { records } = await parse(await readFile(join(SAMPLES, "ENT_Complet_20200101_Eleve_0000.xml")), 1000);
    expect(records).toHaveLength(1);
    expect(records[0]!.attributes.get("ENTElevePersRelEleve")).toEqual(["2000000$10$1$1$1$1", "3000000$20$0$1$0$0"]);
    expect(records[0]!.attributes.get("ENTPersonAutresPrenoms")).toEqual(["Prenom", "NOM"]);
    expect([...records[0]!.attributes.keys()][0]).toBe("ENTPersonJointure");
  });
});

describe("4.4 AAF parser — 1D files", () => {
  it("reads the hand-made complete set: every record, its category, id and line", async () => {
    const dir = join(FIXTURES, "complet");
    const counts: Record<string, number> = {};
    for (const name of (await readdir(dir)).sort()) {
      const { records, warnings } = await parse(await readFile(join(dir, name)), 4096, name);
      expect(warnings).toEqual([]);
      for (const r of records) counts[r.category] = (counts[r.category] ?? 0) + 1;
      // Header: declaration, DOCTYPE, root, four comments; the first record opens on line 8.
      expect(records[0]!.source).toEqual({ file: name, line: 8 });
    }
    expect(counts).toEqual({ EtabEducNat: 2, Eleve: 6, PersRelEleve: 8, PersEducNat: 5 });
    const { records } = await parse(await readFile(join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml")));
    const zoe = records[0]!;
    expect(zoe.attributes.get("ENTPersonNom")).toEqual(["D'Amico"]);
    expect(zoe.attributes.get("ENTPersonPrenom")).toEqual(["Zoé"]);
    expect(zoe.attributes.get("ENTPersonClasses")).toEqual(["6001$$$8000001$CP-CE1"]);
    expect(zoe.attributes.get("ENTEleveAutoriteParentale")).toEqual(["7100001$10", "7100002$20"]);
    expect(zoe.attributes.get("ENTPersonGroupes")).toEqual([""]);
    // Records are 18 lines long in this file, 19 for the one with an extra attribute: lines count CRLF right.
    expect(records.map((r) => r.source.line)).toEqual([8, 26, 44, 62, 81, 99]);
    expect(records[2]!.attributes.get("ENTPersonNom")).toEqual(["Nguyễn"]);
  });

  it("gives the same records whatever the chunk sizes (characters and CRLF split anywhere)", async () => {
    for (const name of [
      "complet/ENT1D_Complet_20260901_Eleve_0000.xml",
      "delta/ENT1D_Delta_20260915_PersRelEleve_0000.xml",
      "latin9/ENT1D_Complet_20260901_PersRelEleve_0000.xml",
    ]) {
      const data = await readFile(join(FIXTURES, name));
      const whole = plain((await parse(data, data.length)).records);
      for (const size of [1, 2, 3, 5, 64, 1000]) expect(plain((await parse(data, size)).records)).toEqual(whole);
    }
  });

  it(
    "reads the delta: modifyRequest with <modification " + 'operation="replace">, addRequest, deleteRequest, <value/>',
    async () => {
      const data = await readFile(join(FIXTURES, "delta/ENT1D_Delta_20260915_PersRelEleve_0000.xml"));
      const { records } = await parse(data, 100);
      expect(records.map((r) => [r.operation, r.category, r.id])).toEqual([
        ["add", "PersRelEleve", "7100009"],
        ["modify", "PersRelEleve", "7100003"],
        ["modify", "PersRelEleve", "7100006"],
        ["delete", "PersRelEleve", "7100004"],
        ["delete", "PersRelEleve", "7100005"],
      ]);
      expect(records[1]!.attributes).toEqual(new Map([["ENTPersonMail", ["linh.nguyen@example.net"]]]));
      expect(records[2]!.attributes).toEqual(new Map([["ENTPersonMail", [""]]]));
      expect(records[3]!.attributes.size).toBe(0);
    },
  );

  it("decodes entities, character references and CDATA; keeps the category out of the attributes", async () => {
    const { records } = await parse(
      xml(
        pupil(
          "1",
          `<attr name="ENTPersonNom"><value>L&apos;H&#244;te &amp; Fils ` +
            `&lt;&gt; &quot;x&quot; &#x20AC;</value></attr>` +
            `<attr name="ENTPersonPrenom"><value><![CDATA[Zoé <b>&amp;</b>]]></value></attr>` +
            `<attr name="ENTPersonAutresPrenoms"><value>  Anne  </value><value>Marie&#10;Claire</value></attr>`,
        ),
      ),
    );
    const a = records[0]!.attributes;
    expect(a.get("ENTPersonNom")).toEqual(['L\'Hôte & Fils <> "x" €']);
    expect(a.get("ENTPersonPrenom")).toEqual(["Zoé <b>&amp;</b>"]);
    expect(a.get("ENTPersonAutresPrenoms")).toEqual(["Anne", "Marie\nClaire"]);
    expect(a.has("categoriePersonne")).toBe(false);
  });

  it(
    "reads every operational attribute: categorieStructure, " + "categoriePersonne, categorieMatiere, categorieMef",
    async () => {
      const rec = (op: string, cat: string) =>
        `<addRequest><operationalAttributes><attr ` +
        `name="${op}"><value>${cat}</value></attr></operationalAttributes><identifier><id>X</id></identifier><attribu` +
        `tes><attr name="a"><value>b</value></attr></attributes></addRequest>`;
      const { records } = await parse(
        xml(
          rec("categorieStructure", "EtabEducNat") +
            rec("categoriePersonne", "PersEducNat") +
            rec("categorieMatiere", "MatiereEducNat") +
            rec("categorieMef", "MefEducNat"),
        ),
      );
      expect(records.map((r) => r.category)).toEqual(["EtabEducNat", "PersEducNat", "MatiereEducNat", "MefEducNat"]);
    },
  );

  it("merges an attribute given twice, in order", async () => {
    const { records } = await parse(
      xml(pupil("1", `<attr name="x"><value>1</value></attr><attr name="x"><value>2</value><value>3</value></attr>`)),
    );
    expect(records[0]!.attributes.get("x")).toEqual(["1", "2", "3"]);
  });
});

describe("4.4 AAF parser — encodings as delivered", () => {
  it("reads UTF-8 whatever the declaration says (ISO-8859-15 declared, UTF-8 content)", async () => {
    const { records, warnings } = await parse(
      await readFile(join(FIXTURES, "complet/ENT1D_Complet_20260901_PersRelEleve_0000.xml")),
      3,
    );
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.attributes.get("ENTPersonPrenom")![0])).toContain("Ayşe");
    expect(records[0]!.attributes.get("ENTPersonVille")).toEqual(["SAINT-MAMMÈS"]);
  });

  it("reads real ISO-8859-15 bytes as ISO-8859-15 (œ, Š, €, Ÿ)", async () => {
    const data = await readFile(join(FIXTURES, "latin9/ENT1D_Complet_20260901_PersRelEleve_0000.xml"));
    expect(data.includes(Buffer.from([0xbd]))).toBe(true); // œ is one byte
    const { records, warnings } = await parse(data, 5);
    expect(warnings).toEqual([]);
    const a = records[0]!.attributes;
    expect(a.get("ENTPersonNom")).toEqual(["Lœuillet-Šafránek"]);
    expect(a.get("ENTPersonPrenom")).toEqual(["Élodie"]);
    expect(a.get("ENTPersonAdresse")).toEqual(["3 rue de l'Œuvre (loyer 500 €)$$$"]);
    expect(a.get("ENTPersonVille")).toEqual(["L'HAŸ-LES-ROSES"]);
  });

  it("skips a UTF-8 byte-order mark", async () => {
    const data = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(xml(pupil("1", `<attr name="n"><value>Élise</value></attr>`))),
    ]);
    for (const size of [1, 2, 4, 1000])
      expect((await parse(data, size)).records[0]!.attributes.get("n")).toEqual(["Élise"]);
  });

  it("reads a stray non-UTF-8 byte in a UTF-8 file as ISO-8859-15, with a warning", async () => {
    const data = Buffer.from(
      xml(
        pupil("1", `<attr name="a"><value>Zoé</value></attr>`) + pupil("2", `<attr name="a"><value>L#a</value></attr>`),
      ),
    );
    data[data.indexOf("L#a") + 1] = 0xe9;
    const { records, warnings } = await parse(data, 16);
    expect(records.map((r) => r.attributes.get("a")![0])).toEqual(["Zoé", "Léa"]);
    expect(warnings).toEqual([
      expect.objectContaining({ code: "ignored_value", detail: expect.stringMatching(/ISO-8859-15/) }),
    ]);
  });
});

describe("4.4 AAF parser — refusals, each with a French reason, the file and the line", () => {
  const fixtureCases: [string, RegExp][] = [
    ["bad/truncated/ENT1D_Complet_20260901_Eleve_0000.xml", /Fichier tronqué/],
    ["bad/wrong-root/ENT1D_Complet_20260901_EtabEducNat_0000.xml", /Élément racine inattendu « annuaire »/],
    ["bad/not-xml/ENT1D_Complet_20260901_Eleve_0000.xml", /n'est pas un fichier XML AAF/],
    ["bad/xxe/ENT1D_Complet_20260901_Eleve_0000.xml", /sous-ensemble DTD interne.*XXE.*refusé par sécurité/],
    [
      "bad/billion-laughs/ENT1D_Complet_20260901_Eleve_0000.xml",
      /sous-ensemble DTD interne.*billion laughs.*refusé par sécurité/,
    ],
    [
      "bad/undeclared-entity/ENT1D_Complet_20260901_Eleve_0000.xml",
      /entité XML non déclarée \(&nbsp;\) : refusée par sécurité/,
    ],
  ];
  for (const [name, message] of fixtureCases) {
    it(`refuses ${name.split("/")[1]}`, async () => {
      const err = await refusal(await readFile(join(FIXTURES, name)), 13);
      expect(err).toBeInstanceOf(AafParseError);
      expect(err.message).toMatch(message);
      expect(err.source.file).toBe("test.xml");
      expect(err.source.line).toBeGreaterThan(0);
    });
  }

  it("gives the line of the fault", async () => {
    const err = await refusal(xml(pupil("1") + pupil("2", `<attr name="a"><value>x &amp y</value></attr>`)));
    expect(err.message).toMatch(/Référence d'entité mal formée/);
    expect(err.source.line).toBe(5);
    const truncated = await refusal(xml(pupil("1") + pupil("2")).slice(0, -40));
    expect(truncated.message).toMatch(/^Fichier tronqué/);
  });

  const cases: [string, string, RegExp][] = [
    ["an empty file", "", /Le fichier est vide/],
    ["blanks only", " \r\n\t", /Le fichier est vide/],
    ["binary bytes", "PK\u0003\u0004\u0014\u0000\u0008", /n'est pas un fichier XML AAF/],
    ["a declaration only", '<?xml version="1.0"?>', /aucun élément <ficAlimMENESR>/],
    [
      "a record without identifier",
      xml(
        `<addRequest><operationalAttributes><attr ` +
          `name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><attributes/></addRequest>`,
      ),
      /sans identifiant/,
    ],
    [
      "an empty identifier",
      xml(
        `<deleteRequest><operationalAttributes><attr ` +
          `name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id> ` +
          `</id></identifier></deleteRequest>`,
      ),
      /sans identifiant/,
    ],
    [
      "a record without category",
      xml(`<deleteRequest><identifier><id>1</id></identifier></deleteRequest>`),
      /sans catégorie/,
    ],
    [
      "an unknown category",
      xml(
        `<deleteRequest><operationalAttributes><attr ` +
          `name="categoriePersonne"><value>Martien</value></attr></operationalAttributes><identifier><id>1</id></iden` +
          `tifier></deleteRequest>`,
      ),
      /Catégorie inconnue « Martien »/,
    ],
    [
      "a category under the wrong attribute",
      xml(
        `<deleteRequest><operationalAttributes><attr ` +
          `name="categorieStructure"><value>Eleve</value></attr></operationalAttributes><identifier><id>1</id></ident` +
          `ifier></deleteRequest>`,
      ),
      /incompatible avec l'attribut opérationnel categorieStructure/,
    ],
    [
      "an unknown operational attribute",
      xml(
        `<deleteRequest><operationalAttributes><attr ` +
          `name="categorieAutre"><value>Eleve</value></attr></operationalAttributes><identifier><id>1</id></identifie` +
          `r></deleteRequest>`,
      ),
      /Attribut opérationnel inconnu « categorieAutre »/,
    ],
    ["an unknown request", xml(`<renameRequest/>`), /Élément inattendu <renameRequest>/],
    [
      "an element inside a value",
      xml(pupil("1", `<attr name="a"><value>x<b>y</b></value></attr>`)),
      /Élément <b> inattendu dans une <value>/,
    ],
    [
      "a modification other than replace",
      xml(
        `<modifyRequest><operationalAttributes><attr ` +
          `name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>1</id></identi` +
          `fier><modifications><modification name="sn" ` +
          `operation="add"><value>X</value></modification></modifications></modifyRequest>`,
      ),
      /Opération de modification « add » non prise en charge/,
    ],
    ["an attr without name", xml(pupil("1", `<attr><value>x</value></attr>`)), /<attr> sans attribut name/],
    [
      "text outside a value",
      xml(pupil("1", `<attr name="a">texte<value>x</value></attr>`)),
      /Texte inattendu hors d'une <value>/,
    ],
    ["text before the root", `Bonjour <ficAlimMENESR/>`, /n'est pas un fichier XML AAF : du texte/],
    [
      "mismatched tags",
      xml(pupil("1", `<attr name="a"><value>x</attr></value>`)),
      /Balise fermante <\/attr> inattendue : <value> n'est pas fermée/,
    ],
    ["a closing tag too many", `<ficAlimMENESR></ficAlimMENESR></ficAlimMENESR>`, /sans balise ouvrante/],
    ["a second root", `<ficAlimMENESR/><ficAlimMENESR/>`, /n'a qu'un élément racine/],
    ["text after the root", `<ficAlimMENESR/>fin`, /Contenu inattendu après <\/ficAlimMENESR>/],
    [
      "a duplicate attribute",
      xml(pupil("1", `<attr name="a" name="b"><value>x</value></attr>`)),
      /Attribut name en double/,
    ],
    ["an unquoted attribute", xml(pupil("1", `<attr name=a><value>x</value></attr>`)), /sans guillemets/],
    ["an attribute without value", xml(pupil("1", `<attr name><value>x</value></attr>`)), /sans valeur/],
    [
      "attributes not separated",
      xml(
        `<modifyRequest><operationalAttributes><attr ` +
          `name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>1</id></identi` +
          `fier><modifications><modification ` +
          `name="sn"operation="replace"><value>X</value></modification></modifications></modifyRequest>`,
      ),
      /espace manquante/,
    ],
    [
      "« < » in an attribute value",
      xml(pupil("1", `<attr name="a<b"><value>x</value></attr>`)),
      /Caractère « < » interdit/,
    ],
    [
      "a bare ampersand",
      xml(pupil("1", `<attr name="a"><value>Dupont & Fils</value></attr>`)),
      /Référence d'entité mal formée/,
    ],
    [
      "an invalid character reference",
      xml(pupil("1", `<attr name="a"><value>&#1;</value></attr>`)),
      /Référence de caractère invalide/,
    ],
    [
      "a forbidden control character",
      xml(pupil("1", `<attr name="a"><value>x\u0007y</value></attr>`)),
      /Caractère interdit en XML \(U\+0007\)/,
    ],
    ["« ]]> » in text", xml(pupil("1", `<attr name="a"><value>x]]>y</value></attr>`)), /« \]\]> » interdit/],
    [
      "a declaration not at the start",
      ` <?xml version="1.0"?><ficAlimMENESR/>`,
      /Déclaration XML <\?xml …\?> mal placée/,
    ],
    ["a malformed declaration", `<?xml versio="1.0"?><ficAlimMENESR/>`, /Déclaration XML <\?xml …\?> mal formée/],
    ["a DOCTYPE after the root", `<ficAlimMENESR><!DOCTYPE x></ficAlimMENESR>`, /DOCTYPE mal placé/],
    ["a malformed DOCTYPE", `<!DOCTYPE><ficAlimMENESR/>`, /DOCTYPE mal formé/],
    ["a malformed comment", xml(`<!-- a -- b -->`), /Commentaire XML mal formé/],
    ["CDATA outside a value", xml(`<![CDATA[x]]>`), /Section CDATA inattendue/],
  ];
  for (const [name, text, message] of cases) {
    it(`refuses ${name}`, async () => {
      const err = await refusal(text);
      expect(err.message).toMatch(message);
      expect(err.source.file).toBe("test.xml");
    });
  }

  it("refuses an external DTD subset declared with entities, in any position of the DOCTYPE", async () => {
    for (const doctype of [
      '<!DOCTYPE ficAlimMENESR SYSTEM "a.dtd" [<!ENTITY x "y">]>',
      '<!DOCTYPE ficAlimMENESR [<!ENTITY % p SYSTEM "http://evil/x">%p;]>',
      '<!DOCTYPE ficAlimMENESR PUBLIC "-//X//EN" "http://evil/x.dtd" [ ]>',
    ]) {
      expect((await refusal(`${doctype}<ficAlimMENESR/>`)).message).toMatch(/refusé par sécurité/);
    }
    // The DOCTYPE that names the DTD file is fine, and the file is never read.
    expect(
      (await parse(`<!DOCTYPE ficAlimMENESR SYSTEM "http://127.0.0.1:9/ficAlimMENESR.dtd"><ficAlimMENESR/>`)).records,
    ).toEqual([]);
  });

  it("refuses a 1 MB attribute value without keeping it: it stops reading past 64 Kio", async () => {
    let pulled = 0;
    async function* big(): AsyncGenerator<Uint8Array> {
      const head = new TextEncoder().encode(
        xml("").replace("</ficAlimMENESR>\r\n", "") +
          pupil("1", "").replace("</attributes></addRequest>\r\n", '<attr name="ENTPersonNom"><value>'),
      );
      pulled += head.length;
      yield head;
      const block = new TextEncoder().encode("x".repeat(4096));
      for (let i = 0; i < 256; i++) {
        pulled += block.length;
        yield block;
      } // 1 MB, and then more if asked
      for (;;) {
        pulled += block.length;
        yield block;
      }
    }
    const err = await (async () => {
      try {
        for await (const _ of parseAafStream(big(), "gros.xml")) {
          /* none */
        }
      } catch (e) {
        return e as AafParseError;
      }
      throw new Error("accepted");
    })();
    expect(err.message).toMatch(/Valeur de plus de 64 Kio dans l'attribut ENTPersonNom : refusée/);
    expect(err.source.file).toBe("gros.xml");
    expect(pulled).toBeLessThan(MAX_VALUE + 16 * 1024);
  });

  it("refuses a 1 MB value, comment, tag or DOCTYPE given in one piece", async () => {
    const mb = "y".repeat(1024 * 1024);
    const cases: [string, RegExp][] = [
      [xml(pupil("1", `<attr name="ENTPersonNom"><value>${mb}</value></attr>`)), /Valeur de plus de 64 Kio/],
      [
        xml(pupil("1", `<attr name="ENTPersonNom"><value>${"&amp;".repeat(70_000)}</value></attr>`)),
        /Valeur de plus de 64 Kio/,
      ],
      [xml(`<!-- ${mb} -->`), /Fichier refusé : commentaire de plus de 64 Kio/],
      [xml(pupil("1", `<attr name="${mb}"><value>x</value></attr>`)), /Fichier refusé : balise de plus de 4 Kio/],
      [`<!DOCTYPE ficAlimMENESR SYSTEM "${mb}"><ficAlimMENESR/>`, /Fichier refusé : DOCTYPE de plus de 4 Kio/],
      [xml(`${" ".repeat(70_000)}x`), /Texte inattendu|hors d'une valeur/],
    ];
    for (const [text, message] of cases) {
      for (const size of [text.length, 65_536]) expect((await refusal(text, size)).message).toMatch(message);
    }
  });

  it("refuses an oversized record (too many values) without keeping it", async () => {
    const values = "<value>0123456789</value>".repeat(1000);
    const text = xml(pupil("1", `<attr name="a">${values}</attr>`));
    let err: unknown;
    try {
      for await (const _ of parseAafStream(chunks(text, 4096), "t.xml", undefined, { maxRecord: 32 * 1024 })) {
        /* none */
      }
    } catch (e) {
      err = e;
    }
    expect((err as AafParseError).message).toMatch(/Enregistrement de plus de/);
  });
});

describe("4.4 AAF parser — streaming in bounded memory", () => {
  const id = (i: number) => String(1_000_000 + i);
  const record = (i: number) =>
    pupil(
      id(i),
      `<attr name="ENTPersonJointure"><value>${id(i)}</value></attr><attr ` +
        `name="ENTPersonNom"><value>Dupont-Lefèvre</value></attr>` +
        `<attr name="ENTPersonPrenom"><value>Zoé</value></attr><attr ` +
        `name="ENTPersonClasses"><value>6001$$$8000001$CP-CE1</value></attr>` +
        `<attr name="ENTEleveAutoriteParentale"><value>${id(i + 1)}$10</value><value>${id(i + 2)}$20</value></attr>`,
    );

  it("hands each record on as it closes: it never reads more than one chunk ahead", async () => {
    let pulled = 0;
    const chunk = 1 << 20;
    async function* source(): AsyncGenerator<Uint8Array> {
      const head = new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-15"?>\r\n<ficAlimMENESR>\r\n');
      pulled += head.length;
      yield head;
      const block = new TextEncoder().encode(Array.from({ length: 2000 }, (_, i) => record(i)).join(""));
      for (let k = 0; k < 10; k++) {
        for (let i = 0; i < block.length; i += chunk) {
          const c = block.subarray(i, i + chunk);
          pulled += c.length;
          yield c;
        }
      }
      pulled += 20;
      yield new TextEncoder().encode("</ficAlimMENESR>\r\n");
    }
    const size = new TextEncoder().encode(record(0)).length;
    let seen = 0;
    let ahead = 0;
    for await (const _ of parseAafStream(source(), "flux.xml")) {
      seen += 1;
      ahead = Math.max(ahead, pulled - seen * size);
    }
    expect(seen).toBe(20_000);
    expect(ahead).toBeLessThanOrEqual(chunk + 2 * size);
  });

  it("parses a 200 MB file with a small, flat memory footprint", async () => {
    const block = new TextEncoder().encode(Array.from({ length: 1000 }, (_, i) => record(i)).join(""));
    const repeats = Math.ceil((200 * 1024 * 1024) / block.length);
    async function* source(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode("<ficAlimMENESR>");
      for (let k = 0; k < repeats; k++) yield block;
      yield new TextEncoder().encode("</ficAlimMENESR>");
    }
    const before = process.memoryUsage();
    let peakHeap = 0;
    let peakRss = 0;
    let seen = 0;
    for await (const _ of parseAafStream(source(), "gros.xml")) {
      seen += 1;
      if (seen % 20_000 === 0) {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed - before.heapUsed);
        peakRss = Math.max(peakRss, m.rss - before.rss);
      }
    }
    expect(seen).toBe(repeats * 1000);
    // 200 MB went through; what stayed is garbage waiting for the collector, not the file.
    expect(peakHeap).toBeLessThan(96 * 1024 * 1024);
    expect(peakRss).toBeLessThan(160 * 1024 * 1024);
  }, 120_000);
});

// A conforming parser (saxes) as an oracle: whatever it refuses, this reader must refuse too; whatever both read,
// they must read alike.
function oracle(text: string): { ok: true; records: string[] } | { ok: false } {
  const parser = new SaxesParser<{ xmlns: false }>({ xmlns: false });
  const records: string[] = [];
  let failed = false;
  let current: string[] = [];
  let value: string | null = null;
  const stack: string[] = [];
  parser.on("error", () => {
    failed = true;
  });
  parser.on("opentag", (t) => {
    stack.push(t.name);
    if (t.name === "value" || t.name === "id") value = "";
    if (t.name === "attr" || t.name === "modification") current.push(`@${String(t.attributes.name ?? "").trim()}`);
  });
  parser.on("text", (t) => {
    if (value !== null) value += t;
  });
  parser.on("cdata", (t) => {
    if (value !== null) value += t.replace(/\r\n?/g, "\n");
  });
  parser.on("closetag", (t) => {
    stack.pop();
    if (t.name === "value" || t.name === "id") {
      current.push(`${t.name}=${(value ?? "").trim()}`);
      value = null;
    }
    if (stack.length === 1) {
      records.push(current.join("|"));
      current = [];
    }
  });
  try {
    parser.write(text);
    parser.close();
  } catch {
    failed = true;
  }
  return failed ? { ok: false } : { ok: true, records };
}

function mine(text: string): Promise<{ ok: true; records: string[] } | { ok: false }> {
  return (async () => {
    try {
      const { records } = await parse(text, 97);
      return {
        ok: true as const,
        records: records.map((r) => {
          const parts = [
            `@${r.category === "EtabEducNat" ? "categorieStructure" : "categoriePersonne"}`,
            `value=${r.category}`,
            `id=${r.id}`,
          ];
          for (const [name, values] of r.attributes) {
            parts.push(`@${name}`);
            for (const v of values) parts.push(`value=${v}`);
          }
          return parts.join("|");
        }),
      };
    } catch (err) {
      if (err instanceof AafParseError) return { ok: false as const };
      throw err;
    }
  })();
}

describe("4.4 AAF parser — never more lenient than a conforming XML parser", () => {
  it("agrees with saxes on the fixtures and on 1,500 damaged copies of them", async () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const pieces = [
      "<",
      ">",
      "&",
      "'",
      '"',
      "/",
      "=",
      "]]>",
      "<!--",
      "-->",
      "\u0001",
      " ",
      "x",
      "&amp;",
      "&#",
      ";",
      "<value>",
      "</value>",
      "<![CDATA[",
      "?>",
      "<?",
      "\r\n",
    ];
    const base = [
      await readFile(join(FIXTURES, "delta/ENT1D_Delta_20260915_PersRelEleve_0000.xml"), "utf8"),
      await readFile(join(FIXTURES, "delta/ENT1D_Delta_20260915_PersEducNat_0000.xml"), "utf8"),
      await readFile(join(SAMPLES, "ENT_Complet_20200101_EtabEducNat_0000.xml"), "utf8"),
    ];
    let accepted = 0;
    for (const text of base) {
      const good = await mine(text);
      expect(good.ok).toBe(true);
      expect(oracle(text)).toEqual(good);
    }
    for (let n = 0; n < 1500; n++) {
      let text = base[n % base.length]!;
      for (let k = 0, edits = 1 + Math.floor(random() * 2); k < edits; k++) {
        const at = Math.floor(random() * text.length);
        const roll = random();
        if (roll < 0.45) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
        else if (roll < 0.9) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at);
      }
      const ours = await mine(text);
      const theirs = oracle(text);
      if (ours.ok) {
        accepted += 1;
        // Whatever this reader accepts is well-formed XML, read the same way.
        expect({ text, ok: theirs.ok }).toEqual({ text, ok: true });
        if (theirs.ok) expect(ours.records).toEqual(theirs.records);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  }, 60_000);
});
