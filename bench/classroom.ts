// Class life benchmark: with the demo platform scaled to 100 schools, 200 concurrent users (closed loop, one user per
// connection) (a) save the roll of their 30-pupil class for a half-day (54O: a few absences, two of them unexplained so
// the parents are told) and (b) open the evening page /ce-soir as a parent of two children in two classes (56C, 54E).
// Prints p50/p95/p99 and req/s for each, then the same at a low concurrency (the latency without the queue).
// Target: p95 ≤ 20 ms for both.
//
//   npx tsx bench/classroom.ts [--connections 200] [--low 20] [--duration 15] [--warmup 3] [--cpu-prof]
//                              [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
//
// What it does: writes a 94-school AAF set (`aaf synth`), creates an empty Postgres database, starts the hub on it as
// a child process (it migrates and builds the 6-school demo), imports the set (100 schools in all), then seeds a school
// year so far in every class: three homework entries per lesson day since 1 September (due 2, 5 and 7 days later), 40 %
// of past work ticked, a note to the class's families every Monday and one to the whole school every other Monday
// (older ones mostly read), the rolls of September to mid-October. 200 classes (two or three per school) are brought to
// 30 pupils and get a teacher with a login; 200 parents of two children in two classes get a login. All log in over
// HTTP. Each roll request saves a different past half-day (from 19 October on) for the teacher's class, as the form
// sends it: a status and a reason field for each of the 30 pupils. --cpu-prof runs the hub under the V8 profiler and
// prints where its time goes per scenario (figures are then inflated).
// A benchmark reports: a missed target is printed as MISS, the exit code stays 0.
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Options, type Result } from "autocannon";
import postgres from "postgres";
import {
  REPO,
  DEMO_PASSWORD,
  backendPids,
  cpuModel,
  cpuSeconds,
  createBenchDatabase,
  freePort,
  installExitHandlers,
  loginOverHttp,
  onCleanup,
  runCleanups,
  startNodeChild,
  statusMiB,
  waitForHttp,
  type BenchDatabase,
  PG_URL_OPTION,
  runTsx,
} from "./lib";
import { summarizeProfile, type Window } from "./cpuprofile";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "200" },
    low: { type: "string", default: "20" },
    duration: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    "cpu-prof": { type: "boolean", default: false },
    "pg-url": PG_URL_OPTION,
  },
});
const CONNECTIONS = Number(args.connections);
const LOW = Number(args.low);
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CLASS_SIZE = 30;
const TARGET_P95_MS = 20;

installExitHandlers();

interface Teacher {
  login: string;
  cookie: string;
  csrf: string;
  classId: string;
  pupils: string[];
  withParents: string[];
}
interface Parent {
  login: string;
  cookie: string;
}

/** Past school days (Monday, Tuesday, Thursday, Friday) from `from` to `to`, newest first. */
function schoolDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${to}T12:00:00Z`); d.toISOString().slice(0, 10) >= from; d.setUTCDate(d.getUTCDate() - 1)) {
    if ([1, 2, 4, 5].includes(d.getUTCDay())) days.push(d.toISOString().slice(0, 10));
  }
  return days;
}

async function main() {
  console.log(
    `Class life benchmark — ${CONNECTIONS} connections (then ${LOW}), ${DURATION} s per scenario, ` +
      `${cpuModel()}, node ${process.version}`,
  );
  const dir = await mkdtemp(join(tmpdir(), "preau-bench-classroom-"));
  onCleanup("remove bench files", () => rm(dir, { recursive: true, force: true }));
  await runTsx(["src/node/cli.ts", "aaf", "synth", "--out", join(dir, "aaf"), "--schools", "94"], {});
  const db = await createBenchDatabase(args["pg-url"]!, "preau_bench_classroom");
  const port = await freePort();
  hubPort = port;
  const base = `http://127.0.0.1:${port}`;
  const profileDir = args["cpu-prof"] ? join(dir, "cpuprof") : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  const hub = startNodeChild({
    name: "hub",
    nodeArgs: [
      "--import",
      "tsx",
      ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      "src/node/main.ts",
    ],
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
      PREAU_COOKIE_SECURE: "false",
    },
  });
  onCleanup("stop hub", () => hub.stop());
  await waitForHttp(`${base}/readyz`, hub, 300_000);
  await runTsx(["src/node/cli.ts", "aaf", "import", join(dir, "aaf", "complet")], {
    DATABASE_URL: db.url,
    DATA_DIR: join(dir, "data"),
  });

  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  onCleanup("close admin connection", () => sql.end({ timeout: 2 }));
  const started = performance.now();
  const today = (
    await sql<{ today: string }[]>`select to_char((now() at time zone 'Europe/Paris')::date, 'YYYY-MM-DD') as today`
  )[0]!.today;
  const schools = (await sql<{ n: number }[]>`select count(*)::int as n from schools`)[0]!.n;
  await sql`select setseed(0.42)`;

  // (a) 200 classes, two or three per school, each with a teacher of its school (the AAF set gives teachers no class
  // list) who gets a login; each class brought to 30 pupils (the newcomers without parents).
  const picked = await sql<{ class_id: string; uai: string; teacher: string; size: number }[]>`
    with cls as (
      select c.id, c.uai, row_number() over (partition by c.uai order by c.name, c.id) as rn,
        (select count(*)::int from class_members m where m.class_id = c.id and m.role = 'pupil') as size
      from classes c),
    tea as (
      select sp.user_id, sp.uai, row_number() over (partition by sp.uai order by sp.user_id) as rn
      from school_profiles sp
      where sp.profile = 'teacher'
        and not exists (select 1 from school_profiles d where d.user_id = sp.user_id and d.profile = 'director')
        and (select u.login from users u where u.id = sp.user_id) is null)
    select cls.id as class_id, cls.uai, tea.user_id as teacher, cls.size
    from cls join tea on tea.uai = cls.uai and tea.rn = cls.rn
    where cls.size > 0 order by cls.rn, cls.uai limit ${CONNECTIONS}`;
  if (picked.length < CONNECTIONS) throw new Error(`only ${picked.length} classes with a teacher to give them`);
  await sql`insert into class_members (class_id, user_id, uai, role)
    select t.class_id, t.user_id, t.uai, 'teacher'
    from unnest(${sql.array(picked.map((p) => p.class_id))}::uuid[], ${sql.array(picked.map((p) => p.teacher))}::uuid[],
      ${sql.array(picked.map((p) => p.uai))}::text[]) as t(class_id, user_id, uai)
    on conflict do nothing`;
  await sql`
    with need as (select * from unnest(${sql.array(picked.map((p) => p.class_id))}::uuid[],
      ${sql.array(picked.map((p) => p.uai))}::text[],
      ${sql.array(picked.map((p) => Math.max(0, CLASS_SIZE - p.size)))}::int[]) as n(class_id, uai, missing)),
    fresh as (
      insert into users (source, first_name, last_name, state, charter_accepted_at, activated_at, external_id)
      select 'manual', 'Élève', 'Nouveau ' || g, 'active', now(), now(), 'bench-' || need.class_id || '-' || g
      from need, generate_series(1, need.missing) g returning id, external_id),
    placed as (
      select f.id, n.class_id, n.uai from fresh f join need n on f.external_id like 'bench-' || n.class_id || '-%'),
    prof as (insert into school_profiles (user_id, uai, profile) select id, uai, 'pupil' from placed returning user_id)
    insert into class_members (class_id, user_id, uai, role) select class_id, id, uai, 'pupil' from placed`;
  await activate(
    sql,
    picked.map((p) => p.teacher),
  );

  // (b) 200 parents of exactly two children, in two different classes.
  const parents = await sql<{ id: string }[]>`
    select l.parent_id as id from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
    join users u on u.id = l.parent_id and u.login is null
    group by l.parent_id having count(distinct l.child_id) = 2 and count(distinct m.class_id) = 2
    order by md5(l.parent_id::text) limit ${CONNECTIONS}`;
  if (parents.length < CONNECTIONS) throw new Error(`only ${parents.length} parents of two children in two classes`);
  await activate(
    sql,
    parents.map((p) => p.id),
  );

  // A school year so far in every class of the 100 schools.
  const firstDay = "2026-09-01";
  await sql`
    insert into homework_entries
      (uai, class_id, author_id, day, subject, done_in_class, to_do, due_date, links, created_at, updated_at)
    select c.uai, c.id,
      (select m.user_id from class_members m where m.class_id = c.id and m.role = 'teacher' limit 1),
      d::date, s.subject,
      'Leçon : ' || s.subject || ' du ' || to_char(d, 'DD/MM') || '.',
      'Exercices ' || s.n || ' à ' || (s.n + 3) || ' page ' || (10 + extract(doy from d)::int % 90)
        || ' ; relire la leçon et apprendre le vocabulaire.',
      (d + s.ahead * interval '1 day')::date,
      case when s.n = 1 then array['https://exemple.fr/exercices/' || s.n] else '{}'::text[] end,
      d + interval '16 hours', d + interval '16 hours'
    from classes c, generate_series(${firstDay}::date, ${today}::date, interval '1 day') d,
      (values (1, 'Mathématiques', 2), (2, 'Français', 5), (3, 'Questionner le monde', 7)) s(n, subject, ahead)
    where extract(isodow from d) in (1, 2, 4, 5)`;
  await sql`
    insert into homework_ticks (entry_id, pupil_id, uai, ticked_by, ticked_at)
    select e.id, m.user_id, e.uai, m.user_id, e.due_date - interval '8 hours'
    from homework_entries e join class_members m on m.class_id = e.class_id and m.role = 'pupil'
    where (e.due_date < ${today}::date and random() < 0.4) or (e.due_date >= ${today}::date and random() < 0.15)`;
  await sql`
    with weeks as (select d::date as monday, row_number() over (order by d) as k
      from generate_series(${firstDay}::date, ${today}::date, interval '1 day') d
      where extract(isodow from d) = 1),
    notes as (
      insert into liaison_notes (uai, author_id, class_id, title, body, reply_kind, remind_after_hours, created_at)
      select c.uai, null::uuid, c.id, 'Mot de la semaine du ' || to_char(w.monday, 'DD/MM'),
        'Madame, Monsieur, voici les informations de la semaine : sortie, piscine, réunion. Merci de signer ce mot.',
        case when w.k % 3 = 0 then 'yesno' else 'none' end, null::int, w.monday + interval '16 hours'
      from classes c, weeks w
      union all
      select s.uai, null::uuid, null::uuid, 'Mot de l''école du ' || to_char(w.monday, 'DD/MM'),
        'Informations de l''école pour toutes les familles.',
        'none', null::int, w.monday + interval '17 hours'
      from schools s, weeks w where w.k % 2 = 0
      returning id, uai, class_id, created_at)
    insert into liaison_recipients (note_id, parent_id, child_id, uai, read_at)
    select distinct on (n.id, l.parent_id, l.child_id) n.id, l.parent_id, l.child_id, n.uai,
      case when random() < (case when n.created_at > now() - interval '7 days' then 0.5 else 0.95 end)
        then n.created_at + interval '3 hours' end
    from notes n
    join class_members m on m.role = 'pupil' and (m.class_id = n.class_id or (n.class_id is null and m.uai = n.uai))
    join parent_links l on l.child_id = m.user_id`;
  const rollFrom = "2026-09-01",
    rollTo = "2026-10-16";
  await sql`
    with rolls as (
      insert into attendance_rolls (uai, class_id, day, half, taken_by, taken_at)
      select c.uai, c.id, d::date, h.half, null, d + interval '9 hours'
      from classes c, generate_series(${rollFrom}::date, ${rollTo}::date, interval '1 day') d,
        (values ('matin'), ('apres-midi')) h(half)
      where extract(isodow from d) in (1, 2, 4, 5) returning id, uai, class_id)
    insert into attendance_marks (roll_id, pupil_id, uai, status, reason, notified_at)
    select r.id, m.user_id, r.uai, case when random() < 0.8 then 'absent' else 'late' end, '', null
    from rolls r join class_members m on m.class_id = r.class_id and m.role = 'pupil' where random() < 0.04`;
  // A steady state: statistics and visibility maps made now, not by autovacuum during the measurement.
  await sql`vacuum analyze`;
  const counts = (
    await sql<{ t: string; n: number }[]>`
    select 'homework entries' as t, count(*)::int as n from homework_entries
    union all select 'ticks', count(*)::int from homework_ticks
    union all select 'liaison notes', count(*)::int from liaison_notes
    union all select 'note recipients', count(*)::int from liaison_recipients
    union all select 'rolls', count(*)::int from attendance_rolls
    union all select 'marks', count(*)::int from attendance_marks`
  )
    .map((r) => `${r.n.toLocaleString("en")} ${r.t}`)
    .join(", ");
  console.log(`  ${schools} schools; seeded ${counts} in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Log in; each teacher's roll page gives the CSRF token and the 30 pupils as the form lists them.
  const withParents = new Set(
    (await sql<{ id: string }[]>`select distinct child_id as id from parent_links`).map((r) => r.id),
  );
  const teachers: Teacher[] = [];
  for (const p of picked) {
    const login = `bench.${p.teacher.slice(0, 8)}`;
    const cookie = await loginOverHttp(base, login, DEMO_PASSWORD);
    const page = await fetch(`${base}/appel/${p.class_id}`, { headers: { cookie } });
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const pupils = [...new Set([...html.matchAll(/name="statut:([0-9a-f-]{36})"/g)].map((m) => m[1]!))];
    if (page.status !== 200 || !csrf || pupils.length !== CLASS_SIZE)
      throw new Error(`${login}: roll page ${page.status}, ${pupils.length} pupils`);
    teachers.push({
      login,
      cookie,
      csrf,
      classId: p.class_id,
      pupils,
      withParents: pupils.filter((id) => withParents.has(id)),
    });
  }
  const users: Parent[] = [];
  const items: number[] = [];
  const notes: number[] = [];
  for (const p of parents) {
    const login = `bench.${p.id.slice(0, 8)}`;
    const cookie = await loginOverHttp(base, login, DEMO_PASSWORD);
    const page = await fetch(`${base}/ce-soir`, { headers: { cookie } });
    const html = await page.text();
    if (page.status !== 200 || (html.match(/<section /g) ?? []).length !== 2)
      throw new Error(`${login}: /ce-soir answered ${page.status} without two children`);
    items.push((html.match(/action="\/cahier\/entrees\//g) ?? []).length);
    notes.push((html.match(/<li class="card"><h4 class="card-title"><a href="\/carnet\?enfant=/g) ?? []).length);
    users.push({ login, cookie });
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  console.log(
    `  ${teachers.length} teachers logged in (classes of ${CLASS_SIZE}); ` +
      `${users.length} parents logged in: /ce-soir lists ` +
      `${Math.min(...items)}–${Math.max(...items)} pieces of work (median ${med(items)}) and ` +
      `${Math.min(...notes)}–${Math.max(...notes)} notes to read (median ${med(notes)})`,
  );

  // Each teacher saves a different half-day each time: 19 October → last Friday, newest first, then round again.
  const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const days = schoolDays("2026-10-19", yesterday);
  const sent = new Array<number>(teachers.length).fill(0);
  const roll = (i: number): Req => {
    const u = teachers[i]!;
    const n = sent[i]!++;
    const day = days[Math.floor(n / 2) % days.length]!;
    const half = n % 2 === 0 ? "matin" : "apres-midi";
    const form = new URLSearchParams({ _csrf: u.csrf, jour: day, demi: half });
    const k = u.withParents.length;
    // Two unexplained absences (their parents are told), one absence with a reason, one late arrival.
    const absent = k >= 2 ? [u.withParents[(2 * n) % k]!, u.withParents[(2 * n + 1) % k]!] : u.pupils.slice(0, 2);
    const excused = u.pupils[(n + 5) % CLASS_SIZE]!;
    const late = u.pupils[(n + 11) % CLASS_SIZE]!;
    for (const id of u.pupils) {
      const status = absent.includes(id) || id === excused ? "absent" : id === late ? "late" : "present";
      form.append(`statut:${id}`, status);
      form.append(`motif:${id}`, id === excused && !absent.includes(id) ? "Rendez-vous médical" : "");
    }
    return {
      method: "POST",
      path: `/appel/${u.classId}`,
      headers: { cookie: u.cookie, "content-type": "application/x-www-form-urlencoded", origin: base },
      body: form.toString(),
    };
  };
  const evening = (i: number): Req => ({ method: "GET", path: "/ce-soir", headers: { cookie: users[i]!.cookie } });

  // The evening page first: the rolls leave notices whose delivery jobs would run beside it.
  const runs: { name: string; connections: number; r: Measured }[] = [];
  for (const connections of [CONNECTIONS, ...(LOW > 0 && LOW < CONNECTIONS ? [LOW] : [])]) {
    runs.push({
      name: "parent's evening page",
      connections,
      r: await measure(`parent's evening page, ${connections} users`, connections, evening, 200, db, hub.pid),
    });
    runs.push({
      name: "save a 30-pupil roll",
      connections,
      r: await measure(`save a 30-pupil roll, ${connections} users`, connections, roll, 303, db, hub.pid),
    });
  }
  const written = (
    await sql<{ n: number }[]>`
      select count(*)::int as n from attendance_rolls
      where class_id in ${sql(teachers.map((t) => t.classId))} and day >= '2026-10-19'`
  )[0]!.n;
  const told = (await sql<{ n: number }[]>`select count(*)::int as n from notifications where kind = 'absence'`)[0]!.n;

  console.log(
    `\n${"scenario".padEnd(26)} ${"users".padStart(5)} ${"req/s".padStart(7)} ${"p50".padStart(7)} ` +
      `${"p95".padStart(7)} ${"p99".padStart(7)} ${"max".padStart(7)}` +
      `  errors  hub CPU/req  PG CPU/req  target`,
  );
  for (const { name, connections, r } of runs) {
    const p95 = percentile(r.samples, 0.95);
    console.log(
      `${name.padEnd(26)} ${String(connections).padStart(5)} ` +
        `${String(Math.round(r.result.requests.average)).padStart(7)} ${fmt(percentile(r.samples, 0.5))} ` +
        `${fmt(p95)} ${fmt(percentile(r.samples, 0.99))} ${fmt(r.samples.at(-1) ?? 0)}  ` +
        `${String(r.bad).padStart(6)}  ${fmtCpu(r.hubCpuMs)} ${fmtCpu(r.pgCpuMs)}  ` +
        `${p95 <= TARGET_P95_MS ? "OK" : "MISS"} p95 ≤ ${TARGET_P95_MS} ms`,
    );
  }
  console.log(
    "  (ms; CPU per request = CPU seconds of the hub process / of the database's Postgres " +
      "backends over the window ÷ answers)",
  );
  console.log(
    `  half-day rolls of the ${teachers.length} classes saved since 19 October: ` +
      `${written.toLocaleString("en")} (${days.length * 2} distinct per class before a roll is saved again); ` +
      `absence notices to parents: ${told.toLocaleString("en")}; ` +
      `hub peak RSS ${statusMiB(hub.pid, "VmHWM")?.toFixed(0)} MiB; hub warn/error lines: ${hub.filtered.length}` +
      `${hub.filtered.length ? `\n    ${hub.filtered.slice(-3).join("\n    ")}` : ""}`,
  );

  if (profileDir) {
    await hub.stop();
    const files = (await readdir(profileDir)).filter((f) => f.endsWith(".cpuprofile"));
    if (!files.length) console.log(`  no .cpuprofile written in ${profileDir}`);
    for (const { name, connections, r } of files.length ? runs : []) {
      const summary = summarizeProfile(join(profileDir, files.sort().at(-1)!), REPO, [r.window], 20, r.ok);
      console.log(
        `\nCPU profile of the hub — ${name}, ${connections} users: ` +
          `${r.ok ? ((summary.sampledMs / r.ok) * 1000).toFixed(0) : "—"} µs of main thread per request`,
      );
      console.log(summary.text);
    }
  }
}

/** A login (the demo password) and an active, charter-accepted account for each of these users. */
async function activate(sql: postgres.Sql, ids: string[]): Promise<void> {
  const [demo] = await sql<{ hash: string }[]>`
    select c.password_hash as hash from credentials c join users d on d.id = c.user_id
    where d.login = 'demo.enseignant'`;
  await sql`update users
    set login = 'bench.' || substr(id::text, 1, 8), state = 'active', charter_accepted_at = now(), activated_at = now()
    where id in ${sql(ids)}`;
  await sql`insert into credentials (user_id, password_hash, changed_at)
    select u.id, ${demo!.hash}, now()
    from users u where u.id in ${sql(ids)} on conflict (user_id) do nothing`;
}

const fmt = (ms: number) => `${ms.toFixed(1)}`.padStart(7);
const fmtCpu = (ms: number | null) => (ms === null ? "—" : `${ms.toFixed(2)} ms`).padStart(11);
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

type Req = { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };
interface Measured {
  result: Result;
  samples: number[];
  bad: number;
  ok: number;
  hubCpuMs: number | null;
  pgCpuMs: number | null;
  window: Window;
}

async function pgCpu(db: BenchDatabase): Promise<number> {
  let total = 0;
  for (const pid of await backendPids(db.admin, db.name)) total += cpuSeconds(pid) ?? 0;
  return total;
}

/** Warm-up, then a measured window; each connection is one user (connection i is user i). */
async function measure(
  name: string,
  connections: number,
  request: (user: number) => Req,
  okStatus: number,
  db: BenchDatabase,
  hubPid: number,
): Promise<Measured> {
  // Other work on the machine skews everything: say how busy it was just before.
  process.stdout.write(
    `  ${name} (load average ${loadavg()[0]!.toFixed(2)}): warm-up ${WARMUP} s, measure ${DURATION} s… `,
  );
  const go = (seconds: number, record: boolean) =>
    new Promise<{ result: Result; samples: number[]; bad: number }>((resolve, reject) => {
      const samples: number[] = [];
      let bad = 0;
      let next = 0;
      const instance = autocannon(
        {
          url: `http://127.0.0.1:${hubPort}`,
          connections,
          duration: seconds,
          timeout: 10,
          requests: [
            {
              setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
                context.user ??= next++ % connections;
                return { ...req, ...request(context.user as number) };
              },
            },
          ],
        } as unknown as Options,
        (err, result) =>
          err
            ? reject(err)
            : // Answers with another status, and requests that got no answer (timeouts, resets) within the window.
              resolve({ result, samples: samples.sort((a, b) => a - b), bad: bad + (record ? result.errors : 0) }),
      );
      instance.on("response", (_client, status, _bytes, ms) => {
        if (!record) return;
        if (status === okStatus) samples.push(ms);
        else bad += 1;
      });
    });
  if (WARMUP > 0) await go(WARMUP, false);
  const hubBefore = cpuSeconds(hubPid);
  const pgBefore = await pgCpu(db);
  const w0 = Number(process.hrtime.bigint() / 1000n);
  const out = await go(DURATION, true);
  const w1 = Number(process.hrtime.bigint() / 1000n);
  const hubAfter = cpuSeconds(hubPid);
  const pgAfter = await pgCpu(db);
  const ok = out.samples.length;
  console.log("done");
  return {
    ...out,
    ok,
    window: [w0, w1],
    hubCpuMs: hubBefore !== null && hubAfter !== null && ok ? ((hubAfter - hubBefore) * 1000) / ok : null,
    pgCpuMs: ok ? ((pgAfter - pgBefore) * 1000) / ok : null,
  };
}

let hubPort = 0;

main().then(runCleanups, async (err) => {
  console.error(err);
  await runCleanups();
  process.exitCode = 1;
});
