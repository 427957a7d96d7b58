// The thread of the realtime rooms' SQLite files (see src/node/sqlite-thread.ts): holds the libsql connections and
// runs what the main thread asks, one message at a time, so that a commit or a WAL checkpoint never holds the event
// loop that broadcasts. Plain JavaScript: it is started from a path, by `npm start`'s bundle and by the tests alike.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { createClient } from "@libsql/client";

// Below the event loop's priority: when both want the same core, a broadcast goes before a commit or a checkpoint
// (Linux: a thread's own nice value, found through /proc/thread-self; elsewhere nothing changes).
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 10);
} catch {
  // Not Linux, or not allowed: the thread keeps the process's priority.
}

const clients = new Map();

/** A result set as plain objects (a libsql Row does not survive structured clone with its column names). */
const plain = (r) => ({
  rows: r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))),
  lastInsertRowid: r.lastInsertRowid,
});

parentPort.on("message", async (m) => {
  try {
    let value = null;
    if (m.op === "open") clients.set(m.file, createClient({ url: m.url, concurrency: 1 }));
    else if (m.op === "execute") value = plain(await clients.get(m.file).execute(m.sql));
    else if (m.op === "batch") value = (await clients.get(m.file).batch(m.statements, m.mode)).map(plain);
    else if (m.op === "close") {
      clients.get(m.file)?.close();
      clients.delete(m.file);
    }
    parentPort.postMessage({ id: m.id, value });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err?.message ?? err) });
  }
});
