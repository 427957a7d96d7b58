// AAF imports (4.4): their history and logs, and the duplicates flagged after each import (612A, 621C). A delivery is
// staged in temporary tables of its import's transaction (src/aaf/staging.ts).
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { schools, users } from "./directory";

export const aafImportStatus = pgEnum("aaf_import_status", [
  "queued",
  "running",
  "applied",
  "rejected",
  "failed",
  "checked",
]);
export const aafImportMode = pgEnum("aaf_import_mode", ["complete", "delta"]);

export interface AafCounts {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  detached: number;
  preDeleted: number;
  restored: number;
  warnings: number;
  schools: number;
  classes: number;
}

export interface AafProgress {
  phase: "queued" | "reading" | "checking" | "applying" | "done";
  done: number;
  total: number;
}

export const aafImports = pgTable(
  "aaf_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    status: aafImportStatus("status").notNull(),
    mode: aafImportMode("mode"),
    /** How it came: "cli", "upload" or "inbox". */
    origin: text("origin").notNull(),
    fileName: text("file_name").notNull(),
    /** Where the delivery waits until the job runner takes it (uploads and inbox). */
    storedPath: text("stored_path"),
    dryRun: boolean("dry_run").notNull().default(false),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    counts: jsonb("counts").$type<AafCounts>(),
    progress: jsonb("progress").$type<AafProgress>(),
    /** Why the import was refused: each reason an admin can act on. */
    problems: jsonb("problems").$type<{ code: string; message: string; file?: string; line?: number }[]>(),
  },
  (t) => [index("aaf_imports_created").on(t.createdAt)],
);

export const aafImportLog = pgTable(
  "aaf_import_log",
  {
    importId: uuid("import_id")
      .notNull()
      .references(() => aafImports.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    level: text("level").notNull(),
    message: text("message").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] })],
);

// Staging lives in temporary tables of each import's transaction (src/aaf/staging.ts, migration 0027).

export const duplicateStatus = pgEnum("duplicate_status", ["open", "dismissed", "merged"]);

/** Two accounts of one school with the same names (and birth date when known), for the school's admins. */
export const duplicateFlags = pgTable(
  "duplicate_flags",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    userA: uuid("user_a")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userB: uuid("user_b")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: duplicateStatus("status").notNull().default("open"),
    detectedAt: timestamp("detected_at", { withTimezone: true }).notNull(),
    importId: uuid("import_id").references(() => aafImports.id, { onDelete: "set null" }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("duplicate_flags_pair").on(t.uai, t.userA, t.userB),
    index("duplicate_flags_open").on(t.uai, t.status),
  ],
);
