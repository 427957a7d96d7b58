// The realtime rooms' SQLite files on a thread of their own (issue 22). libsql runs every statement synchronously in
// the thread that calls it; on the main thread a commit cost ~0.25 ms and a WAL checkpoint (with its fsyncs) 4 to 6 ms
// every couple of seconds under load, during which no frame was broadcast. Here the main thread only posts the
// statements (structured clone: a few microseconds for a room's updates) and hears back when they are committed.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import type { InStatement } from "@libsql/client";
import type { SqlClient, SqlOpener } from "../../realtime/libsql-store";
import { ROOT } from "./root";

const WORKER = join(ROOT, "src/node/sqlite-thread.worker.mjs");

type Answer = { id: number; value?: unknown; error?: string };

export class SqliteThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private nextFile = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  /** Opens a file in the thread (started on first use, again if it died). */
  readonly open: SqlOpener = async (url) => {
    const file = this.nextFile++;
    await this.call({ op: "open", file, url });
    const client: SqlClient = {
      execute: (sql: string) => this.call({ op: "execute", file, sql }),
      batch: (statements: InStatement[], mode: "write" | "read") =>
        this.call({ op: "batch", file, statements, mode }) as ReturnType<SqlClient["batch"]>,
      close: () => void this.call({ op: "close", file }).catch(() => undefined),
    };
    return client;
  };

  private start(): Worker {
    const worker = new Worker(WORKER);
    // Kept alive only while it has work: a process with nothing else to do may exit.
    worker.unref();
    worker.on("message", (answer: Answer) => {
      const w = this.waiting.get(answer.id);
      if (!w) return;
      this.waiting.delete(answer.id);
      if (this.waiting.size === 0) worker.unref();
      if (answer.error !== undefined) w.reject(new Error(answer.error));
      else w.resolve(answer.value);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const w of waiting) w.reject(err);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`fil SQLite arrêté (code ${code})`)));
    return worker;
  }

  private call(message: Record<string, unknown>): Promise<unknown> {
    this.worker ??= this.start();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  /** Ends the thread once what was asked is answered (the stores closed their files first). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    while (this.waiting.size) await new Promise((r) => setTimeout(r, 5));
    this.worker = null;
    await worker.terminate();
  }
}
