// The homework log (cahier de textes, 56C): per class and day, what was done in class and what is to do for a
// given date; pupils or their parents tick an item done, the teacher sees who did.
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

export const homeworkEntries = pgTable(
  "homework_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    classId: uuid("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** The day of the lesson. */
    day: date("day").notNull(),
    subject: text("subject").notNull(),
    doneInClass: text("done_in_class").notNull().default(""),
    toDo: text("to_do").notNull().default(""),
    /** When the work is due (absent: nothing to hand in). */
    dueDate: date("due_date"),
    links: text("links").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("homework_entries_class_day").on(t.classId, t.day),
    index("homework_entries_class_due").on(t.classId, t.dueDate),
  ],
);

/** A pupil's work marked done (by the pupil or a parent). */
export const homeworkTicks = pgTable(
  "homework_ticks",
  {
    entryId: uuid("entry_id")
      .notNull()
      .references(() => homeworkEntries.id, { onDelete: "cascade" }),
    pupilId: uuid("pupil_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    tickedBy: uuid("ticked_by").references(() => users.id, { onDelete: "set null" }),
    tickedAt: timestamp("ticked_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.entryId, t.pupilId] })],
);
