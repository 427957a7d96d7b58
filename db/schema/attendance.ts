// Attendance (54O): the roll of a class per half-day (everyone present unless marked absent or late), parents'
// absences announced in advance, and parents told at once of an unexplained absence.
import { date, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

export const attendanceRolls = pgTable(
  "attendance_rolls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    classId: uuid("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    half: text("half", { enum: ["matin", "apres-midi"] }).notNull(),
    takenBy: uuid("taken_by").references(() => users.id, { onDelete: "set null" }),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("attendance_rolls_class_day_half").on(t.classId, t.day, t.half),
    index("attendance_rolls_uai_day").on(t.uai, t.day),
  ],
);

export const attendanceMarks = pgTable(
  "attendance_marks",
  {
    rollId: uuid("roll_id")
      .notNull()
      .references(() => attendanceRolls.id, { onDelete: "cascade" }),
    pupilId: uuid("pupil_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    status: text("status", { enum: ["absent", "late"] }).notNull(),
    reason: text("reason").notNull().default(""),
    /** When the parents were told (unexplained absences only, once). */
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.rollId, t.pupilId] })],
);

/** A parent announces an absence in advance (from–to, inclusive), with a reason. */
export const absenceNotices = pgTable(
  "absence_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    pupilId: uuid("pupil_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references(() => users.id, { onDelete: "set null" }),
    fromDay: date("from_day").notNull(),
    toDay: date("to_day").notNull(),
    reason: text("reason").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("absence_notices_pupil").on(t.pupilId, t.fromDay)],
);
