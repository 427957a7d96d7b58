// The news feed (fil d'informations, 54H–54J): important dates set by staff and inspectors, and urgent
// announcements shown at entry. Birthdays and app events are read from the directory and the notices.
import { date, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, profileKind, schools, users } from "./directory";

/** 54H: a date for a school or one class. A date set for several schools (a circonscription) is one row per
 *  school sharing a `batchId`, so each school's rows stay under its own tenancy. */
export const importantDates = pgTable(
  "important_dates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    batchId: uuid("batch_id").notNull(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    /** Absent: the whole school. */
    classId: uuid("class_id").references(() => classes.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    onDate: date("on_date").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("important_dates_uai_date").on(t.uai, t.onDate), index("important_dates_batch").on(t.batchId)],
);

/** 54J: an urgent message for every account of some profiles in some schools, shown at entry until read. */
export const announcements = pgTable("announcements", {
  id: uuid("id").primaryKey().defaultRandom(),
  authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
  /** Who signs it ("La direction de l'école …", "La mairie de …"), kept as written at the time. */
  signedAs: text("signed_as").notNull(),
  title: text("title").notNull(),
  body: text("body").notNull(),
  profiles: profileKind("profiles").array().notNull(),
  /** 54I: a teacher's message for one class: its members and its pupils' parents (of the profiles), not the school. */
  classId: uuid("class_id").references(() => classes.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
  withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
});

export const announcementSchools = pgTable(
  "announcement_schools",
  {
    announcementId: uuid("announcement_id")
      .notNull()
      .references(() => announcements.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.uai] }), index("announcement_schools_uai").on(t.uai)],
);

export const announcementReads = pgTable(
  "announcement_reads",
  {
    announcementId: uuid("announcement_id")
      .notNull()
      .references(() => announcements.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.announcementId, t.userId] })],
);
