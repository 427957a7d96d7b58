// What the core needs from its runtime. Node (src/node) and Workers (src/worker) each provide one.
import type { Database } from "../db/client";
import type { Config } from "./config";
import type { Logger } from "./log";
import type { PasswordHasher } from "./auth/password";
import type { AssetManifest } from "./assets";
import type { ChangeFeed } from "../db/changes";
import type { Rooms } from "../realtime/port";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface MailMessage { to: string; subject: string; text: string }

/** Sends one e-mail (SMTP on Node). Only the job runner calls it: requests queue mail in the outbox. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/** Files the platform keeps for later work (an uploaded AAF archive waiting for the job runner). */
export interface FileStore {
  /** Saves the body under a fresh name in `area`; returns the path the job runner will read. */
  save(area: string, fileName: string, body: Blob): Promise<string>;
}

/** Bytes kept by key (message attachments): a folder on Node; R2 or similar on Workers. Keys are uuids. */
export interface BlobStore {
  put(key: string, data: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
}

export interface Platform {
  db: Database;
  /** Committed changes announced by the database, for per-process caches; absent on Workers. */
  changes?: ChangeFeed;
  clock: Clock;
  config: Config;
  passwords: PasswordHasher;
  /** Absent on runtimes without a local disk (Workers): uploads needing one are then refused politely. */
  files?: FileStore;
  /** Absent where no blob storage is configured: attachments are then refused politely. */
  blobs?: BlobStore;
  /** Absent when no SMTP server is configured: mail then waits in the outbox. */
  mail?: MailTransport;
  /** Realtime rooms (walls, documents): the in-process hub on Node, Durable Objects on Workers. Absent: those apps answer 404. */
  rooms?: Rooms;
  assets: AssetManifest;
  log: Logger;
  /** True when the database answers (readiness probe). */
  ping(): Promise<boolean>;
  /** The client's address as this runtime knows it (socket, proxy header or CF-Connecting-IP). Takes a header
   *  reader rather than the Request: building a full Request object per call costs more than the rest. */
  clientIp(header: (name: string) => string | undefined, env: unknown): string | null;
}
