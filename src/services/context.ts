// The one service context: what every business action needs from its caller — the database, the instant it runs
// at, the settings, the request's address, the platform's stores — built once per request by the app (c.var.deps)
// and once per run by jobs and the CLI. Services open their own tenant transactions from it (inTenant).
import { withTenant, type Database, type Tx } from "../../db/client";
import type { Config } from "../config";
import type { Logger } from "../log";
import type { BlobStore, Clock, FileStore, Platform } from "../platform";
import type { PasswordHasher } from "../auth/password";
import type { Rooms } from "../../realtime/port";
import type { Delivery } from "./notifications/notifications";
import { scopeOf, type Principal } from "./principal";

export interface ServiceDeps {
  db: Database;
  /** The instant of the request: one per request, so every part of a page agrees on "today". */
  now: Date;
  /** For work that outlives one instant (an import's progress, a long job). */
  clock: Clock;
  config: Config;
  /** The platform's zone (config.timeZone), read by nearly every service. */
  timeZone: string;
  /** The client's address, for the audit trail and rate limits; null for jobs and the CLI. */
  ip: string | null;
  log: Logger;
  passwords: PasswordHasher;
  /** Where notices go besides the hub (links in e-mails and SMS, quiet hours). */
  delivery: Delivery;
  /** Absent where no blob storage is configured: attachments are then refused politely. */
  blobs?: BlobStore;
  /** Absent on runtimes without a local disk. */
  files?: FileStore;
  /** Absent where realtime rooms are not available: walls and documents then answer 404. */
  rooms?: Rooms;
}

/** The context of one request (or one job run) on `platform`. */
export function serviceDeps(platform: Platform, ip: string | null, now: Date = platform.clock.now()): ServiceDeps {
  const { config } = platform;
  return {
    db: platform.db,
    now,
    clock: platform.clock,
    config,
    timeZone: config.timeZone,
    ip,
    log: platform.log,
    passwords: platform.passwords,
    delivery: { baseUrl: config.publicUrl, timeZone: config.timeZone },
    blobs: platform.blobs,
    files: platform.files,
    rooms: platform.rooms,
  };
}

/** Runs `fn` in a transaction bound to the user's schools (row-level security): how services reach the database. */
export function inTenant<T>(deps: Pick<ServiceDeps, "db">, p: Principal, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(deps.db, scopeOf(p), fn);
}
