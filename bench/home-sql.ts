// What one GET / costs in SQL: every statement the hub sends for the logged-in home page, with Postgres's own
// durations, transactions and round trips. Uses Postgres's statement log (log_min_duration_statement = 0, set on
// the throw-away database only) and reads the server log file.
//
//   npx tsx bench/home-sql.ts [--requests 3] [--analyze] [--full] [--login demo.enseignant] [--path /] [--explain]
//     [--runner compiled|tsx] [--pg-log /var/log/postgresql/postgresql-15-main.log]
//
// --explain loads auto_explain for the database's new connections and prints the plan of every statement of the last
// request as EXPLAIN (ANALYZE, BUFFERS) gives it, run as the app's role under the row policies (issue 22: the plans
// before and after a change go in bench/README.md).
//
// The hub is started twice on a fresh database: once to migrate and build the demo (not logged), then again with
// statement logging on for new connections. Requests are sequential, separated by marker queries in the log.
import { mkdtemp, rm, open, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import postgres from "postgres";
import {
  DEMO_PASSWORD,
  checkHomePage,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  loginOverHttp,
  onCleanup,
  runCleanups,
  startNodeChild,
  waitForHttp,
  PG_URL_OPTION,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "3" },
    login: { type: "string", default: "demo.enseignant" },
    path: { type: "string", default: "/" },
    "pg-url": PG_URL_OPTION,
    "pg-log": { type: "string", default: "/var/log/postgresql/postgresql-15-main.log" },
    full: { type: "boolean", default: false },
    /** VACUUM ANALYZE after the demo build (the page benchmark runs on whatever autovacuum has done by then). */
    analyze: { type: "boolean", default: false },
    explain: { type: "boolean", default: false },
    /** Experiment: plan_cache_mode for the database (auto, force_generic_plan, force_custom_plan). */
    "plan-cache-mode": { type: "string" },
    runner: { type: "string", default: "tsx" },
  },
});
installExitHandlers();

interface Entry {
  pid: string;
  db: string;
  text: string;
}

const PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) (.*)$/;

function parseLog(text: string, database: string): Entry[] {
  const entries: Entry[] = [];
  let last: Entry | null = null;
  for (const line of text.split("\n")) {
    const m = line.match(PREFIX);
    if (m) {
      last = m[3] === database ? { pid: m[1]!, db: m[3]!, text: m[4]! } : null;
      if (last) entries.push(last);
    } else if (last && line.length > 0) {
      last.text += `\n${line}`;
    }
  }
  return entries;
}

async function logSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}

interface Stmt {
  phase: string;
  ms: number;
  sql: string;
  params: string | null;
  pid: string;
}

function statements(entries: Entry[]): Stmt[] {
  const out: Stmt[] = [];
  for (const e of entries) {
    const m = e.text.match(/^LOG:\s+duration: ([\d.]+) ms\s+(parse|bind|execute|statement)\s*([^:]*):\s*([\s\S]*)$/);
    if (!m) continue;
    let sql = m[4]!;
    let params: string | null = null;
    const detail = sql.match(/\n\S+ \[\d+\] \S*@\S* DETAIL:\s+(?:Parameters|parameters): ([\s\S]*)$/);
    const d2 = sql.indexOf("\nDETAIL:");
    if (detail) {
      params = detail[1]!;
      sql = sql.slice(0, detail.index);
    } else if (d2 >= 0) {
      params = sql.slice(d2 + 9);
      sql = sql.slice(0, d2);
    }
    out.push({ phase: m[2]!, ms: Number(m[1]), sql: sql.replace(/\s+/g, " ").trim(), params, pid: e.pid });
  }
  return out;
}

/** auto_explain's plans, in log order: the statement's duration and the plan text (its "Query Text" first). */
function plans(entries: Entry[]): { ms: number; text: string }[] {
  const out: { ms: number; text: string }[] = [];
  for (const e of entries) {
    const m = e.text.match(/^LOG:\s+duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/);
    if (m) out.push({ ms: Number(m[1]), text: m[2]!.replace(/^\t/gm, "  ") });
  }
  return out;
}

async function main(): Promise<void> {
  const N = Math.max(1, Number(args.requests));
  const logFile = args["pg-log"]!;
  await logSize(logFile).catch(() => {
    throw new Error(`cannot read the Postgres log ${logFile} (use --pg-log)`);
  });
  const db = await createBenchDatabase(args["pg-url"]!, "preau_sqltrace");
  const dataDir = await mkdtemp(join(tmpdir(), "preau-sqltrace-"));
  onCleanup("remove data dir", () => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    // One hub process (issue 22: npm start would run one per core): the trace reads one process's output.
    PREAU_PROCESSES: "1",
  };
  const base = `http://127.0.0.1:${port}`;

  const hubArgs = args.runner === "compiled" ? ["dist/main.js"] : ["--import", "tsx", "src/node/main.ts"];
  if (args.runner === "compiled") spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  // 1. Build: migrations and demo, not logged.
  let hub = startNodeChild({
    name: "hub (build)",
    nodeArgs: hubArgs,
    env,
    core: null,
    stdout: "keep",
  });
  await waitForHttp(`${base}/readyz`, hub, 300_000);
  await hub.stop();
  if (args.analyze) {
    const owner = postgres(db.url, { max: 1, onnotice: () => {} });
    await owner.unsafe("vacuum analyze");
    await owner.end({ timeout: 2 });
  }
  // 2. Statement logging for every new connection to this database only.
  await db.admin.unsafe(`alter database "${db.name}" set log_min_duration_statement = 0`);
  await db.admin.unsafe(`alter database "${db.name}" set log_statement = 'none'`);
  await db.admin.unsafe(`alter database "${db.name}" set log_parameter_max_length = 80`);
  if (args["plan-cache-mode"])
    await db.admin.unsafe(
      `alter database "${db.name}" set plan_cache_mode = ${args["plan-cache-mode"].replace(/[^a-z_]/g, "")}`,
    );
  if (args.explain) {
    for (const setting of [
      "session_preload_libraries = 'auto_explain'",
      "auto_explain.log_min_duration = 0",
      "auto_explain.log_analyze = on",
      "auto_explain.log_buffers = on",
      "auto_explain.log_timing = on",
      "auto_explain.log_nested_statements = on",
    ])
      await db.admin.unsafe(`alter database "${db.name}" set ${setting}`);
  }
  const marker = postgres(db.url, { max: 1, onnotice: () => {} });
  onCleanup("close marker connection", () => marker.end({ timeout: 2 }));
  const mark = (label: string) => marker.unsafe(`select 'bench-marker ${label}'`, [], { prepare: false });

  hub = startNodeChild({
    name: "hub",
    nodeArgs: hubArgs,
    env,
    core: null,
    stdout: "keep",
  });
  await waitForHttp(`${base}/readyz`, hub, 300_000);
  const startOffset = await logSize(logFile);
  await mark("login");
  const cookie = await loginOverHttp(base, args.login!, DEMO_PASSWORD);
  await mark("warm");
  for (let i = 0; i < 20; i++) await checkHomePage(base, cookie);
  const latencies: number[] = [];
  for (let i = 1; i <= N; i++) {
    await mark(`request ${i}`);
    const t0 = performance.now();
    const r = await fetch(`${base}${args.path}`, { headers: { cookie }, redirect: "manual" });
    await r.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`GET ${args.path} answered ${r.status}`);
  }
  await mark("end");
  await new Promise((r) => setTimeout(r, 500));
  const entries = parseLog(await readFrom(logFile, startOffset), db.name);
  await hub.stop();

  // Split the log by markers.
  const segments = new Map<string, Entry[]>();
  let currentLabel: string | null = null;
  for (const e of entries) {
    const m = e.text.match(/bench-marker ([\w ]+)'/);
    if (m) {
      currentLabel = m[1]!;
      segments.set(currentLabel, []);
      continue;
    }
    if (currentLabel) segments.get(currentLabel)!.push(e);
  }

  const describe = (label: string, list: Entry[], showAll: boolean) => {
    const stmts = statements(list);
    const executes = stmts.filter((s) => s.phase === "execute" || s.phase === "statement");
    const parses = stmts.filter((s) => s.phase === "parse");
    const binds = stmts.filter((s) => s.phase === "bind");
    const begins = executes.filter((s) => /^begin\b/i.test(s.sql)).length;
    const commits = executes.filter((s) => /^commit\b/i.test(s.sql)).length;
    const sum = (xs: Stmt[]) => xs.reduce((n, s) => n + s.ms, 0);
    const pids = new Set(stmts.map((s) => s.pid));
    console.log(
      `\n${label}: ${executes.length} statements executed (${begins} begin / ${commits} commit), ` +
        `${parses.length} parse, ${binds.length} bind; Postgres time: ` +
        `execute ${sum(executes).toFixed(2)} ms + parse ${sum(parses).toFixed(2)} ms + ` +
        `bind ${sum(binds).toFixed(2)} ms; ${pids.size} connection(s)`,
    );
    if (showAll) {
      for (const s of stmts) {
        if (s.phase === "bind" && !args.full) continue;
        const sql = args.full ? s.sql : s.sql.length > 150 ? `${s.sql.slice(0, 147)}…` : s.sql;
        const params = s.params && args.full ? `   [${s.params.replace(/\s+/g, " ").slice(0, 120)}]` : "";
        console.log(`  ${s.phase.padEnd(9)} ${s.ms.toFixed(3).padStart(8)} ms  ${sql}${params}`);
      }
    }
    return {
      executes: executes.length,
      begins,
      execMs: sum(executes),
      parseMs: sum(parses),
      bindMs: sum(binds),
      stmts,
    };
  };

  console.log(`SQL trace of ${args.login} — database ${db.name}, Postgres log ${logFile}`);
  describe("login (GET /login + POST /login)", segments.get("login") ?? [], true);
  const perRequest = [];
  for (let i = 1; i <= N; i++)
    perRequest.push(
      describe(
        `GET ${args.path} #${i} (client latency ${latencies[i - 1]!.toFixed(1)} ms, unloaded)`,
        segments.get(`request ${i}`) ?? [],
        i === N,
      ),
    );
  if (args.explain) {
    const last = plans(segments.get(`request ${N}`) ?? []);
    console.log(`\nPlans of GET ${args.path} #${N} (auto_explain: ANALYZE, BUFFERS, as the app's role):`);
    for (const p of last) console.log(`\n-- ${p.ms.toFixed(3)} ms\n${p.text}`);
  }
  const requestLines = hub
    .tail()
    .split("\n")
    .filter((l) => l.includes('"event":"request"') && l.includes(`"path":"${args.path}"`))
    .slice(-N);
  const times = requestLines.map((l) => `${(JSON.parse(l) as { ms: number }).ms} ms`).join(", ");
  console.log(`\nhub's own request log for the last ${requestLines.length} requests: ${times}`);
  await runCleanups();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`\nsql trace failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
