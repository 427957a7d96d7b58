// issue 22: the runtimes' smoke suite (test/helpers/smoke.ts) against the Workers build in workerd — built as for a
// deploy (`wrangler deploy --dry-run`), run by wrangler's test harness with its Durable Object rooms (wrangler.toml's
// ROOMS binding, SQLite storage) on a real port, over a fresh Postgres database. The Workers entry never migrates nor
// builds the demo (src/worker/index.ts): as an operator would, Node migrates the database and builds the demo first;
// its walls' post-its go to Node's room files, which Durable Objects do not read, so the walls start empty here.
// test/integration/worker.test.ts covers the rest of the entry (probes, compression, static files, a factory login).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import postgres from "postgres";
import { afterAll, beforeAll, describe } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { passwordHasher } from "../../src/auth/password";
import { buildDemo } from "../../src/demo/demo";
import { migratePostgresDatabase } from "../../src/node/migrate";
import { nativeScrypt } from "../../src/node/scrypt";
import { workerRooms, type DurableObjectNamespace } from "../../src/worker/rooms";
import { appRoleUrl, createPostgresDatabase } from "../../db/postgres";
import { smokeSuite } from "../helpers/smoke";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl)
  console.warn(
    "test/integration/workerd-smoke.test.ts SKIPPED: DATABASE_URL is not set; the Workers entry needs a Postgres server.",
  );

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

describe.skipIf(!serverUrl)(
  serverUrl
    ? "issue 22 workerd: the Workers build's smoke suite"
    : "issue 22 workerd: the Workers build's smoke suite — SKIPPED: DATABASE_URL is not set (CI sets it)",
  () => {
    let outDir: string;
    let server: TestHarness;
    let base = "";
    const database = new URL(serverUrl ?? "postgres://localhost/none");
    database.pathname = `/preau_workerd_${process.pid}_${Date.now()}`;

    beforeAll(async () => {
      outDir = await mkdtemp(join(tmpdir(), "preau-workerd-"));
      const build = promisify(execFile)(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outDir], {
        cwd: ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      });
      // Meanwhile, what `npm run preau -- migrate` does, on a database of its own.
      await onServer(database, `CREATE DATABASE ${database.pathname.slice(1)}`);
      await migratePostgresDatabase(database.toString());
      await build;
      server = createTestHarness({
        root: ROOT,
        workers: [
          {
            configPath: "wrangler.toml",
            prebuiltWorkerDir: outDir,
            secrets: {
              DATABASE_URL: database.toString(),
              PREAU_SECRET: "workerd-smoke-secret-that-is-long-enough-for-hmac",
              // workerd implements no jurisdiction (as for `wrangler dev`); deployed, rooms live in the EU one.
              PREAU_ROOMS_JURISDICTION: "none",
            },
          },
        ],
      });
      base = (await server.listen()).url.origin;
      // The demo, built from Node as `npm run preau -- demo --reset` would, its class wall and document written into
      // the running worker's Durable Objects through the Workers entry's own room addressing (workerRooms).
      const env = await server.getWorker<{ ROOMS: DurableObjectNamespace }>().getEnv();
      const app = createPostgresDatabase(appRoleUrl(database.toString()), { max: 2, changes: false });
      try {
        await buildDemo(app.db, passwordHasher(nativeScrypt), new Date(), workerRooms(env.ROOMS, "none"));
      } finally {
        await app.close();
      }
    }, 180_000);

    afterAll(async () => {
      for (const c of smoke.clients) c.destroy();
      await server?.close();
      if (outDir) await rm(outDir, { recursive: true, force: true });
      await onServer(database, `DROP DATABASE IF EXISTS ${database.pathname.slice(1)} WITH (FORCE)`);
    }, 60_000);

    // Secure cookies (the default): the session cookie carries the __Host- prefix.
    const smoke = smokeSuite(() => ({ base, sessionCookie: "__Host-preau_session", demoPostits: true }));
  },
);
