// The liaison notebook (carnet de liaison, 54E): a note from a teacher or the director to the parents of a class or
// of the school; each parent acknowledges it and answers when asked; reminders go to those who have not read it.
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

export const liaisonNotes = pgTable(
  "liaison_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Absent: the whole school. */
    classId: uuid("class_id").references(() => classes.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    /** none; yesno (an outing authorisation); text. */
    replyKind: text("reply_kind", { enum: ["none", "yesno", "text"] }).notNull(),
    /** Hours after which parents who have not read it are reminded (once); absent: no reminder. */
    remindAfterHours: integer("remind_after_hours"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("liaison_notes_uai").on(t.uai, t.createdAt)],
);

/** One row per parent and child concerned: read mark, answer, reminder sent. */
export const liaisonRecipients = pgTable(
  "liaison_recipients",
  {
    noteId: uuid("note_id")
      .notNull()
      .references(() => liaisonNotes.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    childId: uuid("child_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    readAt: timestamp("read_at", { withTimezone: true }),
    reply: text("reply"),
    repliedAt: timestamp("replied_at", { withTimezone: true }),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.noteId, t.parentId, t.childId] }),
    index("liaison_recipients_parent").on(t.parentId),
  ],
);
