// Cost per request (issue 22): every page a user opens daily, measured in one run beside two references — a bare Hono
// "hello" (bench/hello-server.ts) and a TechEmpower-style Fortunes page (bench/fortunes-server.tsx: Hono + postgres.js,
// one query of 12 rows, sorted, escaped HTML table) — as CPU per request of the server and of Postgres together, then
// as latency at a fixed arrival rate below capacity (open loop: each request leaves at its scheduled time whether or
// not the earlier ones came back, and its latency counts from that time, so a stall is not hidden).
//
//   npx tsx bench/cost.ts [--duration 10] [--warmup 3] [--connections 8] [--share 0.5] [--only home,inbox]
//                         [--aaf-schools 0] [--db-pool N] [--processes 1] [--pg-url postgres://…] [--no-pin]
//
// What it does: creates an empty Postgres database, starts the hub on it as `npm start` does (scripts/build.mjs, then
// node dist/main.js; it migrates and builds the demo), optionally imports a synthetic AAF directory of --aaf-schools
// schools beside the demo (`aaf synth` + `aaf import`: the académie is 2 638), and starts the two references; servers
// on core 1, this process (the generators) on core 0, Postgres unpinned. The demo teacher, parent and director log in
// over HTTP. For each scenario: a warm-up, then a closed loop of --connections connections for --duration seconds
// (capacity: requests per second, and the CPU the server process tree and the database's backends used, per
// request), then an open loop at --share of that capacity for --duration seconds (p50, p95, p99 from the scheduled
// times). Targets (printed, MISS when missed; the exit code stays 0): every page ≤ 2× Fortunes in CPU per request
// (server + Postgres), the home page ≥ 25 % of bare Hono's requests per second, p95 ≤ 20 ms and p99 ≤ 50 ms at the
// fixed rate.
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, release, tmpdir, availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon, { type Options, type Result } from "autocannon";
import postgres from "postgres";
import {
  REPO,
  DEMO_PASSWORD,
  PG_URL_OPTION,
  backendPids,
  cpuModel,
  cpuSeconds,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  loginOverHttp,
  onCleanup,
  percentile,
  pinProcess,
  runCleanups,
  runTsx,
  Samples,
  startNodeChild,
  tasksetAvailable,
  treeCpuSeconds,
  waitForHttp,
  type BenchDatabase,
  type Child,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "8" },
    share: { type: "string", default: "0.5" },
    only: { type: "string" },
    "aaf-schools": { type: "string", default: "0" },
    "db-pool": { type: "string" },
    processes: { type: "string", default: "1" },
    "pg-url": PG_URL_OPTION,
    "no-pin": { type: "boolean", default: false },
  },
});
const num = (name: string, raw: string | undefined, min = 0) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} wants a number ≥ ${min}, got ${raw}`);
  return n;
};
const DURATION = num("duration", args.duration, 1);
const WARMUP = num("warmup", args.warmup);
const CONNECTIONS = Math.round(num("connections", args.connections, 1));
const SHARE = num("share", args.share, 0.01);
const AAF_SCHOOLS = Math.round(num("aaf-schools", args["aaf-schools"]));
const TARGET = { fortunesTimes: 2, homeShareOfBare: 0.25, p95: 20, p99: 50 };
const GENERATOR_CORE = 0;
const SERVER_CORE = 1;

type Server = "hub" | "fortunes" | "bare";
interface Req {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Scenario {
  key: string;
  label: string;
  server: Server;
  /** The i-th request of a run (bodies may vary: a roll saves a different half-day each time). */
  request: (i: number) => Req;
  status: number;
  /** A reference, not a page the targets apply to. */
  reference?: boolean;
}
interface Measured {
  scenario: Scenario;
  rps: number;
  serverUs: number;
  dbUs: number;
  bad: number;
  open: { rate: number; sent: number; p50: number; p95: number; p99: number; max: number; bad: number; lag: number };
}

let stopCurrent: (() => void) | null = null;
installExitHandlers(() => stopCurrent?.());

// ---------------------------------------------------------------- generators

/** Closed loop: `connections` connections, each sending its next request when the last one is answered. */
function closedLoop(base: string, s: Scenario, seconds: number): Promise<{ result: Result; bad: number }> {
  let i = 0;
  let bad = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const r = s.request(i++);
              return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
            },
            onResponse: (status: number) => {
              if (status !== s.status) bad++;
            },
          },
        ],
      } as unknown as Options,
      (err, result) => {
        stopCurrent = null;
        if (err) reject(err);
        else resolve({ result, bad });
      },
    );
    stopCurrent = () => instance.stop();
  });
}

/** Open loop: one request every 1/rate s for `seconds`, on as many keep-alive connections as it takes. */
async function openLoop(base: string, s: Scenario, rate: number, seconds: number): Promise<Measured["open"]> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const samples = new Samples();
  const lagHist = monitorEventLoopDelay({ resolution: 5 });
  let bad = 0;
  let sent = 0;
  let pending = 0;
  const total = Math.max(1, Math.round(rate * seconds));
  const start = performance.now() + 20;
  let finished: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const fire = (n: number, scheduled: number) => {
    const r = s.request(n);
    pending++;
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body ? { "content-length": Buffer.byteLength(r.body) } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          samples.push(performance.now() - scheduled);
          if (res.statusCode !== s.status) bad++;
          if (--pending === 0 && sent === total) finished();
        });
      },
    );
    req.on("error", () => {
      bad++;
      if (--pending === 0 && sent === total) finished();
    });
    req.end(r.body);
  };
  lagHist.enable();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        fire(sent, start + (sent * 1000) / rate);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, 20);
  });
  if (pending > 0) await done;
  lagHist.disable();
  agent.destroy();
  const sorted = samples.sorted();
  return {
    rate,
    sent,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    bad,
    lag: lagHist.percentile(99) / 1e6,
  };
}

// ---------------------------------------------------------------- CPU

async function dbCpu(db: BenchDatabase): Promise<number> {
  let s = 0;
  for (const pid of await backendPids(db.admin, db.name)) s += cpuSeconds(pid) ?? 0;
  return s;
}

async function measure(s: Scenario, bases: Record<Server, string>, children: Record<Server, Child>, db: BenchDatabase) {
  const base = bases[s.server];
  process.stdout.write(`  ${s.label.padEnd(38)} `);
  if (WARMUP > 0) await closedLoop(base, s, WARMUP);
  // Backends that only exist during load (the pool grows) are counted from 0: they started inside the window.
  const db0 = await dbCpu(db);
  const server0 = treeCpuSeconds(children[s.server].pid);
  const t0 = performance.now();
  const { result, bad } = await closedLoop(base, s, DURATION);
  const wall = (performance.now() - t0) / 1000;
  const serverCpu = treeCpuSeconds(children[s.server].pid) - server0;
  const pgCpu = (await dbCpu(db)) - db0;
  const answered = result.requests.total;
  const rps = answered / wall;
  process.stdout.write(`${Math.round(rps)} req/s closed loop; `);
  const open = await openLoop(base, s, Math.max(1, rps * SHARE), DURATION);
  process.stdout.write(`open loop at ${Math.round(open.rate)}/s: p95 ${open.p95.toFixed(1)} ms\n`);
  for (const child of Object.values(children))
    if (child.hasExited()) throw new Error(`${child.name} died during the run:\n${child.tail()}`);
  return {
    scenario: s,
    rps,
    serverUs: (serverCpu * 1e6) / answered,
    dbUs: (pgCpu * 1e6) / answered,
    bad,
    open,
  } satisfies Measured;
}

// ---------------------------------------------------------------- the demo's people and ids

function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no _csrf field in the page");
  return token;
}

async function page(base: string, path: string, cookie: string): Promise<string> {
  const r = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
  const html = await r.text();
  if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`);
  return html;
}

/** Weekdays from `from` to `to` (inclusive), newest first. */
function schoolDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${to}T12:00:00Z`); t >= Date.parse(`${from}T12:00:00Z`); t -= 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && d.getUTCDay() !== 3) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

async function scenarios(base: string, admin: postgres.Sql, origin: string): Promise<Scenario[]> {
  const teacher = await loginOverHttp(base, "demo.enseignant", DEMO_PASSWORD);
  const parent = await loginOverHttp(base, "demo.parent", DEMO_PASSWORD);
  const [klass] = await admin<{ id: string }[]>`
    select c.id from classes c join class_members m on m.class_id = c.id join users u on u.id = m.user_id
    where u.login = 'demo.enseignant' and m.role = 'teacher' order by c.name limit 1`;
  if (!klass) throw new Error("the demo teacher has no class");
  const [wall] = await admin<{ id: string }[]>`select id from walls where class_id = ${klass.id} limit 1`;
  const [doc] = await admin<{ id: string }[]>`select id from documents where class_id = ${klass.id} limit 1`;
  if (!wall || !doc) throw new Error("the demo class has no wall or no document");

  const rollPage = await page(base, `/appel/${klass.id}`, teacher);
  const rollCsrf = csrfOf(rollPage);
  const pupils = [...new Set([...rollPage.matchAll(/name="statut:([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
  const compose = await page(base, "/messagerie/nouveau", teacher);
  const messageCsrf = csrfOf(compose);
  const group = `parents:${klass.id}`;
  if (!compose.includes(`value="${group}"`)) throw new Error(`the compose page does not offer ${group}`);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const days = schoolDays("2026-09-02", yesterday);
  const form = { "content-type": "application/x-www-form-urlencoded", origin };
  const get = (cookie: string, path: string) => () => ({ method: "GET" as const, path, headers: { cookie } });
  return [
    {
      key: "bare",
      label: "reference: bare Hono hello",
      server: "bare",
      request: get("", "/"),
      status: 200,
      reference: true,
    },
    {
      key: "fortunes",
      label: "reference: Fortunes (1 query, 12 rows)",
      server: "fortunes",
      request: get("", "/fortunes"),
      status: 200,
      reference: true,
    },
    { key: "home", label: "home (teacher)", server: "hub", request: get(teacher, "/"), status: 200 },
    { key: "home-parent", label: "home (parent)", server: "hub", request: get(parent, "/"), status: 200 },
    { key: "evening", label: "evening page (parent)", server: "hub", request: get(parent, "/ce-soir"), status: 200 },
    {
      key: "roll",
      label: "roll save (class, half-day)",
      server: "hub",
      request: (i) => {
        const body = new URLSearchParams({
          _csrf: rollCsrf,
          jour: days[Math.floor(i / 2) % days.length]!,
          demi: i % 2 ? "apres-midi" : "matin",
        });
        pupils.forEach((id, k) => {
          body.append(`statut:${id}`, k === i % pupils.length ? "absent" : "present");
          body.append(`motif:${id}`, "");
        });
        return { method: "POST", path: `/appel/${klass.id}`, headers: { cookie: teacher, ...form }, body: `${body}` };
      },
      status: 303,
    },
    { key: "inbox", label: "inbox (teacher)", server: "hub", request: get(teacher, "/messagerie"), status: 200 },
    {
      key: "message",
      label: "message to a class's parents",
      server: "hub",
      request: () => ({
        method: "POST",
        path: "/messagerie/nouveau",
        headers: { cookie: teacher, ...form },
        body: `${new URLSearchParams({ _csrf: messageCsrf, objet: "Sortie", texte: "Rendez-vous à 8 h 30.", groupes: group })}`,
      }),
      status: 303,
    },
    { key: "walls", label: "wall list (teacher)", server: "hub", request: get(teacher, "/murs"), status: 200 },
    { key: "agenda", label: "agenda (parent)", server: "hub", request: get(parent, "/agenda"), status: 200 },
    {
      key: "document",
      label: "a document's page (teacher)",
      server: "hub",
      request: get(teacher, `/documents/${doc.id}`),
      status: 200,
    },
  ];
}

// ---------------------------------------------------------------- main

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");

async function main(): Promise<void> {
  const pin = !args["no-pin"] && tasksetAvailable();
  console.log("Préau cost per request — daily pages against bare Hono and Fortunes, same run");
  console.log(`  node ${process.version}, ${cpuModel()}, ${availableParallelism()} cores, Linux ${release()}`);
  console.log(
    `  closed loop ${CONNECTIONS} connections × ${DURATION} s (warm-up ${WARMUP} s), then open loop at ` +
      `${SHARE * 100} % of it × ${DURATION} s; load average at start ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  if (pin) pinProcess(process.pid, GENERATOR_CORE);
  console.log(
    pin
      ? `  servers on core ${SERVER_CORE}, generators on core ${GENERATOR_CORE}, Postgres unpinned`
      : "  no pinning: servers, generators and Postgres share every core",
  );

  const db = await createBenchDatabase(args["pg-url"]!);
  const dir = await mkdtemp(join(tmpdir(), "preau-cost-"));
  onCleanup("remove data dir", () => rm(dir, { recursive: true, force: true }));
  const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`scripts/build.mjs failed:\n${build.stderr}`);

  const ports = { hub: await freePort(), fortunes: await freePort(), bare: await freePort() };
  const core = pin ? SERVER_CORE : null;
  const hub = startNodeChild({
    name: "hub",
    nodeArgs: ["--enable-source-maps", "dist/main.js"],
    env: {
      DATABASE_URL: db.url,
      PORT: String(ports.hub),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "data"),
      NODE_ENV: "production",
      PREAU_COOKIE_SECURE: "false",
      PREAU_PROCESSES: args.processes!,
      // The hourly sending limit still runs its check; it is lifted so that thousands of sends are all accepted.
      PREAU_MESSAGES_PER_HOUR_ADULT: "100000000",
      ...(args["db-pool"] ? { PREAU_DB_POOL: args["db-pool"] } : {}),
    },
    core,
    stdout: "filter",
    filterCore: pin ? GENERATOR_CORE : null,
  });
  const fortunes = startNodeChild({
    name: "Fortunes",
    nodeArgs: ["--import", "tsx", "bench/fortunes-server.tsx"],
    env: { DATABASE_URL: db.url, PORT: String(ports.fortunes), NODE_ENV: "production" },
    core,
    stdout: "keep",
  });
  const bare = startNodeChild({
    name: "bare Hono",
    nodeArgs: ["--import", "tsx", "bench/hello-server.ts"],
    env: { PORT: String(ports.bare), NODE_ENV: "production" },
    core,
    stdout: "keep",
  });
  const bases = {
    hub: `http://127.0.0.1:${ports.hub}`,
    fortunes: `http://127.0.0.1:${ports.fortunes}`,
    bare: `http://127.0.0.1:${ports.bare}`,
  };
  await Promise.all([
    waitForHttp(`${bases.hub}/login`, hub, 300_000),
    waitForHttp(`${bases.fortunes}/fortunes`, fortunes, 60_000),
    waitForHttp(`${bases.bare}/`, bare, 60_000),
  ]);
  if (AAF_SCHOOLS > 0) {
    const started = performance.now();
    const aaf = join(dir, "aaf");
    await runTsx(["src/node/cli.ts", "aaf", "synth", "--schools", String(AAF_SCHOOLS), "--out", aaf], {});
    await runTsx(["src/node/cli.ts", "aaf", "import", join(aaf, "complet")], {
      DATABASE_URL: db.url,
      DATA_DIR: join(dir, "data"),
    });
    console.log(
      `  imported a synthetic directory of ${AAF_SCHOOLS} schools in ${f1((performance.now() - started) / 1000)} s`,
    );
  }
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  onCleanup("close admin connection", () => admin.end({ timeout: 2 }));
  const users = (await admin<{ n: number }[]>`select count(*)::int as n from users`)[0]!.n;
  console.log(`  ${int(users)} accounts in the database`);

  const only = args.only?.split(",");
  const list = (await scenarios(bases.hub, admin, bases.hub)).filter(
    (s) => s.reference || !only || only.includes(s.key),
  );
  const children = { hub, fortunes, bare };
  const results: Measured[] = [];
  for (const s of list) results.push(await measure(s, bases, children, db));

  const fortunesCost = results.find((r) => r.scenario.key === "fortunes")!;
  const fortunesUs = fortunesCost.serverUs + fortunesCost.dbUs;
  const bareRps = results.find((r) => r.scenario.key === "bare")!.rps;
  console.log("");
  const head = [
    "page".padEnd(38),
    "req/s".padStart(7),
    "server µs".padStart(9),
    "PG µs".padStart(7),
    "total µs".padStart(8),
    "×Fortunes".padStart(9),
    "rate/s".padStart(7),
    "p50".padStart(6),
    "p95".padStart(6),
    "p99".padStart(6),
    "bad".padStart(5),
    " verdict",
  ];
  console.log(head.join(" "));
  const misses: string[] = [];
  for (const r of results) {
    const total = r.serverUs + r.dbUs;
    const times = total / fortunesUs;
    const checks: string[] = [];
    if (!r.scenario.reference) {
      if (times > TARGET.fortunesTimes) checks.push(`cost ${times.toFixed(1)}× > 2×`);
      if (r.open.p95 > TARGET.p95) checks.push(`p95 ${f1(r.open.p95)} > ${TARGET.p95}`);
      if (r.open.p99 > TARGET.p99) checks.push(`p99 ${f1(r.open.p99)} > ${TARGET.p99}`);
      if (r.scenario.key === "home" && r.rps < TARGET.homeShareOfBare * bareRps)
        checks.push(`${f1((100 * r.rps) / bareRps)} % of bare < 25 %`);
      if (r.bad + r.open.bad > 0) checks.push(`${r.bad + r.open.bad} unexpected answers`);
    }
    misses.push(...checks.map((c) => `${r.scenario.key}: ${c}`));
    console.log(
      [
        r.scenario.label.padEnd(38),
        int(r.rps).padStart(7),
        int(r.serverUs).padStart(9),
        int(r.dbUs).padStart(7),
        int(total).padStart(8),
        times.toFixed(2).padStart(9),
        int(r.open.rate).padStart(7),
        f1(r.open.p50).padStart(6),
        f1(r.open.p95).padStart(6),
        f1(r.open.p99).padStart(6),
        String(r.bad + r.open.bad).padStart(5),
        r.scenario.reference ? " reference" : checks.length ? " MISS" : " PASS",
      ].join(" "),
    );
  }
  const home = results.find((r) => r.scenario.key === "home");
  if (home) console.log(`\n  home page: ${f1((100 * home.rps) / bareRps)} % of bare Hono's requests per second`);
  const lag = Math.max(...results.map((r) => r.open.lag));
  console.log(`  generator event-loop delay p99 during the open loops: ≤ ${f1(lag)} ms`);
  console.log(misses.length ? `  MISS:\n    ${misses.join("\n    ")}` : "  every target met");
  console.log(
    `  load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  await runCleanups();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`\nbench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
