// Shared plumbing for the benchmarks: a throw-away database, child servers pinned to a core, the demo login,
// /proc readers, and a cleanup list that runs on normal exit, on errors and on Ctrl-C.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
export const DEMO_PASSWORD = "preau-demo";

/** The `--pg-url` option every benchmark on Postgres takes: the server where it creates its throw-away database. */
export const PG_URL_OPTION = {
  type: "string",
  default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
} as const;

/** Runs `npx tsx <cmd…>` in the repository (a CLI step such as `aaf synth`) and waits for it to succeed. */
export function runTsx(cmd: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", ...cmd], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    proc.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd.join(" ")} exited with ${code}`))));
  });
}

// ---------------------------------------------------------------- cleanup

type Cleanup = { label: string; run: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
let cleaning: Promise<void> | null = null;

/** Registers a step to undo; steps run last-registered first. Returns a function that runs (and removes) it now. */
export function onCleanup(label: string, run: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { label, run };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await entry.run();
  };
}

export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (err) {
        process.stderr.write(`cleanup "${step.label}" failed: ${String(err)}\n`);
      }
    }
  })();
  return cleaning;
}

/** Ctrl-C / SIGTERM / a crash: undo everything (children, database, temp dirs), then exit. */
export function installExitHandlers(onInterrupt?: () => void): void {
  let interrupted = false;
  const bail = (signal: string, code: number) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping children and dropping the bench database…\n`);
    onInterrupt?.();
    void runCleanups().finally(() => process.exit(code));
  };
  process.on("SIGINT", () => bail("SIGINT", 130));
  process.on("SIGTERM", () => bail("SIGTERM", 143));
  process.on("SIGHUP", () => bail("SIGHUP", 129));
  process.on("uncaughtException", (err) => {
    process.stderr.write(`uncaught: ${err.stack ?? String(err)}\n`);
    bail("uncaughtException", 1);
  });
  process.on("unhandledRejection", (err) => {
    process.stderr.write(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}\n`);
    bail("unhandledRejection", 1);
  });
}

// ---------------------------------------------------------------- machine

export function tasksetAvailable(): boolean {
  const r = spawnSync("taskset", ["--version"], { stdio: "ignore" });
  return r.status === 0;
}

/** Pins every thread of a running process (the generator pins itself). */
export function pinProcess(pid: number, core: number): boolean {
  const r = spawnSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" });
  return r.status === 0;
}

export function cpuModel(): string {
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    return m?.[1]?.trim() ?? "unknown CPU";
  } catch {
    return "unknown CPU";
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** User and system CPU seconds consumed so far by a process (all its threads), or null if it is gone. */
export function cpuTimes(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces: fields are counted after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK }; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

export function cpuSeconds(pid: number): number | null {
  const t = cpuTimes(pid);
  return t ? t.user + t.system : null;
}

/** CPU seconds of a process and all its descendants (a hub started with several worker processes), from /proc. */
export function treeCpuSeconds(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    total += cpuSeconds(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Per-core jiffies from /proc/stat: busy (everything but idle and iowait) and total. */
export function coreTimes(): { busy: number; total: number }[] {
  try {
    return readFileSync("/proc/stat", "utf8")
      .split("\n")
      .filter((l) => /^cpu\d+ /.test(l))
      .map((l) => {
        const v = l.trim().split(/\s+/).slice(1, 9).map(Number);
        const total = v.reduce((a, b) => a + b, 0);
        return { busy: total - v[3]! - v[4]!, total };
      });
  } catch {
    return [];
  }
}

/** Busy % of each core between two coreTimes() snapshots. */
export function coreBusy(
  before: { busy: number; total: number }[],
  after: { busy: number; total: number }[],
): number[] {
  return after.map((a, i) => {
    const b = before[i];
    return b && a.total > b.total ? (100 * (a.busy - b.busy)) / (a.total - b.total) : Number.NaN;
  });
}

/** A line of /proc/<pid>/status in MiB (VmHWM = peak RSS, VmRSS = current RSS), or null. */
export function statusMiB(pid: number, key: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${key}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- database

export interface BenchDatabase {
  name: string;
  url: string;
  admin: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh, empty database on the server of `adminUrl` (a superuser URL); dropped by cleanup. */
export async function createBenchDatabase(adminUrl: string, prefix = "preau_bench"): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 2 });
  };
  onCleanup(`drop database ${name}`, drop);
  return { name, url: url.toString(), admin, drop };
}

/** Server processes (backends) currently connected to a database. */
export async function backendPids(admin: postgres.Sql, database: string): Promise<number[]> {
  const rows = await admin<
    { pid: number }[]
  >`select pid from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid()`;
  return rows.map((r) => r.pid);
}

// ---------------------------------------------------------------- children

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** performance.now() just before the spawn (start times are counted from it). */
  startedAt: number;
  exited: Promise<number | null>;
  hasExited(): boolean;
  /** Last lines of stderr (and of stdout when it is kept). */
  tail(): string;
  /** Lines the log filter let through (warn/error log events), when stdout goes through the filter. */
  filtered: string[];
  stop(): Promise<void>;
}

export interface ChildOptions {
  name: string;
  /** Node arguments, e.g. ["--import", "tsx", "src/node/main.ts"]. */
  nodeArgs: string[];
  env: Record<string, string>;
  core: number | null;
  /**
   * "filter": stdout goes straight into a `grep` process that keeps only warn/error log lines (a log shipper on a
   * pipe: the server pays a real pipe write per line, and the parent's event loop never paces it).
   * "keep": stdout is read by the parent (the tracer needs the request lines).
   */
  stdout: "filter" | "keep";
  /** Core for the log filter process (with the generator, off the server's core). */
  filterCore?: number | null;
}

const TAIL_LINES = 60;

export function startNodeChild(options: ChildOptions): Child {
  const tailLines: string[] = [];
  const filtered: string[] = [];
  const remember = (chunk: Buffer, into: string[], prefix: string) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      into.push(prefix + line);
      if (into.length > TAIL_LINES) into.shift();
    }
  };

  let filter: ChildProcess | null = null;
  if (options.stdout === "filter") {
    const grepArgs = ["-a", "--line-buffered", "-E", '"level":"(warn|error)"'];
    filter =
      options.filterCore != null
        ? spawn("taskset", ["-c", String(options.filterCore), "grep", ...grepArgs], {
            stdio: ["pipe", "pipe", "ignore"],
          })
        : spawn("grep", grepArgs, { stdio: ["pipe", "pipe", "ignore"] });
    filter.stdout!.on("data", (chunk: Buffer) => remember(chunk, filtered, ""));
    filter.on("error", () => {});
  }

  const stdio: ("ignore" | "pipe" | NodeJS.WritableStream)[] = ["ignore", filter ? filter.stdin! : "pipe", "pipe"];
  const command = options.core != null ? "taskset" : process.execPath;
  const args =
    options.core != null ? ["-c", String(options.core), process.execPath, ...options.nodeArgs] : options.nodeArgs;
  const startedAt = performance.now();
  const proc = spawn(command, args, {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    stdio: stdio as never,
  });
  // The child holds its own copy of the pipe; the parent's end is not needed any more.
  if (filter) filter.stdin!.destroy();
  proc.stderr!.on("data", (chunk: Buffer) => remember(chunk, tailLines, "[stderr] "));
  if (options.stdout === "keep") proc.stdout!.on("data", (chunk: Buffer) => remember(chunk, tailLines, ""));

  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    proc.on("exit", (code, signal) => {
      done = true;
      resolve(code ?? (signal ? 128 : null));
    });
    proc.on("error", (err) => {
      tailLines.push(`[spawn error] ${String(err)}`);
      done = true;
      resolve(null);
    });
  });

  const stop = async () => {
    if (!done) {
      proc.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!done) proc.kill("SIGKILL");
      }, 12_000);
      await exited;
      clearTimeout(timer);
    }
    if (filter && filter.exitCode === null && filter.signalCode === null) {
      // grep ends by itself at EOF once the server is gone; insist if it does not.
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          filter!.kill("SIGKILL");
          resolve();
        }, 1_000);
        filter!.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };
  onCleanup(`stop ${options.name}`, stop);

  return {
    name: options.name,
    proc,
    pid: proc.pid ?? -1,
    startedAt,
    exited,
    hasExited: () => done,
    tail: () => tailLines.join("\n"),
    filtered,
    stop,
  };
}

/**
 * Polls `url` until `ok(response)` says so, every `intervalMs`; fails early if the child dies, or after `timeoutMs`.
 * Gives the milliseconds since the call.
 */
export async function waitForHttp(
  url: string,
  child: Child,
  timeoutMs: number,
  ok: (r: Response) => boolean = (r) => r.ok,
  intervalMs = 250,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.hasExited()) throw new Error(`${child.name} exited before answering ${url}:\n${child.tail()}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await r.arrayBuffer();
      if (ok(r)) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs)
      throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------- login

function absorbCookies(jar: Map<string, string>, setCookies: string[]): void {
  for (const header of setCookies) {
    const [pair, ...attributes] = header.split(";");
    const eq = pair!.indexOf("=");
    if (eq < 0) continue;
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
    if (expired || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/**
 * The login form as a browser fills it: GET /login (CSRF cookie + hidden `_csrf`), POST /login (303 + session
 * cookie). Returns the Cookie header a browser would then send (session and the post-login CSRF nonce).
 */
export async function loginOverHttp(base: string, login: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const form = await fetch(`${base}/login`, { redirect: "manual" });
  absorbCookies(jar, form.headers.getSetCookie());
  const html = await form.text();
  if (form.status !== 200) throw new Error(`GET /login answered ${form.status}`);
  const token =
    html.match(/name="_csrf"[^>]*?value="([^"]+)"/)?.[1] ?? html.match(/value="([^"]+)"[^>]*?name="_csrf"/)?.[1];
  if (!token) throw new Error("GET /login: no hidden _csrf field in the form");
  const post = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: cookieHeader(jar), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password, _csrf: token }).toString(),
  });
  await post.arrayBuffer();
  absorbCookies(jar, post.headers.getSetCookie());
  if (post.status !== 303) throw new Error(`POST /login as ${login} answered ${post.status}, expected 303`);
  if (![...jar.keys()].some((k) => k.endsWith("preau_session")))
    throw new Error(`POST /login as ${login}: no session cookie set`);
  if (post.headers.get("location") !== "/")
    throw new Error(`POST /login as ${login} redirects to ${post.headers.get("location")}, not /`);
  return cookieHeader(jar);
}

/** Fetches the home page once with the session and proves it is the real page, not an error or the login form. */
export async function checkHomePage(
  base: string,
  cookie: string,
  marker = "Mes applications",
): Promise<{ bytes: number; setCookie: string[] }> {
  const r = await fetch(`${base}/`, { redirect: "manual", headers: { cookie } });
  const body = await r.text();
  if (r.status !== 200)
    throw new Error(`GET / answered ${r.status} (location: ${r.headers.get("location")}), expected 200`);
  if (!body.includes(marker))
    throw new Error(`GET / answered 200 but the page lacks "${marker}":\n${body.slice(0, 500)}`);
  return { bytes: Buffer.byteLength(body), setCookie: r.headers.getSetCookie() };
}

// ---------------------------------------------------------------- stats

/** Exact percentile (nearest rank) of a sorted array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A growable array of doubles (per-request latencies). */
export class Samples {
  private data = new Float64Array(1 << 18);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.length).sort();
  }
}
