// Where a server's CPU time goes, from a V8 .cpuprofile (node --cpu-prof): self and inclusive time by package or
// project file, and the hottest functions. Samples can be restricted to time windows (µs on the monotonic clock,
// the clock of process.hrtime in any process on the machine), so that start-up and demo building are left out.
//   npx tsx bench/cpuprofile.ts <file.cpuprofile>          (whole profile)
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export type Window = readonly [startUs: number, endUs: number];

function categoryOf(frame: CallFrame, repo: string): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith("(")) return functionName; // (garbage collector), (program), (idle), (root)
    return "(V8 builtins / native)";
  }
  if (url.startsWith("node:")) {
    const path = url.slice(5).replace(/^internal\//, "");
    return `node:${path.split("/")[0]}`;
  }
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = file.slice(nm + "/node_modules/".length).split("/");
    const pkg = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    // hono and drizzle are big: split them one level further, that is where the answers are.
    if (pkg === "hono" || pkg === "drizzle-orm") {
      const sub = rest.slice(1).filter((s) => s !== "dist" && s !== "cjs");
      return `${pkg}/${sub.length > 1 ? sub[0] : sub[0]?.replace(/\.(c|m)?js$/, "")}`;
    }
    return pkg;
  }
  const rel = relative(repo, file);
  return rel.startsWith("..") ? file : rel;
}

function frameName(frame: CallFrame, repo: string): string {
  const where = frame.url ? `${categoryOf(frame, repo)}:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"}${where ? `  ${where}` : ""}`;
}

export interface ProfileSummary {
  sampledMs: number;
  samples: number;
  text: string;
}

export function summarizeProfile(
  file: string,
  repo: string,
  windows: Window[] | null,
  top = 25,
  requests = 0,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByCategory = new Map<string, number>();
  const inclByCategory = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclByProjectFunction = new Map<string, number>();
  let total = 0;
  let count = 0;
  let idle = 0;

  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (windows && !windows.some(([a, b]) => t >= a && t <= b)) continue;
    // A sample stands for the time until the next one.
    const weight = (profile.timeDeltas[i + 1] ?? delta) / 1000;
    const node = byId.get(profile.samples[i]!)!;
    const self = node.callFrame;
    if (self.functionName === "(idle)") {
      idle += weight;
      continue;
    }
    total += weight;
    count++;
    const cat = categoryOf(self, repo);
    selfByCategory.set(cat, (selfByCategory.get(cat) ?? 0) + weight);
    const fn = frameName(self, repo);
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + weight);
    // Inclusive: every category / project function on the stack, counted once per sample.
    const cats = new Set<string>();
    const fns = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      if (f.functionName === "(root)") break;
      const c = categoryOf(f, repo);
      cats.add(c);
      if (f.url && !f.url.includes("/node_modules/") && !f.url.startsWith("node:")) fns.add(frameName(f, repo));
    }
    for (const c of cats) inclByCategory.set(c, (inclByCategory.get(c) ?? 0) + weight);
    for (const f of fns) inclByProjectFunction.set(f, (inclByProjectFunction.get(f) ?? 0) + weight);
  }

  const pct = (v: number) => `${((100 * v) / (total || 1)).toFixed(1).padStart(5)} %`;
  const ms = (v: number) =>
    `${v.toFixed(0).padStart(7)} ms` +
    (requests > 0 ? ` ${((v * 1000) / requests).toFixed(0).padStart(5)} µs/req` : "");
  const table = (title: string, map: Map<string, number>, n: number) => {
    const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
    return [`  ${title}`, ...rows.map(([k, v]) => `    ${pct(v)} ${ms(v)}  ${k}`)].join("\n");
  };
  const text = [
    `  busy CPU sampled: ${total.toFixed(0)} ms in ${count} samples (idle ${idle.toFixed(0)} ms left out)`,
    table("self time by package / project file", selfByCategory, top),
    table("inclusive time by package / project file (on the stack)", inclByCategory, top),
    table("hottest functions (self time)", selfByFunction, top),
    table(
      "project functions, inclusive (synchronous part only: V8 does not follow awaits)",
      inclByProjectFunction,
      top,
    ),
  ].join("\n\n");
  return { sampledMs: total, samples: count, text };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx bench/cpuprofile.ts <file.cpuprofile>");
    process.exit(2);
  }
  console.log(summarizeProfile(file, fileURLToPath(new URL("..", import.meta.url)), null, 30).text);
}
