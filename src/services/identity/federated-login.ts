// 3.2.2, 4.4: the hub's side of a login through ÉduConnect (pupils, parents) or Arena (staff). The SAML proxy
// has checked the identity provider's response; the hub checks the proxy's handoff (MAC, expiry, single use, the
// assertion never seen before), finds the pre-created account(s) and opens a session. Nothing is ever created.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../../db/client";
import { readHandoff, type FederatedSession, type Handoff } from "../../auth/sso-handoff";
import type { ServiceDeps } from "../context";
import { audit, auditAlone } from "../audit";
import { createSession } from "./sessions";
import { sessionIdFromToken } from "../../auth/session-token";

/**
 * ÉduConnect identity vectors → AAF external ids (entcore's SSOEduConnect): keep "{AAF}" values, split on "|",
 * three fields [académie code, ?, jointure]; the account is `<ACADEMY>-<jointure>`. Vectors of another académie
 * (when the platform's académie number is set) are ignored.
 */
export function externalIdsFromVectors(
  refIds: readonly string[],
  academyCode: string,
  academyNumber: string,
): string[] {
  const out = new Set<string>();
  for (const value of refIds) {
    if (!value.startsWith("{AAF}")) continue;
    const fields = value.slice(5).split("|");
    if (fields.length !== 3 || !fields[2]) continue;
    if (academyNumber && fields[0] !== academyNumber) continue;
    out.add(`${academyCode}-${fields[2].trim()}`);
  }
  return [...out];
}

export interface Candidate {
  id: string;
  firstName: string;
  lastName: string;
  schools: string[];
}

export type FederatedOutcome =
  | { kind: "session"; token: string; mustActivate: boolean }
  | { kind: "choose"; candidates: Candidate[]; handoff: Handoff }
  | { kind: "unknown" }
  | { kind: "invalid" };

async function candidatesOf(deps: ServiceDeps, h: Handoff): Promise<Candidate[]> {
  const { config } = deps;
  const externalIds = externalIdsFromVectors(h.refIds, config.academyCode, config.academyNumber);
  return withTenant(deps.db, systemScope, async (tx) => {
    const where =
      h.guichet === "educonnect"
        ? sql`(u.external_id = any(${`{${externalIds.join(",")}}`}::text[])
          or (${h.eduConnectId}::text is not null and u.educonnect_id = ${h.eduConnectId}))`
        : sql`lower(u.academic_email) = lower(${h.email ?? ""}) and ${h.email ?? ""} <> ''`;
    return rowsOf<{ id: string; first_name: string; last_name: string; schools: string[] }>(
      await tx.execute(sql`
      select u.id, u.first_name, u.last_name,
        array(select distinct s.name from school_profiles p join schools s on s.uai = p.uai where p.user_id = u.id
          order by 1) as schools
      from users u where ${where} and u.state in ('pre_created', 'active') order by u.last_name, u.first_name`),
    ).map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, schools: r.schools }));
  });
}

/** A parent may take a few minutes to choose which account to open: the spent handoff stays readable that long. */
export const CHOICE_MINUTES = 10;

/** One refused arrival, on the audit trail. */
function refused(deps: ServiceDeps, details: Record<string, unknown>): Promise<void> {
  return auditAlone(deps.db, { at: deps.now, actorId: null, action: "sso.refused", ip: deps.ip, details });
}

/**
 * The single-use check of every hand-off step: the handoff reads (MAC, not expired at `readAt`) and none of its `keys`
 * was spent before (they are spent now). Otherwise null, and an `sso.refused` line says why.
 */
async function spentHandoff(
  deps: ServiceDeps,
  token: string,
  readAt: Date,
  keysOf: (h: Handoff) => string[],
): Promise<Handoff | null> {
  const handoff = await readHandoff(deps.config.secret, token, readAt);
  if (!handoff) {
    await refused(deps, { reason: "handoff_invalid" });
    return null;
  }
  const keys = keysOf(handoff);
  const seenAt = deps.now.toISOString();
  const fresh = await withTenant(
    deps.db,
    systemScope,
    async (tx) =>
      rowsOf(
        await tx.execute(sql`
    insert into sso_seen (key, seen_at) values ${sql.join(
      keys.map((key) => sql`(${key}, ${seenAt})`),
      sql`, `,
    )}
    on conflict do nothing returning key`),
      ).length === keys.length,
  );
  if (!fresh) {
    await refused(deps, { reason: "replay", guichet: handoff.guichet });
    return null;
  }
  return handoff;
}

/** Reads the handoff, spends it (and the assertion it carries), and finds who it is. */
export async function federatedArrival(deps: ServiceDeps, token: string): Promise<FederatedOutcome> {
  const handoff = await spentHandoff(deps, token, deps.now, (h) => [`jti:${h.jti}`, `assertion:${h.assertionId}`]);
  if (!handoff) return { kind: "invalid" };
  const candidates = await candidatesOf(deps, handoff);
  if (candidates.length === 0) {
    await refused(deps, { reason: "unknown_user", guichet: handoff.guichet });
    return { kind: "unknown" };
  }
  if (candidates.length > 1) return { kind: "choose", candidates, handoff };
  return openFederatedSession(deps, handoff, candidates[0]!.id);
}

/** A parent's choice among the handoff's accounts: once per handoff, within CHOICE_MINUTES of its expiry. */
export async function federatedChoice(deps: ServiceDeps, token: string, userId: string): Promise<FederatedOutcome> {
  const readAt = new Date(deps.now.getTime() - CHOICE_MINUTES * 60_000);
  // Chosen once: the page cannot be posted again to open a second session.
  const handoff = await spentHandoff(deps, token, readAt, (h) => [`choice:${h.jti}`]);
  if (!handoff) return { kind: "invalid" };
  return openFederatedSession(deps, handoff, userId);
}

/** Opens the session of one of the handoff's accounts (a parent with several accounts chose one). */
async function openFederatedSession(deps: ServiceDeps, handoff: Handoff, userId: string): Promise<FederatedOutcome> {
  const candidates = await candidatesOf(deps, handoff);
  if (!candidates.some((c) => c.id === userId)) return { kind: "invalid" };
  return withTenant(deps.db, systemScope, async (tx) => {
    const [u] = rowsOf<{ state: string; charter: boolean }>(
      await tx.execute(sql`
      select state, charter_accepted_at is not null as charter from users where id = ${userId}`),
    );
    // ÉduConnect's opaque id is kept, to find the account next time even if the vectors change.
    if (handoff.eduConnectId) {
      await tx.execute(
        sql`update users set educonnect_id = null where educonnect_id = ${handoff.eduConnectId} and id <> ${userId}`,
      );
      await tx.execute(sql`update users set educonnect_id = ${handoff.eduConnectId} where id = ${userId}`);
    }
    const session = await createSession(tx, userId, deps.now, deps.config.session, deps.ip);
    // Remembered for single logout at the identity provider.
    await tx.execute(
      sql`update sessions set federation = ${JSON.stringify({
        guichet: handoff.guichet,
        nameId: handoff.nameId,
        sessionIndex: handoff.sessionIndex,
      })}::jsonb where id = ${sessionIdFromToken(session.token)}`,
    );
    await audit(tx, {
      at: deps.now,
      actorId: userId,
      action: "login.success",
      ip: deps.ip,
      details: { guichet: handoff.guichet },
    });
    return { kind: "session" as const, token: session.token, mustActivate: u?.state === "pre_created" || !u?.charter };
  });
}

/** The identity provider session behind a hub session, if it was opened through ÉduConnect or Arena. */
export async function federationOf(deps: Pick<ServiceDeps, "db">, sessionId: string): Promise<FederatedSession | null> {
  const [row] = await withTenant(deps.db, systemScope, async (tx) =>
    rowsOf<{ federation: FederatedSession | string | null }>(
      await tx.execute(sql`
    select federation from sessions where id = ${sessionId}`),
    ),
  );
  if (!row?.federation) return null;
  return typeof row.federation === "string" ? (JSON.parse(row.federation) as FederatedSession) : row.federation;
}

/** Ends the hub sessions opened by one identity-provider session (its NameID, and session index when given). */
export async function endFederatedSessions(deps: ServiceDeps, session: FederatedSession): Promise<string[]> {
  const { now, ip } = deps;
  const ended = await withTenant(deps.db, systemScope, async (tx) => {
    const ended = rowsOf<{ id: string; user_id: string }>(
      await tx.execute(sql`
      delete from sessions
      where federation->>'guichet' = ${session.guichet} and federation->>'nameId' = ${session.nameId}
        and (${session.sessionIndex}::text is null or federation->>'sessionIndex' = ${session.sessionIndex})
      returning id, user_id`),
    );
    for (const s of ended)
      await audit(tx, { at: now, actorId: s.user_id, action: "logout", ip, details: { by: "identity_provider" } });
    return ended.map((s) => s.id);
  });
  // Their room sockets end with them (issue 21 F3).
  if (ended.length) await deps.rooms?.closeSessions(ended);
  return ended;
}
