// AAF import benchmark (issue 3): the generated académie imported into Postgres, then a 1 % delta on top, side by
// side with the parse-only throughput of the same files (the ceiling: reading + XML + normalising, no database).
// Targets: ≥ 20 000 records/s, peak RSS ≤ 512 MB whatever the file size, 1 % delta on 1 M accounts ≤ 30 s.
//
//   npx tsx bench/aaf.ts [--schools 2638] [--delta 0.01] [--dir /tmp/aaf-bench] [--pg-url
//     postgres://postgres@127.0.0.1:5432/postgres]
//
// Each measured step runs in its own Node process (the same code as `npm run preau -- aaf import`), so its peak
// RSS (getrusage maxrss) is that step's alone. The database is created empty, migrated, and dropped at the end.
// A benchmark reports: a missed target is printed as MISS, the exit code stays 0.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { loadavg, tmpdir } from "node:os";
import { parseArgs } from "node:util";
import {
  REPO,
  cpuModel,
  cpuSeconds,
  createBenchDatabase,
  installExitHandlers,
  runCleanups,
  PG_URL_OPTION,
} from "./lib";

interface StepResult {
  records: number;
  seconds: number;
  maxRssMiB: number;
  /** CPU seconds of the importing process (all its threads) and of the database's server processes. */
  nodeCpu?: number;
  pgCpu?: number;
  phases?: Record<string, { seconds: number; nodeCpu: number; pgCpu: number }>;
  counts?: Record<string, number>;
  status?: string;
}

const TARGET_RATE = 20_000;
const TARGET_RSS_MIB = 512;
const TARGET_DELTA_S = 30;

async function main(): Promise<void> {
  installExitHandlers();
  const { values: args } = parseArgs({
    options: {
      schools: { type: "string", default: "2638" },
      delta: { type: "string", default: "0.01" },
      dir: { type: "string" },
      "pg-url": PG_URL_OPTION,
    },
  });
  const schools = Number(args.schools);
  const share = Number(args.delta);
  const dir = args.dir ?? join(tmpdir(), `preau-aaf-bench-${schools}`);
  console.log(`AAF benchmark — ${schools} schools, delta ${share * 100} %, ${cpuModel()}, node ${process.version}`);
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );

  if (!existsSync(join(dir, "complet"))) {
    await mkdir(dir, { recursive: true });
    const t = performance.now();
    await runTsx(
      ["src/node/cli.ts", "aaf", "synth", "--out", dir, "--schools", String(schools), "--delta", String(share)],
      {},
      true,
    );
    console.log(`generated ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else console.log(`reusing ${dir}`);

  const parse = await step("parse", join(dir, "complet"), {});
  const db = await createBenchDatabase(args["pg-url"]!, "preau_bench_aaf");
  let full: StepResult, delta: StepResult;
  try {
    await runTsx(["src/node/cli.ts", "migrate"], { DATABASE_URL: db.url }, false);
    full = await step("import", join(dir, "complet"), { DATABASE_URL: db.url });
    delta = await step("import", join(dir, "delta"), { DATABASE_URL: db.url });
  } finally {
    await runCleanups();
  }
  if (!args.dir) await rm(dir, { recursive: true, force: true });

  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const rate = (r: StepResult) => Math.round(r.records / r.seconds);
  const row = (name: string, r: StepResult, note: string) =>
    console.log(
      `${name.padEnd(26)} ${String(r.records).padStart(9)} ${r.seconds.toFixed(1).padStart(8)} ` +
        `${String(rate(r)).padStart(9)} ${String(r.maxRssMiB).padStart(8)}  ${note}`,
    );
  console.log(
    `\n${"step".padEnd(26)} ${"records".padStart(9)} ${"wall s".padStart(8)} ` +
      `${"rec/s".padStart(9)} ${"RSS MiB".padStart(8)}`,
  );
  row("parse only (ceiling)", parse, "");
  row(
    "complete import",
    full,
    verdict(rate(full) >= TARGET_RATE, `≥ ${TARGET_RATE} rec/s`) +
      ", " +
      verdict(full.maxRssMiB <= TARGET_RSS_MIB, `RSS ≤ ${TARGET_RSS_MIB} MiB`) +
      ` — ${Math.round((rate(full) / rate(parse)) * 100)} % of parse-only`,
  );
  row(
    `delta import (${share * 100} %)`,
    delta,
    verdict(delta.seconds <= TARGET_DELTA_S, `≤ ${TARGET_DELTA_S} s`) +
      ", " +
      verdict(delta.maxRssMiB <= TARGET_RSS_MIB, `RSS ≤ ${TARGET_RSS_MIB} MiB`),
  );
  for (const [name, r] of [
    ["complete", full],
    ["delta", delta],
  ] as const) {
    const phases = Object.entries(r.phases ?? {})
      .map(
        ([p, s]) =>
          `${p} ${s.seconds.toFixed(1)} s (CPU node ${s.nodeCpu.toFixed(1)} s, postgres ${s.pgCpu.toFixed(1)} s)`,
      )
      .join(", ");
    console.log(`${name}: ${r.status}; phases: ${phases}; ${JSON.stringify(r.counts)}`);
    console.log(`${name}: CPU node ${r.nodeCpu?.toFixed(1)} s, postgres ${r.pgCpu?.toFixed(1)} s`);
  }
}

const verdict = (ok: boolean, what: string) => `${ok ? "OK" : "MISS"} ${what}`;

async function step(kind: "parse" | "import", path: string, env: Record<string, string>): Promise<StepResult> {
  const out = await runTsx(["bench/aaf.ts", "--child", kind, path], env, false);
  const line = out
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .pop();
  if (!line) throw new Error(`step ${kind} printed no result:\n${out}`);
  return JSON.parse(line) as StepResult;
}

function runTsx(args: string[], env: Record<string, string>, inherit: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["ignore", inherit ? "inherit" : "pipe", "inherit"],
    });
    let text = "";
    proc.stdout?.on("data", (c: Buffer) => {
      text += c.toString("utf8");
    });
    proc.on("error", reject);
    proc.on("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`${args.join(" ")} exited with ${code}\n${text}`)),
    );
  });
}

/** One measured step, in this process. Prints one JSON line. */
async function child(kind: string, path: string): Promise<void> {
  const started = performance.now();
  const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
  if (kind === "parse") {
    const { openAafDelivery } = await import("../src/node/aaf-archive");
    const { parseAafStream } = await import("../src/aaf/parser");
    const { normaliseRecord } = await import("../src/aaf/normalise");
    let records = 0;
    for await (const f of openAafDelivery(path)) {
      for await (const r of parseAafStream(f.open(), f.name, () => {})) {
        normaliseRecord(r, () => {});
        records += 1;
      }
    }
    console.log(JSON.stringify({ records, seconds: (performance.now() - started) / 1000, maxRssMiB: rss() }));
    return;
  }
  const { createNodePlatform } = await import("../src/node/platform");
  const { createImport } = await import("../src/services/admin/aaf");
  const { importFromPath } = await import("../src/node/aaf");
  const { platform, handle } = await createNodePlatform();
  // CPU as well as wall time: on a shared machine the wall time says how busy the others were too.
  const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const clock = () => ({ at: performance.now(), node: nodeCpu(), pg: postgresCpu(database) });
  const phases: NonNullable<StepResult["phases"]> = {};
  let phase = "",
    since = clock();
  const { serviceDeps } = await import("../src/services/context");
  const importId = await createImport(serviceDeps(platform, null), {
    origin: "cli",
    fileName: path,
    storedPath: null,
    dryRun: false,
    requestedBy: null,
  });
  const t0 = clock();
  const outcome = await importFromPath(platform, importId, path, (p) => {
    if (p.phase === phase) return;
    const now = clock();
    if (phase)
      phases[phase] = { seconds: (now.at - since.at) / 1000, nodeCpu: now.node - since.node, pgCpu: now.pg - since.pg };
    phase = p.phase;
    since = now;
  });
  const end = clock();
  const seconds = (end.at - t0.at) / 1000;
  const records = outcome.status === "rejected" ? outcome.records : outcome.counts.records;
  const counts = outcome.status === "rejected" ? { problems: outcome.problems.length } : { ...outcome.counts };
  console.log(
    JSON.stringify({
      records,
      seconds,
      maxRssMiB: rss(),
      nodeCpu: end.node - t0.node,
      pgCpu: end.pg - t0.pg,
      phases,
      counts,
      status: outcome.status,
    }),
  );
  await handle.close();
  process.exit(0);
}

function nodeCpu(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/** CPU seconds so far of the local server processes connected to `database` (their titles name it). */
function postgresCpu(database: string): number {
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (title.startsWith("postgres: ") && title.split(" ").includes(database)) total += cpuSeconds(Number(pid)) ?? 0;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

if (process.argv[2] === "--child") await child(process.argv[3]!, process.argv[4]!);
else await main();
