// Portal: personal preferences (51M, 57C), class defaults for pupils and parents (57D), school settings (51A).
import { jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

export const fontChoice = pgEnum("font_choice", ["standard", "dyslexic"]);

export const userPreferences = pgTable("user_preferences", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  font: fontChoice("font").notNull().default("standard"),
  /** Apps this user chose to hide from their launcher (57C, 51E). */
  hiddenApps: text("hidden_apps").array().notNull().default([]),
});

/** 57D: apps a teacher hides, by default, from the pupils and from the parents of a class. */
export const classAppDefaults = pgTable("class_app_defaults", {
  classId: uuid("class_id")
    .primaryKey()
    .references(() => classes.id, { onDelete: "cascade" }),
  uai: text("uai")
    .notNull()
    .references(() => schools.uai, { onDelete: "cascade" }),
  hiddenForPupils: text("hidden_for_pupils").array().notNull().default([]),
  hiddenForParents: text("hidden_for_parents").array().notNull().default([]),
});

export type WeeklyHours = Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", { from: string; to: string } | null>;

/** Settings a school's director may change; absent keys fall back to the platform's defaults. */
export const schoolSettings = pgTable("school_settings", {
  uai: text("uai")
    .primaryKey()
    .references(() => schools.uai, { onDelete: "cascade" }),
  /** 51A bis: when pupils may use the ENT, ISO weekday (1 = Monday) → "HH:MM" interval or closed. */
  pupilHours: jsonb("pupil_hours").$type<WeeklyHours>(),
  /** 52F: when pupils and families may send messages; null = at any time. Staff are never limited. */
  messagingHours: jsonb("messaging_hours").$type<WeeklyHours>(),
});
