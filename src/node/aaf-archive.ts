// A delivery as the académie sends it: one XML file (possibly gzipped), a folder of them, a .zip, a .tar.gz/.tgz or a
// .tar. Nothing is ever extracted to disk: entries are streamed. Before a single file is handed on, the whole
// delivery is listed and checked: names that climb out of the archive, encrypted entries, decompression bombs
// (declared and actual sizes, expansion ratio), XML files that are not AAF files, two deliveries mixed, a numbered
// file missing. Files come out by category (EtabEducNat, Eleve, PersRelEleve, PersEducNat, then Matière/MEF) and by
// number.
//
// Libraries: yauzl (zip: reads the central directory by random access, validates names and sizes, never trusts
// local headers) and tar-stream (tar: a streaming parser) — both small, well-kept and made for this; node:zlib for
// gzip.
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import yauzl from "yauzl";
import { extract as tarExtract, type Header } from "tar-stream";
import type { AafCategory, AafSetInfo } from "../aaf/model";

/** A delivery that must not be read; the message is for an académie admin, in French. */
export class AafArchiveError extends Error {
  override readonly name = "AafArchiveError";
}

/**
 * One file of a delivery. Call `open()` at most once, and read it before asking for the next file — unless it has a
 * `path` (a plain file on disk: a folder's, or a lone XML file), which anyone may open, in any order.
 */
export interface AafDeliveryFile {
  name: string;
  category: AafCategory | null;
  open(): AsyncIterable<Uint8Array>;
  path?: string;
}

export interface ArchiveLimits {
  /** Total uncompressed bytes of a delivery. */
  maxTotalBytes: number;
  /** Uncompressed bytes of one file. */
  maxEntryBytes: number;
  /** Largest expansion ratio (uncompressed / compressed)… */
  maxRatio: number;
  /** …checked once a file (or a tar.gz stream) is past this many uncompressed bytes. */
  ratioAfterBytes: number;
  /** Most entries an archive may list. */
  maxEntries: number;
}
export const DEFAULT_LIMITS: ArchiveLimits = {
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntryBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  ratioAfterBytes: 10 * 1024 ** 2,
  maxEntries: 10_000,
};

export interface DeliveryOptions extends Partial<ArchiveLimits> {
  /** Told about each entry left aside (README, DTD, folders, links…), with the reason in French. */
  onIgnored?: (name: string, reason: string) => void;
}

const NAME = /_(EtabEducNat|Eleve|PersRelEleve|PersEducNat|MatiereEducNat|MefEducNat)_(\d{4})\.xml$/i;
const ORDER: AafCategory[] = ["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat", "MatiereEducNat", "MefEducNat"];

const baseName = (name: string) => name.split(/[\\/]/).filter(Boolean).pop() ?? name;

/** The category an AAF file name announces (`…_Eleve_0000.xml`), or null. */
export function categoryOf(name: string): AafCategory | null {
  const m = NAME.exec(baseName(name));
  return m ? (ORDER.find((c) => c.toLowerCase() === m[1]!.toLowerCase()) ?? null) : null;
}

function numberOf(name: string): number {
  return Number(NAME.exec(baseName(name))?.[2] ?? 0);
}

function compareNames(a: string, b: string): number {
  const ca = ORDER.indexOf(categoryOf(a)!),
    cb = ORDER.indexOf(categoryOf(b)!);
  return ca !== cb ? ca - cb : numberOf(a) - numberOf(b) || baseName(a).localeCompare(baseName(b));
}

/**
 * Complete or delta, and the date, from the names of a delivery (archive and files): a name with "Delta" as a word
 * makes a delta (the safe reading: a delta never pre-deletes), otherwise complete. The date is the first valid
 * YYYYMMDD found.
 */
export function deliveryInfo(names: string[]): AafSetInfo {
  const bases = names.map(baseName);
  const delta = bases.some((n) => /(^|[^a-z])delta([^a-z]|$)/i.test(n));
  let date: string | null = null;
  for (const n of bases) {
    for (const m of n.matchAll(/(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)/g)) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const day = new Date(Date.UTC(y, mo - 1, d));
      if (y >= 2000 && y < 2100 && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d) {
        date = m[0];
        break;
      }
    }
    if (date) break;
  }
  return { mode: delta ? "delta" : "complete", date };
}

function unsafeName(name: string): boolean {
  return (
    name.startsWith("/") ||
    name.startsWith("\\") ||
    /^[a-z]:/i.test(name) ||
    name.includes("\0") ||
    name.split(/[\\/]/).includes("..")
  );
}

const traversal = (name: string) =>
  new AafArchiveError(`Archive refusée : le nom « ${name} » sort de l'archive (chemin absolu ou « .. »).`);

type Verdict = { aaf: true; category: AafCategory } | { aaf: false; reason: string };

/** What to do with an entry of a delivery, by its name; throws for a name that must refuse the delivery. */
function classify(name: string): Verdict {
  if (unsafeName(name)) throw traversal(name);
  const base = baseName(name);
  const parts = name.split(/[\\/]/);
  // macOS archives carry `__MACOSX/._name.xml` resource forks: not data.
  if (parts.includes("__MACOSX") || base.startsWith("._")) return { aaf: false, reason: "métadonnées macOS" };
  if (base.startsWith(".")) return { aaf: false, reason: "fichier caché" };
  const category = categoryOf(base);
  if (category) return { aaf: true, category };
  if (/\.xml$/i.test(base)) {
    throw new AafArchiveError(
      `Livraison refusée : « ${name} » n'est pas un nom de fichier AAF ` +
        "(attendu …_<Catégorie>_<NNNN>.xml, par exemple ENT1D_Complet_20260901_Eleve_0000.xml).",
    );
  }
  return { aaf: false, reason: "pas un fichier AAF" };
}

/** Checks the listed AAF files as one delivery: one set, no duplicate, no missing number. Returns them in order. */
function checkSet<T extends { name: string }>(files: T[], where: string): T[] {
  if (files.length === 0) throw new AafArchiveError(`${where} ne contient aucun fichier AAF (…_Eleve_0000.xml, …).`);
  const sets = new Set(files.map((f) => baseName(f.name).replace(NAME, "")));
  if (sets.size > 1) {
    throw new AafArchiveError(
      `${where} contient plusieurs livraisons (${[...sets].sort().join(", ")}) : importez-les une à une.`,
    );
  }
  const seen = new Set<string>();
  for (const f of files) {
    const key = baseName(f.name).toLowerCase();
    if (seen.has(key)) throw new AafArchiveError(`${where} contient deux fois le fichier ${baseName(f.name)}.`);
    seen.add(key);
  }
  const sorted = [...files].sort((a, b) => compareNames(a.name, b.name));
  // A gap in the numbering is a lost file: a complete import would pre-delete everyone in it.
  for (const category of ORDER) {
    const numbers = sorted.filter((f) => categoryOf(f.name) === category).map((f) => numberOf(f.name));
    for (let i = 1; i < numbers.length; i++) {
      if (numbers[i] !== numbers[i - 1]! + 1) {
        const missing = String(numbers[i - 1]! + 1).padStart(4, "0");
        throw new AafArchiveError(
          `${where} est incomplète : le fichier ${category} n° ${missing} manque ` +
            "(livraison en plusieurs fichiers numérotés).",
        );
      }
    }
  }
  return sorted;
}

const bomb = (name: string, detail: string) =>
  new AafArchiveError(`Archive refusée : ${name} ${detail} (bombe de décompression ?).`);

/** Counts bytes through a stream and stops it beyond the limits (per file, total, expansion ratio). */
async function* guarded(
  source: AsyncIterable<Uint8Array>,
  name: string,
  limits: ArchiveLimits,
  total: { bytes: number },
  compressed?: () => number,
  perEntry = true,
): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    total.bytes += chunk.length;
    if ((perEntry && bytes > limits.maxEntryBytes) || total.bytes > limits.maxTotalBytes) {
      throw bomb(
        name,
        "dépasse la taille décompressée autorisée " +
          `(${formatBytes(perEntry && bytes > limits.maxEntryBytes ? limits.maxEntryBytes : limits.maxTotalBytes)})`,
      );
    }
    const c = compressed?.() ?? 0;
    if (c > 0 && bytes > limits.ratioAfterBytes && bytes / c > limits.maxRatio) {
      throw bomb(name, `se décompresse plus de ${limits.maxRatio} fois`);
    }
    yield chunk;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${Math.round(n / 1024 ** 3)} Gio` : `${Math.round(n / 1024 ** 2)} Mio`;
}

/**
 * The files of a delivery at `path`: a .xml file (or .xml.gz), a folder of them (three levels deep at most), a .zip,
 * a .tar.gz / .tgz or a .tar. Throws `AafArchiveError` for a delivery that must not be read.
 */
export async function* openAafDelivery(path: string, options: DeliveryOptions = {}): AsyncGenerator<AafDeliveryFile> {
  const { onIgnored, ...given } = options;
  const limits: ArchiveLimits = {
    ...DEFAULT_LIMITS,
    ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
  };
  const ignored = (name: string, reason: string) => onIgnored?.(name, reason);
  const info = await stat(path).catch(() => {
    throw new AafArchiveError(`Livraison introuvable : ${path}`);
  });
  if (info.isDirectory()) {
    yield* folder(path, ignored);
    return;
  }
  const lower = path.toLowerCase();
  const base = baseName(path);
  if (lower.endsWith(".zip")) yield* zip(path, limits, ignored);
  else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) yield* tar(path, limits, ignored, true);
  else if (lower.endsWith(".tar")) yield* tar(path, limits, ignored, false);
  else if (lower.endsWith(".xml.gz")) {
    const file = single(base.slice(0, -3));
    yield { ...file, open: () => gunzipped(path, file.name, limits) };
  } else if (lower.endsWith(".xml")) {
    const file = single(base);
    yield { ...file, open: () => createReadStream(path), path };
  } else {
    throw new AafArchiveError(
      `Format de livraison non reconnu : ${base} (attendu un dossier, .xml, .zip, .tar.gz, .tgz ou .tar).`,
    );
  }
}

function single(name: string): { name: string; category: AafCategory } {
  const verdict = classify(name);
  if (!verdict.aaf)
    throw new AafArchiveError(`Livraison refusée : « ${name} » n'est pas un fichier AAF (${verdict.reason}).`);
  return checkSet([{ name, category: verdict.category }], "La livraison")[0]!;
}

/** A tar entry (a streamx stream, not a node one). */
interface TarEntry extends AsyncIterable<Uint8Array> {
  header: Header;
  resume(): unknown;
  once(event: "end" | "close" | "error", listener: () => void): unknown;
}

/** Resolves once the entry has been read through, whoever reads it; `drain()` reads through what is left. */
function watch(entry: TarEntry): { drain(): Promise<void> } {
  const done = new Promise<void>((resolve) => {
    entry.once("end", resolve);
    entry.once("close", resolve);
    entry.once("error", resolve);
  });
  return {
    drain: () => {
      entry.resume();
      return done;
    },
  };
}

function gunzipped(path: string, name: string, limits: ArchiveLimits): AsyncIterable<Uint8Array> {
  const file = createReadStream(path);
  let compressed = 0;
  file.on("data", (c: Buffer | string) => {
    compressed += c.length;
  });
  const gunzip = createGunzip();
  file.on("error", (err) => gunzip.destroy(err));
  return guarded(file.pipe(gunzip), name, limits, { bytes: 0 }, () => compressed);
}

async function* folder(dir: string, ignored: (name: string, reason: string) => void): AsyncGenerator<AafDeliveryFile> {
  const found: { name: string; path: string; category: AafCategory }[] = [];
  const walk = async (d: string, rel: string, depth: number) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const p = join(d, entry.name);
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < 3) await walk(p, r, depth + 1);
        else ignored(r, "dossier trop profond");
      } else if (entry.isFile()) {
        const verdict = classify(r);
        if (verdict.aaf) found.push({ name: entry.name, path: p, category: verdict.category });
        else ignored(r, verdict.reason);
      } else {
        ignored(r, "ni fichier ni dossier (lien…)");
      }
    }
  };
  await walk(dir, "", 0);
  for (const f of checkSet(found, "Le dossier"))
    yield { name: f.name, category: f.category, open: () => createReadStream(f.path), path: f.path };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true },
      (err, zip) => (err ? reject(new AafArchiveError(`Archive zip illisible : ${err.message}`)) : resolve(zip!)),
    ),
  );
}

function zipError(err: Error): AafArchiveError {
  const m = /^(?:absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(err.message);
  if (m) return traversal(m[1]!);
  if (/too many bytes|too few bytes|uncompressed size/i.test(err.message))
    return new AafArchiveError(`Archive refusée : tailles incohérentes (${err.message}).`);
  return new AafArchiveError(`Archive zip illisible : ${err.message}`);
}

async function* zip(
  path: string,
  limits: ArchiveLimits,
  ignored: (name: string, reason: string) => void,
): AsyncGenerator<AafDeliveryFile> {
  const archive = await openZip(path);
  try {
    if (archive.entryCount > limits.maxEntries) {
      throw new AafArchiveError(
        `Archive refusée : elle annonce ${archive.entryCount} fichiers (au plus ${limits.maxEntries}).`,
      );
    }
    const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
      const list: yauzl.Entry[] = [];
      archive.on("entry", (e: yauzl.Entry) => {
        list.push(e);
        archive.readEntry();
      });
      archive.on("end", () => resolve(list));
      archive.on("error", (err: Error) => reject(zipError(err)));
      archive.readEntry();
    });
    const aaf: { name: string; category: AafCategory; entry: yauzl.Entry }[] = [];
    let declared = 0;
    for (const e of entries) {
      if (e.fileName.endsWith("/")) {
        if (unsafeName(e.fileName)) throw traversal(e.fileName);
        continue;
      }
      const verdict = classify(e.fileName);
      if (!verdict.aaf) {
        ignored(e.fileName, verdict.reason);
        continue;
      }
      if (e.isEncrypted()) throw new AafArchiveError(`Archive refusée : ${e.fileName} est chiffré.`);
      if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
        throw new AafArchiveError(
          `Archive refusée : ${e.fileName} utilise une méthode de compression ` +
            `non prise en charge (${e.compressionMethod}).`,
        );
      }
      declared += e.uncompressedSize;
      if (e.uncompressedSize > limits.maxEntryBytes || declared > limits.maxTotalBytes) {
        throw bomb(e.fileName, `annonce ${formatBytes(e.uncompressedSize)} décompressés, au-delà de la limite`);
      }
      if (
        e.uncompressedSize > limits.ratioAfterBytes &&
        e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio
      ) {
        throw bomb(
          e.fileName,
          `annonce un taux de compression de ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} pour 1`,
        );
      }
      aaf.push({ name: e.fileName, category: verdict.category, entry: e });
    }
    const total = { bytes: 0 };
    for (const f of checkSet(aaf, "L'archive")) {
      const e = f.entry;
      const open = async function* (): AsyncGenerator<Uint8Array> {
        const stream: Readable = await new Promise((resolve, reject) =>
          archive.openReadStream(e, (err, s) => (err ? reject(zipError(err)) : resolve(s!))),
        );
        try {
          yield* guarded(stream, e.fileName, limits, total, () => e.compressedSize);
        } catch (err) {
          throw err instanceof AafArchiveError ? err : zipError(err as Error);
        } finally {
          stream.destroy();
        }
      };
      yield { name: baseName(f.name), category: f.category, open };
    }
  } finally {
    archive.close();
  }
}

interface TarListed {
  name: string;
  category: AafCategory;
  size: number;
}

/** One pass over a tar (gzipped or not): every entry's header and data, guarded as one stream. */
async function* tarPass(
  path: string,
  gzip: boolean,
  limits: ArchiveLimits,
): AsyncGenerator<{ header: Header; stream: TarEntry; drain(): Promise<void> }> {
  const file = createReadStream(path);
  let compressed = 0;
  file.on("data", (c: Buffer | string) => {
    compressed += c.length;
  });
  let source: Readable = file;
  if (gzip) {
    const gunzip = createGunzip();
    file.on("error", (err) => gunzip.destroy(err));
    source = Readable.from(guarded(file.pipe(gunzip), baseName(path), limits, { bytes: 0 }, () => compressed, false));
  }
  const extract = tarExtract();
  source.on("error", (err) => extract.destroy(err));
  source.pipe(extract);
  try {
    for await (const source of extract) {
      const entry = source as unknown as TarEntry;
      const { drain } = watch(entry);
      yield { header: entry.header, stream: entry, drain };
      await drain();
    }
  } catch (err) {
    if (err instanceof AafArchiveError) throw err;
    const inner = (err as { cause?: unknown }).cause;
    if (inner instanceof AafArchiveError) throw inner;
    throw new AafArchiveError(
      `Archive ${gzip ? "tar.gz" : "tar"} illisible : ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    file.destroy();
    extract.destroy();
  }
}

/**
 * A tar is read in passes, never extracted: a first pass lists and checks every entry; then files are streamed in
 * category order, one more pass per category that the archive does not already hold in order (one pass in all for an
 * archive written in order). Within a category files come in archive order.
 */
async function* tar(
  path: string,
  limits: ArchiveLimits,
  ignored: (name: string, reason: string) => void,
  gzip: boolean,
): AsyncGenerator<AafDeliveryFile> {
  const listed: TarListed[] = [];
  let declared = 0;
  let entries = 0;
  for await (const { header, drain } of tarPass(path, gzip, limits)) {
    entries += 1;
    if (entries > limits.maxEntries)
      throw new AafArchiveError(`Archive refusée : plus de ${limits.maxEntries} fichiers.`);
    const name = header.name;
    if (unsafeName(name) || (header.linkname && unsafeName(header.linkname)))
      throw traversal(unsafeName(name) ? name : header.linkname);
    if (header.type === "directory") continue;
    if (header.type !== "file" && header.type !== "contiguous-file") {
      ignored(name, "ni fichier ni dossier (lien…)");
      continue;
    }
    const verdict = classify(name);
    if (!verdict.aaf) {
      ignored(name, verdict.reason);
      continue;
    }
    const size = header.size ?? 0;
    declared += size;
    if (size > limits.maxEntryBytes || declared > limits.maxTotalBytes)
      throw bomb(name, `annonce ${formatBytes(size)}, au-delà de la limite`);
    listed.push({ name, category: verdict.category, size });
    await drain(); // read through now: the pass checks actual sizes
  }
  const sorted = checkSet(listed, "L'archive");
  const remaining = new Set(sorted.map((f) => f.name));
  let categoryIndex = 0;
  const left = (c: AafCategory) => sorted.some((f) => f.category === c && remaining.has(f.name));
  const current = () => {
    while (categoryIndex < ORDER.length && !left(ORDER[categoryIndex]!)) categoryIndex += 1;
    return ORDER[categoryIndex];
  };
  const byName = new Map(sorted.map((f) => [f.name, f]));
  while (remaining.size) {
    const before = remaining.size;
    for await (const { header, stream, drain } of tarPass(path, gzip, limits)) {
      const f = byName.get(header.name);
      if (!f || !remaining.has(f.name) || f.category !== current() || header.type === "directory") continue;
      if ((header.size ?? 0) !== f.size)
        throw new AafArchiveError(`L'archive a changé pendant sa lecture (${f.name}) : recommencez.`);
      remaining.delete(f.name);
      let opened = false;
      yield {
        name: baseName(f.name),
        category: f.category,
        open: () => {
          if (opened)
            throw new AafArchiveError(`${f.name} est déjà lu : une archive tar se lit une seule fois par fichier.`);
          opened = true;
          return guarded(stream, f.name, limits, { bytes: 0 });
        },
      };
      // An entry left unread, or partly read, drains before the next header.
      await drain();
    }
    if (remaining.size === before) throw new AafArchiveError("L'archive a changé pendant sa lecture : recommencez.");
  }
}
