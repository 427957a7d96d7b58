// Live documents (56B): title, owner, school and sharing here; the content lives in the document's realtime room
// (`<uai>:doc:<id>`); `text` is derived from it on save, for search.
import { index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

/** Who besides the owner may open it: nobody, a class, or the school's adults. */
export const documentSharing = pgEnum("document_sharing", ["private", "class", "staff"]);
/** What those it is shared with may do. */
export const documentAccess = pgEnum("document_access", ["read", "write"]);

export const documents = pgTable(
  "documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    title: text("title").notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    sharing: documentSharing("sharing").notNull().default("private"),
    classId: uuid("class_id").references(() => classes.id, { onDelete: "set null" }),
    access: documentAccess("access").notNull().default("read"),
    /** Plain text of the content, derived on save (search). */
    text: text("text").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("documents_uai").on(t.uai),
    index("documents_owner").on(t.ownerId),
    index("documents_class").on(t.classId),
  ],
);
