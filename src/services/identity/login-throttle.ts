// Login rate limits per IP and per account. The audit trail already records every failed attempt, so the
// counters are queries on it: nothing else is written when a login fails.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";

export interface ThrottleSettings {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

export type ThrottleVerdict =
  | { kind: "allowed" }
  | { kind: "ip_blocked"; retryAfterMinutes: number }
  | { kind: "account_locked"; retryAfterMinutes: number };

export async function loginThrottle(
  tx: Tx,
  login: string,
  ip: string | null,
  now: Date,
  s: ThrottleSettings,
): Promise<ThrottleVerdict> {
  const since = new Date(now.getTime() - s.windowMinutes * 60_000);
  const [counts] = rowsOf<{
    ip_failures: number;
    ip_oldest: string | null;
    account_failures: number;
    account_oldest: string | null;
  }>(
    await tx.execute(sql`
      with last_success as (
        select max(at) as at from audit_log
        where action = 'login.success' and target = ${login} and at > ${since.toISOString()}
      ),
      account as (
        select count(*)::int as n, min(at) as oldest from audit_log
        where action = 'login.failure' and target = ${login} and at > ${since.toISOString()}
          and at > coalesce((select at from last_success), '-infinity')
      ),
      by_ip as (
        select count(*)::int as n, min(at) as oldest from audit_log
        where action = 'login.failure' and ip = ${ip ?? ""} and at > ${since.toISOString()}
      )
      select by_ip.n as ip_failures, by_ip.oldest as ip_oldest,
        account.n as account_failures, account.oldest as account_oldest
      from by_ip, account`),
  );
  if (!counts) return { kind: "allowed" };
  const minutesLeft = (oldest: string | null) =>
    Math.max(
      1,
      Math.ceil(
        ((oldest ? new Date(oldest).getTime() : now.getTime()) + s.windowMinutes * 60_000 - now.getTime()) / 60_000,
      ),
    );
  if (ip && counts.ip_failures >= s.maxFailuresPerIp)
    return { kind: "ip_blocked", retryAfterMinutes: minutesLeft(counts.ip_oldest) };
  if (counts.account_failures >= s.maxFailuresPerAccount) {
    return { kind: "account_locked", retryAfterMinutes: minutesLeft(counts.account_oldest) };
  }
  return { kind: "allowed" };
}
