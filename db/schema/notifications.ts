// What the hub tells a user (in the hub) and what it sends by e-mail (an outbox the job runner empties, so a
// request never waits for SMTP and a failed send is retried).
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./directory";

export const notifications = pgTable("notifications", {
  id: uuid("id").primaryKey().defaultRandom(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** Category (aaf.rejected, aaf.duplicates, aaf.pre_deleted…): settings per category come with messaging. */
  kind: text("kind").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  link: text("link"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  readAt: timestamp("read_at", { withTimezone: true }),
}, (t) => [index("notifications_user").on(t.userId, t.createdAt)]);

export const outboxMail = pgTable("outbox_mail", {
  id: uuid("id").primaryKey().defaultRandom(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  meta: jsonb("meta").$type<Record<string, unknown>>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  sentAt: timestamp("sent_at", { withTimezone: true }),
  lastError: text("last_error"),
}, (t) => [index("outbox_mail_pending").on(t.sentAt, t.createdAt)]);

/** 54L–54M: a user's choice of channels for one category of notices; absent rows take the category's defaults. */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  category: text("category").notNull(),
  inHub: boolean("in_hub").notNull(),
  byMail: boolean("by_mail").notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.category] })]);
