// A user's own account: first-login activation (charter 2.1.3, own password), password change,
// preferences (dyslexia-friendly font 51M, hidden apps 57C), school switch.
import { eq, sql } from "drizzle-orm";
import { credentials, userPreferences, users } from "../../../db/schema";
import { scopeOf } from "../principal";
import { withTenant, type Database, type Tx } from "../../../db/client";
import { passwordProblem, type PasswordHasher } from "../../auth/password";
import { audit } from "../audit";
import { invalidateOtherSessions, setActiveSchool } from "./sessions";
import { HIDEABLE_APPS } from "../portal/apps";
import type { Principal } from "../principal";

export interface ActorContext {
  db: Database;
  now: Date;
  ip: string | null;
  passwords: PasswordHasher;
}

export type PasswordIssue =
  | NonNullable<ReturnType<typeof passwordProblem>>
  | "mismatch"
  | "wrong_current"
  | "charter_required";

export async function activateAccount(
  ctx: ActorContext,
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
    newHash = await ctx.passwords.hash(password);
  }
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await tx
      .update(users)
      .set({
        state: "active",
        charterAcceptedAt: ctx.now,
        activatedAt: sql`coalesce(${users.activatedAt}, ${ctx.now.toISOString()})`,
      })
      .where(eq(users.id, p.userId));
    if (newHash)
      await tx
        .update(credentials)
        .set({ passwordHash: newHash, changedAt: ctx.now })
        .where(eq(credentials.userId, p.userId));
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "account.activate",
      target: p.userId,
      uai: p.activeUai,
      ip: ctx.ip,
    });
  });
  return { ok: true };
}

export async function changePassword(
  ctx: ActorContext,
  p: Principal,
  input: { current: string; password: string; confirm: string },
): Promise<{ ok: true } | { ok: false; issue: PasswordIssue }> {
  const problem = passwordProblem(input.password, p.login);
  if (problem) return { ok: false, issue: problem };
  if (input.password !== input.confirm) return { ok: false, issue: "mismatch" };
  return withTenant(ctx.db, scopeOf(p), async (tx) => {
    const [row] = await tx
      .select({ hash: credentials.passwordHash })
      .from(credentials)
      .where(eq(credentials.userId, p.userId));
    if (!row || !(await ctx.passwords.verify(row.hash, input.current))) {
      await audit(tx, {
        at: ctx.now,
        actorId: p.userId,
        action: "account.password_change_refused",
        target: p.userId,
        ip: ctx.ip,
      });
      return { ok: false, issue: "wrong_current" } as const;
    }
    await tx
      .update(credentials)
      .set({ passwordHash: await ctx.passwords.hash(input.password), changedAt: ctx.now })
      .where(eq(credentials.userId, p.userId));
    await invalidateOtherSessions(tx, p.userId, p.sessionId);
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "account.password_change",
      target: p.userId,
      ip: ctx.ip,
    });
    return { ok: true } as const;
  });
}

async function savePreferences(
  tx: Tx,
  userId: string,
  values: { font?: "standard" | "dyslexic"; hiddenApps?: string[] },
) {
  await tx
    .insert(userPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: userPreferences.userId, set: values });
}

export async function setFont(ctx: ActorContext, p: Principal, font: "standard" | "dyslexic"): Promise<void> {
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await savePreferences(tx, p.userId, { font });
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "preferences.font",
      target: p.userId,
      ip: ctx.ip,
      details: { font },
    });
  });
}

export async function setHiddenApps(ctx: ActorContext, p: Principal, appIds: string[]): Promise<void> {
  const valid = HIDEABLE_APPS.map((a) => a.id);
  const hiddenApps = [...new Set(appIds)].filter((id) => valid.includes(id)).sort();
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await savePreferences(tx, p.userId, { hiddenApps });
    await audit(tx, {
      at: ctx.now,
      actorId: p.userId,
      action: "preferences.hidden_apps",
      target: p.userId,
      ip: ctx.ip,
      details: { hiddenApps },
    });
  });
}

export async function switchSchool(ctx: ActorContext, p: Principal, uai: string): Promise<boolean> {
  if (!p.profiles.some((sp) => sp.uai === uai)) return false;
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await setActiveSchool(tx, p.sessionId, uai);
    await audit(tx, { at: ctx.now, actorId: p.userId, action: "session.switch_school", target: uai, uai, ip: ctx.ip });
  });
  return true;
}

export async function logout(ctx: Omit<ActorContext, "passwords">, p: Principal): Promise<void> {
  await withTenant(ctx.db, scopeOf(p), async (tx) => {
    await tx.execute(sql`delete from sessions where id = ${p.sessionId} and user_id = ${p.userId}`);
    await audit(tx, { at: ctx.now, actorId: p.userId, action: "logout", target: p.userId, ip: ctx.ip });
  });
}
