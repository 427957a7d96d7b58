// The rooms of one process: loaded on first use, shared by every socket and server-side change, unloaded after a
// while without sockets (their memory freed), stores opened per room. Runtime-agnostic: the Node hub and tests
// give it a store factory; a Durable Object holds a single Room itself.
//
// It also knows every socket of the process by session and by user (issue 21): caps on simultaneous sockets (4429),
// one byte bucket per user across rooms, closing a session's sockets at once (logout, password change, single
// logout), and a periodic re-check of every ticket against the database (session, pupils' hours, rights).
import type * as Y from "yjs";
import type { RealtimeLimits } from "../src/config";
import { CLOSE, parseRoomId } from "./protocol";
import { ByteBucket } from "./quota";
import { Room, type Conn, type RoomOptions, type Ticket } from "./room";
import type { RoomStore } from "./store";
import { guardFor } from "./wall-guard";

/** Answers, for each socket, its ticket now: a new one (maybe read-only), or "close" (4401). */
export type TicketCheck = (entries: { roomId: string; ticket: Ticket }[]) => Promise<(Ticket | "close")[]>;

/** A socket the hub would not take (too many for its session or user): the transport closes it with this. */
export class JoinRefused extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface HubOptions {
  storeFor(roomId: string): Promise<RoomStore>;
  /** How long a room stays loaded without sockets. */
  idleMs?: number;
  /** Presence sweep period. */
  sweepMs?: number;
  room?: Omit<RoomOptions, "onEmpty" | "onFailed" | "onStored">;
  /** Called at most every `storedDelayMs` per room after it stored changes, and when it unloads. */
  onStored?: (roomId: string, doc: Y.Doc) => Promise<void> | void;
  storedDelayMs?: number;
  onError?: (event: string, fields: Record<string, unknown>) => void;
  /** Quotas, caps and the re-check period; none when absent (benchmarks of the room alone). */
  limits?: RealtimeLimits;
  /** The platform's clock (ms) for tickets and quotas; tests move it by hand. */
  clock?: () => number;
}

/** A socket's place under the caps, held while its admission is decided: join() takes it, release() gives it back. */
export interface Place {
  /** True when the place was still held (not given back already, nor expired). */
  release(): boolean;
}

/** Places not taken by then are given back (an upgrade that never opened). */
const PLACE_MS = 30_000;

interface Registered {
  roomId: string;
  ticket: Ticket;
  room: Room | null;
}

interface Entry {
  room: Promise<Room>;
  users: number;
  idle: ReturnType<typeof setTimeout> | null;
  stored: ReturnType<typeof setTimeout> | null;
}

export class RoomHub {
  private readonly rooms = new Map<string, Entry>();
  /** Rooms unloading (pending writes, compaction): the same room is opened again only once they are done, so that a
   *  new instance never loads what the old one has not written yet. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly sweeper: ReturnType<typeof setInterval> | null;
  private readonly rechecker: ReturnType<typeof setInterval> | null;
  private stopped = false;
  private readonly sockets = new Map<Conn, Registered>();
  private readonly bySession = new Map<string, Set<Conn>>();
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly heldBySession = new Map<string, number>();
  private readonly heldByUser = new Map<string, number>();
  private readonly userBuckets = new Map<string, ByteBucket>();
  private check: TicketCheck | null = null;
  private checking = false;
  private readonly clock: () => number;

  constructor(private readonly options: HubOptions) {
    this.clock = options.clock ?? (() => Date.now());
    const sweepMs = options.sweepMs ?? 5_000;
    this.sweeper = sweepMs > 0 ? setInterval(() => this.sweep(), sweepMs) : null;
    (this.sweeper as { unref?: () => void } | null)?.unref?.();
    const recheckMs = (options.limits?.recheckSeconds ?? 0) * 1000;
    this.rechecker = recheckMs > 0 ? setInterval(() => void this.recheck(), recheckMs) : null;
    (this.rechecker as { unref?: () => void } | null)?.unref?.();
  }

  /** Installs the periodic re-check of tickets (the app gives it once created: it needs the database). */
  setTicketCheck(check: TicketCheck): void {
    this.check = check;
  }

  /** Rooms loaded now (idle ones included until they unload). */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** True while the room is loaded, and while it still stores and compacts on its way out. */
  isLoaded(roomId: string): boolean {
    return this.rooms.has(roomId) || this.closing.has(roomId);
  }

  /** Joins a socket to a room; returns the handlers the transport calls. Throws JoinRefused over the socket caps. */
  async join(
    roomId: string,
    conn: Conn,
    ticket: Ticket,
    place?: Place,
  ): Promise<{ receive(data: Uint8Array): void; leave(): void }> {
    // Counted before anything is awaited: 300 upgrades arriving together see each other.
    this.register(conn, roomId, ticket, place);
    let entry: Entry;
    let room: Room;
    try {
      entry = this.acquire(roomId);
    } catch (err) {
      this.unregister(conn);
      throw err;
    }
    try {
      room = await entry.room;
    } catch (err) {
      this.unregister(conn);
      this.release(roomId, entry);
      throw err;
    }
    const registered = this.sockets.get(conn);
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.unregister(conn);
      room.disconnect(conn);
      this.release(roomId, entry);
    };
    // Its session ended while the room loaded.
    if (!registered) {
      leave();
      throw new JoinRefused(CLOSE.revoked, "session terminée");
    }
    registered.room = room;
    room.connect(conn, ticket);
    return { receive: (data) => room.receive(conn, data), leave };
  }

  /** Holds a place for a socket of this session and user before its admission is decided, so that the database is
   *  asked only about sockets that may open; throws JoinRefused over the caps. */
  reserve(sessionId: string | undefined, userId: string): Place {
    this.checkCaps(sessionId, userId);
    const bump = (map: Map<string, number>, key: string, by: number) => {
      const n = (map.get(key) ?? 0) + by;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    };
    if (sessionId) bump(this.heldBySession, sessionId, 1);
    bump(this.heldByUser, userId, 1);
    let held = true;
    const release = () => {
      if (!held) return false;
      held = false;
      clearTimeout(timer);
      if (sessionId) bump(this.heldBySession, sessionId, -1);
      bump(this.heldByUser, userId, -1);
      return true;
    };
    const timer = setTimeout(release, PLACE_MS);
    (timer as { unref?: () => void }).unref?.();
    return { release };
  }

  /** Closes every socket of these sessions at once (4401): logout, password change, single logout. */
  closeSessions(sessionIds: string[], reason = "session terminée"): void {
    for (const id of sessionIds)
      for (const conn of [...(this.bySession.get(id) ?? [])]) {
        const registered = this.sockets.get(conn);
        this.unregister(conn);
        if (registered?.room) registered.room.closeSocket(conn, CLOSE.revoked, reason);
      }
  }

  /** Asks the database about every open socket's ticket (see TicketCheck); runs every `recheckSeconds`. With
   *  `roomId`, only that room's sockets, now (rights changed in another process, issue 22). */
  async recheck(roomId?: string): Promise<void> {
    if (!this.check || this.stopped || (this.checking && roomId === undefined)) return;
    if (roomId === undefined) this.checking = true;
    try {
      const seen = [...this.sockets]
        .filter(([, r]) => roomId === undefined || r.roomId === roomId)
        .map(([conn, r]) => ({ conn, room: r.room, roomId: r.roomId, ticket: r.room?.ticketOf(conn) }))
        .filter((e): e is { conn: Conn; room: Room; roomId: string; ticket: Ticket } => !!e.room && !!e.ticket);
      if (seen.length === 0) return;
      const decisions = await this.check(seen.map((e) => ({ roomId: e.roomId, ticket: e.ticket })));
      seen.forEach((e, i) => {
        const next = decisions[i];
        if (next) e.room.settle(e.conn, e.ticket, next, "session terminée ou droits retirés");
      });
    } catch (err) {
      this.options.onError?.("room_recheck_failed", { error: String(err) });
    } finally {
      if (roomId === undefined) this.checking = false;
    }
  }

  /** A server-side change, stored and sent to every socket of the room before this resolves. */
  async change(roomId: string, fn: (doc: Y.Doc) => void): Promise<void> {
    await this.use(roomId, (room) => room.change(fn));
  }

  /** Reads the room's state (loading it if needed). */
  async read<T>(roomId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    return this.use(roomId, async (room) => fn(room.doc));
  }

  /** Re-evaluates the tickets of a loaded room's sockets (rights changed); a room not loaded has no socket. */
  retune(roomId: string, fn: (ticket: Ticket) => Ticket | "close"): void {
    const entry = this.rooms.get(roomId);
    if (entry)
      void entry.room.then(
        (room) => room.retune(fn),
        () => undefined,
      );
  }

  /** Closes every room (stores what is pending). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.rechecker) clearInterval(this.rechecker);
    const all = [...this.rooms.entries()];
    this.rooms.clear();
    await Promise.all(
      all.map(async ([roomId, entry]) => {
        if (entry.idle) clearTimeout(entry.idle);
        const room = await entry.room.catch(() => null);
        if (room) await this.closeRoom(roomId, entry, room);
      }),
    );
  }

  /** Unloads now every room nothing uses (pending updates stored, log compacted): before another process may own
   *  them (issue 22: the demonstration is built by worker 0 before the others start). */
  async unloadIdle(): Promise<void> {
    await Promise.all([...this.rooms.keys()].map((roomId) => this.unload(roomId)));
  }

  /** Unloads a room now if nothing uses it (tests, erase). */
  async unload(roomId: string): Promise<void> {
    const entry = this.rooms.get(roomId);
    if (!entry || entry.users > 0) return;
    if (entry.idle) clearTimeout(entry.idle);
    this.rooms.delete(roomId);
    const room = await entry.room.catch(() => null);
    if (room) await this.closeRoom(roomId, entry, room);
  }

  /** Closes the room's sockets (4401), unloads it and removes what its store holds. */
  async erase(roomId: string): Promise<void> {
    const entry = this.rooms.get(roomId);
    if (entry) {
      this.rooms.delete(roomId);
      if (entry.idle) clearTimeout(entry.idle);
      const room = await entry.room.catch(() => null);
      room?.retune(() => "close");
      await room?.close();
    }
    const store = await this.options.storeFor(roomId);
    try {
      await store.erase();
    } finally {
      await store.close();
    }
  }

  private checkCaps(sessionId: string | undefined, userId: string): void {
    const limits = this.options.limits;
    if (!limits) return;
    const inSession = sessionId
      ? (this.bySession.get(sessionId)?.size ?? 0) + (this.heldBySession.get(sessionId) ?? 0)
      : 0;
    if (inSession >= limits.maxSocketsPerSession)
      throw new JoinRefused(CLOSE.tooMany, "trop de connexions ouvertes dans ce navigateur");
    if ((this.byUser.get(userId)?.size ?? 0) + (this.heldByUser.get(userId) ?? 0) >= limits.maxSocketsPerUser)
      throw new JoinRefused(CLOSE.tooMany, "trop de connexions ouvertes pour ce compte");
  }

  /** Counts the socket under its session and user: in the place it held, or checked against the caps now. */
  private register(conn: Conn, roomId: string, ticket: Ticket, place?: Place): void {
    if (!place?.release()) this.checkCaps(ticket.sessionId, ticket.userId);
    this.sockets.set(conn, { roomId, ticket, room: null });
    if (ticket.sessionId) addTo(this.bySession, ticket.sessionId, conn);
    addTo(this.byUser, ticket.userId, conn);
  }

  private unregister(conn: Conn): void {
    const registered = this.sockets.get(conn);
    if (!registered) return;
    this.sockets.delete(conn);
    if (registered.ticket.sessionId) removeFrom(this.bySession, registered.ticket.sessionId, conn);
    removeFrom(this.byUser, registered.ticket.userId, conn);
  }

  /** One bucket per user, shared by all the user's sockets in every room of the process. */
  private userBucket(userId: string): ByteBucket {
    let bucket = this.userBuckets.get(userId);
    if (!bucket) {
      bucket = new ByteBucket(this.options.limits!.userBytesPerMinute, this.clock());
      this.userBuckets.set(userId, bucket);
    }
    return bucket;
  }

  private async use<T>(roomId: string, fn: (room: Room) => Promise<T>): Promise<T> {
    const entry = this.acquire(roomId);
    try {
      return await fn(await entry.room);
    } finally {
      this.release(roomId, entry);
    }
  }

  private acquire(roomId: string): Entry {
    if (this.stopped) throw new Error("le serveur s'arrête");
    let entry = this.rooms.get(roomId);
    if (!entry) {
      const created: Entry = { users: 0, idle: null, stored: null, room: null as unknown as Promise<Room> };
      created.room = this.open(roomId, created);
      created.room.catch(() => {
        if (this.rooms.get(roomId) === created) this.rooms.delete(roomId);
      });
      this.rooms.set(roomId, created);
      entry = created;
    }
    entry.users += 1;
    if (entry.idle) {
      clearTimeout(entry.idle);
      entry.idle = null;
    }
    return entry;
  }

  private release(roomId: string, entry: Entry): void {
    entry.users -= 1;
    if (entry.users > 0 || this.rooms.get(roomId) !== entry) return;
    const idleMs = this.options.idleMs ?? 30_000;
    entry.idle = setTimeout(() => {
      if (entry.users > 0 || this.rooms.get(roomId) !== entry) return;
      this.rooms.delete(roomId);
      void entry.room.then(
        (room) => this.closeRoom(roomId, entry, room),
        () => undefined,
      );
    }, idleMs);
    (entry.idle as { unref?: () => void }).unref?.();
  }

  /** Runs a pending stored-hook at once, then closes the room; a new open of the same id waits for it. */
  private closeRoom(roomId: string, entry: Entry, room: Room): Promise<void> {
    const closed = this.finishRoom(roomId, entry, room);
    this.closing.set(roomId, closed);
    void closed
      .catch(() => undefined)
      .then(() => {
        if (this.closing.get(roomId) === closed) this.closing.delete(roomId);
      });
    return closed;
  }

  private async finishRoom(roomId: string, entry: Entry, room: Room): Promise<void> {
    if (entry.stored && this.options.onStored) {
      clearTimeout(entry.stored);
      entry.stored = null;
      await room.settled().catch(() => undefined);
      await Promise.resolve(this.options.onStored(roomId, room.doc)).catch((err: unknown) =>
        this.options.onError?.("room_stored_hook_failed", { room: roomId, error: String(err) }),
      );
    }
    await room.close();
  }

  private async open(roomId: string, entry: Entry): Promise<Room> {
    await this.closing.get(roomId)?.catch(() => undefined);
    const store = await this.options.storeFor(roomId);
    const onStored = this.options.onStored;
    const limits = this.options.limits;
    const kind = parseRoomId(roomId)?.kind;
    const room = new Room(roomId, store, {
      guard: guardFor(roomId),
      clock: this.clock,
      ...(limits && {
        maxStoredBytes: kind === "wall" ? limits.maxWallBytes : kind === "doc" ? limits.maxDocumentBytes : undefined,
        roomBytesPerMinute: limits.roomBytesPerMinute,
        userBucket: (userId: string) => this.userBucket(userId),
      }),
      ...this.options.room,
      onStored: onStored
        ? (r) => {
            if (entry.stored) return;
            entry.stored = setTimeout(() => {
              entry.stored = null;
              void Promise.resolve(onStored(roomId, r.doc)).catch((err: unknown) =>
                this.options.onError?.("room_stored_hook_failed", { room: roomId, error: String(err) }),
              );
            }, this.options.storedDelayMs ?? 2_000);
            (entry.stored as { unref?: () => void }).unref?.();
          }
        : undefined,
      onFailed: (failed, error) => {
        this.options.onError?.("room_store_failed", { room: roomId, error: String(error) });
        const entry = this.rooms.get(roomId);
        if (entry?.room)
          void entry.room.then((r) => {
            if (r === failed && this.rooms.get(roomId) === entry) this.rooms.delete(roomId);
          });
        void failed.close();
      },
    });
    await room.ready;
    return room;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [userId, bucket] of this.userBuckets)
      if (!this.byUser.has(userId) && bucket.isFull(now)) this.userBuckets.delete(userId);
    for (const entry of this.rooms.values())
      void entry.room.then(
        (room) => room.sweep(),
        () => undefined,
      );
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  map.set(key, set);
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
