// Sessions: created at login, validated on each request with a sliding expiry, revoked at logout and
// whenever the password changes.
import { and, eq, lt, ne } from "drizzle-orm";
import { sessions } from "../../../db/schema";
import { systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { generateSessionToken, sessionIdFromToken } from "../../auth/session-token";
import { loadPrincipal, type Principal } from "../principal";
import { audit } from "../audit";
import type { ReadCache } from "../read-cache";
import type { FederatedSession } from "../../auth/sso-handoff";

export interface SessionSettings {
  lifetimeMinutes: number;
}

export async function createSession(
  tx: Tx,
  userId: string,
  now: Date,
  settings: SessionSettings,
  ip: string | null,
  /** A session opened through ÉduConnect or Arena remembers the identity provider's session (single logout). */
  federation?: FederatedSession,
): Promise<{ token: string; expiresAt: Date }> {
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + settings.lifetimeMinutes * 60_000);
  await tx
    .insert(sessions)
    .values({ id: sessionIdFromToken(token), userId, createdAt: now, expiresAt, ip, federation: federation ?? null });
  return { token, expiresAt };
}

export type SessionCheck =
  | { kind: "valid"; principal: Principal; expiresAt: Date; refreshed: boolean }
  | { kind: "expired" }
  | { kind: "unknown" };

export async function validateSession(
  db: Database,
  token: string,
  now: Date,
  settings: SessionSettings,
  cache?: ReadCache,
): Promise<SessionCheck> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { kind: "unknown" };
  const id = sessionIdFromToken(token);
  const lifetime = settings.lifetimeMinutes * 60_000;
  const cached = cache?.session(id);
  // A cached session is used while it is more than half-way from expiring; past that, the database decides
  // (it may have been extended by another process, or it must be extended now).
  if (cached && cached.expiresAt.getTime() - now.getTime() >= lifetime / 2) {
    return { kind: "valid", principal: cached.principal, expiresAt: cached.expiresAt, refreshed: false };
  }
  const generation = cache?.currentGeneration ?? 0;
  const check = await withTenant(db, systemScope, async (tx): Promise<SessionCheck> => {
    const [session] = await tx.select().from(sessions).where(eq(sessions.id, id));
    if (!session) return { kind: "unknown" };
    if (session.expiresAt.getTime() <= now.getTime()) {
      await tx.delete(sessions).where(eq(sessions.id, id));
      await audit(tx, { at: now, actorId: session.userId, action: "session.expired", target: session.userId });
      return { kind: "expired" };
    }
    const principal = await loadPrincipal(tx, session.userId, id, session.activeUai);
    if (!principal) return { kind: "unknown" };
    let expiresAt = session.expiresAt;
    let refreshed = false;
    // Sliding expiry, written at most once per half-lifetime so that reads stay reads.
    if (expiresAt.getTime() - now.getTime() < lifetime / 2) {
      expiresAt = new Date(now.getTime() + lifetime);
      refreshed = true;
      await tx.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    }
    return { kind: "valid", principal, expiresAt, refreshed };
  });
  if (check.kind === "valid")
    cache?.storeSession(id, { principal: check.principal, expiresAt: check.expiresAt }, generation);
  return check;
}

export async function invalidateSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, sessionId));
}

/** On password change: every other session of the user ends. Returns their ids (their room sockets close). */
export async function invalidateOtherSessions(tx: Tx, userId: string, keepSessionId: string): Promise<string[]> {
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)))
    .returning({ id: sessions.id });
  return ended.map((s) => s.id);
}

/** A session as an open websocket sees it (issue 21 F3): whose it is and until when, or null once it ended or
 *  expired. Read only: a socket neither extends the session nor records its expiry (the next request does). */
export async function liveSession(
  tx: Tx,
  sessionId: string,
  now: Date,
): Promise<{ userId: string; activeUai: string | null; expiresAt: Date } | null> {
  const [session] = await tx
    .select({ userId: sessions.userId, activeUai: sessions.activeUai, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.id, sessionId));
  return session && session.expiresAt.getTime() > now.getTime() ? session : null;
}

export async function setActiveSchool(tx: Tx, sessionId: string, uai: string): Promise<void> {
  await tx.update(sessions).set({ activeUai: uai }).where(eq(sessions.id, sessionId));
}

export async function purgeExpiredSessions(db: Database, now: Date): Promise<void> {
  await withTenant(db, systemScope, (tx) => tx.delete(sessions).where(lt(sessions.expiresAt, now)));
}
