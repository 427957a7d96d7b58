// Writes docs/requirements.md: every requirement of the tender's index (REQUIREMENTS.md) with the files of the code
// and of the tests that cite its ID, so the page stays true as the code moves. Run from anywhere:
//   npx tsx scripts/requirements.ts            rewrite docs/requirements.md
//   npx tsx scripts/requirements.ts --check    exit 1 when docs/requirements.md is not what the code says
//   npx tsx scripts/requirements.ts --index <path/to/REQUIREMENTS.md>
// The index lives outside the repository (the founders' shared folder); the script looks for shared/REQUIREMENTS.md
// in the folders above the repository. Where there is none, it keeps the titles already in docs/requirements.md.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUTPUT = join(ROOT, "docs", "requirements.md");

/** Where the code cites requirements, and where the tests do. Fixtures are data (AAF XML), not citations. */
const CODE_DIRS = ["src", "routes", "views", "realtime", "db", "migrations", "public/js", "public/css"];
const TEST_DIRS = ["test"];
const SKIPPED = ["test/fixtures"];
const EXTENSIONS = [".ts", ".tsx", ".js", ".sql", ".css"];

export interface IndexEntry {
  id: string;
  priority: string;
  title: string;
  section: string;
  /** The IDs of the index row this one came from ("52A / 52B"): rows nobody cites stay together in the page. */
  row: string;
}

/** "57A–57D" → 57A 57B 57C 57D; "3.2.1.3–6" → 3.2.1.3 … 3.2.1.6; "51A / 51A bis" → 51A, 51A bis. */
export function expandIds(cell: string): string[] {
  const ids: string[] = [];
  for (const part of cell.split("/").map((s) => s.trim())) {
    const letters = /^(\d+)([A-Z])[–-]\1?([A-Z])$/.exec(part);
    const dotted = /^((?:\d+\.)+)(\d+)[–-](\d+)$/.exec(part);
    if (letters) {
      for (let c = letters[2]!.charCodeAt(0); c <= letters[3]!.charCodeAt(0); c++) {
        ids.push(`${letters[1]}${String.fromCharCode(c)}`);
      }
    } else if (dotted) {
      for (let n = Number(dotted[2]); n <= Number(dotted[3]); n++) ids.push(`${dotted[1]}${n}`);
    } else if (part) ids.push(part);
  }
  return ids;
}

/** The index's tables: `| ID | P | requirement |` rows under `## section` headings. */
export function parseIndex(markdown: string): IndexEntry[] {
  const entries: IndexEntry[] = [];
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const cells = line.split("|").map((s) => s.trim());
    if (cells.length < 5 || cells[0] !== "" || cells[1] === "ID" || /^-+$/.test(cells[1] ?? "")) continue;
    const [, row, priority, title] = cells as [string, string, string, string];
    for (const id of expandIds(row)) entries.push({ id, priority, title, section, row });
  }
  return entries;
}

/** The titles kept in a page this script wrote before (its items: `- **51A** (R) : title`). */
function parseWrittenPage(markdown: string): IndexEntry[] {
  const entries: IndexEntry[] = [];
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1]!.trim();
    const item = /^- \*\*(.+?)\*\* \((.+?)\) : (.+)$/.exec(line);
    if (!item) continue;
    const [, row, priority, title] = item as unknown as [string, string, string, string];
    for (const id of expandIds(row)) entries.push({ id, priority, title, section, row });
  }
  return entries;
}

/** An ID as the code writes it, in a comment or a test name: "51A", "51A bis", "621E", "3.11.1.2", "2.1.2".
 *  Bare numbers ("53") are not searched: too many numbers in code are not requirements. */
export function citationPattern(id: string): RegExp | null {
  if (/^\d+$/.test(id)) return null;
  const escaped = id.replace(/[.]/g, "\\.");
  // Not inside a longer token: "2.5.4.4" (an OID) does not cite 4.4, "51A" is not "51A bis", "075A" is no ID.
  const after = id.endsWith("bis") ? "(?![\\w])" : "(?![\\w]|\\.\\d| bis\\b)";
  return new RegExp(`(?<![\\w.])${escaped}${after}`);
}

function filesUnder(dir: string): string[] {
  const absolute = join(ROOT, dir);
  if (!existsSync(absolute)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (SKIPPED.includes(path) || entry.name === "node_modules") continue;
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/** A file's text with its ranges of IDs written out: "54L–54N" cites 54L, 54M and 54N; "614A–B" 614A and 614B. */
export function withRangesExpanded(text: string): string {
  return text.replace(
    /(?<![\w.])(\d{2,3})([A-Z])[–-](?:\1)?([A-Z])(?![\w])/g,
    (_all, digits: string, from: string, to: string) => {
      const ids: string[] = [];
      for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) ids.push(`${digits}${String.fromCharCode(c)}`);
      return ids.join(" ");
    },
  );
}

const textOf = (file: string) => withRangesExpanded(readFileSync(join(ROOT, file), "utf8"));

/** Which files cite each ID. */
export function citations(ids: readonly string[], files: readonly string[]): Map<string, string[]> {
  const patterns = ids.map((id) => [id, citationPattern(id)] as const);
  const found = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const file of files) {
    const text = textOf(file);
    for (const [id, pattern] of patterns) if (pattern?.test(text)) found.get(id)!.push(file);
  }
  return found;
}

/** IDs shaped like the index's ("621E") that the code cites but the index does not list: typos, or new IDs. */
export function unknownIds(known: ReadonlySet<string>, files: readonly string[]): Map<string, string[]> {
  const unknown = new Map<string, string[]>();
  for (const file of files) {
    const text = textOf(file);
    // Requirement IDs start with 5, 6 or 7 in the index; a leading 0 is a time ("00Z") or a made-up UAI ("075A").
    for (const m of text.matchAll(/(?<![\w.:#-])([1-9]\d{1,2}[A-Z])(?![\w])/g)) {
      const id = m[1]!;
      if (known.has(id)) continue;
      const list = unknown.get(id) ?? [];
      if (!list.includes(file)) list.push(file);
      unknown.set(id, list);
    }
  }
  return unknown;
}

function findIndex(argv: readonly string[]): string | null {
  const flag = argv.indexOf("--index");
  if (flag >= 0) {
    const path = resolve(argv[flag + 1] ?? "");
    if (!existsSync(path)) throw new Error(`Index introuvable : ${path}`);
    return path;
  }
  for (let dir = dirname(ROOT); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "REQUIREMENTS.md");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

const list = (files: readonly string[]) => files.map((f) => `\`${f}\``).join(", ");

export function renderPage(entries: readonly IndexEntry[], code: Map<string, string[]>, tests: Map<string, string[]>) {
  const lines = [
    "# Index des exigences citées",
    "",
    "<!-- Écrit par `npx tsx scripts/requirements.ts` : ne pas modifier à la main, relancer le script. -->",
    "",
    "Chaque exigence de l'index du cahier des charges (`REQUIREMENTS.md`, dossier partagé des fondateurs, hors du",
    'dépôt), avec les fichiers du code et des tests qui citent son identifiant (`// 52C`, `it("52C …")`). Les',
    "intitulés sont ceux de l'index (en anglais). « Code » : `src/`, `routes/`, `views/`, `realtime/`, `db/`,",
    "`migrations/`, `public/js/`, `public/css/` ; « tests » : `test/` (hors `test/fixtures/`). Un identifiant formé",
    "d'un nombre seul (53) n'est pas recherché. Les exigences que rien ne cite encore gardent la ligne de l'index.",
    "",
    "`npx tsx scripts/requirements.ts --check` vérifie que cette page est à jour.",
  ];
  const cited = (id: string) => (code.get(id)?.length ?? 0) + (tests.get(id)?.length ?? 0) > 0;
  for (const section of [...new Set(entries.map((e) => e.section))]) {
    lines.push("", `## ${section}`, "");
    const inSection = entries.filter((e) => e.section === section);
    const shown = new Set<string>();
    for (const e of inSection) {
      if (cited(e.id)) {
        lines.push(`- **${e.id}** (${e.priority}) : ${e.title}`);
        if (code.get(e.id)!.length) lines.push(`  - code : ${list(code.get(e.id)!)}`);
        if (tests.get(e.id)!.length) lines.push(`  - tests : ${list(tests.get(e.id)!)}`);
        continue;
      }
      // The uncited IDs of one index row go together, as the index writes them.
      const uncited = inSection.filter((o) => o.row === e.row && !cited(o.id)).map((o) => o.id);
      const label = uncited.length === expandIds(e.row).length ? e.row : uncited.join(" / ");
      if (shown.has(label)) continue;
      shown.add(label);
      lines.push(`- **${label}** (${e.priority}) : ${e.title}`, "  - pas encore cité");
    }
  }
  return `${lines.join("\n")}\n`;
}

function main(argv: readonly string[]): number {
  const indexPath = findIndex(argv);
  let entries: IndexEntry[];
  if (indexPath) entries = parseIndex(readFileSync(indexPath, "utf8"));
  else if (existsSync(OUTPUT)) entries = parseWrittenPage(readFileSync(OUTPUT, "utf8"));
  else throw new Error("Aucun index des exigences (shared/REQUIREMENTS.md) ni page existante : --index <fichier>.");
  if (entries.length === 0) throw new Error("L'index des exigences ne contient aucune ligne.");

  const ids = [...new Set(entries.map((e) => e.id))];
  const codeFiles = CODE_DIRS.flatMap(filesUnder);
  const testFiles = TEST_DIRS.flatMap(filesUnder);
  const page = renderPage(entries, citations(ids, codeFiles), citations(ids, testFiles));

  for (const [id, files] of unknownIds(new Set(ids), [...codeFiles, ...testFiles])) {
    process.stderr.write(`identifiant absent de l'index : ${id} (${files.join(", ")})\n`);
  }
  const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, "utf8") : "";
  if (argv.includes("--check")) {
    if (current === page) return 0;
    process.stderr.write(`${relative(process.cwd(), OUTPUT)} n'est pas à jour : npx tsx scripts/requirements.ts\n`);
    return 1;
  }
  if (current !== page) writeFileSync(OUTPUT, page);
  process.stdout.write(
    `${relative(process.cwd(), OUTPUT)} : ${ids.length} identifiants de l'index` +
      ` (source : ${indexPath ? relative(process.cwd(), indexPath) : "page existante"})\n`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
