// The Node platform: PGlite in the data folder by default, a Postgres server when DATABASE_URL is set.
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import type { IncomingMessage } from "node:http";
import { loadConfig, type Config } from "../config";
import { jsonLogger, type Logger } from "../log";
import { systemClock, type Clock, type Platform } from "../platform";
import { passwordHasher } from "../auth/password";
import type { DatabaseHandle } from "../../db/client";
import { createPgliteDatabase } from "../../db/pglite";
import { appRoleUrl, createPostgresDatabase } from "../../db/postgres";
import { buildAssets, readAssets } from "./assets";
import type { ProcessLink } from "./cluster";
import { loadSecret } from "./secret";
import { nativeScrypt } from "./scrypt";
import { batchedStdout } from "./log-writer";
import { diskFileStore } from "./files";
import { diskBlobStore } from "./blobs";
import { smtpTransport } from "./mail";
import { loadVapidKeys, vapidSubject, webPushTransport } from "./push";
import { httpSmsGateway } from "../jobs/signals";
import { migratePgliteDatabase, migratePostgresDatabase } from "./migrate";
import { NodeRooms } from "./rooms";
import { saveDocumentText } from "../services/collaboration/documents";
import { readFile } from "node:fs/promises";
import { garIdentityProvider } from "./gar-idp";
import { createOidcEndpoint, oidcPort } from "./oidc";
import { loadKeyPair } from "./saml-keys";
import { clientAddress, trustedProxyCount } from "../http/client-address";

export interface NodePlatformOptions {
  env?: Record<string, string | undefined>;
  clock?: Clock;
  log?: Logger;
  /** Tests: an in-memory PGlite instead of the data folder. */
  inMemory?: boolean;
  /** Tests and tools: an already opened database (migrations are then the caller's business). */
  database?: DatabaseHandle;
  config?: Partial<Config>;
  /** Folder of the realtime rooms' libsql files (default DATA_DIR/rooms, or PREAU_ROOMS_DIR). */
  roomsDir?: string;
  /** A worker of `npm start` on several processes (src/node/cluster.ts): rooms are routed to their owner. */
  link?: ProcessLink | null;
}

export interface NodePlatform {
  platform: Platform;
  handle: DatabaseHandle;
  dataDir: string;
  flushLogs(): void;
}

export async function openDatabase(
  env: Record<string, string | undefined>,
  dataDir: string,
  inMemory = false,
): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) {
    await migratePostgresDatabase(env.DATABASE_URL);
    return createPostgresDatabase(appRoleUrl(env.DATABASE_URL, env.DATABASE_APP_URL), {
      max: Number(env.PREAU_DB_POOL ?? 10),
    });
  }
  const handle = await createPgliteDatabase(inMemory ? undefined : join(dataDir, "pglite"));
  await migratePgliteDatabase(handle);
  return handle;
}

export async function createNodePlatform(options: NodePlatformOptions = {}): Promise<NodePlatform> {
  const env = options.env ?? process.env;
  const dataDir = resolve(env.DATA_DIR ?? "data");
  const secret = await loadSecret(env, dataDir);
  const config = { ...loadConfig(env, secret), ...options.config };
  const handle = options.database ?? (await openDatabase(env, dataDir, options.inMemory));
  const trustedProxies = trustedProxyCount(env);
  const logs = batchedStdout();
  const platform: Platform = {
    db: handle.db,
    changes: handle.changes,
    clock: options.clock ?? systemClock,
    config,
    passwords: passwordHasher(nativeScrypt),
    files: diskFileStore(dataDir),
    blobs: diskBlobStore(join(dataDir, "blobs")),
    ...(env.SMTP_URL ? { mail: smtpTransport(env.SMTP_URL, config.mailFrom) } : {}),
    push: webPushTransport(await loadVapidKeys(env, dataDir), env.PREAU_VAPID_SUBJECT ?? vapidSubject(config.mailFrom)),
    ...(env.PREAU_SMS_URL
      ? {
          sms: httpSmsGateway({
            url: env.PREAU_SMS_URL,
            token: env.PREAU_SMS_TOKEN,
            sender: env.PREAU_SMS_SENDER ?? config.platformName.slice(0, 11),
          }),
        }
      : {}),
    // Worker 0 of a cluster wrote public/build before the others started: they read its manifest.
    assets: options.link && options.link.index > 0 ? await readAssets() : await buildAssets(),
    log: options.log ?? jsonLogger(logs.write),
    async ping() {
      await handle.db.execute(sql`select 1`);
      return true;
    },
    clientIp(header, bindings) {
      const incoming = (bindings as { incoming?: IncomingMessage } | undefined)?.incoming;
      return clientAddress(trustedProxies, header("x-forwarded-for"), incoming?.socket.remoteAddress ?? null);
    },
  };
  // 3.11.1.1: the GAR identity provider, when the GAR's metadata is given.
  if (env.PREAU_GAR_METADATA) {
    const publicUrl = config.publicUrl || `http://localhost:${env.PORT ?? 3000}`;
    platform.gar = garIdentityProvider({
      keys: await loadKeyPair(join(dataDir, "saml"), "gar-idp", new URL(publicUrl).hostname),
      garSpMetadata: await readFile(env.PREAU_GAR_METADATA, "utf8"),
      entityId: `${publicUrl}/gar/metadata`,
      ssoUrl: `${publicUrl}/gar/sso`,
      entId: env.PREAU_GAR_ENT_ID ?? "",
    });
  }
  // 3.11.1.2: the OpenID Connect provider, at <public address>/oidc.
  platform.oidc = oidcPort(
    await createOidcEndpoint(platform, {
      issuer: `${config.publicUrl || `http://localhost:${env.PORT ?? 3000}`}/oidc`,
      dataDir,
    }),
  );
  // Walls and documents: rooms in this process, one libsql file per school; a document's search text follows its
  // content.
  platform.rooms = new NodeRooms({
    dir: options.roomsDir ?? env.PREAU_ROOMS_DIR ?? join(dataDir, "rooms"),
    // Quotas, socket caps and the re-check period (issue 21); tickets expire on the platform's clock.
    limits: config.realtime,
    clock: () => platform.clock.now().getTime(),
    onStored: (roomId, doc) => saveDocumentText(handle.db, roomId, doc, platform.clock.now()),
    onError: (event, fields) => platform.log.log("error", event, fields),
    link: options.link,
  });
  return { platform, handle, dataDir, flushLogs: logs.flush };
}
