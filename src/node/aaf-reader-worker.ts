// A thread of the AAF reader (aaf-reader.ts): reads the files it is given, from disk, into staging rows as COPY text
// (parse, normalise, format: the import's work in Node), and hands them to the main thread a batch at a time, the
// next one only once the main thread has taken the previous one — so a fast reader never outruns the database.
import { createReadStream } from "node:fs";
import { parentPort } from "node:worker_threads";
import type { AafSource, AafWarning } from "../aaf/model";
import { normaliseRecord } from "../aaf/normalise";
import { AafParseError, parseAafStream } from "../aaf/parser";
import { StagingBuffer, type StagingBatch } from "../aaf/staging";

export type ToReader =
  | { type: "file"; index: number; path: string; name: string; number: number; batchChars: number }
  | { type: "credit" };
export type FromReader =
  | { type: "batch"; index: number; batch: StagingBatch; warnings: AafWarning[]; done: boolean }
  | { type: "failed"; index: number; warnings: AafWarning[]; message: string; source: AafSource | null };

/** Warnings held before they are handed over with the rows (a delivery may warn on every record). */
const MAX_HELD_WARNINGS = 1000;

const port = parentPort!;
const queue: Extract<ToReader, { type: "file" }>[] = [];
let credit = 1;
let wakeReader: (() => void) | null = null;
let wakeSender: (() => void) | null = null;

port.on("message", (message: ToReader) => {
  if (message.type === "credit") {
    credit += 1;
    wakeSender?.();
    wakeSender = null;
  } else {
    queue.push(message);
    wakeReader?.();
    wakeReader = null;
  }
});

const utf8 = new TextEncoder();

/** Hands a batch over as UTF-8 bytes, moved rather than copied: the main thread only passes them on to Postgres. */
async function hand(index: number, batch: StagingBatch, warnings: AafWarning[], done: boolean): Promise<void> {
  while (credit === 0) await new Promise<void>((resolve) => (wakeSender = resolve));
  credit -= 1;
  const bytes = (text: string | Uint8Array) => (typeof text === "string" ? utf8.encode(text) : text);
  const encoded = { ...batch, schools: bytes(batch.schools), people: bytes(batch.people), links: bytes(batch.links) };
  const moved = [encoded.schools, encoded.people, encoded.links].map((b) => b.buffer as ArrayBuffer);
  port.postMessage({ type: "batch", index, batch: encoded, warnings, done } satisfies FromReader, moved);
}

async function read(file: Extract<ToReader, { type: "file" }>): Promise<void> {
  const buffer = new StagingBuffer();
  let warnings: AafWarning[] = [];
  const warn = (w: AafWarning) => {
    warnings.push(w);
  };
  try {
    for await (const record of parseAafStream(createReadStream(file.path), file.name, warn)) {
      const change = normaliseRecord(record, warn);
      if (change) buffer.add(change, file.number);
      if (buffer.chars >= file.batchChars || warnings.length >= MAX_HELD_WARNINGS) {
        const held = warnings;
        warnings = [];
        await hand(file.index, buffer.take(), held, false);
      }
    }
    await hand(file.index, buffer.take(), warnings, true);
  } catch (err) {
    // A file that cannot be read (AafParseError, with where) or a failure of this thread (no source): the main
    // thread decides what it means for the delivery.
    const source = err instanceof AafParseError ? err.source : null;
    const message = err instanceof Error ? err.message : String(err);
    port.postMessage({ type: "failed", index: file.index, warnings, message, source } satisfies FromReader);
  }
}

for (;;) {
  const next = queue.shift();
  if (next) await read(next);
  else await new Promise<void>((resolve) => (wakeReader = resolve));
}
