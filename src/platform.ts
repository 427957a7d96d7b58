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

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends one e-mail (SMTP on Node). Only the job runner calls it: requests queue mail in the outbox. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/** A browser's Web Push subscription (51C). */
export interface PushSubscriptionKeys {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Sends one Web Push message, encrypted for the subscription and signed with the platform's VAPID key. `gone`: the
 *  push service says the subscription no longer exists (404/410), so it is forgotten. Only the job runner calls it. */
export interface PushTransport {
  /** The VAPID public key browsers subscribe with (base64url). */
  publicKey: string;
  send(subscription: PushSubscriptionKeys, payload: string): Promise<{ gone: boolean }>;
}

export interface SmsMessage {
  to: string;
  text: string;
  reference: string;
}

/**
 * Hands one SMS to the provider (54N). Throws when the provider refuses or cannot be reached: the job runner retries.
 */
export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

/** 3.11.1.1: the hub as SAML identity provider for the GAR (Gestionnaire d'accès aux ressources). */
export interface GarIdentityProvider {
  metadata(): string;
  /** Checks the GAR's AuthnRequest (redirect binding: its query and the raw signed part), then signs the response
   *  asserting this user: where to post it, and what. */
  respond(
    query: Record<string, string>,
    octetString: string,
    user: { id: string },
  ): Promise<{ action: string; samlResponse: string; relayState: string | null }>;
}

/** 3.11.1.2: the OpenID Connect provider (oidc-provider on Node). `env` is the runtime's request binding. */
export interface OidcProviderPort {
  /** Answers a request under /oidc: discovery, JWKS, authorization, token, userinfo. */
  handle(env: unknown): Promise<Response>;
  /** Finishes the login/consent interaction for a signed-in user, or says why it cannot. */
  interaction(
    env: unknown,
    userId: string,
    check: (clientId: string) => Promise<"ok" | "closed" | "consent">,
  ): Promise<{ redirect: string } | { closed: string } | { consent: string }>;
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
  /** Absent where no VAPID key is configured: devices cannot subscribe. */
  push?: PushTransport;
  /** Absent unless an SMS provider is configured (PREAU_SMS_URL): the SMS channel is then not offered. */
  sms?: SmsGateway;
  /** Absent on runtimes without the OIDC provider (Workers). */
  oidc?: OidcProviderPort;
  /** Absent unless the GAR's metadata is configured (PREAU_GAR_METADATA). */
  gar?: GarIdentityProvider;
  /**
   * Realtime rooms (walls, documents): the in-process hub on Node, Durable Objects on Workers. Absent: those apps
   * answer 404.
   */
  rooms?: Rooms;
  assets: AssetManifest;
  log: Logger;
  /** True when the database answers (readiness probe). */
  ping(): Promise<boolean>;
  /** The client's address as this runtime knows it (socket, proxy header or CF-Connecting-IP). Takes a header
   *  reader rather than the Request: building a full Request object per call costs more than the rest. */
  clientIp(header: (name: string) => string | undefined, env: unknown): string | null;
}
