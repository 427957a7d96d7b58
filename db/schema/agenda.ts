// Agenda and booking (54C): personal, class and school calendars; a teacher's availability slots for parent
// meetings or outing companions, which parents book; private iCalendar subscription addresses per calendar.
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { classes, schools, users } from "./directory";

/** An event of one calendar: the owner's own (personal), a class's, or the school's. */
export const agendaEvents = pgTable(
  "agenda_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    calendar: text("calendar", { enum: ["personal", "class", "school"] }).notNull(),
    classId: uuid("class_id").references(() => classes.id, { onDelete: "cascade" }),
    /** The author; for a personal event, the only one who sees it. */
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    place: text("place").notNull().default(""),
    details: text("details").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    allDay: boolean("all_day").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("agenda_events_class").on(t.classId, t.startsAt),
    index("agenda_events_school").on(t.uai, t.calendar, t.startsAt),
    index("agenda_events_owner").on(t.ownerId, t.startsAt),
  ],
);

/** A teacher's offer of slots to a class's parents: meetings (one family per slot) or outing companions (several). */
export const agendaOffers = pgTable(
  "agenda_offers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    classId: uuid("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["meeting", "outing"] }).notNull(),
    title: text("title").notNull(),
    place: text("place").notNull().default(""),
    details: text("details").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("agenda_offers_class").on(t.classId, t.createdAt)],
);

export const agendaSlots = pgTable(
  "agenda_slots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => agendaOffers.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    /** Families a slot takes: 1 for a meeting, the companions needed for an outing. */
    capacity: integer("capacity").notNull(),
  },
  (t) => [index("agenda_slots_offer").on(t.offerId, t.startsAt)],
);

/** A parent's booking of a slot, for one of their children in the class; one per parent and offer. */
export const agendaBookings = pgTable(
  "agenda_bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slotId: uuid("slot_id")
      .notNull()
      .references(() => agendaSlots.id, { onDelete: "cascade" }),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => agendaOffers.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    parentId: uuid("parent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    childId: uuid("child_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    bookedAt: timestamp("booked_at", { withTimezone: true }).notNull(),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("agenda_bookings_once").on(t.offerId, t.parentId),
    index("agenda_bookings_slot").on(t.slotId),
    index("agenda_bookings_parent").on(t.parentId),
  ],
);

/** A private subscription address (webcal) to one calendar, for the user's calendar app; revocable. The address
 *  carries the id and an HMAC of it under the platform secret, so a copy of the database alone does not open it. */
export const agendaFeeds = pgTable(
  "agenda_feeds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "all", "personal", "class:<id>" or "school:<uai>". */
    calendar: text("calendar").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("agenda_feeds_user_calendar").on(t.userId, t.calendar)],
);
