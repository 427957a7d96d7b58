// Single sign-on benchmark (issues 6 and 22): 50 logins at once through the SAML proxy into the hub (the proxy's
// schema and signature checks included), and 50 CAS ticket validations at once. Targets: SAML logins ≥ 300 per second
// with p95 ≤ 100 ms at 50 concurrent (issue 22); CAS validation p95 ≤ 50 ms (issue 6).
//
//   npx tsx bench/sso.ts [--rounds 40] [--warmup 2] [--concurrency 50] [--guichet arena|educonnect] [--no-cas]
//                        [--cpu-prof] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
//
// --warmup: rounds of logins played first and not counted (the JIT warms up). --guichet educonnect: the assertion
// comes encrypted (the proxy decrypts it), as ÉduConnect sends it; the accounts are then found by their ÉduConnect
// jointure instead of the academic e-mail. --cpu-prof: the proxy and the hub run under the V8 profiler and the bench
// prints where their main threads spent the measured login rounds (figures are then inflated). The CPU each process
// used per login during the timed windows (proxy, hub, Postgres, and the bench itself, which plays the browsers) is
// printed in every case, with the load average: the machine may be shared.
//
// The hub (on Postgres, demo data) and the proxy (with the test identity providers) run as child processes on the
// same machine. Each round, 50 simulated browsers first start a login at the proxy and get the identity provider's
// signed response (the IdP's work is not timed); then all 50 post it to the proxy at once, and each timing runs
// from that POST to the hub's answer that opens the session (two HTTP exchanges). The CAS rounds issue 50 tickets,
// then validate them at once. A missed target is printed as MISS; the exit code stays 0.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inflateRawSync } from "node:zlib";
import postgres from "postgres";
import * as samlify from "samlify";
import { createTestIdp, type TestIdentity } from "../src/saml-proxy/test-idp";
import { loadKeyPair } from "../src/node/saml-keys";
import { summarizeProfile, type Window } from "./cpuprofile";
import {
  backendPids,
  cpuModel,
  cpuSeconds,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  onCleanup,
  percentile,
  REPO,
  runCleanups,
  startNodeChild,
  waitForHttp,
  PG_URL_OPTION,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "40" },
    warmup: { type: "string", default: "2" },
    concurrency: { type: "string", default: "50" },
    guichet: { type: "string", default: "arena" },
    "no-cas": { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    "pg-url": PG_URL_OPTION,
  },
});
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
const N = Number(args.concurrency);
const GUICHET = args.guichet === "educonnect" ? "educonnect" : "arena";
const LOGIN_TARGET = { perSecond: 300, p95: 100 };
const CAS_TARGET_P95_MS = 50;
const SERVICE = "https://bench-service.example.fr/cas";

installExitHandlers();

function cookiesOf(res: Response | Answer, jar: Map<string, string>) {
  for (const header of res instanceof Response ? res.headers.getSetCookie() : res.setCookies) {
    const [pair] = header.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}
/**
 * The timed requests go through node:http with keep-alive sockets rather than fetch: the browsers share the two
 * cores with the servers, and undici's fetch costs about twice as much CPU per request.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
}
function send(url: string, method: "GET" | "POST", headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          location: typeof res.headers.location === "string" ? res.headers.location : null,
          setCookies: res.headers["set-cookie"] ?? [],
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

interface Verdict {
  perSecond?: number;
  p95: number;
}

function report(name: string, samples: number[], seconds: number, target: Verdict) {
  const sorted = Float64Array.from(samples).sort();
  const p95 = percentile(sorted, 95);
  const rate = samples.length / seconds;
  const goals = [
    ...(target.perSecond ? [`${rate >= target.perSecond ? "met" : "MISS"} ≥ ${target.perSecond}/s`] : []),
    `${p95 <= target.p95 ? "met" : "MISS"} p95 ≤ ${target.p95} ms`,
  ];
  console.log(
    `${name.padEnd(44)} ${String(samples.length).padStart(6)} ${rate.toFixed(0).padStart(6)} ` +
      `${percentile(sorted, 50).toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ` +
      `${percentile(sorted, 99).toFixed(1).padStart(7)} ` +
      `${sorted[sorted.length - 1]!.toFixed(1).padStart(7)}  ${goals.join(", ")}`,
  );
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** CPU seconds used so far by the proxy, the hub, the database's backends `pgPids` and this process (the browsers). */
function cpuSnapshot(proxyPid: number, hubPid: number, pgPids: number[]) {
  let postgresSeconds = 0;
  for (const pid of pgPids) postgresSeconds += cpuSeconds(pid) ?? 0;
  const own = process.cpuUsage();
  return {
    proxy: cpuSeconds(proxyPid) ?? 0,
    hub: cpuSeconds(hubPid) ?? 0,
    postgres: postgresSeconds,
    bench: (own.user + own.system) / 1e6,
  };
}
type Cpu = ReturnType<typeof cpuSnapshot>;

async function main() {
  console.log(
    `SSO benchmark — ${N} concurrent logins by ${GUICHET}, ${ROUNDS} rounds (+${WARMUP} of warm-up), ` +
      `${cpuModel()}, node ${process.version}`,
  );
  const dir = await mkdtemp(join(tmpdir(), "preau-bench-sso-"));
  onCleanup("remove bench files", () => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, "data");
  const profileDir = args["cpu-prof"] ? join(dir, "profiles") : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const profile = (name: string) => (profileDir ? ["--cpu-prof", `--cpu-prof-dir=${join(profileDir, name)}`] : []);
  const db = await createBenchDatabase(args["pg-url"]!, "preau_bench_sso");
  const [hubPort, proxyPort] = [await freePort(), await freePort()];
  const hubBase = `http://127.0.0.1:${hubPort}`;
  const proxyBase = `http://127.0.0.1:${proxyPort}`;
  const common = {
    DATA_DIR: dataDir,
    NODE_ENV: "production",
    // One hub process (issue 22: npm start would run one per core): the figures are one process's CPU.
    PREAU_PROCESSES: "1",
    PREAU_COOKIE_SECURE: "false",
    PREAU_SECRET: "bench-secret-long-enough-for-the-hmac-keys",
  };
  const hub = startNodeChild({
    name: "hub",
    nodeArgs: ["--import", "tsx", ...profile("hub"), "src/node/main.ts"],
    core: null,
    stdout: "filter",
    env: { ...common, DATABASE_URL: db.url, PORT: String(hubPort), HOST: "127.0.0.1", PREAU_SAML_PROXY_URL: proxyBase },
  });
  onCleanup("stop hub", () => hub.stop());
  await waitForHttp(`${hubBase}/readyz`, hub, 300_000);
  const proxy = startNodeChild({
    name: "proxy",
    nodeArgs: ["--import", "tsx", ...profile("proxy"), "src/node/cli.ts", "saml-proxy"],
    core: null,
    stdout: "filter",
    env: {
      ...common,
      PREAU_SAML_TEST_IDP: "true",
      PREAU_SAML_PROXY_URL: proxyBase,
      PREAU_SAML_PROXY_PORT: String(proxyPort),
      HOST: "127.0.0.1",
      PREAU_PUBLIC_URL: hubBase,
    },
  });
  onCleanup("stop proxy", () => proxy.stop());
  await waitForHttp(`${proxyBase}/saml/${GUICHET}/metadata`, proxy, 120_000);

  // 50 accounts — staff known by their academic e-mail (Arena), or pupils by their AAF jointure (ÉduConnect) — and
  // a category-3 CAS connector open everywhere.
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const [school] = await sql<{ uai: string }[]>`select uai from schools order by uai limit 1`;
  const emails = Array.from({ length: N }, (_, i) => `agent.${i}@ac-bench.fr`);
  for (const [i, email] of emails.entries()) {
    const [u] = await sql<
      { id: string }[]
    >`insert into users (source, first_name, last_name, academic_email, external_id, state, charter_accepted_at)
      values ('manual', 'Agent', ${email}, ${email}, ${`DEMO-bench-${i}`}, 'active', now()) returning id`;
    await sql`insert into school_profiles (user_id, uai, profile) values (${u!.id}, ${school!.uai}, 'teacher')`;
  }
  await sql`insert into connectors
      (slug, name, protocol, launch_url, service_urls, category, all_schools, created_at, updated_at)
    values ('bench', 'Service de banc', 'cas', ${SERVICE}, ${[SERVICE]}, 3, true, now(), now())`;
  await sql.end();
  const identityOf = (i: number): TestIdentity =>
    GUICHET === "arena"
      ? { nameId: `bench-${crypto.randomUUID()}`, attributes: { ctemail: [emails[i]!] } }
      : { nameId: `bench-${crypto.randomUUID()}`, attributes: { FrEduCtRefId: [`{AAF}00|x|bench-${i}`] } };

  // The bench plays the identity provider with the proxy's test IdP keys.
  const idp = await createTestIdp(GUICHET, proxyBase, {
    encrypt: GUICHET === "educonnect",
    keys: await loadKeyPair(join(dataDir, "saml"), `idp-test-${GUICHET}`, `idp-test-${GUICHET}`),
  });
  const sp = samlify.ServiceProvider({
    metadata: await (await fetch(`${proxyBase}/saml/${GUICHET}/metadata`)).text(),
  });

  const sessions: string[] = new Array(N).fill("");
  const logins: number[] = [];
  let loginSeconds = 0;
  const windows: Window[] = [];
  // CPU of the timed windows only (the preparation of each round — the IdP signing 50 responses in this process,
  // 50 AuthnRequests signed by the proxy — is left out).
  const cpu: Cpu = { proxy: 0, hub: 0, postgres: 0, bench: 0 };
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const prepared = await Promise.all(
      emails.map(async (_, i) => {
        const jar = new Map<string, string>();
        const start = await fetch(`${proxyBase}/saml/${GUICHET}/login`, { redirect: "manual" });
        cookiesOf(start, jar);
        const request = inflateRawSync(
          Buffer.from(new URL(start.headers.get("location")!).searchParams.get("SAMLRequest")!, "base64"),
        ).toString();
        const id = /\sID="([^"]+)"/.exec(request)![1]!;
        const response = await idp.respond(sp, id, identityOf(i));
        return { jar, body: new URLSearchParams({ SAMLResponse: response }).toString() };
      }),
    );
    const counted = round >= WARMUP;
    const pgPids = await backendPids(db.admin, db.name);
    const before = cpuSnapshot(proxy.pid, hub.pid, pgPids);
    const started = performance.now();
    const w0 = nowUs();
    await Promise.all(
      prepared.map(async ({ jar, body }, i) => {
        const t0 = performance.now();
        const acs = await send(
          `${proxyBase}/saml/${GUICHET}/acs`,
          "POST",
          { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
          body,
        );
        if (acs.status !== 303) throw new Error(`ACS answered ${acs.status}`);
        const arrival = await send(acs.location!, "GET", {});
        if (arrival.status !== 303 || arrival.location !== "/")
          throw new Error(`hub answered ${arrival.status} ${arrival.location}`);
        if (counted) logins.push(performance.now() - t0);
        const hubJar = new Map<string, string>();
        cookiesOf(arrival, hubJar);
        sessions[i] = cookieHeader(hubJar);
      }),
    );
    if (counted) {
      windows.push([w0, nowUs()]);
      loginSeconds += (performance.now() - started) / 1000;
      const after = cpuSnapshot(proxy.pid, hub.pid, pgPids);
      for (const k of Object.keys(cpu) as (keyof Cpu)[]) cpu[k] += after[k] - before[k];
    }
  }

  const validations: number[] = [];
  let casSeconds = 0;
  for (let round = 0; round < (args["no-cas"] ? 0 : ROUNDS); round++) {
    const tickets = await Promise.all(
      sessions.map(async (cookie) => {
        const res = await fetch(`${hubBase}/cas/login?service=${encodeURIComponent(SERVICE)}`, {
          redirect: "manual",
          headers: { cookie },
        });
        await res.arrayBuffer();
        const ticket = new URL(res.headers.get("location") ?? "http://x/").searchParams.get("ticket");
        if (!ticket) throw new Error(`no ticket (${res.status})`);
        return ticket;
      }),
    );
    const started = performance.now();
    await Promise.all(
      tickets.map(async (ticket) => {
        const t0 = performance.now();
        const res = await fetch(
          `${hubBase}/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}`,
        );
        const body = await res.text();
        if (!body.includes("authenticationSuccess")) throw new Error(`validation failed: ${body.slice(0, 200)}`);
        validations.push(performance.now() - t0);
      }),
    );
    casSeconds += (performance.now() - started) / 1000;
  }

  console.log(
    `\n${"scenario".padEnd(44)} ${"n".padStart(6)} ${"/s".padStart(6)} ${"p50".padStart(7)} ${"p95".padStart(7)} ` +
      `${"p99".padStart(7)} ${"max".padStart(7)}  target`,
  );
  report(`SAML login (${GUICHET}): proxy ACS + hub session (ms)`, logins, loginSeconds, LOGIN_TARGET);
  if (validations.length) report("CAS p3/serviceValidate (ms)", validations, casSeconds, { p95: CAS_TARGET_P95_MS });
  const per = (k: keyof Cpu) => ((cpu[k] * 1000) / logins.length).toFixed(2);
  console.log(
    `CPU per login in the timed windows (ms): proxy ${per("proxy")}, hub ${per("hub")}, Postgres ${per("postgres")}, ` +
      `bench (50 browsers) ${per("bench")}; machine load average ${loadavg()[0]!.toFixed(2)}`,
  );

  // Orderly end: the profiles are written when the servers exit.
  await proxy.stop();
  await hub.stop();
  if (profileDir) {
    for (const name of ["proxy", "hub"]) {
      const files = (await readdir(join(profileDir, name)).catch(() => [] as string[])).filter((f) =>
        f.endsWith(".cpuprofile"),
      );
      if (!files.length) {
        console.log(`no .cpuprofile written for the ${name}`);
        continue;
      }
      const summary = summarizeProfile(join(profileDir, name, files.sort().at(-1)!), REPO, windows, 25, logins.length);
      console.log(`\nCPU profile of the ${name} during the measured login rounds (main thread)`);
      console.log(summary.text);
    }
  }
}

main().then(runCleanups, async (err) => {
  console.error(err);
  await runCleanups();
  process.exitCode = 1;
});
