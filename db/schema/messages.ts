// Messaging under teacher control (52A–52G, 614A–B): messages of one school, their recipients, the school's
// communication rules (data over the defaults of src/services/messaging/communication-rules.ts), and abuse reports.
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { profileKind, schools, users } from "./directory";

export interface DraftFields {
  recipientIds: string[];
  groupKeys: string[];
  sendAt: string;
  receipt: boolean;
}

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The school the message was written in: rules, moderation and tenancy are that school's. */
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    /** draft (kept by its writer, never delivered); sent; scheduled (54F, delivered at `sendAt` by the job runner); or
     * blocked (52C: a pupil's message with an
     *  insult, never delivered, kept for the teacher). */
    state: text("state", { enum: ["sent", "scheduled", "blocked", "draft"] }).notNull(),
    /** A draft's chosen recipients and options, checked against the rules only when it is sent. */
    draft: jsonb("draft").$type<DraftFields>(),
    sendAt: timestamp("send_at", { withTimezone: true }),
    /** 54G: the sender asked to be told when each recipient reads it (read marks are shown only then). */
    receiptRequested: boolean("receipt_requested").notNull().default(false),
    /** The words the filter found in a blocked message (52D incident report). */
    blockedWords: text("blocked_words").array(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    senderDeletedAt: timestamp("sender_deleted_at", { withTimezone: true }),
  },
  (t) => [
    index("messages_sender").on(t.senderId, t.createdAt),
    index("messages_uai_state").on(t.uai, t.state, t.createdAt),
  ],
);

export const messageRecipients = pgTable(
  "message_recipients",
  {
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    /** When it reached this inbox (the message's time; a delayed message's send time): the inbox's order, so that a
     *  page of an inbox of thousands is read from this table's index alone. */
    deliveredAt: timestamp("delivered_at", { withTimezone: true }).notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** In the recipient's trash since then. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.userId] }),
    index("message_recipients_user").on(t.userId, t.deletedAt),
    index("message_recipients_inbox").on(t.userId, t.deliveredAt.desc()).where(sql`${t.deletedAt} is null`),
  ],
);

/** A school's choice for one rule: a sender profile may (or may not) reach one relation (614B). */
export const communicationRules = pgTable(
  "communication_rules",
  {
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    fromProfile: profileKind("from_profile").notNull(),
    relation: text("relation").notNull(),
    allowed: boolean("allowed").notNull(),
  },
  (t) => [primaryKey({ columns: [t.uai, t.fromProfile, t.relation] })],
);

/** "Report abuse" on a received message (52A), shown to the school's teachers, director and admins (52B). */
export const messageReports = pgTable(
  "message_reports",
  {
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    reporterId: uuid("reporter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    reportedAt: timestamp("reported_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.reporterId] })],
);

/** 52E: a pupil's messaging suspended by a teacher or the director until a time; other apps unaffected. */
export const messagingSuspensions = pgTable(
  "messaging_suspensions",
  {
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    until: timestamp("until", { withTimezone: true }).notNull(),
    byId: uuid("by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.uai, t.userId] })],
);

/**
 * 52G: the académie blocks messaging for some profiles (none listed = everyone), once (from `startsAt` to `endsAt`)
 * or every week (on `days`, ISO 1–7, from `fromTime` to `toTime`, in the platform's time zone). Académie-wide: no uai.
 */
export const messagingBlocks = pgTable("messaging_blocks", {
  id: uuid("id").primaryKey().defaultRandom(),
  profiles: text("profiles").array().notNull(),
  kind: text("kind", { enum: ["once", "weekly"] }).notNull(),
  startsAt: timestamp("starts_at", { withTimezone: true }),
  endsAt: timestamp("ends_at", { withTimezone: true }),
  days: text("days").array(),
  fromTime: text("from_time"),
  toTime: text("to_time"),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});

/** A file sent with a message; its bytes are in the platform's blob store under `blobKey`. */
export const messageAttachments = pgTable(
  "message_attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type").notNull(),
    size: integer("size").notNull(),
    blobKey: uuid("blob_key").notNull(),
  },
  (t) => [index("message_attachments_message").on(t.messageId)],
);
