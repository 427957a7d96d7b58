// All cores (issue 22): the signed-in home page served by `npm start` with 1, then 2 hub processes
// (PREAU_PROCESSES, node:cluster) on the same machine and the same Postgres database — and the login form, which asks
// nothing of the database, to show the hub processes alone. Prints requests per second,
// latency, and the CPU per request of the hub processes (primary + workers) and of Postgres, for each count.
// Nothing is pinned: the point is to let the processes use every core — which the load generator (this process)
// and Postgres share with them on a small machine, as the output says. Never a timed test; no target, a comparison.
//
//   npx tsx bench/cores.ts [--processes 1,2] [--connections 50] [--duration 10] [--warmup 3] [--login demo.enseignant]
//                          [--pg-url postgres://…/postgres] [--runner compiled|tsx]
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { availableParallelism, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Instance, type Result } from "autocannon";
import {
  backendPids,
  type BenchDatabase,
  checkHomePage,
  coreBusy,
  coreTimes,
  cpuModel,
  cpuSeconds,
  createBenchDatabase,
  DEMO_PASSWORD,
  freePort,
  installExitHandlers,
  loginOverHttp,
  onCleanup,
  PG_URL_OPTION,
  REPO,
  runCleanups,
  startNodeChild,
  waitForHttp,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    processes: { type: "string", default: "1,2" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    login: { type: "string", default: "demo.enseignant" },
    runner: { type: "string", default: "compiled" },
    "pg-url": PG_URL_OPTION,
  },
});
const COUNTS = args.processes!.split(",").map(Number);
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);

let current: Instance | null = null;
installExitHandlers(() => current?.stop());

function cannon(url: string, seconds: number, headers: Record<string, string>): Promise<Result> {
  return new Promise((resolve, reject) => {
    current = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, timeout: 10 }, (err, result) => {
      current = null;
      if (err) reject(err);
      else resolve(result);
    });
  });
}

/** The primary and all its descendants (the workers). */
async function processTree(pid: number): Promise<number[]> {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of await readdir(`/proc/${out[i]}/task`)) {
        const children = await readFile(`/proc/${out[i]}/task/${task}/children`, "utf8");
        for (const c of children.trim().split(/\s+/).filter(Boolean)) out.push(Number(c));
      }
    } catch {
      // gone
    }
  }
  return out;
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);

/** Which process answers a request on a new connection (X-Preau-Process, absent with one process). */
function servedBy(base: string): Promise<string | null> {
  return new Promise((resolve) => {
    const req = request(`${base}/login`, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? String(res.headers["x-preau-process"] ?? "") : null));
    });
    req.on("error", () => resolve(null));
    req.end();
  });
}

interface Row {
  page: string;
  processes: number;
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  errors: number;
  non2xx: number;
  hubCpuMs: number;
  pgCpuMs: number;
  startMs: number;
  load: number;
  /** CPU of the load generator (this process) per request, and how busy the machine's cores were (all of them). */
  genCpuMs: number;
  busy: number[];
}

async function run(processes: number, db: BenchDatabase, nodeArgs: string[]): Promise<Row[]> {
  const dataDir = await mkdtemp(join(tmpdir(), "preau-bench-cores-"));
  onCleanup("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const hub = startNodeChild({
    name: `hub (${processes} processus)`,
    nodeArgs,
    env: {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      NODE_ENV: "production",
      PREAU_PROCESSES: String(processes),
    },
    core: null,
    stdout: "filter",
  });
  // Serving once every process answers (the workers after the first start once it is ready).
  const startMs = await waitForHttp(`${base}/login`, hub, 300_000, (r) => r.status === 200);
  if (processes > 1) {
    const seen = new Set<string>();
    const t0 = performance.now();
    while (seen.size < processes) {
      const who = await servedBy(base);
      if (who) seen.add(who);
      if (performance.now() - t0 > 120_000) throw new Error(`only ${seen.size} of ${processes} processes answered`);
      if (hub.hasExited()) throw new Error(`hub exited:\n${hub.tail()}`);
    }
  }
  const cookie = await loginOverHttp(base, args.login!, DEMO_PASSWORD);
  await checkHomePage(base, cookie);
  const hubPids = await processTree(hub.pid);
  const rows: Row[] = [];
  // The signed-in home page (what issue 22 measures), then the login form: no session, no database — what the hub
  // processes alone can do when Postgres is not the bottleneck.
  const pages: { label: string; path: string; headers: Record<string, string> }[] = [
    { label: "accueil", path: "/", headers: { cookie, accept: "text/html" } },
    { label: "/login", path: "/login", headers: { accept: "text/html" } },
  ];
  for (const page of pages) {
    process.stdout.write(`  ${processes} processus, ${page.label} : chauffe ${WARMUP} s… `);
    if (WARMUP > 0) await cannon(`${base}${page.path}`, WARMUP, page.headers);
    const pgPids = await backendPids(db.admin, db.name);
    const hub0 = cpuOf(hubPids);
    const pg0 = cpuOf(pgPids);
    const load = loadavg()[0]!;
    process.stdout.write(`mesure ${DURATION} s… `);
    const gen0 = process.cpuUsage();
    const cores0 = coreTimes();
    const result = await cannon(`${base}${page.path}`, DURATION, page.headers);
    const busy = coreBusy(cores0, coreTimes());
    const gen = process.cpuUsage(gen0);
    const hubCpu = cpuOf(hubPids) - hub0;
    const pgCpu = cpuOf(pgPids) - pg0;
    const done = result.requests.total;
    process.stdout.write(`${done} requêtes\n`);
    rows.push({
      page: page.label,
      processes,
      rps: done / result.duration,
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      hubCpuMs: (hubCpu * 1000) / Math.max(1, done),
      pgCpuMs: (pgCpu * 1000) / Math.max(1, done),
      startMs,
      load,
      genCpuMs: (gen.user + gen.system) / 1000 / Math.max(1, done),
      busy,
    });
  }
  await hub.stop();
  return rows;
}

async function main(): Promise<void> {
  console.log(
    "Préau — accueil connecté (et /login, sans base) avec 1 puis 2 processus hub (node:cluster), même machine, même Postgres",
  );
  console.log(`  node ${process.version}, ${cpuModel()}, ${availableParallelism()} cœurs, Linux ${release()}`);
  console.log(
    `  autocannon (ce processus, non épinglé) : ${CONNECTIONS} connexions, chauffe ${WARMUP} s, mesure ${DURATION} s ; ` +
      `hub, Postgres et générateur partagent tous les cœurs`,
  );
  let nodeArgs = ["--import", "tsx", "src/node/main.ts"];
  if (args.runner !== "tsx") {
    const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`scripts/build.mjs failed:\n${build.stderr}`);
    nodeArgs = ["--enable-source-maps", "dist/main.js"];
  }
  const db = await createBenchDatabase(args["pg-url"]!);
  console.log(`  base ${db.name} (supprimée à la fin) ; la démonstration est construite au premier démarrage\n`);
  const rows: Row[] = [];
  for (const n of COUNTS) rows.push(...(await run(n, db, nodeArgs)));
  console.log(
    "\npage     processus   req/s   p50 ms  p97,5 ms  p99 ms  erreurs  non-2xx  CPU hub/req  CPU Postgres/req  " +
      "CPU générateur/req  cœurs occupés  charge",
  );
  for (const r of rows)
    console.log(
      [
        r.page.padEnd(8),
        String(r.processes).padStart(9),
        r.rps.toFixed(0).padStart(7),
        String(r.p50).padStart(8),
        String(r.p97_5).padStart(9),
        String(r.p99).padStart(7),
        String(r.errors).padStart(8),
        String(r.non2xx).padStart(8),
        `${r.hubCpuMs.toFixed(2)} ms`.padStart(12),
        `${r.pgCpuMs.toFixed(2)} ms`.padStart(17),
        `${r.genCpuMs.toFixed(2)} ms`.padStart(19),
        r.busy
          .map((b) => `${b.toFixed(0)} %`)
          .join(" + ")
          .padStart(14),
        r.load.toFixed(1).padStart(15),
      ].join(" "),
    );
  // Each count may run several times (--processes 1,2,1,2): medians, to see through a noisy machine.
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  for (const page of new Set(rows.map((r) => r.page))) {
    const by = new Map<number, number[]>();
    for (const r of rows.filter((x) => x.page === page)) by.set(r.processes, [...(by.get(r.processes) ?? []), r.rps]);
    const one = by.has(1) ? median(by.get(1)!) : undefined;
    for (const [n, all] of by)
      console.log(
        `  ${page}, ${n} processus : médiane ${median(all).toFixed(0)} req/s (${all.map((x) => x.toFixed(0)).join(", ")})` +
          `${one && n !== 1 ? `, ×${(median(all) / one).toFixed(2)} sur 1 processus` : ""}`,
      );
  }
}

main().then(
  async () => {
    await runCleanups();
    process.exit(0);
  },
  async (err: unknown) => {
    process.stderr.write(`\nbench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
