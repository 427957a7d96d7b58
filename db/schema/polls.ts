// Polls (54D): a question with options for an audience the author may reach (the messaging rules), single or
// multiple choice, anonymous or not, until a closing time. Who voted and what was chosen are kept apart, so that an
// anonymous poll's ballots name nobody.
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { schools, users } from "./directory";

export const polls = pgTable(
  "polls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    question: text("question").notNull(),
    options: text("options").array().notNull(),
    multiple: boolean("multiple").notNull(),
    anonymous: boolean("anonymous").notNull(),
    closesAt: timestamp("closes_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("polls_uai").on(t.uai, t.createdAt)],
);

export const pollAudience = pgTable(
  "poll_audience",
  {
    pollId: uuid("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    votedAt: timestamp("voted_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.userId] }), index("poll_audience_user").on(t.userId)],
);

export const pollBallots = pgTable(
  "poll_ballots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pollId: uuid("poll_id")
      .notNull()
      .references(() => polls.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    /** Indexes into the poll's options. */
    choices: integer("choices").array().notNull(),
    /** Absent for an anonymous poll. */
    voterId: uuid("voter_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("poll_ballots_poll").on(t.pollId)],
);
