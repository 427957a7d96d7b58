// Local-password login: throttling, credential check, account state, pupils' access hours, then a session.
// Every attempt, successful or not, leaves one audit line; a refused attempt writes nothing else.
import { eq, sql } from "drizzle-orm";
import { credentials, users } from "../../../db/schema";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import type { Config } from "../../config";
import type { WeeklyHours } from "../access-hours";
import type { ServiceDeps } from "../context";
import { audit, auditAlone } from "../audit";
import { admitLoginAttempt, forgetFailures } from "./login-throttle";
import { createSession } from "./sessions";
import { pupilHoursOf, withinHours } from "../access-hours";
import { needsSecondFactor, openChallenge } from "./second-factor";

/** The pupils' access hours, as the outside-hours page shows them. */

export type LoginResult =
  | { kind: "ok"; userId: string; token: string; expiresAt: Date; mustActivate: boolean }
  | { kind: "invalid" }
  | { kind: "ip_blocked"; retryAfterMinutes: number }
  | { kind: "account_locked"; retryAfterMinutes: number }
  | { kind: "suspended" }
  | { kind: "expired" }
  | { kind: "outside_hours"; hours: WeeklyHours }
  /** 611D: the password was right; a code went to the academic mailbox, the browser keeps `challenge`. */
  | { kind: "second_factor"; challenge: string }
  | { kind: "no_academic_email" };

// Verifying against a real hash when the login is unknown keeps both answers equally slow.
let decoyHash: Promise<string> | null = null;

export function normaliseLogin(login: string): string {
  return login.trim().toLowerCase();
}

interface Account {
  id: string;
  state: string;
  expiresAt: Date | null;
  charter: Date | null;
  hash: string;
}

export async function loginWithPassword(deps: ServiceDeps, rawLogin: string, password: string): Promise<LoginResult> {
  const { db, config, passwords, now, ip } = deps;
  const login = normaliseLogin(rawLogin);
  const refuse = async (result: LoginResult, action: string, reason: string, actorId: string | null = null) => {
    await auditAlone(db, { at: now, actorId, action, target: login, ip, details: { reason } });
    return result;
  };

  // F5: the attempt is counted before its password is checked, so parallel attempts cannot all pass the count.
  const verdict = await withTenant(db, systemScope, (tx) =>
    admitLoginAttempt(tx, login, ip, now, config.loginThrottle),
  );
  if (verdict.kind !== "allowed") return refuse(verdict, "login.refused", verdict.kind);

  const account = await accountOf(db, login);
  if (!account) {
    decoyHash ??= passwords.hash("decoy-password-for-timing");
    await passwords.verify(await decoyHash, password);
    return refuse({ kind: "invalid" }, "login.failure", "unknown_login");
  }
  if (!(await passwords.verify(account.hash, password)))
    return refuse({ kind: "invalid" }, "login.failure", "wrong_password", account.id);
  // The password is right: whatever follows, this address's failures on the login are forgotten.
  await withTenant(db, systemScope, (tx) => forgetFailures(tx, login, ip));
  if (account.state === "suspended" || account.state === "pre_deleted") {
    return refuse({ kind: "suspended" }, "login.refused", account.state, account.id);
  }
  if (account.expiresAt && account.expiresAt.getTime() <= now.getTime()) {
    return refuse({ kind: "expired" }, "login.refused", "account_expired", account.id);
  }
  return withTenant(db, systemScope, (tx) => afterPassword(tx, deps, account, login));
}

async function accountOf(db: Database, login: string): Promise<Account | null> {
  return withTenant(db, systemScope, async (tx) => {
    const [row] = await tx
      .select({
        id: users.id,
        state: users.state,
        expiresAt: users.expiresAt,
        charter: users.charterAcceptedAt,
        hash: credentials.passwordHash,
      })
      .from(users)
      .innerJoin(credentials, eq(credentials.userId, users.id))
      .where(eq(users.login, login));
    return row ?? null;
  });
}

/** The password was right and the account is usable: the pupils' hours, an admin's second factor, or a session. */
async function afterPassword(tx: Tx, deps: ServiceDeps, account: Account, login: string): Promise<LoginResult> {
  const { config, now, ip } = deps;
  const refused = (reason: string) =>
    audit(tx, { at: now, actorId: account.id, action: "login.refused", target: login, ip, details: { reason } });
  if (await pupilOutsideHours(tx, account.id, now, config)) {
    await refused("outside_hours");
    return { kind: "outside_hours", hours: await pupilHoursOfUser(tx, account.id, config) };
  }
  const admin = await needsSecondFactor(tx, account.id, config.secondFactorRoles);
  if (admin) {
    if (!admin.email) {
      await refused("no_academic_email");
      return { kind: "no_academic_email" };
    }
    const challenge = await openChallenge(tx, account.id, admin.email, now, ip, config.platformName);
    await audit(tx, { at: now, actorId: account.id, action: "login.second_factor_sent", target: login, ip });
    return { kind: "second_factor", challenge };
  }
  const session = await createSession(tx, account.id, now, config.session, ip);
  await audit(tx, { at: now, actorId: account.id, action: "login.success", target: login, ip });
  return {
    kind: "ok",
    userId: account.id,
    token: session.token,
    expiresAt: session.expiresAt,
    mustActivate: account.state === "pre_created" || account.charter === null,
  };
}

/** The access hours that apply to a pupil: those of their school. */
export async function pupilHoursOfUser(tx: Tx, userId: string, config: Config): Promise<WeeklyHours> {
  const [row] = rowsOf<{ uai: string }>(
    await tx.execute(sql`select uai from school_profiles where user_id = ${userId} and profile = 'pupil' limit 1`),
  );
  return row ? pupilHoursOf(tx, row.uai, config.pupilHours) : config.pupilHours;
}

/** A user whose only profiles are pupil profiles is held to the access hours of their school(s). */
export async function pupilOutsideHours(tx: Tx, userId: string, now: Date, config: Config): Promise<boolean> {
  const profiles = rowsOf<{ uai: string; profile: string }>(
    await tx.execute(sql`select uai, profile from school_profiles where user_id = ${userId}`),
  );
  const pupilSchools = profiles.filter((p) => p.profile === "pupil").map((p) => p.uai);
  if (pupilSchools.length === 0 || pupilSchools.length !== profiles.length) return false;
  for (const uai of pupilSchools) {
    if (withinHours(await pupilHoursOf(tx, uai, config.pupilHours), now, config.timeZone)) return false;
  }
  return true;
}
