// The one job runner (ARCHITECTURE: delayed work, imports, archiving, retention): a queue in Postgres that several
// processes share safely (claims use FOR UPDATE SKIP LOCKED), with scheduled slots deduplicated by key.
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const jobState = pgEnum("job_state", ["pending", "running", "done", "failed"]);

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: jobState("state").notNull().default("pending"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(5),
    /** A running job whose lease ends without completion was abandoned (crash): it is taken again. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    /** Set for scheduled and idempotent jobs: the same key is queued once. */
    dedupeKey: text("dedupe_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("jobs_due").on(t.state, t.runAt), uniqueIndex("jobs_dedupe").on(t.dedupeKey)],
);
