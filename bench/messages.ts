// Messaging benchmark (issue 5): with the demo platform scaled to 100 schools, 100 concurrent users (directors) each
// (1) send a message to a class group of about 30 and (2) list an inbox holding 10 000 messages. Prints p50/p95/p99.
// Target: p95 ≤ 25 ms for both.
//
//   npx tsx bench/messages.ts [--connections 100] [--duration 15] [--warmup 3] [--pg-url
//     postgres://postgres@127.0.0.1:5432/postgres]
//
// What it does: writes a 94-school AAF set (`aaf synth`), creates an empty Postgres database, starts the hub on it as
// a child process (it migrates and builds the 6-school demo), imports the set (100 schools in all), gives 100
// teachers a login (the demo password), puts 10 000 messages in each of their inboxes, logs them in over HTTP,
// then drives each scenario with autocannon, one user per connection. The hub's sending limit (71B) is lifted for
// the run (PREAU_MESSAGES_PER_HOUR_ADULT), since 100 users send thousands of messages a minute here.
// A benchmark reports: a missed target is printed as MISS, the exit code stays 0.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Options, type Result } from "autocannon";
import postgres from "postgres";
import {
  DEMO_PASSWORD,
  cpuModel,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  loginOverHttp,
  onCleanup,
  runCleanups,
  startNodeChild,
  statusMiB,
  waitForHttp,
  PG_URL_OPTION,
  runTsx,
} from "./lib";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "100" },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    "pg-url": PG_URL_OPTION,
  },
});
const CONNECTIONS = Number(args.connections);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const INBOX = 10_000;
const TARGET_P95_MS = 25;

installExitHandlers();

interface User {
  login: string;
  cookie: string;
  csrf: string;
  group: string;
  groupSize: number;
  me: string;
}

async function main() {
  console.log(
    `Messaging benchmark — ${CONNECTIONS} connections, ${DURATION} s per scenario, ` +
      `${cpuModel()}, node ${process.version}`,
  );
  const dir = await mkdtemp(join(tmpdir(), "preau-bench-messages-"));
  onCleanup("remove bench files", () => rm(dir, { recursive: true, force: true }));
  await runTsx(["src/node/cli.ts", "aaf", "synth", "--out", join(dir, "aaf"), "--schools", "94"], {});
  const db = await createBenchDatabase(args["pg-url"]!, "preau_bench_messages");
  const port = await freePort();
  hubPort = port;
  const base = `http://127.0.0.1:${port}`;
  const hub = startNodeChild({
    name: "hub",
    nodeArgs: ["--import", "tsx", "src/node/main.ts"],
    core: null,
    stdout: "filter",
    env: {
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "data"),
      NODE_ENV: "production",
      // One hub process (issue 22: npm start would run one per core): the figures are one process's CPU.
      PREAU_PROCESSES: "1",
      PREAU_MESSAGES_PER_HOUR_ADULT: "1000000",
      PREAU_COOKIE_SECURE: "false",
    },
  });
  onCleanup("stop hub", () => hub.stop());
  await waitForHttp(`${base}/readyz`, hub, 300_000);
  await runTsx(["src/node/cli.ts", "aaf", "import", join(dir, "aaf", "complet")], {
    DATABASE_URL: db.url,
    DATA_DIR: join(dir, "data"),
  });

  // The directors of 100 schools get a login (the generated set gives teachers no class list; a director reaches
  // every class group of the school); each writes to one class of their school; 10 000 messages in each inbox.
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  onCleanup("close admin connection", () => sql.end({ timeout: 2 }));
  const teachers = await sql<{ id: string; uai: string; class_id: string; size: number }[]>`
    select distinct on (d.uai) d.user_id as id, d.uai, c.id as class_id,
      (select count(*)::int from class_members p where p.class_id = c.id and p.role = 'pupil') as size
    from school_profiles d join classes c on c.uai = d.uai
    where d.profile = 'director' and exists (select 1 from class_members p where p.class_id = c.id and p.role = 'pupil')
    order by d.uai, c.name limit ${CONNECTIONS}`;
  if (teachers.length < CONNECTIONS) throw new Error(`only ${teachers.length} directors of schools with classes`);
  await sql`update users
    set login = 'bench.' || substr(id::text, 1, 8), state = 'active', charter_accepted_at = now(), activated_at = now()
    where id in ${sql(teachers.map((t) => t.id))}`;
  await sql`insert into credentials (user_id, password_hash, changed_at)
    select u.id,
      (select c.password_hash from credentials c join users d on d.id = c.user_id where d.login = 'demo.enseignant'),
      now()
    from users u where u.id in ${sql(teachers.map((t) => t.id))} on conflict (user_id) do nothing`;
  const started = performance.now();
  // Each teacher's inbox: 10 000 messages from a pupil of their class (a school year of a busy class), newest first.
  await sql`
    with senders as (
      select t.id as teacher, t.uai,
        (select m.user_id from class_members m where m.class_id = t.class_id and m.role = 'pupil' limit 1) as pupil
      from unnest(${sql.array(teachers.map((t) => t.id))}::uuid[], ${sql.array(teachers.map((t) => t.uai))}::text[],
        ${sql.array(teachers.map((t) => t.class_id))}::uuid[]) as t(id, uai, class_id)),
    m as (
      insert into messages (uai, sender_id, subject, body, state, created_at)
      select s.uai, s.pupil, 'Message ' || g || ' #' || s.teacher,
        'Bonjour, ceci est le message numéro ' || g || '.', 'sent', now() - (g || ' minutes')::interval
      from senders s, generate_series(1, ${INBOX}) g
      returning id, uai, subject, created_at)
    insert into message_recipients (message_id, user_id, uai, delivered_at)
    select m.id, split_part(m.subject, '#', 2)::uuid, m.uai, m.created_at from m`;
  await sql`update messages set subject = split_part(subject, ' #', 1)`;
  await sql`analyze`;
  const inboxRows = (await sql<{ n: number }[]>`select count(*)::int as n from message_recipients`)[0]!.n;
  console.log(
    `  seeded ${inboxRows.toLocaleString("en")} inbox rows (${INBOX.toLocaleString("en")} per user) in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const users: User[] = [];
  for (const t of teachers) {
    const login = `bench.${t.id.slice(0, 8)}`;
    const cookie = await loginOverHttp(base, login, DEMO_PASSWORD);
    const page = await fetch(`${base}/messagerie/nouveau`, { headers: { cookie } });
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const group = `pupils:${t.class_id}`;
    if (!csrf || !html.includes(`value="${group}"`))
      throw new Error(`${login}: compose page without the form or the class group`);
    users.push({ login, cookie, csrf, group, groupSize: t.size, me: t.id });
  }
  const sizes = users.map((u) => u.groupSize).sort((a, b) => a - b);
  console.log(
    `  ${users.length} directors logged in; ` +
      `class groups of ${sizes[0]}–${sizes.at(-1)} pupils (median ${sizes[Math.floor(sizes.length / 2)]})`,
  );

  const inbox = await measure(
    "list the inbox (10 000 messages)",
    (i) => ({ method: "GET", path: "/messagerie", headers: { cookie: users[i]!.cookie } }),
    200,
  );
  const send = await measure(
    "send to a class group",
    (i) => {
      const u = users[i]!;
      return {
        method: "POST",
        path: "/messagerie/nouveau",
        headers: { cookie: u.cookie, "content-type": "application/x-www-form-urlencoded", origin: base },
        body: new URLSearchParams({
          _csrf: u.csrf,
          objet: "Sortie",
          texte: "Rendez-vous à 8 h 30 devant l'école.",
          groupes: u.group,
        }).toString(),
      };
    },
    303,
  );
  const sent = (
    await sql<
      { n: number }[]
    >`select count(*)::int as n from messages where sender_id in ${sql(users.map((u) => u.me))}`
  )[0]!.n;

  console.log(
    `\n${"scenario".padEnd(34)} ${"req/s".padStart(8)} ${"p50".padStart(7)} ${"p95".padStart(7)} ` +
      `${"p99".padStart(7)} ${"max".padStart(7)}  errors  target`,
  );
  for (const [name, r] of [
    ["list the inbox (10 000 messages)", inbox],
    ["send to a class group", send],
  ] as const) {
    const p95 = percentile(r.samples, 0.95);
    console.log(
      `${name.padEnd(34)} ${String(Math.round(r.result.requests.average)).padStart(8)} ` +
        `${fmt(percentile(r.samples, 0.5))} ${fmt(p95)} ` +
        `${fmt(percentile(r.samples, 0.99))} ${fmt(r.samples.at(-1) ?? 0)}  ${String(r.bad).padStart(6)}  ` +
        `${p95 <= TARGET_P95_MS ? "OK" : "MISS"} p95 ≤ ${TARGET_P95_MS} ms`,
    );
  }
  console.log(
    `  messages written during the send scenario: ${sent.toLocaleString("en")}; ` +
      `hub peak RSS ${statusMiB(hub.pid, "VmHWM")} MiB`,
  );
}

const fmt = (ms: number) => `${ms.toFixed(1)}`.padStart(7);
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

type Req = { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };

/** Warm-up, then a measured window; each connection is one user (round-robin over the logged-in users). */
async function measure(
  name: string,
  request: (user: number) => Req,
  okStatus: number,
): Promise<{ result: Result; samples: number[]; bad: number }> {
  process.stdout.write(`  ${name}: warm-up ${WARMUP} s, measure ${DURATION} s… `);
  const go = (seconds: number, record: boolean) =>
    new Promise<{ result: Result; samples: number[]; bad: number }>((resolve, reject) => {
      const samples: number[] = [];
      let bad = 0;
      let next = 0;
      const instance = autocannon(
        {
          url: `http://127.0.0.1:${port()}`,
          connections: CONNECTIONS,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
                context.user ??= next++ % CONNECTIONS;
                return { ...req, ...request(context.user as number) };
              },
            },
          ],
        } as unknown as Options,
        (err, result) => (err ? reject(err) : resolve({ result, samples: samples.sort((a, b) => a - b), bad })),
      );
      instance.on("response", (_client, status, _bytes, ms) => {
        if (!record) return;
        if (status === okStatus) samples.push(ms);
        else bad += 1;
      });
    });
  if (WARMUP > 0) await go(WARMUP, false);
  const out = await go(DURATION, true);
  console.log("done");
  return out;
}

let hubPort = 0;
const port = () => hubPort;

main().then(runCleanups, async (err) => {
  console.error(err);
  await runCleanups();
  process.exitCode = 1;
});
