// The Cloudflare Workers entry: the same Hono app as on Node (createApp(platform)), Postgres reached over TCP with
// postgres.js, static files from the Workers assets binding (wrangler.toml [assets], ./public under /static/).
//
// A Worker may not reuse a socket opened by another request, so each request gets its own postgres.js client
// (connecting lazily, on its first query) and therefore its own platform and app; the client is closed once the
// response is out, with ctx.waitUntil. Building the app costs well under a millisecond; the database connection
// (or Hyperdrive, later) dominates.
import { sql } from "drizzle-orm";
import { createApp } from "../app";
import type { AssetManifest, AssetName } from "../assets";
import { passwordHasher, portableScrypt } from "../auth/password";
import { loadConfig, type Config } from "../config";
import { jsonLogger } from "../log";
import { systemClock, type Platform } from "../platform";
import { appRoleUrl, createPostgresDatabase } from "../../db/postgres";
import type { AssetsBinding, WorkerContext } from "./types";
import { workerRooms, type DurableObjectNamespace } from "./rooms";

// The Durable Object class of the realtime rooms (wrangler.toml binds it as ROOMS).
export { RoomObject } from "./room";

export interface WorkerEnv {
  /** The Workers static assets binding: ./public, as uploaded by wrangler. */
  ASSETS: AssetsBinding;
  /** Secret. The Postgres server; the app connects as the non-owner role `preau_app` on it (see appRoleUrl). */
  DATABASE_URL: string;
  /** Secret, optional. The app role's own URL (with its password) when it cannot be derived from DATABASE_URL. */
  DATABASE_APP_URL?: string;
  /** Secret. CSRF and other HMACs; at least 32 characters, the same on every isolate. */
  PREAU_SECRET: string;
  /** Durable Objects of the realtime rooms (walls, documents), one per room, addressed in the EU jurisdiction. */
  ROOMS?: DurableObjectNamespace;
  /** The other settings (PREAU_PLATFORM_NAME, PREAU_TIME_ZONE…) as plain-text vars; see src/config.ts. */
  [name: string]: unknown;
}

/** Connections one request may open: transactions may overlap (an audit line written beside a request's work). */
const CONNECTIONS_PER_REQUEST = 4;

const passwords = passwordHasher(portableScrypt);
const log = jsonLogger();

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/static/") && (request.method === "GET" || request.method === "HEAD")) {
      const asset = await staticFile(request, url, env);
      if (asset) return asset;
    }
    const config = workerConfig(env);
    const assets = await assetManifest(url, env);
    const handle = createPostgresDatabase(appRoleUrl(env.DATABASE_URL, env.DATABASE_APP_URL), {
      max: CONNECTIONS_PER_REQUEST,
      changes: false,
    });
    try {
      const platform: Platform = {
        db: handle.db,
        clock: systemClock,
        config,
        passwords,
        assets,
        log,
        async ping() {
          await handle.db.execute(sql`select 1`);
          return true;
        },
        // Set by Cloudflare's edge on every request; a client cannot forge it.
        clientIp: (header) => header("cf-connecting-ip") ?? null,
        // PREAU_ROOMS_JURISDICTION=none only for `wrangler dev` (workerd implements no jurisdiction); deployed: EU.
        ...(env.ROOMS
          ? {
              rooms: workerRooms(
                env.ROOMS,
                env.PREAU_ROOMS_JURISDICTION === "none" ? "none" : "eu",
                config.realtime.recheckSeconds * 1000,
              ),
            }
          : {}),
      };
      const app = await createApp(platform);
      return await app.fetch(withoutAcceptEncoding(request), env, ctx);
    } finally {
      ctx.waitUntil(handle.close().catch((err: unknown) => log.log("warn", "db_close_failed", { error: String(err) })));
    }
  },
};

/**
 * The app compresses its pages itself on Node (hono/compress); on Workers the runtime would compress that output a
 * second time (it encodes any body whose Content-Encoding it sees), and Cloudflare's edge compresses pages for the
 * client anyway (gzip or brotli, natively). So the app is not told which encodings the client accepts.
 */
function withoutAcceptEncoding(request: Request): Request {
  if (!request.headers.has("accept-encoding")) return request;
  const headers = new Headers(request.headers);
  headers.delete("accept-encoding");
  return new Request(request, { headers });
}

/** Settings from the bindings: plain-text vars and secrets only (the ASSETS binding is not a setting). */
function workerConfig(env: WorkerEnv): Config {
  if (typeof env.DATABASE_URL !== "string" || env.DATABASE_URL === "") {
    throw new Error("DATABASE_URL manque : déclarez-le avec `wrangler secret put DATABASE_URL`.");
  }
  const secret = env.PREAU_SECRET;
  if (typeof secret !== "string" || secret.length < 32) {
    throw new Error("PREAU_SECRET manque ou fait moins de 32 caractères : `wrangler secret put PREAU_SECRET`.");
  }
  const strings: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") strings[name] = value;
  return loadConfig(strings, secret);
}

/**
 * /static/x is ./public/x, as on Node; hashed names under /static/build/ never change, so they are cached for a year.
 */
async function staticFile(request: Request, url: URL, env: WorkerEnv): Promise<Response | null> {
  const target = new URL(url);
  target.pathname = url.pathname.slice("/static".length);
  const response = await env.ASSETS.fetch(new Request(target, request));
  // A miss goes on to the app, whose French 404 page answers, as on Node.
  if (response.status === 404) return null;
  if (response.status !== 200 || !url.pathname.startsWith("/static/build/")) return response;
  const cached = new Response(response.body, response);
  cached.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  return cached;
}

// Every logical name the views use; the compiler checks the list is complete.
const ASSET_NAMES = Object.keys({
  "preau.css": true,
  "preau.js": true,
  "htmx.js": true,
  "alpine.js": true,
  "icons.svg": true,
  "favicon.svg": true,
  "opendyslexic-400.woff2": true,
  "opendyslexic-700.woff2": true,
  "realtime.css": true,
  "wall.js": true,
  "document.js": true,
} satisfies Record<AssetName, true>) as AssetName[];

// The manifest is data, not an I/O object: read once per isolate and kept (a deploy starts new isolates).
let manifest: AssetManifest | null = null;

/** public/build/manifest.json, written by `npm run preau -- assets` before the upload, read through the binding. */
async function assetManifest(url: URL, env: WorkerEnv): Promise<AssetManifest> {
  if (manifest) return manifest;
  const response = await env.ASSETS.fetch(new Request(new URL("/build/manifest.json", url.origin)));
  if (!response.ok) {
    throw new Error(
      `public/build/manifest.json introuvable (${response.status}) : ` +
        `lancez \`npm run preau -- assets\` avant le déploiement.`,
    );
  }
  const read = (await response.json()) as Partial<Record<string, unknown>>;
  const missing = ASSET_NAMES.filter(
    (name) => typeof read[name] !== "string" || !(read[name] as string).startsWith("/static/build/"),
  );
  if (missing.length)
    throw new Error(
      `public/build/manifest.json incomplet (${missing.join(", ")}) : relancez \`npm run preau -- assets\`.`,
    );
  manifest = Object.fromEntries(ASSET_NAMES.map((name) => [name, read[name] as string])) as AssetManifest;
  return manifest;
}
