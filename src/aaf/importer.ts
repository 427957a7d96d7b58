// One AAF import from end to end, in one transaction: read every file of the delivery (streaming parse, normalise,
// stage with COPY), check the whole set, apply it — or refuse it and leave the directory exactly as it was (4.4).
import { sql } from "drizzle-orm";
import { withSystemBulk, type Database, type Tx } from "../../db/client";
import type { AafCounts, AafProgress } from "../../db/schema/aaf";
import type { AafCategory, AafChange, AafProblem, AafSetInfo, AafWarning } from "./model";
import { AafParseError, parseAafStream } from "./parser";
import { normaliseRecord } from "./normalise";
import { StagingWriter, createStagingTables, analyzeStagingTables, type StagingBatch } from "./staging";
import { applyStaged, checkStaged, schoolYearOf, type ReconcileContext } from "./reconcile";

export interface AafFile {
  name: string;
  category: AafCategory | null;
  open(): AsyncIterable<Uint8Array>;
  /** Where the file lies as it is on disk (a folder's file): a reader may open it itself, in any order. */
  path?: string;
}

export interface ImportSettings {
  maxPreDeleteShare: number;
  plausibilityMinAccounts: number;
  /** See ReconcileContext.bulkMinAccounts (default BULK_MIN_ACCOUNTS). */
  bulkMinAccounts?: number;
}

/** Accounts a first import creates from which it suspends its foreign keys (ReconcileContext.bulkMinAccounts). */
export const BULK_MIN_ACCOUNTS = 10_000;

export interface ImportRequest {
  db: Database;
  importId: string;
  academy: string;
  /** Complete or delta, from the names of the files read (known once they are all read). */
  describe: (fileNames: string[]) => AafSetInfo;
  files: AsyncIterable<AafFile> | Iterable<AafFile>;
  now: Date;
  dryRun: boolean;
  settings: ImportSettings;
  onProgress?: (progress: AafProgress) => void;
  onWarning?: (warning: AafWarning) => void;
  /** How the files are read (default: readHere). */
  reader?: DeliveryReader;
  /** COPY text per staging batch (default BATCH_CHARS); tests make it small to see many batches. */
  batchChars?: number;
  /** Runs inside the applying transaction, after the changes: notifications, audit, duplicates. */
  afterApply?: (tx: Tx, counts: AafCounts) => Promise<void>;
}

export type ImportOutcome =
  | {
      status: "applied" | "checked";
      counts: AafCounts;
      warnings: number;
      files: string[];
      info: AafSetInfo;
      /** A large first import: its foreign keys were suspended during the load, then checked whole. */
      suspendedForeignKeys: boolean;
    }
  | {
      status: "rejected";
      problems: AafProblem[];
      warnings: number;
      files: string[];
      records: number;
      info: AafSetInfo | null;
    };

/** Where a reader puts what it reads: the staging tables, through the import. */
export interface ReadingSink {
  /** The next file of the delivery, in the delivery's order: returns its number for the staged rows. */
  file(name: string): number;
  /** A record read in this thread. */
  add(change: AafChange): Promise<void>;
  /** Rows formatted elsewhere (StagingBuffer.take(), with the numbers `file` gave). */
  addBatch(batch: StagingBatch): Promise<void>;
  warn(warning: AafWarning): void;
}

/**
 * Reads every file of a delivery into the sink, in the delivery's order as far as anyone can tell: files numbered
 * in order, warnings told file after file, and of several unreadable files the first one reported (AafParseError).
 */
export type DeliveryReader = (files: AsyncIterable<AafFile> | Iterable<AafFile>, sink: ReadingSink) => Promise<void>;

/** The portable reader: every file in turn, in this thread. */
export const readHere: DeliveryReader = async (files, sink) => {
  for await (const file of files) {
    sink.file(file.name);
    for await (const record of parseAafStream(file.open(), file.name, sink.warn)) {
      const change = normaliseRecord(record, sink.warn);
      if (change) await sink.add(change);
    }
  }
};

/** The advisory lock AAF imports take for their transaction (the migrator's is 727274). */
const IMPORT_LOCK = 727275;

/** Ends the import's transaction by rolling it back, with what to report. */
class Abandoned extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super(outcome.status);
  }
}

/**
 * The whole import is one transaction: the staging tables are temporary tables of it, filled with COPY while the
 * files are read; then the checks read the whole delivery, and only if they pass is anything applied. A refusal, a
 * dry run or a failure rolls it all back.
 */
export async function importAafDelivery(request: ImportRequest): Promise<ImportOutcome> {
  const { db, onProgress } = request;
  let warnings = 0;
  const warn = (w: AafWarning) => {
    warnings += 1;
    request.onWarning?.(w);
  };
  const files: string[] = [];
  let staged = 0;
  const report = (phase: AafProgress["phase"], done = staged, total = 0) => onProgress?.({ phase, done, total });
  const rejected = (problems: AafProblem[], info: AafSetInfo | null) =>
    new Abandoned({ status: "rejected", problems, warnings, files, records: staged, info });
  let outcome: ImportOutcome;
  try {
    outcome = await withSystemBulk(db, async (tx) => {
      // One import at a time: two would contend for the same rows, and a first import locks whole tables.
      await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK}::bigint)`);
      // Hash joins and sorts of a million rows in memory rather than in temporary files.
      await tx.execute(
        sql`select set_config('work_mem', '128MB', true), set_config('maintenance_work_mem', '256MB', true)`,
      );
      await createStagingTables(tx);
      const staging = new StagingWriter(tx, request.batchChars);
      report("reading");
      let reported = 0;
      const progress = () => {
        staged = staging.staged;
        if (staged - reported >= 5000) {
          reported = staged;
          report("reading");
        }
      };
      const sink: ReadingSink = {
        file: (name) => {
          files.push(name);
          return staging.fileNumber(name);
        },
        add: async (change) => {
          await staging.add(change);
          progress();
        },
        addBatch: async (batch) => {
          await staging.addBatch(batch);
          progress();
        },
        warn,
      };
      try {
        await (request.reader ?? readHere)(request.files, sink);
        await staging.flush();
        staged = staging.staged;
      } catch (err) {
        // The batch in flight ends before the transaction does.
        await staging.settle();
        if (!(err instanceof AafParseError)) throw err;
        throw rejected([{ code: "unreadable", message: err.message, source: err.source }], null);
      }
      if (files.length === 0)
        throw rejected([{ code: "empty", message: "La livraison ne contient aucun fichier AAF." }], null);
      const info = request.describe(files);
      await analyzeStagingTables(tx);
      await tx.execute(sql`select preau_refresh_import_statistics()`);
      report("checking");
      const ctx: ReconcileContext = {
        academy: request.academy,
        mode: info.mode,
        schoolYear: schoolYearOf(request.now),
        now: request.now,
        files: staging.files,
        maxPreDeleteShare: request.settings.maxPreDeleteShare,
        plausibilityMinAccounts: request.settings.plausibilityMinAccounts,
        bulkMinAccounts: request.settings.bulkMinAccounts ?? BULK_MIN_ACCOUNTS,
      };
      const problems = await checkStaged(tx, ctx);
      if (problems.length) throw rejected(problems, info);
      report("applying");
      const { counts, suspendedForeignKeys } = await applyStaged(tx, ctx);
      const applied = { ...counts, warnings };
      await request.afterApply?.(tx, applied);
      const outcome: ImportOutcome = {
        status: "applied",
        counts: applied,
        warnings,
        files,
        info,
        suspendedForeignKeys,
      };
      // A dry run goes all the way, then rolls back: its figures are exactly those of a real run.
      if (request.dryRun) throw new Abandoned({ ...outcome, status: "checked" });
      return outcome;
    });
  } catch (err) {
    if (!(err instanceof Abandoned)) throw err;
    outcome = err.outcome;
  }
  if (outcome.status !== "rejected") report("done", outcome.counts.records, outcome.counts.records);
  return outcome;
}
