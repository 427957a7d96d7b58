// What the hub tells a user (in the hub) and what it sends by e-mail (an outbox the job runner empties, so a
// request never waits for SMTP and a failed send is retried).
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./directory";

export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Category (aaf.rejected, aaf.duplicates, aaf.pre_deleted…): settings per category come with messaging. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [index("notifications_user").on(t.userId, t.createdAt)],
);

export const outboxMail = pgTable(
  "outbox_mail",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    meta: jsonb("meta").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    lastError: text("last_error"),
    /** 54M quiet hours: not sent before this time. */
    notBefore: timestamp("not_before", { withTimezone: true }),
    /** 54M: kept for the recipient's daily digest instead of being sent on its own. */
    digestUserId: uuid("digest_user_id").references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("outbox_mail_pending").on(t.sentAt, t.createdAt)],
);

/** Web Push (51C) and SMS (54N) waiting to be sent by the job runner; retried, and reported when they finally fail. */
export const outboxSignals = pgTable(
  "outbox_signals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    channel: text("channel", { enum: ["push", "sms"] }).notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The phone number for an SMS (E.164), as known when queued. */
    address: text("address"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    failedAt: timestamp("failed_at", { withTimezone: true }),
  },
  (t) => [index("outbox_signals_due").on(t.channel, t.notBefore).where(sql`sent_at is null and failed_at is null`)],
);

/** A browser's Web Push subscription (51C): where to send and the keys to encrypt for it. */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    endpoint: text("endpoint").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("push_subscriptions_user").on(t.userId)],
);

/** 54M: a user's quiet hours, daily digest and mobile number for SMS (given by them, for notices only). */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** "HH:MM" local time; both absent: no quiet hours. The window may cross midnight (21:00–07:00). */
  quietFrom: text("quiet_from"),
  quietTo: text("quiet_to"),
  dailyDigest: boolean("daily_digest").notNull().default(false),
  mobile: text("mobile"),
});

/** 54L–54M: a user's choice of channels for one category of notices; absent rows take the category's defaults. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
    inHub: boolean("in_hub").notNull(),
    byMail: boolean("by_mail").notNull(),
    byPush: boolean("by_push").notNull().default(false),
    bySms: boolean("by_sms").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category] })],
);
