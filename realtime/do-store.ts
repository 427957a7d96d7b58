// Durable Object room store: the same SQL as the libsql files (realtime/store.ts), on the object's own SQLite
// storage (one database per room). Writes are synchronous and local; the room broadcasts an update first and writes it
// right after (realtime/room.ts), and the runtime's output gate holds every message sent after a write until that
// write is durable — the state answer that says "saved" included.
import { chunks, SQL, toBytes, type RoomStore, type StoredRoom } from "./store";

/** The slice of `ctx.storage` this store uses (SqlStorage and transactionSync of a SQLite-backed Durable Object). */
export interface DurableSql {
  sql: {
    exec(
      query: string,
      ...bindings: unknown[]
    ): { toArray(): Record<string, unknown>[]; one(): Record<string, unknown> };
  };
  transactionSync<T>(fn: () => T): T;
}

export class DurableObjectStore implements RoomStore {
  private ready = false;
  constructor(
    private readonly storage: DurableSql,
    private readonly room: string,
  ) {}

  private init(): void {
    if (this.ready) return;
    for (const statement of SQL.schema) this.storage.sql.exec(statement);
    this.ready = true;
  }

  async load(): Promise<StoredRoom> {
    this.init();
    const snapshot = this.storage.sql
      .exec(SQL.selectSnapshot, this.room)
      .toArray()
      .map((r) => toBytes(r.data));
    const rows = this.storage.sql.exec(SQL.selectUpdates, this.room).toArray();
    const updates = rows.map((r) => toBytes(r.data));
    return {
      snapshot,
      updates,
      lastSeq: rows.length ? Number(rows[rows.length - 1]!.seq) : 0,
      logBytes: updates.reduce((n, u) => n + u.length, 0),
      snapshotBytes: snapshot.reduce((n, c) => n + c.length, 0),
    };
  }

  async append(updates: Uint8Array[]): Promise<number> {
    this.init();
    return this.storage.transactionSync(() => {
      for (const u of updates) this.storage.sql.exec(SQL.insertUpdate, this.room, u);
      return Number(this.storage.sql.exec(SQL.lastSeq, this.room).one().seq);
    });
  }

  async compact(state: Uint8Array, upToSeq: number): Promise<void> {
    this.init();
    this.storage.transactionSync(() => {
      this.storage.sql.exec(SQL.deleteSnapshot, this.room);
      chunks(state).forEach((c, i) => this.storage.sql.exec(SQL.insertChunk, this.room, i, c));
      this.storage.sql.exec(SQL.deleteUpdatesUpTo, this.room, upToSeq);
    });
  }

  async erase(): Promise<void> {
    this.init();
    this.storage.transactionSync(() => {
      this.storage.sql.exec(SQL.deleteSnapshot, this.room);
      this.storage.sql.exec(SQL.deleteUpdates, this.room);
    });
  }

  async close(): Promise<void> {}
}
