// A delivery as the académie sends it: one XML file, a folder of them, a .zip or a .tar.gz. Archives are read as
// streams, never extracted to disk; names that climb out of the archive and decompression bombs are refused.
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import yauzl from "yauzl";
import { extract as tarExtract } from "tar-stream";
import type { AafCategory, AafSetInfo } from "./model";
import type { AafFile } from "./importer";

export class AafArchiveError extends Error {}

export interface ArchiveLimits { maxTotalBytes: number; maxEntryBytes: number; maxRatio: number; ratioAfterBytes: number }
export const DEFAULT_LIMITS: ArchiveLimits = { maxTotalBytes: 8 * 1024 ** 3, maxEntryBytes: 4 * 1024 ** 3, maxRatio: 200, ratioAfterBytes: 10 * 1024 ** 2 };

const NAME = /_(EtabEducNat|Eleve|PersRelEleve|PersEducNat|MatiereEducNat|MefEducNat)_(\d{4})\.xml$/i;
const ORDER: AafCategory[] = ["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat", "MatiereEducNat", "MefEducNat"];

export function categoryOf(name: string): AafCategory | null {
  const m = NAME.exec(name);
  return m ? (ORDER.find((c) => c.toLowerCase() === m[1]!.toLowerCase()) ?? null) : null;
}

function byCategoryThenNumber(a: string, b: string): number {
  const ca = ORDER.indexOf(categoryOf(a)!), cb = ORDER.indexOf(categoryOf(b)!);
  return ca !== cb ? ca - cb : basename(a).localeCompare(basename(b));
}

/** "Delta" in a name makes a delta delivery; otherwise it is complete. The date is the first YYYYMMDD. */
export function deliveryInfo(names: string[]): AafSetInfo {
  const delta = names.some((n) => /delta/i.test(basename(n)));
  const date = names.map((n) => /(?:^|[_.-])(\d{8})(?:[_.-]|$)/.exec(basename(n))?.[1]).find(Boolean) ?? null;
  return { mode: delta ? "delta" : "complete", date };
}

function unsafeName(name: string): boolean {
  return name.startsWith("/") || name.startsWith("\\") || /(^|[\\/])\.\.([\\/]|$)/.test(name) || /^[a-z]:/i.test(name);
}

/** Counts bytes through a stream and stops it beyond the limits (total, per entry, expansion ratio). */
async function* guarded(source: AsyncIterable<Uint8Array>, name: string, limits: ArchiveLimits, total: { bytes: number },
  compressed?: () => number): AsyncGenerator<Uint8Array> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    total.bytes += chunk.length;
    if (bytes > limits.maxEntryBytes || total.bytes > limits.maxTotalBytes) {
      throw new AafArchiveError(`Archive refusée : ${name} dépasse la taille décompressée autorisée (bombe de décompression ?).`);
    }
    const c = compressed?.() ?? 0;
    if (c > 0 && bytes > limits.ratioAfterBytes && bytes / c > limits.maxRatio) {
      throw new AafArchiveError(`Archive refusée : ${name} se décompresse ${Math.round(bytes / c)} fois (bombe de décompression ?).`);
    }
    yield chunk;
  }
}

export async function* openAafDelivery(path: string, limits: ArchiveLimits = DEFAULT_LIMITS): AsyncGenerator<AafFile> {
  const info = await stat(path);
  if (info.isDirectory()) {
    yield* folder(path);
    return;
  }
  const lower = path.toLowerCase();
  if (lower.endsWith(".zip")) yield* zip(path, limits);
  else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".gz")) yield* tarGz(path, limits);
  else if (lower.endsWith(".xml")) yield { name: basename(path), category: categoryOf(path), open: () => createReadStream(path) };
  else throw new AafArchiveError(`Format de livraison non reconnu : ${basename(path)} (attendu .xml, .zip, .tar.gz ou .tgz).`);
}

async function* folder(dir: string): AsyncGenerator<AafFile> {
  const found: string[] = [];
  const walk = async (d: string, depth: number) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory() && depth < 3) await walk(p, depth + 1);
      else if (entry.isFile() && categoryOf(entry.name)) found.push(p);
    }
  };
  await walk(dir, 0);
  for (const p of found.sort(byCategoryThenNumber)) yield { name: basename(p), category: categoryOf(p), open: () => createReadStream(p) };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: true },
    (err, zip) => (err ? reject(new AafArchiveError(`Archive zip illisible : ${err.message}`)) : resolve(zip!))));
}

async function* zip(path: string, limits: ArchiveLimits): AsyncGenerator<AafFile> {
  const archive = await openZip(path);
  try {
    const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
      const list: yauzl.Entry[] = [];
      archive.on("entry", (e: yauzl.Entry) => { list.push(e); archive.readEntry(); });
      archive.on("end", () => resolve(list));
      archive.on("error", (err: Error) => reject(new AafArchiveError(`Archive zip refusée : ${err.message}`)));
      archive.readEntry();
    });
    let declared = 0;
    for (const e of entries) {
      if (unsafeName(e.fileName)) throw new AafArchiveError(`Archive refusée : le nom « ${e.fileName} » sort de l'archive.`);
      if (e.isEncrypted()) throw new AafArchiveError(`Archive refusée : ${e.fileName} est chiffré.`);
      declared += e.uncompressedSize;
      if (e.uncompressedSize > limits.maxEntryBytes || declared > limits.maxTotalBytes
        || (e.uncompressedSize > limits.ratioAfterBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio)) {
        throw new AafArchiveError(`Archive refusée : ${e.fileName} annonce ${e.uncompressedSize} octets décompressés (bombe de décompression ?).`);
      }
    }
    const total = { bytes: 0 };
    const aaf = entries.filter((e) => !e.fileName.endsWith("/") && categoryOf(e.fileName)).sort((a, b) => byCategoryThenNumber(a.fileName, b.fileName));
    if (aaf.length === 0) throw new AafArchiveError("L'archive ne contient aucun fichier AAF (…_Eleve_0000.xml, …).");
    for (const e of aaf) {
      const stream: Readable = await new Promise((resolve, reject) => archive.openReadStream(e, (err, s) =>
        (err ? reject(new AafArchiveError(`Archive zip refusée : ${err.message}`)) : resolve(s!))));
      yield { name: basename(e.fileName), category: categoryOf(e.fileName), open: () => guarded(stream, e.fileName, limits, total, () => e.compressedSize) };
    }
  } finally {
    archive.close();
  }
}

async function* tarGz(path: string, limits: ArchiveLimits): AsyncGenerator<AafFile> {
  const file = createReadStream(path);
  let compressed = 0;
  file.on("data", (c: Buffer | string) => { compressed += c.length; });
  const total = { bytes: 0 };
  const gunzip = createGunzip();
  const unpacked = Readable.from(guarded(file.pipe(gunzip), basename(path), limits, total, () => compressed));
  const extract = tarExtract();
  unpacked.on("error", (err) => extract.destroy(err));
  unpacked.pipe(extract);
  let any = false;
  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      if (unsafeName(name)) throw new AafArchiveError(`Archive refusée : le nom « ${name} » sort de l'archive.`);
      if (entry.header.type !== "file" || !categoryOf(name)) { entry.resume(); continue; }
      any = true;
      let consumed = false;
      yield { name: basename(name), category: categoryOf(name), open: () => { consumed = true; return entry as unknown as AsyncIterable<Uint8Array>; } };
      if (!consumed) entry.resume();
    }
  } catch (err) {
    if (err instanceof AafArchiveError) throw err;
    const inner = (err as { cause?: unknown }).cause;
    if (inner instanceof AafArchiveError) throw inner;
    throw new AafArchiveError(`Archive tar.gz illisible : ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    file.destroy();
  }
  if (!any) throw new AafArchiveError("L'archive ne contient aucun fichier AAF (…_Eleve_0000.xml, …).");
}
