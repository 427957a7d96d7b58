// A user's own account: first-login activation (charter 2.1.3, own password), password change,
// preferences (dyslexia-friendly font 51M, hidden apps 57C), school switch.
import { eq, sql } from "drizzle-orm";
import { credentials, userPreferences, users } from "../../../db/schema";
import { rowsOf, type Tx } from "../../../db/client";
import { passwordProblem } from "../../auth/password";
import { audit, auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { invalidateOtherSessions, setActiveSchool } from "./sessions";
import { HIDEABLE_APPS } from "../portal/apps";
import type { Principal } from "../principal";

/** The fonts a user reads the hub in (51M). */
export const FONTS = ["standard", "dyslexic"] as const;
export type Font = (typeof FONTS)[number];

export type PasswordIssue =
  | NonNullable<ReturnType<typeof passwordProblem>>
  | "mismatch"
  | "wrong_current"
  | "charter_required";

export async function activateAccount(
  deps: Pick<ServiceDeps, "db" | "now" | "ip" | "passwords">,
  p: Principal,
  input: { acceptCharter: boolean; password?: string; confirm?: string },
): Promise<{ ok: true } | { ok: false; issue: PasswordIssue }> {
  if (!input.acceptCharter) return { ok: false, issue: "charter_required" };
  // Local accounts choose their own password at first login; federated accounts (ÉduConnect, Arena) have none here.
  let newHash: string | null = null;
  if (p.hasPassword) {
    const password = input.password ?? "";
    const problem = passwordProblem(password, p.login);
    if (problem) return { ok: false, issue: problem };
    if (password !== input.confirm) return { ok: false, issue: "mismatch" };
    newHash = await deps.passwords.hash(password);
  }
  await inTenant(deps, p, async (tx) => {
    await tx
      .update(users)
      .set({
        state: "active",
        charterAcceptedAt: deps.now,
        activatedAt: sql`coalesce(${users.activatedAt}, ${deps.now.toISOString()})`,
      })
      .where(eq(users.id, p.userId));
    if (newHash)
      await tx
        .update(credentials)
        .set({ passwordHash: newHash, changedAt: deps.now })
        .where(eq(credentials.userId, p.userId));
    await auditAction(tx, deps, p, {
      action: "account.activate",
      target: p.userId,
      uai: p.activeUai,
    });
  });
  return { ok: true };
}

export async function changePassword(
  deps: ServiceDeps,
  p: Principal,
  input: { current: string; password: string; confirm: string },
): Promise<{ ok: true } | { ok: false; issue: PasswordIssue }> {
  const problem = passwordProblem(input.password, p.login);
  if (problem) return { ok: false, issue: problem };
  if (input.password !== input.confirm) return { ok: false, issue: "mismatch" };
  let ended: string[] = [];
  const outcome = await inTenant(deps, p, async (tx) => {
    const [row] = await tx
      .select({ hash: credentials.passwordHash })
      .from(credentials)
      .where(eq(credentials.userId, p.userId));
    if (!row || !(await deps.passwords.verify(row.hash, input.current))) {
      await auditAction(tx, deps, p, {
        action: "account.password_change_refused",
        target: p.userId,
      });
      return { ok: false, issue: "wrong_current" } as const;
    }
    await tx
      .update(credentials)
      .set({ passwordHash: await deps.passwords.hash(input.password), changedAt: deps.now })
      .where(eq(credentials.userId, p.userId));
    ended = await invalidateOtherSessions(tx, p.userId, p.sessionId);
    await auditAction(tx, deps, p, {
      action: "account.password_change",
      target: p.userId,
    });
    return { ok: true } as const;
  });
  // The ended sessions' room sockets too (issue 21 F3), once the change is committed.
  if (ended.length) await deps.rooms?.closeSessions(ended);
  return outcome;
}

async function savePreferences(tx: Tx, userId: string, values: { font?: Font; hiddenApps?: string[] }) {
  await tx
    .insert(userPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: userPreferences.userId, set: values });
}

/**
 * 53: the one mail address Préau writes to — the academic address the directory (AAF) delivers. Nobody types it
 * here: a teacher's only usable address is the professional one, and no form of the hub changes it.
 */
export async function accountMail(deps: ServiceDeps, p: Principal): Promise<string | null> {
  return inTenant(deps, p, async (tx) => {
    const [row] = rowsOf<{ email: string | null }>(
      await tx.execute(sql`select academic_email as email from users where id = ${p.userId}`),
    );
    return row?.email ?? null;
  });
}

export async function setFont(deps: ServiceDeps, p: Principal, font: Font): Promise<void> {
  await inTenant(deps, p, async (tx) => {
    await savePreferences(tx, p.userId, { font });
    await auditAction(tx, deps, p, {
      action: "preferences.font",
      target: p.userId,
      details: { font },
    });
  });
}

export async function setHiddenApps(deps: ServiceDeps, p: Principal, appIds: string[]): Promise<void> {
  const valid = HIDEABLE_APPS.map((a) => a.id);
  const hiddenApps = [...new Set(appIds)].filter((id) => valid.includes(id)).sort();
  await inTenant(deps, p, async (tx) => {
    await savePreferences(tx, p.userId, { hiddenApps });
    await auditAction(tx, deps, p, {
      action: "preferences.hidden_apps",
      target: p.userId,
      details: { hiddenApps },
    });
  });
}

export async function switchSchool(deps: ServiceDeps, p: Principal, uai: string): Promise<boolean> {
  if (!p.profiles.some((sp) => sp.uai === uai)) return false;
  await inTenant(deps, p, async (tx) => {
    await setActiveSchool(tx, p.sessionId, uai);
    await auditAction(tx, deps, p, {
      action: "session.switch_school",
      target: uai,
      uai,
    });
  });
  return true;
}

export async function logout(deps: Pick<ServiceDeps, "db" | "now" | "ip" | "rooms">, p: Principal): Promise<void> {
  await inTenant(deps, p, async (tx) => {
    await tx.execute(sql`delete from sessions where id = ${p.sessionId} and user_id = ${p.userId}`);
    await audit(tx, { at: deps.now, actorId: p.userId, action: "logout", target: p.userId, ip: deps.ip });
  });
  // The session's room sockets end with it (issue 21 F3).
  await deps.rooms?.closeSessions([p.sessionId]);
}
