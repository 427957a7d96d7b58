// One realtime room: a Y.Doc and its presence, shared by the sockets connected to it. Runtime-agnostic: the
// transport hands frames in (`receive`) and gives a `send`/`close` pair per socket; the store persists.
//
// What it guarantees (see the research notes on the reference server's pitfalls):
// - SyncStep1 is answered only once the stored state is loaded, and only to the asker;
// - every update goes to the other sockets at once and to the store in the background (group commit: updates that
//   arrive while a write is in flight go together in the next one); a state answer (SyncStep2) and a server-side
//   change wait until what they contain is stored — that answer is what "saved" means (issue 22): whatever a socket
//   sent before its SyncStep1 survives a kill -9 once the answer arrives. What was broadcast but not yet stored when
//   the process died comes back from the clients that hold it: they send it again when they reconnect;
// - no echo to the sender; viewers' updates are dropped; a malformed or oversized frame closes that socket only;
// - presence (awareness) is throttled: changes go out together after a short delay, renewals every few seconds,
//   so a class of 30 idle pupils costs O(N) messages per renewal period instead of O(N²); names come from the
//   ticket the HTTP layer issued, never from the client;
// - what a socket may cost is bounded (issue 21): bytes per minute per user and per room (4529, the client retries
//   later), what the room stores (4413; deletions still pass), and a ticket ends at its expiry (4401).
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import {
  awarenessFrame,
  CLOSE,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  syncFrame,
} from "./protocol";
import { ByteBucket } from "./quota";
import { shouldCompact, COMPACT_MIN_LOG_BYTES, type RoomStore } from "./store";

/** What the HTTP layer decided about one socket (session, membership, right). */
export interface Ticket {
  userId: string;
  /** Shown to the others in the room (presence). */
  name: string;
  canWrite: boolean;
  /** Free-form role the apps use (e.g. "moderator" for a wall's teachers). */
  role?: string;
  /** The session the socket was opened in: logout, password change and single logout close its sockets. */
  sessionId?: string;
  /** From this instant (ms, the room's clock) the ticket is void: the session's expiry, the end of a pupil's hours. */
  expiresAt?: number;
  /** From this instant the socket must be admitted again (Workers, where no re-check runs in process): closed with
   *  4001, a transient code, the client reconnects through the app, which checks the session and the rights. */
  recheckAt?: number;
}

/** A guard's answer on an update: refused, accepted, or accepted with the server's corrections (applied in the same
 *  transaction, so that nobody ever sees what the client claimed — a wall's authorship). */
export type GuardVerdict = boolean | ((doc: Y.Doc) => void);

/** One socket, as the room sees it. */
export interface Conn {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface RoomOptions {
  /** Frames larger than this close the socket (1009). */
  maxMessageBytes?: number;
  /** Presence payloads larger than this close the socket (4400). */
  maxAwarenessBytes?: number;
  /** Delay before presence changes are sent out together. */
  awarenessDelayMs?: number;
  /** Period at which presence renewals (no change) are passed on. */
  awarenessRenewMs?: number;
  /** Presence not renewed for this long is dropped (clients renew every 15 s). */
  awarenessTimeoutMs?: number;
  compactMinLogBytes?: number;
  /** Checks a writer's update before it is applied (walls: pupils change only their own post-its); false closes the
   *  socket (4403). `now` is the room's clock. */
  guard?: (doc: Y.Doc, update: Uint8Array, ticket: Ticket, now: number) => GuardVerdict;
  /** What the room may store (estimated: snapshot plus log); an update adding content beyond it closes the socket
   *  (4413). Deletions still pass, so a full room can be cleaned up. */
  maxStoredBytes?: number;
  /** Bytes per minute all the sockets of the room may send (4529 beyond). */
  roomBytesPerMinute?: number;
  /** Bytes per minute one user may send: the bucket is the hub's, shared by the user's sockets in every room; without
   *  it the room keeps one per user (a Durable Object sees only its own room). */
  userBytesPerMinute?: number;
  userBucket?: (userId: string) => ByteBucket;
  /** The clock of tickets and quotas (the platform's; tests move it by hand). */
  clock?: () => number;
  /** Called when the last socket leaves (the hub starts its idle timer). */
  onEmpty?: (room: Room) => void;
  /** Called when the store failed: the room closed its sockets and must be dropped. */
  onFailed?: (room: Room, error: unknown) => void;
  /** Called after updates were stored (the hub debounces it: derived data such as a document's search text). */
  onStored?: (room: Room) => void;
  now?: () => number;
}

type Optional =
  | "onEmpty"
  | "onFailed"
  | "onStored"
  | "guard"
  | "maxStoredBytes"
  | "roomBytesPerMinute"
  | "userBytesPerMinute"
  | "userBucket";

const LOADING = Symbol("loading");
const SERVER = Symbol("server");
/** A socket's update with the guard's corrections: sent to every socket, the author's included. */
const CORRECTED = Symbol("corrected");
/** Frames held while the room loads, per socket. */
const MAX_EARLY_FRAMES = 256;

interface ConnState {
  ticket: Ticket;
  /** Presence client ids this socket controls. */
  clientIds: Set<number>;
  /** Frames received before the stored state was loaded. */
  early: Uint8Array[] | null;
}

interface PresenceEntry {
  clock: number;
  json: string | null;
  owner: Conn | null;
  seen: number;
}

interface Waiter {
  /** Resolved once this many updates (counted since the room loaded) are stored. */
  upTo: number;
  resolve(): void;
  reject(err: unknown): void;
}

export class Room {
  readonly doc: Y.Doc;
  readonly ready: Promise<void>;
  readonly stats = {
    updatesIn: 0,
    droppedFromViewers: 0,
    framesOut: 0,
    badFrames: 0,
    refusedByGuard: 0,
    overQuota: 0,
    overBudget: 0,
    expired: 0,
  };
  private readonly conns = new Map<Conn, ConnState>();
  private readonly presence = new Map<number, PresenceEntry>();
  private presenceDirty = new Set<number>();
  private presenceChanged = false;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: Uint8Array[] = [];
  private flushing = false;
  private waiters: Waiter[] = [];
  /** Updates received since the room loaded, and how many of them are stored. */
  private received = 0;
  private stored = 0;
  private loaded = false;
  private failed: unknown = null;
  private closed = false;
  private lastSeq = 0;
  private logBytes = 0;
  private snapshotBytes = 0;
  private pendingBytes = 0;
  /** The stored size measured exactly (the estimate grew past the budget) and the log's size then. */
  private measured: { size: number; logged: number } | null = null;
  private readonly roomBucket: ByteBucket | null;
  private readonly userBuckets = new Map<string, ByteBucket>();
  private readonly opts: Required<Omit<RoomOptions, Optional>> & Pick<RoomOptions, Optional>;

  constructor(
    readonly id: string,
    private readonly store: RoomStore,
    options: RoomOptions = {},
  ) {
    this.opts = {
      maxMessageBytes: 1024 * 1024,
      maxAwarenessBytes: 16 * 1024,
      awarenessDelayMs: 25,
      awarenessRenewMs: 5_000,
      awarenessTimeoutMs: 30_000,
      compactMinLogBytes: COMPACT_MIN_LOG_BYTES,
      now: () => Date.now(),
      clock: () => Date.now(),
      ...options,
    };
    this.roomBucket = this.opts.roomBytesPerMinute
      ? new ByteBucket(this.opts.roomBytesPerMinute, this.opts.clock())
      : null;
    this.doc = new Y.Doc({ gc: true });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === LOADING) return;
      // Broadcast first (issue 22): the other sockets hear of the update now, the store writes it in the background.
      const from = origin === SERVER || origin === CORRECTED ? null : (origin as Conn);
      const frame = syncFrame(SYNC_UPDATE, update);
      for (const [conn, state] of this.conns) if (conn !== from && !state.early) this.send(conn, frame);
      this.pending.push(update);
      this.received += 1;
      this.pendingBytes += update.length;
      this.flush();
    });
    this.ready = this.load();
    // The hub awaits `ready`; this keeps a failed load from being an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** A socket joins with the ticket the HTTP layer gave it. Greeted (SyncStep1 + presence) once the room is loaded. */
  connect(conn: Conn, ticket: Ticket): void {
    if (this.closed || this.failed) {
      conn.close(CLOSE.storeFailed, "salle indisponible");
      return;
    }
    this.conns.set(conn, { ticket, clientIds: new Set(), early: this.loaded ? null : [] });
    if (this.loaded) this.greet(conn);
  }

  /** A frame from a socket. */
  receive(conn: Conn, data: Uint8Array): void {
    const state = this.conns.get(conn);
    if (!state) return;
    if (data.length > this.opts.maxMessageBytes) {
      this.kick(conn, CLOSE.tooBig, "message trop volumineux");
      return;
    }
    if (!this.stillValid(conn, state)) return;
    // Every byte counts, read-only sockets' and presence included: the budget is what the socket costs the hub.
    const now = this.opts.clock();
    const userBucket = this.userBucketOf(state.ticket.userId);
    if (userBucket && !userBucket.take(data.length, now)) {
      this.stats.overQuota++;
      this.kick(conn, CLOSE.tooFast, "trop de modifications envoyées : réessai dans un instant");
      return;
    }
    if (this.roomBucket && !this.roomBucket.take(data.length, now)) {
      this.stats.overQuota++;
      this.kick(conn, CLOSE.tooFast, "salle trop sollicitée : réessai dans un instant");
      return;
    }
    if (state.early) {
      state.early.push(data);
      if (state.early.length > MAX_EARLY_FRAMES) this.kick(conn, CLOSE.tooBig, "trop de messages avant le chargement");
      return;
    }
    this.process(conn, state, data);
  }

  private process(conn: Conn, state: ConnState, data: Uint8Array): void {
    try {
      this.handle(conn, state, data);
    } catch {
      this.stats.badFrames++;
      this.kick(conn, CLOSE.badMessage, "message invalide");
    }
  }

  /** The socket went away (closed by either side). */
  disconnect(conn: Conn): void {
    const state = this.conns.get(conn);
    if (!state) return;
    this.conns.delete(conn);
    if (state.clientIds.size) {
      for (const id of state.clientIds) {
        const entry = this.presence.get(id);
        if (entry && entry.owner === conn) {
          entry.clock += 1;
          entry.json = null;
          entry.owner = null;
          this.presenceDirty.add(id);
        }
      }
      this.presenceChanged = true;
      this.schedulePresence();
    }
    if (this.conns.size === 0) this.opts.onEmpty?.(this);
  }

  /** A change made by the server (a form without JavaScript): stored, then sent to every socket. */
  async change(fn: (doc: Y.Doc) => void): Promise<void> {
    await this.ready;
    if (this.failed) throw this.failed;
    this.doc.transact(() => fn(this.doc), SERVER);
    await this.settled();
  }

  /** Resolves once every update received so far is stored (later ones do not hold it back). */
  settled(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.stored === this.received) return Promise.resolve();
    const upTo = this.received;
    return new Promise((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  /** Closes the sockets whose ticket matches (rights withdrawn: 4401), or changes their ticket. */
  retune(fn: (ticket: Ticket) => Ticket | "close"): void {
    for (const [conn, state] of [...this.conns]) {
      const next = fn(state.ticket);
      if (next === "close") this.kick(conn, CLOSE.revoked, "droits retirés");
      else state.ticket = next;
    }
  }

  /** The ticket of one socket (undefined once it left). */
  ticketOf(conn: Conn): Ticket | undefined {
    return this.conns.get(conn)?.ticket;
  }

  /** Gives one socket a new ticket, or closes it (4401) — only if its ticket is still `seen` (no newer decision). */
  settle(conn: Conn, seen: Ticket, next: Ticket | "close", reason = "droits retirés"): void {
    const state = this.conns.get(conn);
    if (!state || state.ticket !== seen) return;
    if (next === "close") this.kick(conn, CLOSE.revoked, reason);
    else state.ticket = next;
  }

  /** Closes one socket with a code and a reason (the hub: a session ended). */
  closeSocket(conn: Conn, code: number, reason: string): void {
    if (this.conns.has(conn)) this.kick(conn, code, reason);
  }

  /** Who is connected now (one line per socket). */
  tickets(): Ticket[] {
    return [...this.conns.values()].map((s) => s.ticket);
  }

  /** Drops presence that was not renewed in time (called periodically by the hub, or on activity). */
  sweep(): void {
    for (const [conn, state] of [...this.conns]) this.stillValid(conn, state);
    const limit = this.opts.now() - this.opts.awarenessTimeoutMs;
    for (const [id, entry] of this.presence) {
      if (entry.json !== null && entry.seen < limit) {
        entry.clock += 1;
        entry.json = null;
        this.presenceDirty.add(id);
        this.presenceChanged = true;
      }
    }
    if (this.presenceDirty.size) this.schedulePresence();
  }

  /** Stores what is pending, compacts, and releases the document. Sockets still open are closed (1000). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    for (const conn of [...this.conns.keys()]) this.kick(conn, CLOSE.normal, "salle fermée");
    try {
      await this.ready;
      await this.settled();
      if (!this.failed && this.logBytes > 0) await this.compact();
    } catch {
      // Already reported through onFailed; nothing more to store.
    } finally {
      this.doc.destroy();
      await this.store.close();
    }
  }

  /** The whole state as one update (exports, read-only views, server-side reads). */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  private async load(): Promise<void> {
    try {
      const stored = await this.store.load();
      this.doc.transact(() => {
        if (stored.snapshot.length) Y.applyUpdate(this.doc, concat(stored.snapshot));
        for (const u of stored.updates) Y.applyUpdate(this.doc, u);
      }, LOADING);
      this.lastSeq = stored.lastSeq;
      this.logBytes = stored.logBytes;
      this.snapshotBytes = stored.snapshotBytes;
      this.loaded = true;
    } catch (err) {
      this.fail(err);
      throw err;
    }
    for (const [conn, state] of [...this.conns]) {
      const early = state.early ?? [];
      state.early = null;
      this.greet(conn);
      for (const frame of early) if (this.conns.get(conn) === state) this.process(conn, state, frame);
    }
  }

  private greet(conn: Conn): void {
    this.send(conn, syncFrame(SYNC_STEP1, Y.encodeStateVector(this.doc)));
    const live = [...this.presence].filter(([, e]) => e.json !== null).map(([id]) => id);
    if (live.length) this.send(conn, awarenessFrame(this.encodePresence(live)));
  }

  private handle(conn: Conn, state: ConnState, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (sub === SYNC_STEP1) {
          // Checked now (a malformed vector closes the socket), answered once what the answer holds is stored.
          Y.decodeStateVector(payload);
          void this.settled().then(
            () => {
              if (this.conns.has(conn))
                this.send(conn, syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, payload)));
            },
            () => undefined,
          );
        } else if (sub === SYNC_STEP2 || sub === SYNC_UPDATE) {
          if (!state.ticket.canWrite) {
            this.stats.droppedFromViewers++;
            return;
          }
          this.stats.updatesIn++;
          if (this.overBudget(payload)) {
            this.stats.overBudget++;
            this.kick(conn, CLOSE.full, "la salle est pleine : supprimez du contenu avant d'en ajouter");
            return;
          }
          const verdict = this.opts.guard ? this.opts.guard(this.doc, payload, state.ticket, this.opts.clock()) : true;
          if (verdict === false) {
            this.stats.refusedByGuard++;
            this.kick(conn, CLOSE.forbidden, "modification refusée");
            return;
          }
          if (verdict === true) Y.applyUpdate(this.doc, payload, conn);
          else
            this.doc.transact(() => {
              Y.applyUpdate(this.doc, payload, conn);
              verdict(this.doc);
            }, CORRECTED);
        } else {
          throw new Error("unknown sync message");
        }
        return;
      }
      case MESSAGE_AWARENESS: {
        const payload = decoding.readVarUint8Array(decoder);
        if (payload.length > this.opts.maxAwarenessBytes) throw new Error("presence too large");
        this.applyPresence(conn, state, payload);
        return;
      }
      case MESSAGE_QUERY_AWARENESS: {
        const live = [...this.presence].filter(([, e]) => e.json !== null).map(([id]) => id);
        this.send(conn, awarenessFrame(this.encodePresence(live)));
        return;
      }
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private applyPresence(conn: Conn, state: ConnState, payload: Uint8Array): void {
    const decoder = decoding.createDecoder(payload);
    const count = decoding.readVarUint(decoder);
    if (count > 64) throw new Error("too many presence states");
    const now = this.opts.now();
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const raw = decoding.readVarString(decoder);
      const parsed: unknown = JSON.parse(raw);
      const entry = this.presence.get(clientId);
      // A socket speaks only for the client ids it introduced (no removing or faking someone else's presence).
      if (entry?.owner && entry.owner !== conn) continue;
      if (entry && clock < entry.clock) continue;
      if (entry && clock === entry.clock && !(parsed === null && entry.json !== null)) {
        entry.seen = now;
        continue;
      }
      let json: string | null = null;
      if (parsed !== null) {
        if (typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("presence must be an object");
        const fromClient = parsed as Record<string, unknown>;
        const colour =
          fromClient.user && typeof (fromClient.user as { color?: unknown }).color === "string"
            ? String((fromClient.user as { color: string }).color).slice(0, 32)
            : undefined;
        json = JSON.stringify({
          ...fromClient,
          user: { id: state.ticket.userId, name: state.ticket.name, ...(colour ? { color: colour } : {}) },
        });
      }
      const changed = !entry || entry.json !== json;
      this.presence.set(clientId, { clock, json, owner: json === null ? null : conn, seen: now });
      if (json === null) state.clientIds.delete(clientId);
      else state.clientIds.add(clientId);
      this.presenceDirty.add(clientId);
      if (changed) this.presenceChanged = true;
    }
    this.schedulePresence();
  }

  private schedulePresence(): void {
    if (this.closed || this.presenceDirty.size === 0) return;
    const delay = this.presenceChanged ? this.opts.awarenessDelayMs : this.opts.awarenessRenewMs;
    if (this.presenceTimer) {
      if (!this.presenceChanged || this.presenceTimerIsFast) return;
      clearTimeout(this.presenceTimer);
    }
    this.presenceTimerIsFast = this.presenceChanged;
    this.presenceTimer = setTimeout(() => this.flushPresence(), delay);
  }

  private presenceTimerIsFast = false;

  private flushPresence(): void {
    this.presenceTimer = null;
    this.presenceTimerIsFast = false;
    const ids = [...this.presenceDirty];
    this.presenceDirty = new Set();
    this.presenceChanged = false;
    if (ids.length === 0 || this.closed) return;
    const frame = awarenessFrame(this.encodePresence(ids));
    for (const id of ids) {
      const e = this.presence.get(id);
      if (e && e.json === null) this.presence.delete(id);
    }
    for (const conn of this.conns.keys()) if (!this.conns.get(conn)!.early) this.send(conn, frame);
  }

  private encodePresence(ids: number[]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, ids.length);
    for (const id of ids) {
      const entry = this.presence.get(id);
      encoding.writeVarUint(e, id);
      encoding.writeVarUint(e, entry?.clock ?? 0);
      encoding.writeVarString(e, entry?.json ?? "null");
    }
    return encoding.toUint8Array(e);
  }

  /** The write pipeline, behind the broadcast: one batch in flight at a time; what arrives meanwhile goes together in
   *  the next one (and the libsql store groups the batches of a school's rooms over a short window). */
  private flush(): void {
    if (this.flushing || this.failed) return;
    this.flushing = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending;
        this.pending = [];
        this.lastSeq = await this.store.append(batch);
        for (const update of batch) {
          this.logBytes += update.length;
          this.pendingBytes -= update.length;
        }
        this.stored += batch.length;
        this.release();
        this.opts.onStored?.(this);
        if (shouldCompact(this.logBytes, this.snapshotBytes, this.opts.compactMinLogBytes)) await this.compact();
      }
    } catch (err) {
      this.flushing = false;
      this.fail(err);
      return;
    }
    this.flushing = false;
  }

  /** Resolves the waiters whose updates are all stored now. */
  private release(): void {
    if (!this.waiters.length) return;
    const still: Waiter[] = [];
    for (const w of this.waiters)
      if (w.upTo <= this.stored) w.resolve();
      else still.push(w);
    this.waiters = still;
  }

  private async compact(): Promise<void> {
    const state = Y.encodeStateAsUpdate(this.doc);
    await this.store.compact(state, this.lastSeq);
    this.snapshotBytes = state.length;
    this.logBytes = 0;
    this.measured = null;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = err ?? new Error("store failed");
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(this.failed);
    for (const conn of [...this.conns.keys()]) this.kick(conn, CLOSE.storeFailed, "enregistrement impossible");
    this.opts.onFailed?.(this, err);
  }

  /** False (and the socket closed) once its ticket expired or must be admitted again. */
  private stillValid(conn: Conn, state: ConnState): boolean {
    const { expiresAt, recheckAt } = state.ticket;
    if (expiresAt === undefined && recheckAt === undefined) return true;
    const now = this.opts.clock();
    if (expiresAt !== undefined && now >= expiresAt) {
      this.stats.expired++;
      this.kick(conn, CLOSE.revoked, "session terminée");
      return false;
    }
    if (recheckAt !== undefined && now >= recheckAt) {
      this.kick(conn, CLOSE.recheck, "nouvelle vérification des droits");
      return false;
    }
    return true;
  }

  private userBucketOf(userId: string): ByteBucket | null {
    if (this.opts.userBucket) return this.opts.userBucket(userId);
    if (!this.opts.userBytesPerMinute) return null;
    const bucket = this.userBuckets.get(userId) ?? new ByteBucket(this.opts.userBytesPerMinute, this.opts.clock());
    this.userBuckets.set(userId, bucket);
    return bucket;
  }

  /** Whether `update` would take the room past what it may store. The estimate (snapshot plus log plus pending) only
   *  grows between compactions; past the budget the state is measured (again once the log grew by a sixteenth of the
   *  budget since: deletions may have freed room), and compaction resets the estimate to the state. Updates that add
   *  no content (deletions) always pass. */
  private overBudget(update: Uint8Array): boolean {
    const max = this.opts.maxStoredBytes;
    if (!max) return false;
    const logged = this.logBytes + this.pendingBytes;
    const estimate = () =>
      this.measured ? this.measured.size + logged - this.measured.logged : this.snapshotBytes + logged;
    if (estimate() + update.length <= max) return false;
    if (!this.measured || logged - this.measured.logged > max / 16) {
      this.measured = { size: Y.encodeStateAsUpdate(this.doc).length, logged };
      if (estimate() + update.length <= max) return false;
    }
    return Y.decodeUpdate(update).structs.some((s) => s instanceof Y.Item && !(s.content instanceof Y.ContentDeleted));
  }

  private send(conn: Conn, frame: Uint8Array): void {
    try {
      conn.send(frame);
      this.stats.framesOut++;
    } catch {
      this.disconnect(conn);
    }
  }

  private kick(conn: Conn, code: number, reason: string): void {
    try {
      conn.close(code, reason);
    } catch {
      // Already gone.
    }
    this.disconnect(conn);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
