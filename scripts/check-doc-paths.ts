// Checks that the docs name files that exist: every repository path written as code (`src/app.ts`,
// `routes/classroom/`) and every relative link ([aaf.md](aaf.md#doublons)) in README.md, ARCHITECTURE.md,
// bench/README.md and docs/, anchors included. Exit code 1 with the list of what is missing.
//   npx tsx scripts/check-doc-paths.ts
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where a code span is taken for a repository path: it starts with one of these folders or is one of these files. */
const FOLDERS = [
  "src",
  "routes",
  "views",
  "db",
  "realtime",
  "test",
  "bench",
  "migrations",
  "public",
  "scripts",
  "docs",
  ".ci",
];
const ROOT_FILES = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "biome.json",
  "wrangler.toml",
  "drizzle.config.ts",
  "vitest.config.ts",
  "vitest.workers.config.ts",
  "README.md",
  "ARCHITECTURE.md",
];

function markdownFiles(): string[] {
  const docs = existsSync(join(ROOT, "docs"))
    ? readdirSync(join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".md"))
        .map((f) => `docs/${f}`)
    : [];
  return ["README.md", "ARCHITECTURE.md", "bench/README.md", ...docs.sort()].filter((f) => existsSync(join(ROOT, f)));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** Folders the build or a run writes (gitignored): named in the docs, absent from a fresh clone. */
const GENERATED = ["public/build", "data", ".wrangler"];

/** A code span that names a repository path, without a placeholder (`<uai>`), a glob or an ellipsis. */
export function repositoryPath(span: string): string | null {
  const path = span.replace(/^\.\//, "");
  if (/[\s<>*…{}|?]/.test(path)) return null;
  if (ROOT_FILES.includes(path)) return path;
  const top = path.split("/")[0]!;
  return FOLDERS.includes(top) && path.includes("/") ? path.replace(/\/$/, "") : null;
}

export interface Problem {
  file: string;
  line: number;
  what: string;
}

export function checkFile(file: string): Problem[] {
  const problems: Problem[] = [];
  const absolute = join(ROOT, file);
  const lines = readFileSync(absolute, "utf8").split("\n");
  let fenced = false;
  lines.forEach((text, i) => {
    if (text.trimStart().startsWith("```")) fenced = !fenced;
    if (fenced) return;
    for (const m of text.matchAll(/`([^`]+)`/g)) {
      const path = repositoryPath(m[1]!);
      if (path && !GENERATED.some((g) => path === g || path.startsWith(`${g}/`)) && !existsSync(join(ROOT, path)))
        problems.push({ file, line: i + 1, what: `chemin absent : ${path}` });
    }
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split("#") as [string, string | undefined];
      const resolved = path ? resolve(dirname(absolute), path) : absolute;
      if (!existsSync(resolved)) {
        problems.push({ file, line: i + 1, what: `lien cassé : ${target}` });
      } else if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) {
        problems.push({ file, line: i + 1, what: `ancre absente : ${target}` });
      }
    }
  });
  return problems;
}

function main(): number {
  const files = markdownFiles();
  const problems = files.flatMap(checkFile);
  for (const p of problems) process.stderr.write(`${p.file}:${p.line}: ${p.what}\n`);
  process.stdout.write(
    `${files.length} pages, ${problems.length} problème(s)${problems.length ? "" : " : tous les chemins existent"}\n`,
  );
  return problems.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
