// One AAF import from end to end: read every file of the delivery (streaming parse, normalise, stage), check the
// whole set, apply it in one transaction — or refuse it and leave the directory exactly as it was (4.4).
import { sql } from "drizzle-orm";
import { withSystemBulk, type Database, type Tx } from "../../db/client";
import type { AafCounts, AafProgress } from "../../db/schema/aaf";
import type { AafCategory, AafProblem, AafSetInfo, AafWarning } from "./model";
import { AafParseError, parseAafStream } from "./parser";
import { normaliseRecord } from "./normalise";
import { StagingWriter, clearStaging } from "./staging";
import { applyStaged, checkStaged, schoolYearOf, type ReconcileContext } from "./reconcile";

export interface AafFile {
  name: string;
  category: AafCategory | null;
  open(): AsyncIterable<Uint8Array>;
}

export interface ImportSettings {
  maxPreDeleteShare: number;
  plausibilityMinAccounts: number;
}

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
  /** Runs inside the applying transaction, after the changes: notifications, audit, duplicates. */
  afterApply?: (tx: Tx, counts: AafCounts) => Promise<void>;
}

export type ImportOutcome =
  | { status: "applied" | "checked"; counts: AafCounts; warnings: number; files: string[]; info: AafSetInfo }
  | {
      status: "rejected";
      problems: AafProblem[];
      warnings: number;
      files: string[];
      records: number;
      info: AafSetInfo | null;
    };

class Rejected extends Error {
  constructor(readonly problems: AafProblem[]) {
    super("rejected");
  }
}
class DryRunDone extends Error {
  constructor(readonly counts: AafCounts) {
    super("dry run");
  }
}

export async function importAafDelivery(request: ImportRequest): Promise<ImportOutcome> {
  const { db, importId, onProgress } = request;
  let warnings = 0;
  const warn = (w: AafWarning) => {
    warnings += 1;
    request.onWarning?.(w);
  };
  const files: string[] = [];
  const staging = new StagingWriter(db, importId);
  const report = (phase: AafProgress["phase"], done = staging.staged, total = 0) =>
    onProgress?.({ phase, done, total });
  try {
    report("reading");
    try {
      for await (const file of request.files) {
        files.push(file.name);
        for await (const record of parseAafStream(file.open(), file.name, warn)) {
          const change = normaliseRecord(record, warn);
          if (!change) continue;
          await staging.add(change);
          if (staging.staged % 5000 === 0) report("reading");
        }
      }
      await staging.flush();
    } catch (err) {
      if (!(err instanceof AafParseError)) throw err;
      return {
        status: "rejected",
        problems: [{ code: "unreadable", message: err.message, source: err.source }],
        warnings,
        files,
        records: staging.staged,
        info: null,
      };
    }
    if (files.length === 0) {
      return {
        status: "rejected",
        problems: [{ code: "empty", message: "La livraison ne contient aucun fichier AAF." }],
        warnings,
        files,
        records: 0,
        info: null,
      };
    }
    const info = request.describe(files);
    await withSystemBulk(db, (tx) => tx.execute(sql`select preau_refresh_import_statistics()`));
    report("checking");
    const ctx: ReconcileContext = {
      importId,
      academy: request.academy,
      mode: info.mode,
      schoolYear: schoolYearOf(request.now),
      now: request.now,
      maxPreDeleteShare: request.settings.maxPreDeleteShare,
      plausibilityMinAccounts: request.settings.plausibilityMinAccounts,
    };
    try {
      const counts = await withSystemBulk(db, async (tx) => {
        const problems = await checkStaged(tx, ctx);
        if (problems.length) throw new Rejected(problems);
        report("applying");
        const applied = { ...(await applyStaged(tx, ctx)), warnings };
        await request.afterApply?.(tx, applied);
        // A dry run goes all the way, then rolls back: its figures are exactly those of a real run.
        if (request.dryRun) throw new DryRunDone(applied);
        return applied;
      });
      report("done", counts.records, counts.records);
      return { status: "applied", counts, warnings, files, info };
    } catch (err) {
      if (err instanceof Rejected)
        return { status: "rejected", problems: err.problems, warnings, files, records: staging.staged, info };
      if (err instanceof DryRunDone) {
        report("done", err.counts.records, err.counts.records);
        return { status: "checked", counts: err.counts, warnings, files, info };
      }
      throw err;
    }
  } finally {
    await staging.settle();
    await clearStaging(db, importId);
  }
}
