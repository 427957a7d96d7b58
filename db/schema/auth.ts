// Local credentials and sessions (Lucia's published design: only the SHA-256 of the token is stored).
// Login throttling counts its own table of attempts (services/identity/login-throttle.ts), written before the hash
// check so that parallel attempts see each other.
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./directory";

export const credentials = pgTable("credentials", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  passwordHash: text("password_hash").notNull(),
  changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
});

export const sessions = pgTable(
  "sessions",
  {
    /** Hex SHA-256 of the token held by the browser; the token itself is never stored. */
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** School the user is currently working in, for users with profiles in several schools. */
    activeUai: text("active_uai"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ip: text("ip"),
    /** Opened through ÉduConnect or Arena: what single logout at the identity provider needs. */
    federation: jsonb("federation").$type<{
      guichet: "educonnect" | "arena";
      nameId: string;
      sessionIndex: string | null;
    }>(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/**
 * F5 (issue 21): one row per password check, written (under a per-login lock) before the check and presumed failed;
 * a right password removes its login's rows from that address, the director's unlock all of the login's rows.
 */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    login: text("login").notNull(),
    ip: text("ip"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("login_attempts_login").on(t.login, t.at), index("login_attempts_ip").on(t.ip, t.at)],
);
