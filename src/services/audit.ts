// 71E: every state change and every login attempt leaves a line in the hash-chained audit trail.
import { sql } from "drizzle-orm";
import { auditLog } from "../../db/schema";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../db/client";
import { can } from "../policy";
import { inTenant, type ServiceDeps } from "./context";
import type { Principal } from "./principal";

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  action: string;
  target?: string | null;
  uai?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Appends within the caller's transaction: the line exists if and only if the change it records does. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    at: entry.at,
    actorId: entry.actorId,
    action: entry.action,
    target: entry.target ?? null,
    uai: entry.uai ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? null,
  });
}

/** What a signed-in user did, within the caller's transaction: at the request's instant, from its address. */
export async function auditAction(
  tx: Tx,
  deps: Pick<ServiceDeps, "now" | "ip">,
  p: Pick<Principal, "userId">,
  entry: Omit<AuditEntry, "at" | "actorId" | "ip">,
): Promise<void> {
  await audit(tx, { ...entry, at: deps.now, actorId: p.userId, ip: deps.ip });
}

/** For events that change nothing else (a refused login): a transaction of its own. */
export async function auditAlone(db: Database, entry: AuditEntry): Promise<void> {
  await withTenant(db, systemScope, (tx) => audit(tx, entry));
}

export type ChainReport =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: number; reason: "hash" | "link" | "sequence" };

interface CanonicalRow {
  seq: string;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  uai: string | null;
  ip: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

const SEP = "\u001f";
const NULL = "\\N";

/**
 * Walks each of the trail's chains (migration 0028: one per connection, sixteen in all) in order up to its head as
 * it stands when the check starts (appends made meanwhile are left for the next check), recomputing every hash
 * outside the database. A line removed from a chain breaks the link of the next one; a removed last line leaves the
 * chain short of its head. `rows` counts the lines checked in all chains; `brokenAt` is the sequence number of the
 * first line found wrong.
 */
export async function verifyAuditChain(deps: ServiceDeps, batchSize = 5000): Promise<ChainReport> {
  const { db } = deps;
  const heads = await withTenant(db, systemScope, async (tx) =>
    rowsOf<{ id: number; seq: string; hash: string }>(
      await tx.execute(sql`select id, seq::text, hash from audit_chain_head order by id`),
    ),
  );
  let rows = 0;
  for (const head of heads) {
    const lastSeq = Number(head.seq);
    let previousHash = "0".repeat(64);
    let after = 0;
    while (after < lastSeq) {
      const batch = await withTenant(db, systemScope, async (tx) =>
        rowsOf<CanonicalRow>(
          await tx.execute(sql`
        select seq::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
          actor_id::text as actor, action, target, uai, ip, details::text as details, prev_hash, hash
        from audit_log where audit_log.chain = ${head.id} and audit_log.seq > ${after} and audit_log.seq <= ${lastSeq}
        order by audit_log.seq limit ${batchSize}`),
        ),
      );
      if (batch.length === 0) break;
      for (const row of batch) {
        const seq = Number(row.seq);
        if (row.prev_hash !== previousHash) return { ok: false, rows, brokenAt: seq, reason: "link" };
        const canonical = [
          row.seq,
          row.at,
          row.actor ?? NULL,
          row.action,
          row.target ?? NULL,
          row.uai ?? NULL,
          row.ip ?? NULL,
          row.details ?? NULL,
        ].join(SEP);
        if ((await sha256Hex(previousHash + SEP + canonical)) !== row.hash) {
          return { ok: false, rows, brokenAt: seq, reason: "hash" };
        }
        previousHash = row.hash;
        after = seq;
        rows += 1;
      }
    }
    // Lines missing at the end, or a head that does not match the chain's last line, are tampering too.
    if (after !== lastSeq || head.hash !== previousHash) {
      return { ok: false, rows, brokenAt: after + 1, reason: "sequence" };
    }
  }
  return { ok: true, rows };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

export interface AuditLine {
  seq: number;
  at: Date;
  actorId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  uai: string | null;
  ip: string | null;
}

export interface AuditTrail {
  lines: AuditLine[];
  /** The check of the hash chain, when asked for. */
  report?: ChainReport;
}

/** 71E: the académie's page of the trail — its latest lines and, on demand, the check of the whole chain. */
export async function auditTrail(
  deps: ServiceDeps,
  p: Principal,
  verify: boolean,
  limit = 100,
): Promise<AuditTrail | null> {
  if (!can(p, "audit.view", { kind: "platform" })) return null;
  const report = verify ? await verifyAuditChain(deps) : undefined;
  const lines = await inTenant(deps, p, (tx) => recentAuditLines(tx, limit));
  return { lines, report };
}

/** Latest lines of the trail the scope may read (the académie reads all). */
async function recentAuditLines(tx: Tx, limit: number): Promise<AuditLine[]> {
  const rows = rowsOf<{
    seq: string;
    at: string;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    target: string | null;
    uai: string | null;
    ip: string | null;
  }>(
    await tx.execute(sql`
    select a.seq::text, a.at, a.actor_id, u.first_name || ' ' || u.last_name as actor_name,
      a.action, a.target, a.uai, a.ip
    from audit_log a left join users u on u.id = a.actor_id order by a.seq desc limit ${limit}`),
  );
  return rows.map((r) => ({
    ...r,
    seq: Number(r.seq),
    at: new Date(r.at),
    actorId: r.actor_id,
    actorName: r.actor_name,
  }));
}
