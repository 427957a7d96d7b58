// Single sign-on benchmark (issue 6): 50 logins at once through the SAML proxy into the hub (the proxy's signature
// checks and decryption included), and 50 CAS ticket validations at once. Target: p95 ≤ 50 ms for the hub's part.
//
//   npx tsx bench/sso.ts [--rounds 40] [--concurrency 50] [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
//
// The hub (on Postgres, demo data) and the proxy (with the test identity providers) run as child processes on the
// same machine. Each round, 50 simulated browsers first start a login at the proxy and get the identity provider's
// signed response (the IdP's work is not timed); then all 50 post it to the proxy at once, and each timing runs
// from that POST to the hub's answer that opens the session (two HTTP exchanges). The CAS rounds issue 50 tickets,
// then validate them at once. A missed target is printed as MISS; the exit code stays 0.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { inflateRawSync } from "node:zlib";
import postgres from "postgres";
import * as samlify from "samlify";
import { createTestIdp } from "../src/saml-proxy/test-idp";
import { loadKeyPair } from "../src/node/saml-keys";
import {
  cpuModel,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  onCleanup,
  percentile,
  runCleanups,
  startNodeChild,
  waitForHttp,
  PG_URL_OPTION,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "40" },
    concurrency: { type: "string", default: "50" },
    "pg-url": PG_URL_OPTION,
  },
});
const ROUNDS = Number(args.rounds);
const N = Number(args.concurrency);
const TARGET_P95_MS = 50;
const SERVICE = "https://bench-service.example.fr/cas";

installExitHandlers();

function cookiesOf(res: Response, jar: Map<string, string>) {
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

function report(name: string, samples: number[], seconds: number) {
  const sorted = Float64Array.from(samples).sort();
  const p95 = percentile(sorted, 95);
  console.log(
    `${name.padEnd(44)} ${String(samples.length).padStart(6)} ${(samples.length / seconds).toFixed(0).padStart(6)} ` +
      `${percentile(sorted, 50).toFixed(1).padStart(7)} ${p95.toFixed(1).padStart(7)} ` +
      `${percentile(sorted, 99).toFixed(1).padStart(7)} ` +
      `${sorted[sorted.length - 1]!.toFixed(1).padStart(7)}  ` +
      `${p95 <= TARGET_P95_MS ? "met" : "MISS"} p95 ≤ ${TARGET_P95_MS} ms`,
  );
}

async function main() {
  console.log(`SSO benchmark — ${N} concurrent logins, ${ROUNDS} rounds, ${cpuModel()}, node ${process.version}`);
  const dir = await mkdtemp(join(tmpdir(), "preau-bench-sso-"));
  onCleanup("remove bench files", () => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, "data");
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
    nodeArgs: ["--import", "tsx", "src/node/main.ts"],
    core: null,
    stdout: "filter",
    env: { ...common, DATABASE_URL: db.url, PORT: String(hubPort), HOST: "127.0.0.1", PREAU_SAML_PROXY_URL: proxyBase },
  });
  onCleanup("stop hub", () => hub.stop());
  await waitForHttp(`${hubBase}/readyz`, hub, 300_000);
  const proxy = startNodeChild({
    name: "proxy",
    nodeArgs: ["--import", "tsx", "src/node/cli.ts", "saml-proxy"],
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
  await waitForHttp(`${proxyBase}/saml/arena/metadata`, proxy, 120_000);

  // 50 staff accounts known by their academic e-mail, and a category-3 CAS connector open everywhere.
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const [school] = await sql<{ uai: string }[]>`select uai from schools order by uai limit 1`;
  const emails = Array.from({ length: N }, (_, i) => `agent.${i}@ac-bench.fr`);
  for (const email of emails) {
    const [u] = await sql<
      { id: string }[]
    >`insert into users (source, first_name, last_name, academic_email, state, charter_accepted_at)
      values ('manual', 'Agent', ${email}, ${email}, 'active', now()) returning id`;
    await sql`insert into school_profiles (user_id, uai, profile) values (${u!.id}, ${school!.uai}, 'teacher')`;
  }
  await sql`insert into connectors
      (slug, name, protocol, launch_url, service_urls, category, all_schools, created_at, updated_at)
    values ('bench', 'Service de banc', 'cas', ${SERVICE}, ${[SERVICE]}, 3, true, now(), now())`;
  await sql.end();

  // The bench plays the identity provider with the proxy's test IdP keys.
  const idp = await createTestIdp("arena", proxyBase, {
    keys: await loadKeyPair(join(dataDir, "saml"), "idp-test-arena", "idp-test-arena"),
  });
  const sp = samlify.ServiceProvider({ metadata: await (await fetch(`${proxyBase}/saml/arena/metadata`)).text() });

  const sessions: string[] = new Array(N).fill("");
  const logins: number[] = [];
  let loginSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const prepared = await Promise.all(
      emails.map(async (email) => {
        const jar = new Map<string, string>();
        const start = await fetch(`${proxyBase}/saml/arena/login`, { redirect: "manual" });
        cookiesOf(start, jar);
        const request = inflateRawSync(
          Buffer.from(new URL(start.headers.get("location")!).searchParams.get("SAMLRequest")!, "base64"),
        ).toString();
        const id = /\sID="([^"]+)"/.exec(request)![1]!;
        return {
          jar,
          response: await idp.respond(sp, id, {
            nameId: `bench-${crypto.randomUUID()}`,
            attributes: { ctemail: [email] },
          }),
        };
      }),
    );
    const started = performance.now();
    await Promise.all(
      prepared.map(async ({ jar, response }, i) => {
        const t0 = performance.now();
        const acs = await fetch(`${proxyBase}/saml/arena/acs`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ SAMLResponse: response }),
        });
        await acs.arrayBuffer();
        if (acs.status !== 303) throw new Error(`ACS answered ${acs.status}`);
        const arrival = await fetch(acs.headers.get("location")!, { redirect: "manual" });
        await arrival.arrayBuffer();
        if (arrival.status !== 303 || arrival.headers.get("location") !== "/")
          throw new Error(`hub answered ${arrival.status} ${arrival.headers.get("location")}`);
        logins.push(performance.now() - t0);
        const hubJar = new Map<string, string>();
        cookiesOf(arrival, hubJar);
        sessions[i] = cookieHeader(hubJar);
      }),
    );
    loginSeconds += (performance.now() - started) / 1000;
  }

  const validations: number[] = [];
  let casSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
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
  report("SAML login: proxy ACS + hub session (ms)", logins, loginSeconds);
  report("CAS p3/serviceValidate (ms)", validations, casSeconds);
}

main().then(runCleanups, async (err) => {
  console.error(err);
  await runCleanups();
  process.exitCode = 1;
});
