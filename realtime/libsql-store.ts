// Node room store: one libsql (SQLite) file per school under the rooms folder, shared by that school's rooms.
// WAL with synchronous=NORMAL: a committed append survives the process being killed (what a room acknowledges);
// only a power cut may lose the last transactions, as with any WAL database in that mode.
//
// libsql's native driver runs each statement synchronously in the calling thread, and a WAL checkpoint (every
// ~1 000 pages, with its fsyncs) holds it for several milliseconds: on Node the connections live in a thread of their
// own (src/node/sqlite-thread.ts gives `open`), so the event loop that broadcasts never waits for the disk.
import { createClient, type InStatement } from "@libsql/client";
import { chunks, SQL, toBytes, type RoomStore, type StoredRoom } from "./store";

/** The part of a libsql client the stores use: a libsql `Client`, or a proxy to one in another thread. */
export interface SqlClient {
  execute(sql: string): Promise<unknown>;
  batch(
    statements: InStatement[],
    mode: "write" | "read",
  ): Promise<{ rows: Record<string, unknown>[]; lastInsertRowid?: bigint | number }[]>;
  close(): void;
}

/** Opens one file: `file:` URL. */
export type SqlOpener = (url: string) => Promise<SqlClient>;

/** One connection in this thread. */
export const openHere: SqlOpener = async (url) => createClient({ url, concurrency: 1 });

interface OpenFile {
  client: Promise<SqlClient>;
  users: number;
  writer: GroupWriter | null;
}

/** How long appends wait for others before their transaction (issue 22: the rooms broadcast first, so this delays
 *  only the "saved" answer, never what the other sockets see). Measured (60 updates/s, one room, the thread): 10 ms
 *  cost ~0.9 ms of CPU per update, 50 ms ~0.2 ms — each commit writes its pages and wakes the thread whatever its
 *  size. */
export const COMMIT_WINDOW_MS = 50;

/**
 * Group commit per file: appends of every room of the school that arrive within the commit window go into one
 * transaction (one commit instead of one per update or per room), then each room hears its own last sequence number.
 */
class GroupWriter {
  private queue: { room: string; updates: Uint8Array[]; resolve(seq: number): void; reject(err: unknown): void }[] = [];
  private scheduled = false;
  constructor(
    private readonly client: SqlClient,
    private readonly windowMs: number,
  ) {}

  append(room: string, updates: Uint8Array[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ room, updates, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => void this.flush(), this.windowMs);
        else setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const jobs = this.queue;
    this.queue = [];
    const statements: InStatement[] = [];
    const lastIndex: number[] = [];
    for (const job of jobs) {
      for (const u of job.updates) statements.push({ sql: SQL.insertUpdate, args: [job.room, u] });
      lastIndex.push(statements.length - 1);
    }
    try {
      const results = await this.client.batch(statements, "write");
      jobs.forEach((job, i) => job.resolve(Number(results[lastIndex[i]!]!.lastInsertRowid)));
    } catch (err) {
      for (const job of jobs) job.reject(err);
    }
  }
}

export class LibsqlStores {
  private readonly files = new Map<string, OpenFile>();

  /** `dir` must exist (the Node entry creates it); `file:` URLs only. */
  constructor(
    private readonly dir: string,
    private readonly options: { commitWindowMs?: number; open?: SqlOpener } = {},
  ) {}

  /** Open files now (a file closes when its last room unloads). */
  get openFiles(): number {
    return this.files.size;
  }

  async storeFor(roomId: string): Promise<RoomStore> {
    const uai = roomId.split(":")[0] ?? "";
    const name = /^[0-9]{7}[A-Z]$/.test(uai) ? uai : "autres";
    let file = this.files.get(name);
    if (!file) {
      file = { users: 0, client: openClient(this.options.open ?? openHere, `${this.dir}/${name}.db`), writer: null };
      this.files.set(name, file);
      file.client.catch(() => this.files.delete(name));
    }
    file.users += 1;
    let client: SqlClient;
    try {
      client = await file.client;
    } catch (err) {
      file.users -= 1;
      throw err;
    }
    const owner = file;
    let closed = false;
    owner.writer ??= new GroupWriter(client, this.options.commitWindowMs ?? COMMIT_WINDOW_MS);
    return new LibsqlRoomStore(client, roomId, owner.writer, async () => {
      if (closed) return;
      closed = true;
      owner.users -= 1;
      if (owner.users === 0 && this.files.get(name) === owner) {
        this.files.delete(name);
        client.close();
      }
    });
  }

  async closeAll(): Promise<void> {
    for (const [name, file] of this.files) {
      this.files.delete(name);
      (await file.client.catch(() => null))?.close();
    }
  }
}

async function openClient(open: SqlOpener, path: string): Promise<SqlClient> {
  // One connection: the pragmas below are per connection (a second one would write with synchronous=FULL), and
  // every statement runs synchronously inside the native driver anyway.
  const client = await open(`file:${path}`);
  await client.execute("pragma journal_mode = wal");
  await client.execute("pragma synchronous = normal");
  await client.execute("pragma busy_timeout = 5000");
  await client.batch(
    SQL.schema.map((sql) => ({ sql, args: [] })),
    "write",
  );
  return client;
}

export class LibsqlRoomStore implements RoomStore {
  constructor(
    private readonly client: SqlClient,
    private readonly room: string,
    private readonly writer: GroupWriter,
    private readonly release: () => Promise<void>,
  ) {}

  async load(): Promise<StoredRoom> {
    const [snap, ups] = await this.client.batch(
      [
        { sql: SQL.selectSnapshot, args: [this.room] },
        { sql: SQL.selectUpdates, args: [this.room] },
      ],
      "read",
    );
    const snapshot = snap!.rows.map((r) => toBytes(r.data));
    const updates = ups!.rows.map((r) => toBytes(r.data));
    const lastSeq = ups!.rows.length ? Number(ups!.rows[ups!.rows.length - 1]!.seq) : 0;
    return {
      snapshot,
      updates,
      lastSeq,
      logBytes: updates.reduce((n, u) => n + u.length, 0),
      snapshotBytes: snapshot.reduce((n, c) => n + c.length, 0),
    };
  }

  async append(updates: Uint8Array[]): Promise<number> {
    return this.writer.append(this.room, updates);
  }

  async compact(state: Uint8Array, upToSeq: number): Promise<void> {
    await this.client.batch(
      [
        { sql: SQL.deleteSnapshot, args: [this.room] },
        ...chunks(state).map((c, i) => ({ sql: SQL.insertChunk, args: [this.room, i, c] })),
        { sql: SQL.deleteUpdatesUpTo, args: [this.room, upToSeq] },
      ],
      "write",
    );
  }

  async erase(): Promise<void> {
    await this.client.batch(
      [
        { sql: SQL.deleteSnapshot, args: [this.room] },
        { sql: SQL.deleteUpdates, args: [this.room] },
      ],
      "write",
    );
  }

  async close(): Promise<void> {
    await this.release();
  }
}
