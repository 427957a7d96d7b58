// Login rate limits (F5, issue 21). Every password check is preceded by a row in login_attempts, written in the same
// short transaction as the count and under a lock per login and per address: parallel attempts queue for that lock,
// each sees the rows of those before it, so no more checks run than the limits allow. The row stands for a failure
// until the password proves right (then the login's rows from that address go); the audit trail records the outcome.
//   - one login from one address: `maxFailuresPerAccount` failures lock that pair for `windowMinutes`, and each
//     further failure (after the lock has passed) doubles it: 15, 30, 60 minutes… within a day's memory;
//   - one login from all addresses: `maxFailuresPerLogin` failures within the window lock it for everyone, so that
//     strangers guessing from a few addresses do not lock the owner out of their own, and many still stop;
//   - one address, all logins: `maxFailuresPerIp` within the window.
// The school's director lifts a login's locks (clearLoginAttempts, audited by the caller).
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";

export interface ThrottleSettings {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerLogin: number;
  maxFailuresPerIp: number;
}

export type ThrottleVerdict =
  | { kind: "allowed"; attemptId: string }
  | { kind: "ip_blocked"; retryAfterMinutes: number }
  | { kind: "account_locked"; retryAfterMinutes: number };

/** How long failures are remembered for the growing delays (and the longest lock). */
const MEMORY_MINUTES = 24 * 60;
/** Advisory lock namespaces (pg_advisory_xact_lock(int, int)): one lock per login, one per address. */
const LOCK_LOGIN = 2101;
const LOCK_IP = 2102;

const minutes = (n: number) => n * 60_000;

/** The lock of a login from one address after `failures` failures, the last at `last`; null when none. */
function pairLockEnd(failures: number, last: Date | null, s: ThrottleSettings): Date | null {
  if (failures < s.maxFailuresPerAccount || !last) return null;
  const doublings = Math.min(failures - s.maxFailuresPerAccount, 16);
  const length = Math.min(s.windowMinutes * 2 ** doublings, MEMORY_MINUTES);
  return new Date(last.getTime() + minutes(length));
}

const asDate = (v: string | Date | null) => (v === null ? null : new Date(v));
const minutesUntil = (end: Date, now: Date) => Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 60_000));

/**
 * Decides whether this attempt may check a password and, if so, records it before the check. Runs in its own short
 * transaction (the caller's `tx`): the advisory locks are released at its commit, before the slow hash.
 */
export async function admitLoginAttempt(
  tx: Tx,
  login: string,
  ip: string | null,
  now: Date,
  s: ThrottleSettings,
): Promise<ThrottleVerdict> {
  await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_LOGIN}, hashtext(${login}))`);
  if (ip) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_IP}, hashtext(${ip}))`);
  const memory = new Date(now.getTime() - minutes(MEMORY_MINUTES)).toISOString();
  const window = new Date(now.getTime() - minutes(s.windowMinutes)).toISOString();
  // Attempts older than the memory are never counted (the job "login.purge" deletes them, off the login path).
  const [counts] = rowsOf<{
    pair: number;
    pair_last: string | Date | null;
    login: number;
    login_oldest: string | Date | null;
    ip: number;
    ip_oldest: string | Date | null;
  }>(
    await tx.execute(sql`
      select
        count(*) filter (where login = ${login} and ip is not distinct from ${ip})::int as pair,
        max(at) filter (where login = ${login} and ip is not distinct from ${ip}) as pair_last,
        count(*) filter (where login = ${login} and at > ${window})::int as login,
        min(at) filter (where login = ${login} and at > ${window}) as login_oldest,
        count(*) filter (where ip = ${ip} and at > ${window})::int as ip,
        min(at) filter (where ip = ${ip} and at > ${window}) as ip_oldest
      from login_attempts where (login = ${login} or ip = ${ip ?? ""}) and at > ${memory}`),
  );
  const c = counts ?? { pair: 0, pair_last: null, login: 0, login_oldest: null, ip: 0, ip_oldest: null };
  const windowEnd = (oldest: string | Date | null) =>
    new Date((asDate(oldest) ?? now).getTime() + minutes(s.windowMinutes));
  if (ip && c.ip >= s.maxFailuresPerIp)
    return { kind: "ip_blocked", retryAfterMinutes: minutesUntil(windowEnd(c.ip_oldest), now) };
  const pairEnd = pairLockEnd(c.pair, asDate(c.pair_last), s);
  if (pairEnd && pairEnd > now) return { kind: "account_locked", retryAfterMinutes: minutesUntil(pairEnd, now) };
  if (c.login >= s.maxFailuresPerLogin)
    return { kind: "account_locked", retryAfterMinutes: minutesUntil(windowEnd(c.login_oldest), now) };
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(
      sql`insert into login_attempts (login, ip, at) values (${login}, ${ip}, ${now.toISOString()}) returning id`,
    ),
  );
  return { kind: "allowed", attemptId: row!.id };
}

/** The password was right: the login's failures from this address are forgotten (strangers' elsewhere are not). */
export async function forgetFailures(tx: Tx, login: string, ip: string | null): Promise<void> {
  await tx.execute(sql`delete from login_attempts where login = ${login} and ip is not distinct from ${ip}`);
}

/** Whether the login is locked now, for everyone or from at least one address (what the director is shown). */
export async function loginLocked(tx: Tx, login: string, now: Date, s: ThrottleSettings): Promise<boolean> {
  const memory = new Date(now.getTime() - minutes(MEMORY_MINUTES)).toISOString();
  const window = new Date(now.getTime() - minutes(s.windowMinutes)).toISOString();
  const pairs = rowsOf<{ n: number; last: string | Date; recent: number }>(
    await tx.execute(sql`
      select count(*)::int as n, max(at) as last, count(*) filter (where at > ${window})::int as recent
      from login_attempts where login = ${login} and at > ${memory} group by ip`),
  );
  if (pairs.reduce((sum, p) => sum + p.recent, 0) >= s.maxFailuresPerLogin) return true;
  return pairs.some((p) => {
    const end = pairLockEnd(p.n, asDate(p.last), s);
    return end !== null && end > now;
  });
}

/** The director's unlock: every attempt of the login is forgotten, from every address. */
export async function clearLoginAttempts(tx: Tx, login: string): Promise<number> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`delete from login_attempts where login = ${login} returning id`),
  );
  return rows.length;
}

/** Job "login.purge" (daily): attempts older than the throttle's memory, which no count reads any more. */
export async function purgeLoginAttempts(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - minutes(MEMORY_MINUTES)).toISOString();
  return withTenant(db, systemScope, async (tx) => {
    const [row] = rowsOf<{ n: number }>(
      await tx.execute(sql`
      with gone as (delete from login_attempts where at < ${before} returning 1) select count(*)::int as n from gone`),
    );
    return row?.n ?? 0;
  });
}
