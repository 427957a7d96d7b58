// Page benchmark: the logged-in home page (GET / as the demo teacher) of the real hub against a bare Hono "hello",
// same machine, same generator settings. Targets: home p95 ≤ 20 ms, and home throughput ≥ 40 % of bare Hono's.
//
//   npx tsx bench/pages.ts [--connections 200] [--duration 20] [--warmup 5] [--rounds 1] [--gzip] [--cpu-prof]
//                          [--db-pool N] [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--no-pin]
//                          [--login demo.enseignant] [--pin-db-core 0] [--runner compiled|tsx] [--restarts 5]
//                          [--steady 2000]
// --gzip sends Accept-Encoding like a browser (the hub then compresses); --cpu-prof runs the hub under the V8 profiler
// and prints where its main thread spent the measured home windows; --pin-db-core pins the Postgres backends of the
// hub's pool (experiment). See bench/home-sql.ts for the SQL each GET / sends.
//
// What it does: creates an empty Postgres database, starts the hub on it as a child process (it migrates and builds
// the demo itself) and a bare Hono server (bench/hello-server.ts), both pinned to core 1; pins itself (the load
// generator, autocannon) to core 0; logs in over HTTP; warms up and measures each server in turn (alternating the
// order between rounds); prints a side-by-side table; stops the children and drops the database, also on Ctrl-C.
// Start time: from the spawn of the hub to its first 200 on /login, on the fresh database (migrations and demo build)
// and then `--restarts` times on the same database (what an operator waits for after an update), with the CPU the
// hub used until then. --runner says how the hub runs: "compiled" as `npm start` does (scripts/build.mjs, then
// node dist/main.js), or "tsx" (the TypeScript loader, as `npm start` did before); the bare Hono runs under tsx.
// After the load, `--steady` home requests, 4 at a time, give the CPU per request with every request answered (under
// autocannon's 200 connections, the requests still in flight at the end of a window weigh on a busy machine).
// A benchmark reports: a missed target is printed as MISS, the exit code stays 0.
import { mkdtemp, readdir, rm, mkdir } from "node:fs/promises";
import { tmpdir, release, availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import autocannon, { type Instance, type Result } from "autocannon";
import {
  REPO,
  DEMO_PASSWORD,
  backendPids,
  checkHomePage,
  coreBusy,
  coreTimes,
  cpuModel,
  cpuSeconds,
  cpuTimes,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  loginOverHttp,
  median,
  onCleanup,
  percentile,
  pinProcess,
  runCleanups,
  Samples,
  startNodeChild,
  statusMiB,
  tasksetAvailable,
  waitForHttp,
  type BenchDatabase,
  type Child,
} from "./lib";
import { summarizeProfile, type Window } from "./cpuprofile";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "200" },
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    rounds: { type: "string", default: "1" },
    gzip: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "db-pool": { type: "string" },
    "pg-url": {
      type: "string",
      default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    },
    "no-pin": { type: "boolean", default: false },
    login: { type: "string", default: "demo.enseignant" },
    /** Experiment: pin the Postgres backends serving the hub's pool to this core (after the warm-up). */
    "pin-db-core": { type: "string" },
    runner: { type: "string", default: "compiled" },
    restarts: { type: "string", default: "5" },
    steady: { type: "string", default: "2000" },
  },
});
if (args.runner !== "compiled" && args.runner !== "tsx")
  throw new Error(`--runner is "compiled" or "tsx", got ${args.runner}`);

const positive = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} wants a positive number, got ${raw}`);
  return n;
};
const CONNECTIONS = Math.round(positive("connections", args.connections));
const DURATION = positive("duration", args.duration);
const WARMUP = Number(args.warmup) >= 0 ? Number(args.warmup) : 5;
const ROUNDS = Math.round(positive("rounds", args.rounds));
const RESTARTS = Math.max(0, Math.round(Number(args.restarts) || 0));
const STEADY = Math.max(0, Math.round(Number(args.steady) || 0));
const TARGET_P95_MS = 20;
const TARGET_RATIO = 0.4;
const GENERATOR_CORE = 0;
const SERVER_CORE = 1;
// §7.2 of the realtime study: a run whose generator is saturated measures the generator, not the server.
const GEN_CPU_LIMIT = 80;
const GEN_LOOP_P99_LIMIT_MS = 5;

type Key = "home" | "bare";
interface Target {
  key: Key;
  label: string;
  url: string;
  child: Child;
  headers: Record<string, string>;
}
interface Run {
  key: Key;
  round: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  acP99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: string;
  serverCpu: number | null;
  serverSys: number | null;
  dbCpu: number | null;
  cores: number[];
  genCpu: number;
  genLoopP99: number;
  window: Window;
}

let current: Instance | null = null;
installExitHandlers(() => current?.stop());

function cannon(
  url: string,
  seconds: number,
  headers: Record<string, string>,
  onOk?: (ms: number) => void,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: seconds, headers, timeout: 10 },
      (err, result) => {
        current = null;
        if (err) reject(err);
        else resolve(result);
      },
    );
    current = instance;
    if (onOk)
      instance.on("response", (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) onOk(ms);
      });
  });
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function dbCpuSnapshot(db: BenchDatabase): Promise<Map<number, number>> {
  const snapshot = new Map<number, number>();
  for (const pid of await backendPids(db.admin, db.name)) {
    const s = cpuSeconds(pid);
    if (s !== null) snapshot.set(pid, s);
  }
  return snapshot;
}

async function measure(target: Target, round: number, db: BenchDatabase): Promise<Run> {
  if (WARMUP > 0) {
    process.stdout.write(`  [round ${round}] ${target.label}: warm-up ${WARMUP} s… `);
    await cannon(target.url, WARMUP, target.headers);
  } else {
    process.stdout.write(`  [round ${round}] ${target.label}: `);
  }
  process.stdout.write(`measuring ${DURATION} s… `);
  const samples = new Samples();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const dbBefore = target.key === "home" ? await dbCpuSnapshot(db) : null;
  if (target.key === "home" && args["pin-db-core"] !== undefined) {
    const pids = await backendPids(db.admin, db.name);
    const pinned = pids.filter((pid) => pinProcess(pid, Number(args["pin-db-core"])));
    process.stdout.write(`(${pinned.length}/${pids.length} Postgres backends pinned to core ${args["pin-db-core"]}) `);
  }
  const serverBefore = cpuTimes(target.child.pid);
  const coresBefore = coreTimes();
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const w0 = nowUs();
  loop.enable();
  const result = await cannon(target.url, DURATION, target.headers, (ms) => samples.push(ms));
  loop.disable();
  const w1 = nowUs();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = cpuTimes(target.child.pid);
  const cores = coreBusy(coresBefore, coreTimes());
  let dbCpu: number | null = null;
  if (dbBefore) {
    const dbAfter = await dbCpuSnapshot(db);
    let used = 0;
    for (const [pid, s] of dbAfter) used += s - (dbBefore.get(pid) ?? 0);
    dbCpu = (100 * used) / wall;
  }
  const sorted = samples.sorted();
  const codes = Object.entries(result.statusCodeStats)
    .map(([k, v]) => `${k}×${v.count}`)
    .join(" ");
  const run: Run = {
    key: target.key,
    round,
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    acP99: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: codes,
    serverCpu:
      serverBefore && serverAfter
        ? (100 * (serverAfter.user + serverAfter.system - serverBefore.user - serverBefore.system)) / wall
        : null,
    serverSys: serverBefore && serverAfter ? (100 * (serverAfter.system - serverBefore.system)) / wall : null,
    dbCpu,
    cores,
    genCpu: (100 * (cpu.user + cpu.system)) / 1e6 / wall,
    genLoopP99: loop.percentile(99) / 1e6,
    window: [w0, w1],
  };
  process.stdout.write(`${Math.round(run.rps)} req/s, p95 ${run.p95.toFixed(1)} ms\n`);
  if (target.child.hasExited()) throw new Error(`${target.child.name} died during the run:\n${target.child.tail()}`);
  return run;
}

// ---------------------------------------------------------------- output

const f1 = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v.toFixed(1));
const f2 = (v: number | null) => (v === null || Number.isNaN(v) ? "–" : v.toFixed(2));
const int = (v: number) => Math.round(v).toLocaleString("en-US");
const valid = (r: Run) => r.genCpu <= GEN_CPU_LIMIT && r.genLoopP99 <= GEN_LOOP_P99_LIMIT_MS;
const verdict = (r: Run) => (valid(r) ? "ok" : r.genCpu > GEN_CPU_LIMIT ? "CPU-BOUND" : "LOOP DELAYED");
/** CPU per answered request, in µs, from a CPU share (% of a core) and a throughput. */
const perRequest = (pct: number | null, rps: number) =>
  pct === null || rps <= 0 ? "–" : int(((pct / 100) * 1e6) / rps);

function table(home: Run, bare: Run, title: string): string {
  const rows: [string, string, string][] = [
    ["latency p50 (ms)", f2(home.p50), f2(bare.p50)],
    ["latency p95 (ms)", f2(home.p95), f2(bare.p95)],
    ["latency p99 (ms)", f2(home.p99), f2(bare.p99)],
    ["latency max (ms)", f1(home.max), f1(bare.max)],
    ["requests/s", int(home.rps), int(bare.rps)],
    ["2xx responses", int(home.ok), int(bare.ok)],
    ["non-2xx", int(home.non2xx), int(bare.non2xx)],
    ["errors (timeouts)", `${home.errors} (${home.timeouts})`, `${bare.errors} (${bare.timeouts})`],
    ["server CPU, % of a core", f1(home.serverCpu), f1(bare.serverCpu)],
    ["  of which kernel (system time)", f1(home.serverSys), f1(bare.serverSys)],
    ["server CPU per request (µs)", perRequest(home.serverCpu, home.rps), perRequest(bare.serverCpu, bare.rps)],
    ["Postgres backends CPU, % of a core", f1(home.dbCpu), "–"],
    ["Postgres CPU per request (µs)", perRequest(home.dbCpu, home.rps), "–"],
    ["generator CPU, % of core 0", f1(home.genCpu), f1(bare.genCpu)],
    [
      "machine busy %, per core",
      home.cores.map((c) => c.toFixed(0)).join(" / "),
      bare.cores.map((c) => c.toFixed(0)).join(" / "),
    ],
    ["generator loop delay p99 (ms)", f2(home.genLoopP99), f2(bare.genLoopP99)],
    ["generator verdict", verdict(home), verdict(bare)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length), 10);
  const w1 = Math.max(...rows.map((r) => r[1].length), 22);
  const w2 = Math.max(...rows.map((r) => r[2].length), 16);
  const line = (a: string, b: string, c: string) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padStart(w2)}`;
  return [
    title,
    line("", "home (GET /, teacher)", "bare Hono hello"),
    line("-".repeat(w0), "-".repeat(w1), "-".repeat(w2)),
    ...rows.map((r) => line(...r)),
  ].join("\n");
}

function verdicts(homeP95: number, ratio: number): string {
  return [
    `  home/bare throughput ratio: ${(100 * ratio).toFixed(1)} %`,
    `  target home p95 ≤ ${TARGET_P95_MS} ms:            ${homeP95.toFixed(2)} ms ` +
      `→ ${homeP95 <= TARGET_P95_MS ? "PASS" : "MISS"}`,
    `  target home ≥ ${TARGET_RATIO * 100} % of bare throughput: ${(100 * ratio).toFixed(1)} % ` +
      `→ ${ratio >= TARGET_RATIO ? "PASS" : "MISS"}`,
  ].join("\n");
}

// ---------------------------------------------------------------- steady CPU per request

/** `count` GETs of `url`, `parallel` at a time, each checked 200: server and Postgres CPU per request, in µs. */
async function steadyCpu(
  target: Target,
  db: BenchDatabase,
  count: number,
  parallel = 4,
): Promise<{ server: number | null; postgres: number }> {
  const dbBefore = await dbCpuSnapshot(db);
  const before = cpuSeconds(target.child.pid);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const r = await fetch(target.url, { headers: target.headers, redirect: "manual" });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`steady run: GET ${target.url} answered ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const after = cpuSeconds(target.child.pid);
  let postgres = 0;
  for (const [pid, sec] of await dbCpuSnapshot(db)) postgres += sec - (dbBefore.get(pid) ?? 0);
  return {
    server: before === null || after === null ? null : ((after - before) * 1e6) / count,
    postgres: (postgres * 1e6) / count,
  };
}

// ---------------------------------------------------------------- start time

/** The hub's node arguments for the runner; "compiled" builds dist/ first, as `npm start` does. */
function hubNodeArgs(profileDir: string | null): { nodeArgs: string[]; buildMs: number | null } {
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  if (args.runner === "tsx") return { nodeArgs: ["--import", "tsx", ...profile, "src/node/main.ts"], buildMs: null };
  const t0 = performance.now();
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`scripts/build.mjs failed:\n${build.stderr}`);
  return { nodeArgs: ["--enable-source-maps", ...profile, "dist/main.js"], buildMs: performance.now() - t0 };
}

interface Start {
  /** Spawn → first 200 on /login, ms. */
  ms: number;
  /** CPU seconds the hub used until then (all threads). */
  cpu: number | null;
}

/** Waits (polling every 10 ms) for the hub's first 200 on /login, counted from its spawn. */
async function firstLogin(hub: Child, base: string, timeoutMs: number): Promise<Start> {
  await waitForHttp(`${base}/login`, hub, timeoutMs, (r) => r.status === 200, 10);
  return { ms: performance.now() - hub.startedAt, cpu: cpuSeconds(hub.pid) };
}

/** Starts the hub again on the same database and data folder, `RESTARTS` times, each until its first /login. */
async function restarts(env: Record<string, string>, nodeArgs: string[], pin: boolean): Promise<Start[]> {
  const starts: Start[] = [];
  for (let i = 1; i <= RESTARTS; i++) {
    const port = await freePort();
    const hub = startNodeChild({
      name: `hub (restart ${i})`,
      nodeArgs,
      env: { ...env, PORT: String(port) },
      core: pin ? SERVER_CORE : null,
      stdout: "filter",
      filterCore: pin ? GENERATOR_CORE : null,
    });
    starts.push(await firstLogin(hub, `http://127.0.0.1:${port}`, 120_000));
    await hub.stop();
  }
  return starts;
}

const startLine = (s: Start) => `${int(s.ms)} ms (CPU ${s.cpu === null ? "–" : `${f2(s.cpu)} s`})`;

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const version = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(join(REPO, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
        .version;
    } catch {
      return "?";
    }
  };
  const pin = !args["no-pin"] && tasksetAvailable();
  const cores = availableParallelism();

  console.log(`Préau page benchmark — home page vs bare Hono; hub runner: ${args.runner}`);
  console.log(
    `  node ${process.version}, hono ${version("hono")}, @hono/node-server ${version("@hono/node-server")}, ` +
      `autocannon ${version("autocannon")}`,
  );
  console.log(`  ${cpuModel()}, ${cores} cores, Linux ${release()}`);
  console.log(
    `  autocannon: ${CONNECTIONS} connections, warm-up ${WARMUP} s, measured ${DURATION} s, ${ROUNDS} round(s)` +
      `${args.gzip ? ", Accept-Encoding: gzip, deflate, br" : ", no Accept-Encoding (uncompressed)"}`,
  );
  if (pin) {
    const self = pinProcess(process.pid, GENERATOR_CORE);
    console.log(
      `  pinning (taskset): servers on core ${SERVER_CORE}; generator (this ` +
        `process${self ? "" : " — FAILED to pin itself"}) and the log filter on core ${GENERATOR_CORE}; Postgres not ` +
        `pinned (system service)`,
    );
  } else {
    console.log(
      `  pinning: none (${args["no-pin"] ? "--no-pin" : "taskset not found"}); servers, generator and Postgres share ` +
        `all cores — figures are noisier`,
    );
  }
  if (cores < 2 && pin) console.log("  warning: fewer than 2 cores, pinning to core 1 will fail");
  if (args["cpu-prof"])
    console.log(
      "  --cpu-prof: the hub runs under the V8 profiler, figures are inflated; use them for the profile only",
    );

  // Database and data folder.
  const db = await createBenchDatabase(args["pg-url"]!);
  const dataDir = await mkdtemp(join(tmpdir(), "preau-bench-"));
  onCleanup("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
  console.log(`  database: ${db.name} (dropped at the end), DATA_DIR ${dataDir}`);

  const profileDir = args["cpu-prof"] ? join(tmpdir(), `preau-bench-cpuprof-${Date.now()}`) : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });

  // Servers.
  const [hubPort, helloPort] = [await freePort(), await freePort()];
  const hubEnv: Record<string, string> = {
    DATABASE_URL: db.url,
    PORT: String(hubPort),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    NODE_ENV: "production",
  };
  if (args["db-pool"]) hubEnv.PREAU_DB_POOL = args["db-pool"];
  const { nodeArgs, buildMs } = hubNodeArgs(profileDir);
  if (buildMs !== null) console.log(`  scripts/build.mjs (esbuild → dist/): ${int(buildMs)} ms`);
  const hub = startNodeChild({
    name: "hub",
    nodeArgs,
    env: hubEnv,
    core: pin ? SERVER_CORE : null,
    stdout: "filter",
    filterCore: pin ? GENERATOR_CORE : null,
  });
  const hello = startNodeChild({
    name: "bare Hono",
    nodeArgs: ["--import", "tsx", "bench/hello-server.ts"],
    env: { PORT: String(helloPort), HOST: "127.0.0.1", NODE_ENV: "production" },
    core: pin ? SERVER_CORE : null,
    stdout: "keep",
  });
  const hubBase = `http://127.0.0.1:${hubPort}`;
  const helloBase = `http://127.0.0.1:${helloPort}`;
  const [firstStart] = await Promise.all([
    firstLogin(hub, hubBase, 300_000),
    waitForHttp(`${helloBase}/`, hello, 60_000),
  ]);
  console.log(
    `  hub pid ${hub.pid} on port ${hubPort}: first 200 on /login ${startLine(firstStart)} after its spawn (fresh ` +
      `database: migrations + demo build); bare Hono pid ${hello.pid} on port ${helloPort}`,
  );

  // Login and proof that GET / is the real home page.
  const cookie = await loginOverHttp(hubBase, args.login!, DEMO_PASSWORD);
  const headers: Record<string, string> = { cookie, accept: "text/html" };
  if (args.gzip) headers["accept-encoding"] = "gzip, deflate, br";
  const page = await checkHomePage(hubBase, cookie);
  console.log(
    `  logged in as ${args.login}; GET / → 200, "Mes applications" present, ${page.bytes} bytes of HTML` +
      (page.setCookie.length
        ? `; sets cookies on every request: ${page.setCookie.map((c) => c.split("=")[0]).join(", ")}`
        : ""),
  );
  console.log("");

  const hubPeakAtStart = statusMiB(hub.pid, "VmHWM");
  const hubRssAtStart = statusMiB(hub.pid, "VmRSS");
  const targets: Record<Key, Target> = {
    home: { key: "home", label: "home", url: `${hubBase}/`, child: hub, headers },
    bare: { key: "bare", label: "bare", url: `${helloBase}/`, child: hello, headers },
  };
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order: Key[] = round % 2 === 1 ? ["home", "bare"] : ["bare", "home"];
    for (const key of order) runs.push(await measure(targets[key], round, db));
  }

  const steady = STEADY > 0 ? await steadyCpu(targets.home, db, STEADY) : null;
  // The page must still be the real page after the load (session alive, no error page).
  await checkHomePage(hubBase, cookie);
  const hubPeak = statusMiB(hub.pid, "VmHWM");
  const hubRss = statusMiB(hub.pid, "VmRSS");
  const helloPeak = statusMiB(hello.pid, "VmHWM");
  const errorLines = hub.filtered.length;

  console.log("");
  for (let round = 1; round <= ROUNDS; round++) {
    const home = runs.find((r) => r.round === round && r.key === "home")!;
    const bare = runs.find((r) => r.round === round && r.key === "bare")!;
    console.log(
      table(home, bare, ROUNDS > 1 ? `Round ${round} (${round % 2 === 1 ? "home first" : "bare first"})` : "Results"),
    );
    console.log(verdicts(home.p95, home.rps / bare.rps));
    console.log(
      `  (autocannon's own p99, integer-ms histogram: home ${home.acP99} ms, bare ${bare.acP99} ms; status codes ` +
        `home: ${home.statusCodes}, bare: ${bare.statusCodes})`,
    );
    console.log("");
  }
  if (ROUNDS > 1) {
    const homes = runs.filter((r) => r.key === "home");
    const bares = runs.filter((r) => r.key === "bare");
    const p95 = median(homes.map((r) => r.p95));
    const ratio = median(homes.map((r) => r.rps)) / median(bares.map((r) => r.rps));
    console.log(
      `Medians over ${ROUNDS} rounds: home p50/p95/p99 ${f2(median(homes.map((r) => r.p50)))} / ${f2(p95)} ` +
        `/ ${f2(median(homes.map((r) => r.p99)))} ms, ` +
        `${int(median(homes.map((r) => r.rps)))} req/s; bare ${f2(median(bares.map((r) => r.p50)))} ` +
        `/ ${f2(median(bares.map((r) => r.p95)))} / ${f2(median(bares.map((r) => r.p99)))} ` +
        `ms, ${int(median(bares.map((r) => r.rps)))} req/s`,
    );
    console.log(verdicts(p95, ratio));
    console.log("");
  }
  if (steady)
    console.log(
      `Steady CPU per home request (${args.runner}; ${STEADY} requests, 4 at a time, all answered): ` +
        `server ${steady.server === null ? "–" : int(steady.server)} µs, Postgres backends ${int(steady.postgres)} ` +
        `µs\n`,
    );
  const anySaturated = runs.some((r) => !valid(r));
  if (anySaturated) {
    console.log(
      `  note (§7.2 validity): CPU-BOUND = the generator used > ${GEN_CPU_LIMIT} % of its core: that server could go ` +
        `faster than\n` +
        "  measured (its throughput is a floor, so a ratio against it flatters the hub). LOOP DELAYED = the " +
        "generator's event loop\n" +
        `  lagged > ${GEN_LOOP_P99_LIMIT_MS} ms at p99 (usually Postgres, unpinned, preempting ` +
        `core ${GENERATOR_CORE}): latencies carry up to that much error.`,
    );
  }
  console.log(
    `  hub memory: before load RSS ${f1(hubRssAtStart)} MiB (peak so far ${f1(hubPeakAtStart)} MiB: start-up + demo ` +
      `build); ` +
      `after load peak RSS (VmHWM) ${f1(hubPeak)} MiB, RSS at end ${f1(hubRss)} MiB; bare Hono peak ` +
      `RSS ${f1(helloPeak)} MiB`,
  );
  console.log(
    `  hub warn/error log lines during the whole ` +
      `run: ${errorLines}${errorLines ? `\n    ${hub.filtered.slice(-5).join("\n    ")}` : ""}`,
  );

  // Orderly end: servers first (the profile is written when the hub exits), then the database.
  await hub.stop();
  await hello.stop();
  if (profileDir) {
    const files = (await readdir(profileDir)).filter((f) => f.endsWith(".cpuprofile"));
    if (files.length === 0) {
      console.log(`  no .cpuprofile written in ${profileDir}`);
    } else {
      const file = join(profileDir, files.sort().at(-1)!);
      const windows = runs.filter((r) => r.key === "home").map((r) => r.window);
      const homeRequests = runs.filter((r) => r.key === "home").reduce((n, r) => n + r.ok, 0);
      const summary = summarizeProfile(file, REPO, windows, 25, homeRequests);
      console.log("");
      console.log(`CPU profile of the hub during the measured home runs (${file})`);
      console.log(
        `  ${homeRequests} requests answered → ${((summary.sampledMs / homeRequests) * 1000).toFixed(0)} µs of ` +
          `main-thread time per request ` +
          "(wall-clock samples of the main thread only: threadpool and GC helper threads are not in it, time " +
          "preempted is)",
      );
      console.log(summary.text);
    }
  }
  if (RESTARTS > 0) {
    const again = await restarts(hubEnv, hubNodeArgs(null).nodeArgs, pin);
    console.log("");
    console.log(`Start time (${args.runner}): spawn → first 200 on /login`);
    console.log(`  fresh database (migrations + demo build): ${startLine(firstStart)}`);
    console.log(
      `  same database, median of ${again.length} restarts: ${int(median(again.map((s) => s.ms)))} ms ` +
        `(CPU ${f2(median(again.flatMap((s) => (s.cpu === null ? [] : [s.cpu]))))} s); ` +
        `each: ${again.map(startLine).join(", ")}`,
    );
  }
  await runCleanups();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`\nbench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
