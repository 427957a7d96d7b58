// 71E: the append-only, hash-chained audit trail, in sixteen chains (one per connection: migration 0028). Hashes are
// computed by a trigger (migrations/) so that no writer can forget or forge them; `preau audit verify` recomputes
// the chains independently.
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditLog = pgTable(
  "audit_log",
  {
    /** Drawn by the chain trigger under its chain head's lock, so within a chain sequence order is chain order. */
    seq: bigint("seq", { mode: "number" }).primaryKey().default(0),
    /** Which of the sixteen chains the line is in (migration 0028): its writer's connection's, set by the trigger. */
    chain: smallint("chain").notNull().default(1),
    at: timestamp("at", { withTimezone: true, precision: 6 }).notNull(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    target: text("target"),
    uai: text("uai"),
    ip: text("ip"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    prevHash: text("prev_hash").notNull().default(""),
    hash: text("hash").notNull().default(""),
  },
  (t) => [
    index("audit_log_actor").on(t.actorId),
    index("audit_log_chain_seq").on(t.chain, t.seq),
    index("audit_log_uai").on(t.uai, t.at),
    // Login throttling counts recent failures per IP and per attempted login.
    index("audit_log_login_failures_ip").on(t.ip, t.at).where(sql`action = 'login.failure'`),
    index("audit_log_login_attempts_target")
      .on(t.target, t.at)
      .where(sql`action in ('login.failure', 'login.success')`),
  ],
);
