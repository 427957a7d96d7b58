// 71E: the append-only, hash-chained audit trail. Hashes are computed by a trigger (migrations/) so that no
// writer can forget or forge them; `preau audit verify` recomputes the chain independently.
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditLog = pgTable(
  "audit_log",
  {
    /** Assigned by the chain trigger under the chain-head lock, so sequence order is chain order. */
    seq: bigint("seq", { mode: "number" }).primaryKey().default(0),
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
    index("audit_log_uai").on(t.uai, t.at),
    // Login throttling counts recent failures per IP and per attempted login.
    index("audit_log_login_failures_ip").on(t.ip, t.at).where(sql`action = 'login.failure'`),
    index("audit_log_login_attempts_target")
      .on(t.target, t.at)
      .where(sql`action in ('login.failure', 'login.success')`),
  ],
);
