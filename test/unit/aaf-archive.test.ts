// 4.4 — deliveries as the académie sends them: a file, a folder, a .zip, a .tar.gz; files in category and number
// order, streamed, never extracted; path traversal, decompression bombs, encrypted entries, strangers refused.
import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { pack as tarPack } from "tar-stream";
import {
  AafArchiveError,
  categoryOf,
  deliveryInfo,
  openAafDelivery,
  type DeliveryOptions,
} from "../../src/node/aaf-archive";
import { parseAafStream } from "../../src/aaf/parser";

const FIXTURES = join(import.meta.dirname, "../fixtures/aaf1d");
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function temp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "preau-aaf-archive-"));
  dirs.push(d);
  return d;
}

async function zipOf(entries: { name: string; data: Buffer; compress?: boolean }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { compress: e.compress ?? true });
  zip.end();
  const parts: Buffer[] = [];
  for await (const c of zip.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function tarOf(
  entries: { name: string; data?: Buffer; type?: "file" | "directory" | "symlink"; linkname?: string }[],
): Promise<Buffer> {
  const pack = tarPack();
  for (const e of entries) {
    if (e.type === "directory" || e.type === "symlink")
      pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name, size: e.data!.length }, e.data!);
  }
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

/** Names (and contents) in the order the delivery hands them on; each file read through. */
async function read(
  path: string,
  options?: DeliveryOptions,
): Promise<{ names: string[]; contents: Map<string, string> }> {
  const names: string[] = [];
  const contents = new Map<string, string>();
  for await (const f of openAafDelivery(path, options)) {
    names.push(f.name);
    const parts: Buffer[] = [];
    for await (const c of f.open()) parts.push(Buffer.from(c));
    contents.set(f.name, Buffer.concat(parts).toString("utf8"));
  }
  return { names, contents };
}

async function refusal(path: string, options?: DeliveryOptions): Promise<AafArchiveError> {
  try {
    await read(path, options);
  } catch (err) {
    if (err instanceof AafArchiveError) return err;
    throw err;
  }
  throw new Error("the delivery was accepted");
}

const xml = (n: number) => Buffer.from(`<?xml version="1.0"?>\r\n<ficAlimMENESR><!-- ${n} --></ficAlimMENESR>\r\n`);
const complete = ["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat"].map(
  (c) => `ENT1D_Complet_20260901_${c}_0000.xml`,
);

describe("4.4 deliveries — which files, in which order", () => {
  it(
    "a folder: by category (EtabEducNat, Eleve, PersRelEleve, " +
      "PersEducNat), then number; README and DTD left aside",
    async () => {
      const dir = await temp();
      const names = [
        "ENT1D_Complet_20260901_PersEducNat_0000.xml",
        "ENT1D_Complet_20260901_Eleve_0010.xml",
        "ENT1D_Complet_20260901_MefEducNat_0000.xml",
        "ENT1D_Complet_20260901_Eleve_0002.xml",
        "ENT1D_Complet_20260901_EtabEducNat_0000.xml",
        "ENT1D_Complet_20260901_PersRelEleve_0000.xml",
        ...Array.from({ length: 10 }, (_, i) => `ENT1D_Complet_20260901_Eleve_${String(i).padStart(4, "0")}.xml`),
      ];
      for (const [i, n] of [...new Set(names)].entries()) await writeFile(join(dir, n), xml(i));
      await writeFile(join(dir, "LISEZMOI.txt"), "notes");
      await writeFile(join(dir, "ficAlimMENESR.dtd"), "<!ELEMENT x ANY>");
      const ignored: string[] = [];
      const { names: order } = await read(dir, { onIgnored: (n, why) => ignored.push(`${n}: ${why}`) });
      expect(order).toEqual([
        "ENT1D_Complet_20260901_EtabEducNat_0000.xml",
        ...Array.from({ length: 11 }, (_, i) => `ENT1D_Complet_20260901_Eleve_${String(i).padStart(4, "0")}.xml`),
        "ENT1D_Complet_20260901_PersRelEleve_0000.xml",
        "ENT1D_Complet_20260901_PersEducNat_0000.xml",
        "ENT1D_Complet_20260901_MefEducNat_0000.xml",
      ]);
      expect(ignored.sort()).toEqual(["LISEZMOI.txt: pas un fichier AAF", "ficAlimMENESR.dtd: pas un fichier AAF"]);
    },
  );

  it("the hand-made fixtures: the complete set, the delta, each with its category", async () => {
    const seen: [string, string | null][] = [];
    for await (const f of openAafDelivery(join(FIXTURES, "complet"))) seen.push([f.name, f.category]);
    expect(seen).toEqual(complete.map((n) => [n, /_([A-Za-z]+)_0000/.exec(n)![1]!]));
    const delta: string[] = [];
    for await (const f of openAafDelivery(join(FIXTURES, "delta"))) delta.push(f.category!);
    expect(delta).toEqual(["Eleve", "PersRelEleve", "PersEducNat"]);
  });

  it("complete or delta, and the date, from the names", () => {
    expect(deliveryInfo(["ENT1D_Delta_20260915_Eleve_0000.xml"])).toEqual({ mode: "delta", date: "20260915" });
    expect(deliveryInfo(["ENT_Complet_20200101_Eleve_0000.xml"])).toEqual({ mode: "complete", date: "20200101" });
    expect(deliveryInfo(["/inbox/CRETEIL_ENT1D.20260901.delta.zip", "x_Complet_20260901_Eleve_0000.xml"])).toEqual({
      mode: "delta",
      date: "20260901",
    });
    expect(deliveryInfo(["ENT2DVA-ENT16_Complet_20240916_PersEducNat_0000.xml"])).toEqual({
      mode: "complete",
      date: "20240916",
    });
    // "Delta" must be a word; 8 digits must be a date.
    expect(
      deliveryInfo([
        "ENTDeltaplane_12345678_x.zip",
        "ENT1D_Complet_20261340_Eleve_0000.xml",
        "A_Complet_20261001_Eleve_0000.xml",
      ]),
    ).toEqual({ mode: "complete", date: "20261001" });
    expect(deliveryInfo([])).toEqual({ mode: "complete", date: null });
  });

  it("names: categories and numbers read case-insensitively from AAF names only", () => {
    expect(categoryOf("x/ENT1D_Complet_20260901_eleve_0003.xml")).toBe("Eleve");
    expect(categoryOf("ENT_Complet_20200101_MatiereEducNat_0000.xml")).toBe("MatiereEducNat");
    expect(categoryOf("Eleve.xml")).toBeNull();
    expect(categoryOf("ENT1D_Complet_20260901_Eleve_0000.xml.bak")).toBeNull();
  });

  it("a single file, or a single gzipped file", async () => {
    const dir = await temp();
    const path = join(dir, "ENT1D_Complet_20260901_EtabEducNat_0000.xml");
    await cp(join(FIXTURES, "complet/ENT1D_Complet_20260901_EtabEducNat_0000.xml"), path);
    const whole = await readFile(path, "utf8");
    expect((await read(path)).contents).toEqual(new Map([["ENT1D_Complet_20260901_EtabEducNat_0000.xml", whole]]));
    await writeFile(`${path}.gz`, gzipSync(whole));
    expect((await read(`${path}.gz`)).contents).toEqual(
      new Map([["ENT1D_Complet_20260901_EtabEducNat_0000.xml", whole]]),
    );
  });

  it("a zip: ordered, README / DTD / macOS resource forks left aside, folders inside flattened", async () => {
    const dir = await temp();
    const path = join(dir, "ENT1D_Delta_20260915.zip");
    await writeFile(
      path,
      await zipOf([
        { name: "livraison/ENT1D_Delta_20260915_PersEducNat_0000.xml", data: xml(1) },
        { name: "livraison/ENT1D_Delta_20260915_Eleve_0001.xml", data: xml(2) },
        { name: "LISEZMOI.txt", data: Buffer.from("notes") },
        { name: "__MACOSX/livraison/._ENT1D_Delta_20260915_Eleve_0000.xml", data: Buffer.from([0, 5, 22, 7]) },
        { name: "livraison/ENT1D_Delta_20260915_Eleve_0000.xml", data: xml(3), compress: false },
        { name: "livraison/ENT1D_Delta_20260915_EtabEducNat_0000.xml", data: xml(4) },
      ]),
    );
    const ignored: string[] = [];
    const { names, contents } = await read(path, { onIgnored: (n) => ignored.push(n) });
    expect(names).toEqual([
      "ENT1D_Delta_20260915_EtabEducNat_0000.xml",
      "ENT1D_Delta_20260915_Eleve_0000.xml",
      "ENT1D_Delta_20260915_Eleve_0001.xml",
      "ENT1D_Delta_20260915_PersEducNat_0000.xml",
    ]);
    expect(contents.get("ENT1D_Delta_20260915_Eleve_0000.xml")).toBe(xml(3).toString());
    expect(ignored).toEqual(["LISEZMOI.txt", "__MACOSX/livraison/._ENT1D_Delta_20260915_Eleve_0000.xml"]);
    expect(deliveryInfo([path, ...names])).toEqual({ mode: "delta", date: "20260915" });
  });

  it(
    "a tar.gz / .tgz / .tar: ordered even when the " + "archive is not, contents intact, nothing written to disk",
    async () => {
      const dir = await temp();
      const files = await Promise.all(
        complete.map(async (n) => ({ name: n, data: await readFile(join(FIXTURES, "complet", n)) })),
      );
      const shuffled = [
        files[3]!,
        files[1]!,
        { name: "ficAlimMENESR.dtd", data: Buffer.from("dtd") },
        files[0]!,
        files[2]!,
      ];
      const tar = await tarOf([
        { name: "./", type: "directory" },
        ...shuffled.map((f) => ({ name: `./${f.name}`, data: f.data })),
      ]);
      for (const [name, data] of [
        ["DEMO_ENT1D_Complet_20260901.tar.gz", gzipSync(tar)],
        ["x.tgz", gzipSync(tar)],
        ["x.tar", tar],
      ] as const) {
        const path = join(dir, name);
        await writeFile(path, data);
        const before = await readdir(dir);
        const { names, contents } = await read(path);
        expect(names).toEqual(complete);
        for (const f of files) expect(contents.get(f.name)).toBe(f.data.toString("utf8"));
        expect(await readdir(dir)).toEqual(before);
      }
    },
  );

  it("a tar read file by file through the parser gives the same records as the folder", async () => {
    const dir = await temp();
    const files = await Promise.all(
      complete.map(async (n) => ({ name: n, data: await readFile(join(FIXTURES, "complet", n)) })),
    );
    const path = join(dir, "a.tar.gz");
    await writeFile(path, gzipSync(await tarOf([...files].reverse())));
    const ids = async (p: string) => {
      const out: string[] = [];
      for await (const f of openAafDelivery(p))
        for await (const r of parseAafStream(f.open(), f.name)) out.push(`${f.name}:${r.source.line}:${r.id}`);
      return out;
    };
    const fromFolder = await ids(join(FIXTURES, "complet"));
    expect(fromFolder).toHaveLength(21);
    expect(await ids(path)).toEqual(fromFolder);
    const zip = join(dir, "a.zip");
    await writeFile(zip, await zipOf(files));
    expect(await ids(zip)).toEqual(fromFolder);
  });

  it("a folder: links and deep folders left aside", async () => {
    const dir = await temp();
    await cp(join(FIXTURES, "complet"), join(dir, "livraison"), { recursive: true });
    await mkdir(join(dir, "a/b/c/d"), { recursive: true });
    await writeFile(join(dir, "a/b/c/d/ENT1D_Complet_20260901_Eleve_0001.xml"), xml(1));
    await symlink("/etc/passwd", join(dir, "ENT1D_Complet_20260901_Eleve_0002.xml"));
    const ignored: string[] = [];
    const { names } = await read(dir, { onIgnored: (n, why) => ignored.push(`${n}: ${why}`) });
    expect(names).toEqual(complete);
    expect(ignored.sort()).toEqual([
      "ENT1D_Complet_20260901_Eleve_0002.xml: ni fichier ni dossier (lien…)",
      "a/b/c/d: dossier trop profond",
    ]);
  });
});

describe("4.4 deliveries — refusals, each with a French reason", () => {
  it("the committed zip whose entry climbs out of the archive", async () => {
    const err = await refusal(join(FIXTURES, "bad/path-traversal.zip"));
    expect(err.message).toBe(
      "Archive refusée : le nom « ../../ENT1D_Complet_20260901_Eleve_0000.xml » sort de l'archive (chemin absolu ou " +
        "« .. »).",
    );
  });

  it("zip names that are absolute, or climb out with backslashes", async () => {
    const dir = await temp();
    const good = await zipOf([{ name: "aaaaENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) }]);
    for (const evil of [
      "/etc/ENT1D_Complet_20260901_Eleve_0000.xml",
      "..\\ENT1D_Complet_20260901_Eleve_0000.xml",
      "C:/ENT1D_Complet_20260901_Eleve_0000.xml",
    ]) {
      // yazl will not write such names; the same bytes with the name patched are what an attacker would send.
      const bytes = Buffer.from(
        good
          .toString("latin1")
          .replaceAll("aaaaENT1D_Complet_20260901_Eleve_0000.xml", evil.padEnd(41, "x").slice(0, 41)),
        "latin1",
      );
      const path = join(dir, "evil.zip");
      await writeFile(path, bytes);
      expect((await refusal(path)).message).toMatch(/sort de l'archive/);
    }
  });

  it("tar names that climb out, or links pointing out", async () => {
    const dir = await temp();
    for (const entries of [
      [{ name: "../ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) }],
      [{ name: "/tmp/ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) }],
      [{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", type: "symlink" as const, linkname: "../../etc/passwd" }],
    ]) {
      const path = join(dir, "evil.tar.gz");
      await writeFile(path, gzipSync(await tarOf(entries)));
      expect((await refusal(path)).message).toMatch(/sort de l'archive/);
    }
  });

  it("a zip bomb, from its declared sizes, before inflating anything", async () => {
    const dir = await temp();
    const path = join(dir, "bombe.zip");
    await writeFile(
      path,
      await zipOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(64 * 1024 * 1024, 32) }]),
    );
    expect((await refusal(path)).message).toMatch(
      /^Archive refusée : ENT1D_Complet_20260901_Eleve_0000.xml annonce un taux de compression de \d+ pour 1 \(bombe de décompression \?\)\.$/,
    );
    // Per-file and total limits are parameters.
    const small = join(dir, "petit.zip");
    await writeFile(
      small,
      await zipOf([
        { name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(3 * 1024 * 1024, 65), compress: false },
        { name: "ENT1D_Complet_20260901_Eleve_0001.xml", data: Buffer.alloc(3 * 1024 * 1024, 66), compress: false },
      ]),
    );
    expect((await refusal(small, { maxEntryBytes: 2 * 1024 * 1024 })).message).toMatch(
      /annonce 3 Mio décompressés, au-delà de la limite/,
    );
    expect((await refusal(small, { maxTotalBytes: 5 * 1024 * 1024 })).message).toMatch(/au-delà de la limite/);
    expect((await read(small)).names).toHaveLength(2);
  });

  it("a zip bomb that lies about its sizes is stopped while inflating", async () => {
    const dir = await temp();
    const real = await zipOf([
      { name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(32 * 1024 * 1024, 32) },
    ]);
    // Patch the central directory: declared uncompressed size = compressed size (ratio 1, harmless-looking).
    const central = real.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const compressed = real.readUInt32LE(central + 20);
    real.writeUInt32LE(compressed, central + 24);
    const path = join(dir, "menteuse.zip");
    await writeFile(path, real);
    const err = await refusal(path);
    expect(err.message).toMatch(/^Archive refusée : /);
  });

  it("a tar.gz bomb while inflating it", async () => {
    const dir = await temp();
    const path = join(dir, "bombe.tar.gz");
    await writeFile(
      path,
      gzipSync(
        await tarOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(64 * 1024 * 1024, 32) }]),
      ),
    );
    expect((await refusal(path)).message).toMatch(/se décompresse plus de 200 fois \(bombe de décompression \?\)/);
    const big = join(dir, "gros.tar");
    await writeFile(
      big,
      await tarOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: Buffer.alloc(3 * 1024 * 1024, 32) }]),
    );
    expect((await refusal(big, { maxEntryBytes: 1024 * 1024 })).message).toMatch(/annonce 3 Mio, au-delà de la limite/);
  });

  it("an encrypted zip entry", async () => {
    const dir = await temp();
    const bytes = await zipOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1), compress: false }]);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt16LE(bytes.readUInt16LE(central + 8) | 1, central + 8);
    bytes.writeUInt16LE(bytes.readUInt16LE(6) | 1, 6);
    // Traditional encryption puts a 12-byte header before the data: a real encrypted stored entry declares 12 more
    // bytes.
    bytes.writeUInt32LE(bytes.readUInt32LE(central + 20) + 12, central + 20);
    const path = join(dir, "chiffre.zip");
    await writeFile(path, bytes);
    expect((await refusal(path)).message).toBe("Archive refusée : ENT1D_Complet_20260901_Eleve_0000.xml est chiffré.");
  });

  it(
    "an archive without AAF file, an XML file that is " + "not an AAF file, an unknown format, a missing path",
    async () => {
      const dir = await temp();
      const empty = join(dir, "vide.zip");
      await writeFile(
        empty,
        await zipOf([
          { name: "photo.jpg", data: Buffer.from("x") },
          { name: "LISEZMOI.txt", data: Buffer.from("x") },
        ]),
      );
      expect((await refusal(empty)).message).toBe("L'archive ne contient aucun fichier AAF (…_Eleve_0000.xml, …).");
      const stranger = join(dir, "etrange.zip");
      await writeFile(
        stranger,
        await zipOf([
          { name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) },
          { name: "export-onde.xml", data: xml(2) },
        ]),
      );
      expect((await refusal(stranger)).message).toMatch(/« export-onde.xml » n'est pas un nom de fichier AAF/);
      await writeFile(join(dir, "eleves.xml"), xml(1));
      expect((await refusal(join(dir, "eleves.xml"))).message).toMatch(/n'est pas un nom de fichier AAF/);
      await writeFile(join(dir, "notes.docx"), "x");
      expect((await refusal(join(dir, "notes.docx"))).message).toMatch(/Format de livraison non reconnu : notes.docx/);
      expect((await refusal(join(dir, "absent.zip"))).message).toMatch(/Livraison introuvable/);
      const notZip = join(dir, "faux.zip");
      await writeFile(notZip, "ceci n'est pas une archive");
      expect((await refusal(notZip)).message).toMatch(/Archive zip illisible/);
      const notGz = join(dir, "faux.tar.gz");
      await writeFile(notGz, "ceci n'est pas une archive");
      expect((await refusal(notGz)).message).toMatch(/Archive tar.gz illisible/);
    },
  );

  it("two deliveries mixed, a file given twice, a numbered file missing", async () => {
    const dir = await temp();
    const mixed = join(dir, "melange");
    await mkdir(mixed);
    await writeFile(join(mixed, "ENT1D_Complet_20260901_Eleve_0000.xml"), xml(1));
    await writeFile(join(mixed, "ENT1D_Delta_20260915_Eleve_0000.xml"), xml(2));
    expect((await refusal(mixed)).message).toBe(
      "Le dossier contient plusieurs livraisons (ENT1D_Complet_20260901, ENT1D_Delta_20260915) : importez-les une à " +
        "une.",
    );
    const twice = join(dir, "deux.zip");
    await writeFile(
      twice,
      await zipOf([
        { name: "a/ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) },
        { name: "b/ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(2) },
      ]),
    );
    expect((await refusal(twice)).message).toBe(
      "L'archive contient deux fois le fichier ENT1D_Complet_20260901_Eleve_0000.xml.",
    );
    const gap = join(dir, "trou.tar.gz");
    await writeFile(
      gap,
      gzipSync(
        await tarOf(
          ["0000", "0001", "0003"].map((n) => ({ name: `ENT1D_Complet_20260901_Eleve_${n}.xml`, data: xml(1) })),
        ),
      ),
    );
    expect((await refusal(gap)).message).toBe(
      "L'archive est incomplète : le fichier Eleve n° 0002 manque (livraison en plusieurs fichiers numérotés).",
    );
  });

  it("a tar entry read twice", async () => {
    const dir = await temp();
    const path = join(dir, "a.tar");
    await writeFile(path, await tarOf([{ name: "ENT1D_Complet_20260901_Eleve_0000.xml", data: xml(1) }]));
    for await (const f of openAafDelivery(path)) {
      for await (const _ of f.open()) {
        /* read */
      }
      expect(() => f.open()).toThrow(AafArchiveError);
    }
  });
});
