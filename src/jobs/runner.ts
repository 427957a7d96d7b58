// The job runner: one queue in Postgres for everything that must not run inside a request (sending mail,
// imports, purges) or must run on a schedule. Several processes may run it: a job is claimed with
// FOR UPDATE SKIP LOCKED and leased; a lease that runs out (crash) makes the job available again.
import { sql } from "drizzle-orm";
import { jobs } from "../../db/schema";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../db/client";
import { errorFields, type Logger } from "../log";
import { localTime } from "../time";

export interface JobContext {
  db: Database;
  now: Date;
  log: Logger;
}
export type JobHandler = (payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Queues a job in the caller's transaction: it exists if and only if the work that asked for it commits. */
export async function enqueue(
  tx: Tx,
  kind: string,
  payload: Record<string, unknown>,
  now: Date,
  options: EnqueueOptions = {},
): Promise<void> {
  await tx
    .insert(jobs)
    .values({
      kind,
      payload,
      runAt: options.runAt ?? now,
      createdAt: now,
      dedupeKey: options.dedupeKey ?? null,
      maxAttempts: options.maxAttempts ?? 5,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey });
}

interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

async function claim(db: Database, now: Date, kinds: string[], leaseMs: number): Promise<ClaimedJob | null> {
  return withTenant(db, systemScope, async (tx) => {
    const [job] = rowsOf<ClaimedJob>(
      await tx.execute(sql`
      update jobs
      set state = 'running', attempts = attempts + 1, lease_until = ${new Date(now.getTime() + leaseMs).toISOString()}
      where id = (
        select id from jobs
        where kind in ${kinds} and run_at <= ${now.toISOString()}
          and (state = 'pending' or (state = 'running' and lease_until < ${now.toISOString()}))
        order by run_at limit 1 for update skip locked)
      returning id, kind, payload, attempts, max_attempts`),
    );
    return job ?? null;
  });
}

/** Backoff after a failure: 1, 4, 9, 16… minutes. */
function retryDelayMs(attempts: number): number {
  return attempts * attempts * 60_000;
}

/** Runs due jobs until none is left (or `max` ran). Returns how many ran. */
export async function runDueJobs(
  db: Database,
  handlers: Record<string, JobHandler>,
  now: () => Date,
  log: Logger,
  options: { max?: number; leaseMs?: number } = {},
): Promise<number> {
  const kinds = Object.keys(handlers);
  let ran = 0;
  while (ran < (options.max ?? 100)) {
    const job = await claim(db, now(), kinds, options.leaseMs ?? 30 * 60_000);
    if (!job) break;
    ran += 1;
    try {
      await handlers[job.kind]!(job.payload, { db, now: now(), log });
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`
        update jobs set state = 'done', finished_at = ${now().toISOString()}, lease_until = null where id = ${job.id}`),
      );
    } catch (err) {
      // What the job's row and the log keep of the error: never the values its failed query was given.
      const fields = errorFields(err);
      const message = String(fields.error);
      const final = job.attempts >= job.max_attempts;
      log.log(final ? "error" : "warn", "job_failed", {
        job: job.id,
        kind: job.kind,
        attempt: job.attempts,
        ...fields,
      });
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`
        update jobs
        set state = ${final ? "failed" : "pending"}, last_error = ${message.slice(0, 2000)}, lease_until = null,
          run_at = ${new Date(now().getTime() + retryDelayMs(job.attempts)).toISOString()},
          finished_at = ${final ? now().toISOString() : null}
        where id = ${job.id}`),
      );
    }
  }
  return ran;
}

/** A recurring job: on the given days of the month (empty = every day) at a local time. Settings are data. */
export interface Schedule {
  kind: string;
  daysOfMonth: number[];
  at: string;
  payload?: Record<string, unknown>;
}

/** Queues each schedule's slot of today once it is due (one slot per day, deduplicated across processes). */
export async function queueScheduledJobs(
  db: Database,
  schedules: Schedule[],
  now: Date,
  timeZone: string,
): Promise<void> {
  const { dayOfMonth: day, date: today, time } = localTime(now, timeZone);
  const due = schedules.filter((s) => (s.daysOfMonth.length === 0 || s.daysOfMonth.includes(day)) && time >= s.at);
  if (due.length === 0) return;
  await withTenant(db, systemScope, async (tx) => {
    for (const s of due) await enqueue(tx, s.kind, s.payload ?? {}, now, { dedupeKey: `schedule:${s.kind}:${today}` });
  });
}
