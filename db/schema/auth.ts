// Local credentials and sessions (Lucia's published design: only the SHA-256 of the token is stored).
// Login throttling needs no table of its own: it counts the audit trail's failed attempts (services/login-throttle.ts).
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
