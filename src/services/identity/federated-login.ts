// 3.2.2, 4.4: the hub's side of a login through ÉduConnect (pupils, parents) or Arena (staff). The SAML proxy
// has checked the identity provider's response; the hub checks the proxy's handoff (MAC, expiry, single use, the
// assertion never seen before), finds the pre-created account(s) and opens a session. Nothing is ever created.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Tx } from "../../../db/client";
import { readHandoff, type FederatedSession, type Handoff } from "../../auth/sso-handoff";
import type { ServiceDeps } from "../context";
import { audit, auditAlone } from "../audit";
import { createSession } from "./sessions";

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

interface CandidateRow {
  fresh: number;
  id: string | null;
  first_name: string;
  last_name: string;
  schools: string[];
  state: string;
  charter: boolean;
  educonnect_id: string | null;
}

/**
 * In one statement: spends the handoff's single-use `keys` (sso_seen) and finds the pre-created or active accounts
 * it names. `fresh` is false when one of the keys was spent before (a replay); the accounts are then not to be used.
 */
async function spendAndFind(
  tx: Tx,
  deps: ServiceDeps,
  h: Handoff,
  keys: string[],
): Promise<{
  fresh: boolean;
  candidates: (Candidate & { state: string; charter: boolean; eduConnectId: string | null })[];
}> {
  const { config } = deps;
  const externalIds = externalIdsFromVectors(h.refIds, config.academyCode, config.academyNumber);
  const seenAt = deps.now.toISOString();
  const where =
    h.guichet === "educonnect"
      ? sql`(u.external_id = any(${`{${externalIds.join(",")}}`}::text[])
          or (${h.eduConnectId}::text is not null and u.educonnect_id = ${h.eduConnectId}))`
      : sql`lower(u.academic_email) = lower(${h.email ?? ""}) and ${h.email ?? ""} <> ''`;
  const rows = rowsOf<CandidateRow>(
    await tx.execute(sql`
    with spent as (
      insert into sso_seen (key, seen_at) values ${sql.join(
        keys.map((key) => sql`(${key}, ${seenAt})`),
        sql`, `,
      )}
      on conflict do nothing returning key
    )
    select (select count(*) from spent)::int as fresh, c.*
    from (select 1) as one left join lateral (
      select u.id, u.first_name, u.last_name, u.state::text as state, u.charter_accepted_at is not null as charter,
        u.educonnect_id,
        array(select distinct s.name from school_profiles p join schools s on s.uai = p.uai where p.user_id = u.id
          order by 1) as schools
      from users u where ${where} and u.state in ('pre_created', 'active')
    ) c on true
    order by c.last_name, c.first_name`),
  );
  return {
    fresh: Number(rows[0]?.fresh ?? 0) === keys.length,
    candidates: rows
      .filter((r) => r.id !== null)
      .map((r) => ({
        id: r.id!,
        firstName: r.first_name,
        lastName: r.last_name,
        schools: r.schools,
        state: r.state,
        charter: r.charter,
        eduConnectId: r.educonnect_id,
      })),
  };
}

/** A parent may take a few minutes to choose which account to open: the spent handoff stays readable that long. */
export const CHOICE_MINUTES = 10;

/** One refused arrival, on the audit trail. */
function refused(deps: ServiceDeps, details: Record<string, unknown>, tx?: Tx): Promise<void> {
  const entry = { at: deps.now, actorId: null, action: "sso.refused", ip: deps.ip, details };
  return tx ? audit(tx, entry) : auditAlone(deps.db, entry);
}

/**
 * Every hand-off step in one transaction: the handoff reads (MAC, not expired at `readAt`), none of its `keys` was
 * spent before (they are spent now), and `then` decides with the accounts it names. Otherwise "invalid", and an
 * `sso.refused` line says why. A login is then four exchanges with the database: BEGIN, the spending and the
 * accounts in one statement, the session and its audit line sent together, COMMIT.
 */
async function withSpentHandoff(
  deps: ServiceDeps,
  token: string,
  readAt: Date,
  keysOf: (h: Handoff) => string[],
  then: (
    tx: Tx,
    handoff: Handoff,
    candidates: Awaited<ReturnType<typeof spendAndFind>>["candidates"],
  ) => Promise<FederatedOutcome>,
): Promise<FederatedOutcome> {
  const handoff = await readHandoff(deps.config.secret, token, readAt);
  if (!handoff) {
    await refused(deps, { reason: "handoff_invalid" });
    return { kind: "invalid" };
  }
  return withTenant(deps.db, systemScope, async (tx) => {
    const { fresh, candidates } = await spendAndFind(tx, deps, handoff, keysOf(handoff));
    if (!fresh) {
      await refused(deps, { reason: "replay", guichet: handoff.guichet }, tx);
      return { kind: "invalid" as const };
    }
    return then(tx, handoff, candidates);
  });
}

/** Reads the handoff, spends it (and the assertion it carries), and finds who it is. */
export function federatedArrival(deps: ServiceDeps, token: string): Promise<FederatedOutcome> {
  return withSpentHandoff(
    deps,
    token,
    deps.now,
    (h) => [`jti:${h.jti}`, `assertion:${h.assertionId}`],
    async (tx, handoff, candidates) => {
      if (candidates.length === 0) {
        await refused(deps, { reason: "unknown_user", guichet: handoff.guichet }, tx);
        return { kind: "unknown" };
      }
      if (candidates.length > 1) {
        return {
          kind: "choose",
          candidates: candidates.map(({ id, firstName, lastName, schools }) => ({ id, firstName, lastName, schools })),
          handoff,
        };
      }
      return openFederatedSession(tx, deps, handoff, candidates[0]!);
    },
  );
}

/** A parent's choice among the handoff's accounts: once per handoff, within CHOICE_MINUTES of its expiry. */
export function federatedChoice(deps: ServiceDeps, token: string, userId: string): Promise<FederatedOutcome> {
  const readAt = new Date(deps.now.getTime() - CHOICE_MINUTES * 60_000);
  // Chosen once: the page cannot be posted again to open a second session.
  return withSpentHandoff(
    deps,
    token,
    readAt,
    (h) => [`choice:${h.jti}`],
    async (tx, handoff, candidates) => {
      const chosen = candidates.find((c) => c.id === userId);
      return chosen ? openFederatedSession(tx, deps, handoff, chosen) : { kind: "invalid" };
    },
  );
}

/** Opens the session of one of the handoff's accounts (a parent with several accounts chose one). */
async function openFederatedSession(
  tx: Tx,
  deps: ServiceDeps,
  handoff: Handoff,
  account: { id: string; state: string; charter: boolean; eduConnectId: string | null },
): Promise<FederatedOutcome> {
  const userId = account.id;
  // ÉduConnect's opaque id is kept, to find the account next time even if the vectors change.
  if (handoff.eduConnectId && account.eduConnectId !== handoff.eduConnectId) {
    await tx.execute(
      sql`update users set educonnect_id = null where educonnect_id = ${handoff.eduConnectId} and id <> ${userId}`,
    );
    await tx.execute(sql`update users set educonnect_id = ${handoff.eduConnectId} where id = ${userId}`);
  }
  // The session (remembering the identity provider's session, for single logout) and its audit line, sent together.
  const [session] = await Promise.all([
    createSession(tx, userId, deps.now, deps.config.session, deps.ip, {
      guichet: handoff.guichet,
      nameId: handoff.nameId,
      sessionIndex: handoff.sessionIndex,
    }),
    audit(tx, {
      at: deps.now,
      actorId: userId,
      action: "login.success",
      ip: deps.ip,
      details: { guichet: handoff.guichet },
    }),
  ]);
  return {
    kind: "session" as const,
    token: session.token,
    mustActivate: account.state === "pre_created" || !account.charter,
  };
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
