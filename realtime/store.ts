// Room stores: an append log of Yjs updates plus a snapshot, compacted by size. The same SQL runs on a libsql file
// (Node, one file per school under DATA_DIR) and in a Durable Object's SQLite storage (one database per room).

export interface StoredRoom {
  /** Snapshot chunks in order, then the updates appended since, in order. */
  snapshot: Uint8Array[];
  updates: Uint8Array[];
  /** Highest update sequence number read (0 when none). */
  lastSeq: number;
  /** Bytes in the log since the snapshot, and the snapshot's size: what compaction weighs. */
  logBytes: number;
  snapshotBytes: number;
}

export interface RoomStore {
  load(): Promise<StoredRoom>;
  /**
   * Appends updates in one transaction; resolves when they are durable (as the store defines it). Returns the last seq.
   */
  append(updates: Uint8Array[]): Promise<number>;
  /** Replaces the snapshot by `state` and drops log rows up to `upToSeq`, in one transaction. */
  compact(state: Uint8Array, upToSeq: number): Promise<void>;
  /** Removes everything the room stored (the wall or document was deleted). */
  erase(): Promise<void>;
  close(): Promise<void>;
}

/** DO rows and SQLite values stay well under their 2 MB ceiling. */
export const SNAPSHOT_CHUNK_BYTES = 512 * 1024;

/** Compact when the log outgrows both this and the snapshot itself. */
export const COMPACT_MIN_LOG_BYTES = 64 * 1024;

export function shouldCompact(logBytes: number, snapshotBytes: number, minLogBytes = COMPACT_MIN_LOG_BYTES): boolean {
  return logBytes > minLogBytes && logBytes > snapshotBytes;
}

export function chunks(state: Uint8Array, size = SNAPSHOT_CHUNK_BYTES): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < state.length; i += size) out.push(state.subarray(i, i + size));
  return out.length ? out : [new Uint8Array(0)];
}

/** The schema and statements both stores run; `room` is the room id (constant inside a Durable Object). */
export const SQL = {
  schema: [
    "create table if not exists room_updates (seq integer primary key autoincrement, " +
      "room text not null, data blob not null)",
    `create index if not exists room_updates_room on room_updates (room, seq)`,
    "create table if not exists room_snapshots (room text not null, chunk integer not null, " +
      "data blob not null, primary key (room, chunk))",
  ],
  selectSnapshot: `select data from room_snapshots where room = ? order by chunk`,
  selectUpdates: `select seq, data from room_updates where room = ? order by seq`,
  insertUpdate: `insert into room_updates (room, data) values (?, ?)`,
  lastSeq: `select coalesce(max(seq), 0) as seq from room_updates where room = ?`,
  deleteSnapshot: `delete from room_snapshots where room = ?`,
  insertChunk: `insert into room_snapshots (room, chunk, data) values (?, ?, ?)`,
  deleteUpdatesUpTo: `delete from room_updates where room = ? and seq <= ?`,
  deleteUpdates: `delete from room_updates where room = ?`,
} as const;

export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error("valeur binaire attendue dans le stockage de la salle");
}

/** An in-memory store (unit tests, benchmarks of the room alone). */
export class MemoryStore implements RoomStore {
  private snapshot: Uint8Array[] = [];
  private updates: { seq: number; data: Uint8Array }[] = [];
  private seq = 0;
  async load(): Promise<StoredRoom> {
    return {
      snapshot: [...this.snapshot],
      updates: this.updates.map((u) => u.data),
      lastSeq: this.seq,
      logBytes: this.updates.reduce((n, u) => n + u.data.length, 0),
      snapshotBytes: this.snapshot.reduce((n, c) => n + c.length, 0),
    };
  }
  async append(updates: Uint8Array[]): Promise<number> {
    for (const data of updates) this.updates.push({ seq: ++this.seq, data });
    return this.seq;
  }
  async compact(state: Uint8Array, upToSeq: number): Promise<void> {
    this.snapshot = chunks(state);
    this.updates = this.updates.filter((u) => u.seq > upToSeq);
  }
  async erase(): Promise<void> {
    this.snapshot = [];
    this.updates = [];
  }
  async close(): Promise<void> {}
}
