// The rooms of one process: loaded on first use, shared by every socket and server-side change, unloaded after a
// while without sockets (their memory freed), stores opened per room. Runtime-agnostic: the Node hub and tests
// give it a store factory; a Durable Object holds a single Room itself.
import type * as Y from "yjs";
import { Room, type Conn, type RoomOptions, type Ticket } from "./room";
import type { RoomStore } from "./store";
import { guardFor } from "./wall-guard";

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
}

interface Entry {
  room: Promise<Room>;
  users: number;
  idle: ReturnType<typeof setTimeout> | null;
  stored: ReturnType<typeof setTimeout> | null;
}

export class RoomHub {
  private readonly rooms = new Map<string, Entry>();
  private readonly sweeper: ReturnType<typeof setInterval> | null;
  private stopped = false;

  constructor(private readonly options: HubOptions) {
    const sweepMs = options.sweepMs ?? 5_000;
    this.sweeper = sweepMs > 0 ? setInterval(() => this.sweep(), sweepMs) : null;
    (this.sweeper as { unref?: () => void } | null)?.unref?.();
  }

  /** Rooms loaded now (idle ones included until they unload). */
  get loadedRooms(): number {
    return this.rooms.size;
  }

  isLoaded(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  /** Joins a socket to a room; returns the handlers the transport calls. */
  async join(roomId: string, conn: Conn, ticket: Ticket): Promise<{ receive(data: Uint8Array): void; leave(): void }> {
    const entry = this.acquire(roomId);
    let room: Room;
    try {
      room = await entry.room;
    } catch (err) {
      this.release(roomId, entry);
      throw err;
    }
    room.connect(conn, ticket);
    let left = false;
    return {
      receive: (data) => room.receive(conn, data),
      leave: () => {
        if (left) return;
        left = true;
        room.disconnect(conn);
        this.release(roomId, entry);
      },
    };
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

  /** Unloads a room now if nothing uses it (tests, erase). */
  async unload(roomId: string): Promise<void> {
    const entry = this.rooms.get(roomId);
    if (!entry || entry.users > 0) return;
    if (entry.idle) clearTimeout(entry.idle);
    this.rooms.delete(roomId);
    const room = await entry.room.catch(() => null);
    await room?.close();
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

  /** Runs a pending stored-hook at once, then closes the room. */
  private async closeRoom(roomId: string, entry: Entry, room: Room): Promise<void> {
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
    const store = await this.options.storeFor(roomId);
    const onStored = this.options.onStored;
    const room = new Room(roomId, store, {
      guard: guardFor(roomId),
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
    for (const entry of this.rooms.values())
      void entry.room.then(
        (room) => room.sweep(),
        () => undefined,
      );
  }
}
