// The Workers entry, built as for a deploy (`wrangler deploy --dry-run`) and run in workerd by wrangler's test
// harness, against the real Postgres server: probes, the login page, static files, and a real login whose password
// hash was made by Node's native scrypt and is checked by the worker's pure-JS one.
import { execFile } from "node:child_process";
import { get } from "node:http";
import { gunzipSync } from "node:zlib";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { t } from "../../src/i18n";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl)
  console.warn(
    "test/integration/worker.test.ts SKIPPED: DATABASE_URL is not set; the Workers entry needs a Postgres server.",
  );

describe.skipIf(!databaseUrl)(
  databaseUrl
    ? "Workers entry on workerd against Postgres"
    : "Workers entry on workerd — SKIPPED: DATABASE_URL is not set (it needs a Postgres server; CI sets it)",
  () => {
    let outDir: string;
    let server: TestHarness;
    let serverUrl: URL;
    /** TestBrowser drives a Hono app through app.request(); here the requests go to workerd instead. */
    let worker: Hono<any>;

    beforeAll(async () => {
      outDir = await mkdtemp(join(tmpdir(), "preau-worker-"));
      // The very command `npm run build:worker` runs, offline and without a Cloudflare login.
      await promisify(execFile)(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outDir], {
        cwd: ROOT,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      });
      server = createTestHarness({
        root: ROOT,
        workers: [
          {
            configPath: "wrangler.toml",
            prebuiltWorkerDir: outDir,
            // The owner URL, as in production: the worker itself connects as the non-owner role preau_app.
            secrets: { DATABASE_URL: databaseUrl!, PREAU_SECRET: "worker-test-secret-that-is-long-enough-for-hmac" },
          },
        ],
      });
      serverUrl = (await server.listen()).url;
      worker = {
        // Redirects are the app's answers (303 after a login): keep them, with their cookies, as a browser would see
        // them. (TestBrowser sends string bodies; miniflare's RequestInit type is undici's, the same at runtime.)
        request: (input: string, init?: RequestInit) =>
          server.fetch(input, { ...(init as Parameters<TestHarness["fetch"]>[1]), redirect: "manual" }),
      } as unknown as Hono<any>;
    });

    afterAll(async () => {
      await server?.close();
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it("answers the liveness and readiness probes (readiness queries Postgres)", async () => {
      const live = await server.fetch("http://localhost/healthz");
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: "ok" });
      const ready = await server.fetch("http://localhost/readyz");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    });

    it("serves the French login form with the hashed static files of the manifest", async () => {
      const b = new TestBrowser(worker);
      const page = await b.get("/login");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(page.text).toContain(t("login.title"));
      expect(page.text).toContain(t("login.submit"));
      expect(page.html).toMatch(/<form[^>]+method="post"[^>]*>/i);
      expect(page.html).toContain('name="_csrf"');

      const css = /href="(\/static\/build\/preau\.[0-9a-f]{12}\.css)"/.exec(page.html);
      expect(css).not.toBeNull();
      const file = await server.fetch(`http://localhost${css![1]}`);
      expect(file.status).toBe(200);
      expect(file.headers.get("cache-control")).toContain("immutable");
      expect(await file.text()).toContain("/static/build/opendyslexic-400.");
    });

    it("sends a page compressed once over a real HTTP connection (the runtime encodes, not the app)", async () => {
      const { encoding, body } = await new Promise<{ encoding: string | undefined; body: Buffer }>(
        (resolve, reject) => {
          get(new URL("/login", serverUrl), { headers: { "accept-encoding": "gzip" } }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
            res.on("error", reject);
          }).on("error", reject);
        },
      );
      const html = (encoding === "gzip" ? gunzipSync(body) : body).toString("utf8");
      expect(html.startsWith("<!doctype html>")).toBe(true);
      expect(html).toContain(t("login.submit"));
    });

    it("answers a missing static file with the app's French 404 page", async () => {
      const b = new TestBrowser(worker);
      const page = await b.get("/static/build/absent.000000000000.css");
      expect(page.status).toBe(404);
      expect(page.text).toContain(t("error.404.title"));
    });

    it("logs in a teacher whose password was hashed by Node's native scrypt and shows the school's home", async () => {
      const { platform } = await testPlatform("postgres");
      const s = await buildSchoolWithClass(platform.db, platform.passwords);
      const b = new TestBrowser(worker);
      const res = await b.login(s.teacher.login, s.teacher.password);
      expect(res.status).toBe(303);
      expect(b.cookie("__Host-preau_session")).toBeTruthy();
      const home = await b.get("/");
      expect(home.status).toBe(200);
      expect(home.text).toContain(s.school.name);

      const wrong = new TestBrowser(worker);
      const refused = await wrong.login(s.director.login, "pas-le-bon-mot-de-passe");
      expect(refused.status).toBe(401);
      expect(refused.text).toContain(t("login.error.invalid"));
    });
  },
);
