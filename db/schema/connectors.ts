// Connectors to third-party services (3.11.1.3, 510B): data, not code. A connector names its protocol, the service
// URLs it may send users back to, its tile, where it is active, and a category 1–5 whose attribute-release policy
// src/services/identity/attribute-release.ts enforces. CAS service tickets and category-5 consents live beside them.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { schools, structures, users } from "./directory";

export const connectors = pgTable("connectors", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Stable short name in URLs (/services/<slug>). */
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  /** "cas" or "oidc": single sign-on through the hub's CAS server or OpenID Connect provider; "link": a plain link,
   *  nothing released (category 1). For OIDC, the slug is the client_id and the service URLs its redirect URIs. */
  protocol: text("protocol", { enum: ["cas", "oidc", "link"] }).notNull(),
  /** Where the tile leads (the service's login URL for CAS). */
  launchUrl: text("launch_url").notNull(),
  /** Service URLs the hub may redirect to with a ticket: exact URLs or prefixes ending with "/". */
  serviceUrls: text("service_urls").array().notNull(),
  icon: text("icon").notNull().default("connector"),
  category: integer("category").notNull(),
  /** Category 4: which identifier is released ("ent" or "opaque"). */
  identifier: text("identifier", { enum: ["ent", "opaque"] })
    .notNull()
    .default("opaque"),
  /** Category 5: the attributes the service asks for, each shown on the consent screen. */
  requestedAttributes: text("requested_attributes").array().notNull().default([]),
  /** Native connectors are listed publicly (3.11.1.3). */
  native: boolean("native").notNull().default(false),
  /** Active in every school of the platform (académie connectors), else in the schools listed. */
  allSchools: boolean("all_schools").notNull().default(false),
  /** The structure whose admins manage it (the académie, or a commune for its own portal, 510B). */
  ownerStructureId: uuid("owner_structure_id").references(() => structures.id, { onDelete: "set null" }),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

export const connectorSchools = pgTable(
  "connector_schools",
  {
    connectorId: uuid("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.connectorId, t.uai] }), index("connector_schools_uai").on(t.uai)],
);

/** Category 5: what a user agreed to release to a service (or refused), until they change their mind. */
export const connectorConsents = pgTable(
  "connector_consents",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    connectorId: uuid("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    attributes: text("attributes").array().notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.connectorId] })],
);

/** CAS service tickets: single use, bound to one service URL, valid a few minutes. Only their SHA-256 is kept. */
export const casTickets = pgTable(
  "cas_tickets",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    connectorId: uuid("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    /** The school the user was working in: the UAI released to the service. */
    uai: text("uai"),
    service: text("service").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("cas_tickets_expiry").on(t.expiresAt)],
);

/** 611D: a one-time code sent to an admin's academic mailbox, to finish a password login. Only hashes are kept. */
export const loginChallenges = pgTable("login_challenges", {
  id: text("id").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  attempts: integer("attempts").notNull().default(0),
  usedAt: timestamp("used_at", { withTimezone: true }),
  ip: text("ip"),
});

/** Federated logins already used (handoff jti, SAML assertion IDs): a replay finds its key here and is refused. */
export const ssoSeen = pgTable("sso_seen", {
  key: text("key").primaryKey(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
});

/** The OpenID Connect provider's state (oidc-provider's models: sessions, interactions, codes, tokens, grants). */
export const oidcPayloads = pgTable(
  "oidc_payloads",
  {
    model: text("model").notNull(),
    id: text("id").notNull(),
    payload: jsonb("payload").notNull(),
    grantId: text("grant_id"),
    uid: text("uid"),
    userCode: text("user_code"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_payloads_grant").on(t.grantId),
    index("oidc_payloads_uid").on(t.uid),
  ],
);
