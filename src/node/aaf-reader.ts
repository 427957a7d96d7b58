// Reading a large delivery on several cores. Parsing is the import's work in Node (a million records: most of the
// reading time), and the files of a folder are independent: worker threads (aaf-reader-worker.ts) read them two at a
// time, each into staging rows, which this thread hands to the database one batch at a time. What comes out is the
// same as reading the files one by one here (readHere): files numbered in the delivery's order, their warnings told
// file after file, and of two unreadable files the first one reported. Archives (read as one stream) and small
// deliveries are read here.
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { readHere, type AafFile, type DeliveryReader, type ReadingSink } from "../aaf/importer";
import type { AafWarning } from "../aaf/model";
import { AafParseError } from "../aaf/parser";
import { BATCH_CHARS } from "../aaf/staging";
import type { FromReader, ToReader } from "./aaf-reader-worker";

export interface ParallelReading {
  /** Threads reading files at the same time (default 2, at most the cores). */
  threads?: number;
  /** Deliveries smaller than this are read here: starting threads costs more than it saves (default 16 MB). */
  minBytes?: number;
  /** COPY text per batch a thread hands over (default BATCH_CHARS). */
  batchChars?: number;
}

/** Warnings a file read ahead of the delivery's order may hold back before its thread waits for its turn. */
const MAX_HELD_WARNINGS = 5000;

export function parallelReader(options: ParallelReading = {}): DeliveryReader {
  return async (files, sink) => {
    const iterator = iterate(files);
    const all: AafFile[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      // A file that is not a plain file on disk comes from an archive read as one stream: in turn, here.
      if (!r.value.path) return readHere(rest(all, r.value, iterator), sink);
      all.push(r.value);
    }
    let bytes = 0;
    for (const f of all) bytes += (await stat(f.path!)).size;
    const threads = Math.min(options.threads ?? 2, availableParallelism(), all.length);
    if (threads < 2 || bytes < (options.minBytes ?? 16 * 1024 ** 2)) return readHere(all, sink);
    return readInThreads(all, sink, threads, options.batchChars ?? BATCH_CHARS);
  };
}

function iterate(files: AsyncIterable<AafFile> | Iterable<AafFile>): AsyncIterator<AafFile> | Iterator<AafFile> {
  return Symbol.asyncIterator in files ? files[Symbol.asyncIterator]() : files[Symbol.iterator]();
}

/** The files already listed, the one in hand, then the rest of the delivery's iterator (never restarted). */
async function* rest(
  listed: AafFile[],
  current: AafFile,
  iterator: AsyncIterator<AafFile> | Iterator<AafFile>,
): AsyncGenerator<AafFile> {
  yield* listed;
  yield current;
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
}

interface FileState {
  worker: Worker;
  /** Warnings not told yet: only the first unfinished file's are told at once. */
  warnings: AafWarning[];
  done: boolean;
  failure: { message: string; source: AafParseError["source"] | null } | null;
  /** Its thread waits for a credit until the file's turn comes (too many warnings held). */
  creditOwed: boolean;
}

function workerUrl(): { url: URL; execArgv: string[] } {
  // From the sources (tsx, vitest) the thread loads TypeScript through tsx; the build has its own entry (build.mjs).
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./aaf-reader-worker.ts" : "./aaf-reader-worker.js", import.meta.url);
  const execArgv = [...process.execArgv];
  if (fromSource && !execArgv.some((a) => a.includes("tsx"))) execArgv.push("--import", "tsx");
  return { url, execArgv };
}

async function readInThreads(all: AafFile[], sink: ReadingSink, threads: number, batchChars: number): Promise<void> {
  const { url, execArgv } = workerUrl();
  // Reading is streaming: each thread needs little memory, and a bound keeps the import's within its budget.
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, { execArgv, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } }),
  );
  const states: FileState[] = [];
  let next = 0;
  let head = 0;
  let copying: Promise<void> = Promise.resolve();
  let stopped = false;
  /** The first unreadable file: what is read after it does not matter any more. */
  let failedAt = Number.POSITIVE_INFINITY;
  const finished = new Promise<void>((resolve, reject) => {
    const fail = (err: unknown) => {
      stopped = true;
      reject(err);
    };
    const credit = (worker: Worker) => worker.postMessage({ type: "credit" } satisfies ToReader);
    const dispatch = (worker: Worker) => {
      if (stopped || next >= all.length) return;
      const file = all[next]!;
      const index = next++;
      states[index] = { worker, warnings: [], done: false, failure: null, creditOwed: false };
      worker.postMessage({
        type: "file",
        index,
        path: file.path!,
        name: file.name,
        number: sink.file(file.name),
        batchChars,
      } satisfies ToReader);
    };
    // Files are told about in the delivery's order: warnings, then the first failure, then the end.
    const advance = () => {
      while (head < states.length && states[head]) {
        const state = states[head]!;
        for (const w of state.warnings) sink.warn(w);
        state.warnings = [];
        if (state.creditOwed) {
          state.creditOwed = false;
          credit(state.worker);
        }
        if (!state.done) return;
        if (state.failure) {
          const { message, source } = state.failure;
          return fail(source ? new AafParseError(message, source) : new Error(message));
        }
        head += 1;
      }
      if (head === all.length) copying.then(() => resolve(), fail);
    };
    for (const worker of workers) {
      worker.on("error", fail);
      worker.on("exit", (code) => {
        if (!stopped) fail(new Error(`Lecture AAF : un fil de lecture s'est arrêté (code ${code}).`));
      });
      worker.on("message", (message: FromReader) => {
        if (stopped) return;
        const state = states[message.index]!;
        state.warnings.push(...message.warnings);
        if (message.type === "failed") {
          state.done = true;
          state.failure = { message: message.message, source: message.source };
          // Files after an unreadable one do not matter any more: none is started, the started ones are let be.
          next = all.length;
          failedAt = Math.min(failedAt, message.index);
          return advance();
        }
        const { batch, done, index } = message;
        if (index > failedAt) return;
        copying = copying.then(() => sink.addBatch(batch));
        copying.then(() => {
          if (stopped) return;
          if (done) {
            state.done = true;
            dispatch(worker);
          }
          if (index === head || state.warnings.length < MAX_HELD_WARNINGS) credit(worker);
          else state.creditOwed = true;
          advance();
        }, fail);
      });
      dispatch(worker);
    }
  });
  try {
    await finished;
  } finally {
    stopped = true;
    // No batch is left copying when the import's transaction goes on (or ends).
    await copying.catch(() => {});
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
