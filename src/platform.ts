// What the core needs from its runtime. Node (src/node) and Workers (src/worker) each provide one.
import type { Database } from "../db/client";
import type { Config } from "./config";
import type { Logger } from "./log";
import type { PasswordHasher } from "./auth/password";
import type { AssetManifest } from "./assets";
import type { ChangeFeed } from "../db/changes";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Platform {
  db: Database;
  /** Committed changes announced by the database, for per-process caches; absent on Workers. */
  changes?: ChangeFeed;
  clock: Clock;
  config: Config;
  passwords: PasswordHasher;
  assets: AssetManifest;
  log: Logger;
  /** True when the database answers (readiness probe). */
  ping(): Promise<boolean>;
  /** The client's address as this runtime knows it (socket, proxy header or CF-Connecting-IP). Takes a header
   *  reader rather than the Request: building a full Request object per call costs more than the rest. */
  clientIp(header: (name: string) => string | undefined, env: unknown): string | null;
}
