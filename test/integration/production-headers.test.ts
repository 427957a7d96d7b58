// The hub as it runs in production (`npm start` in a child process: compiled by scripts/build.mjs, then plain node;
// @hono/node-server's own Response, compression) sends its security headers on every page a browser gets, compressed or
// not. They were once lost on compressed pages: the compressor rebuilt the response from the original one, before the
// headers were added.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../helpers/http";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("security headers from the production server", () => {
  let child: ChildProcess;
  let base: string;
  // Its own output folder inside the repository (the bundle finds migrations/ and public/ from there, as from dist/).
  const outdir = `dist/test-production-${process.pid}`;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ["scripts/build.mjs", outdir], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`scripts/build.mjs: ${build.stderr}`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Started from elsewhere than the repository: its files are found from the bundle's place, not the working folder.
    const dataDir = mkdtempSync(join(tmpdir(), "preau-prod-"));
    child = spawn(process.execPath, ["--enable-source-maps", join(ROOT, outdir, "main.js")], {
      cwd: dataDir,
      stdio: "ignore",
      env: {
        ...process.env,
        DATABASE_URL: "",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        PREAU_COOKIE_SECURE: "false",
      },
    });
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/readyz`)).ok) return;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("the hub did not start");
  }, 150_000);
  afterAll(() => {
    child?.kill("SIGTERM");
    rmSync(join(ROOT, outdir), { recursive: true, force: true });
  });

  it("731 every page, compressed or not, carries the CSP, HSTS and the other headers", async () => {
    const jar = new Map<string, string>();
    const keep = (r: Response) => {
      for (const c of r.headers.getSetCookie()) {
        const [p] = c.split(";");
        const i = p!.indexOf("=");
        jar.set(p!.slice(0, i), p!.slice(i + 1));
      }
    };
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const form = await fetch(`${base}/login`);
    keep(form);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    keep(
      await fetch(`${base}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: "demo.enseignant", password: "preau-demo", _csrf: token }),
      }),
    );
    for (const path of ["/", "/messagerie", "/fil", "/documents", "/murs", "/compte/notifications"]) {
      for (const encoding of ["gzip, deflate, br", "identity"]) {
        const res = await fetch(base + path, {
          headers: { cookie: cookie(), "accept-encoding": encoding },
          redirect: "manual",
        });
        await res.arrayBuffer();
        expect(res.status, path).toBe(200);
        expect(res.headers.get("content-security-policy"), `${path} (${encoding})`).toContain("default-src 'self'");
        expect(res.headers.get("strict-transport-security"), path).toContain("max-age=");
        expect(res.headers.get("x-frame-options"), path).toBe("DENY");
        expect(res.headers.get("cache-control"), path).toBe("no-store");
      }
    }
  });
});
