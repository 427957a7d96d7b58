// issue 22 (Deno as the second runtime): `npm run start:deno` in a child process — the Deno binary of the npm package
// `deno` running dist/deno.js (src/deno/main.ts) — on a fresh data folder with the embedded PGlite, and on a fresh
// Postgres database through postgres.js when DATABASE_URL is set. Then the runtimes' smoke suite over real HTTP and
// websockets (test/helpers/smoke.ts: login page, demo login, home, a wall's room with the y-websocket client), the
// OIDC provider's absence, and a graceful stop on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from "../../src/demo/demo";
import { t } from "../../src/i18n";
import { decodeEntities } from "../helpers/client";
import { DATABASE_KINDS } from "../helpers/db";
import { freePort } from "../helpers/http";
import { until } from "../helpers/realtime";
import { smokeSuite } from "../helpers/smoke";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DENO_VERSION = "2.9.6";

/** `npm run start:deno` with the npm that runs the tests (npm_execpath), or the one on PATH. */
function startDeno(env: Record<string, string>): ChildProcess {
  const npm = process.env.npm_execpath;
  const [command, args] = npm?.endsWith(".js")
    ? [process.execPath, [npm, "run", "--silent", "start:deno"]]
    : ["npm", ["run", "--silent", "start:deno"]];
  return spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run inside the one named). */
async function onServer(url: URL, statement: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end();
  }
}

describe.each(DATABASE_KINDS)("issue 22 Deno: npm run start:deno on %s", (kind) => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let output = "";
  let base = "";
  let dataDir: string;
  let database: URL | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "preau-deno-"));
    if (kind === "postgres") {
      // A database of its own: the demo is built only on an empty one, as by `npm start`.
      database = new URL(process.env.DATABASE_URL!);
      database.pathname = `/preau_deno_${process.pid}_${Date.now()}`;
      await onServer(database, `CREATE DATABASE ${database.pathname.slice(1)}`);
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = startDeno({
      DATABASE_URL: database?.toString() ?? "",
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      PREAU_COOKIE_SECURE: "false",
    });
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    let gone = false;
    exited = new Promise((resolve) =>
      child.once("exit", (code) => {
        gone = true;
        resolve(code);
      }),
    );
    await until(() => gone || output.includes("Préau est prêt"), 110_000, "npm run start:deno never said it was ready");
    if (gone) throw new Error(`npm run start:deno stopped:\n${output.slice(-4000)}`);
  }, 120_000);

  afterAll(async () => {
    for (const c of smoke.clients) c.destroy();
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    await rm(dataDir, { recursive: true, force: true });
    if (database) await onServer(database, `DROP DATABASE IF EXISTS ${database.pathname.slice(1)} WITH (FORCE)`);
  }, 30_000);

  it("starts on Deno from node_modules, builds the demo on the empty database and prints its accounts", () => {
    expect(output).toContain(
      `(Deno ${DENO_VERSION}, ${kind === "pglite" ? "base embarquée PGlite" : "serveur Postgres"}`,
    );
    expect(output).toContain('"event":"demo_built"');
    expect(output).toContain(`mot de passe : ${DEMO_PASSWORD}`);
    for (const account of DEMO_ACCOUNTS) expect(output).toContain(account.login);
  });

  const smoke = smokeSuite(() => ({ base, sessionCookie: "preau_session", demoPostits: true }));

  it("has no OpenID Connect provider, as on Workers: /oidc answers the French 404 page, not an error", async () => {
    const res = await fetch(`${base}/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
    expect(decodeEntities(await res.text())).toContain(t("error.404.title"));
  });

  it("stops gracefully on SIGTERM: rooms and database closed, exit code 0", async () => {
    for (const c of smoke.clients.splice(0)) c.destroy();
    child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 15_000))]);
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toContain('"event":"shutdown"');
  });
});
