// Collaborative walls (54B): the wall's record and settings live here; its post-its live in its realtime room
// (`<uai>:wall:<id>`, a Y.Doc stored by the room store).
import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, groups, schools, users } from "./directory";

/** Who the wall is for: a class, a group, or the whole school. */
export const wallScope = pgEnum("wall_scope", ["class", "group", "school"]);
/** Free placement on a canvas larger than the screen, or columns. */
export const wallLayout = pgEnum("wall_layout", ["free", "columns"]);
/** open: everyone posts; moderated: pupils' post-its wait for approval; closed: only the teachers post. */
export const wallMode = pgEnum("wall_mode", ["open", "moderated", "closed"]);

export const walls = pgTable(
  "walls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    title: text("title").notNull(),
    scope: wallScope("scope").notNull(),
    classId: uuid("class_id").references(() => classes.id, { onDelete: "cascade" }),
    groupId: uuid("group_id").references(() => groups.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    layout: wallLayout("layout").notNull().default("free"),
    mode: wallMode("mode").notNull().default("open"),
    /** Column titles of the columns layout, in order. */
    columns: text("columns").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("walls_uai").on(t.uai), index("walls_class").on(t.classId), index("walls_group").on(t.groupId)],
);
