// Directory: the structure graph (621F), schools (tenants, keyed by UAI), accounts and their profiles.
import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const structureKind = pgEnum("structure_kind", ["academie", "departement", "circonscription", "commune", "rpi"]);

/** Every node of the structure graph but schools themselves (those are `schools`, the tenants). */
export const structures = pgTable(
  "structures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: structureKind("kind").notNull(),
    /** Académie code (e.g. "PAR"), département number, INSEE code of a commune, AAF id of a circonscription… */
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("structures_kind_code").on(t.kind, t.code)],
);

/** Structure → parent structure (circonscription → département → académie…). */
export const structureParents = pgTable(
  "structure_parents",
  {
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structures.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id")
      .notNull()
      .references(() => structures.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.structureId, t.parentId] }), index("structure_parents_parent").on(t.parentId)],
);

export const schools = pgTable("schools", {
  uai: text("uai").primaryKey(),
  name: text("name").notNull(),
  city: text("city"),
  /** `<ACADEMY>-<ENTStructureJointure>` for schools delivered by the AAF feed. */
  externalId: text("external_id").unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A school belongs to several structures at once: its circonscription, its commune, an RPI… */
export const schoolStructures = pgTable(
  "school_structures",
  {
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structures.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.uai, t.structureId] }), index("school_structures_structure").on(t.structureId)],
);

export const userSource = pgEnum("user_source", ["aaf", "manual", "municipality", "demo"]);
export const userState = pgEnum("user_state", ["pre_created", "active", "suspended", "pre_deleted"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: userSource("source").notNull(),
    /** `<ACADEMY>-<jointure>` for AAF accounts: the key ÉduConnect gives back. */
    externalId: text("external_id").unique(),
    /** Local login (demo, training, municipality and manual accounts); unique where set (index below). */
    login: text("login"),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    birthDate: date("birth_date"),
    academicEmail: text("academic_email"),
    /** ÉduConnect's opaque id (FrEduCtId), kept at the first federated login; unique where set. */
    eduConnectId: text("educonnect_id"),
    state: userState("state").notNull().default("pre_created"),
    /** 621D: manual accounts may carry an end date. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    charterAcceptedAt: timestamp("charter_accepted_at", { withTimezone: true }),
    activatedAt: timestamp("activated_at", { withTimezone: true }),
    preDeletedAt: timestamp("pre_deleted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // Most accounts (an académie's million pupils and parents) have no login, ÉduConnect id or academic e-mail: these
  // indexes hold only the accounts that do, and an AAF import writes two index entries per account instead of five.
  // Agents are found by their e-mail whatever its case (federated login).
  (t) => [
    uniqueIndex("users_login").on(t.login).where(sql`${t.login} is not null`),
    uniqueIndex("users_educonnect_id").on(t.eduConnectId).where(sql`${t.eduConnectId} is not null`),
    index("users_academic_email").on(sql`lower(${t.academicEmail})`).where(sql`${t.academicEmail} is not null`),
  ],
);

export const profileKind = pgEnum("profile_kind", [
  "pupil",
  "parent",
  "teacher",
  "director",
  "staff",
  "guest",
  "inspector",
  "adviser",
  "municipality",
  "academie_admin",
]);

/** A user's profile in one school (a parent of children in two schools has two). Tenant-owned. */
export const schoolProfiles = pgTable(
  "school_profiles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    profile: profileKind("profile").notNull(),
    /** AAF functions (e.g. "DIR"), kept as delivered. */
    functions: text("functions").array().notNull().default(sql`'{}'::text[]`),
  },
  // Keyed by what it is (one profile of a kind per person and school): no surrogate id to generate and index for
  // each of the million profiles an AAF import writes.
  (t) => [
    primaryKey({ name: "school_profiles_pkey", columns: [t.userId, t.uai, t.profile] }),
    index("school_profiles_uai").on(t.uai, t.profile),
  ],
);

/** Roles held on a structure rather than a school: inspector and adviser (circonscription),
 *  municipality staff (commune), académie admin (académie). Their perimeter is computed from the graph. */
export const structureRoles = pgTable(
  "structure_roles",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structures.id, { onDelete: "cascade" }),
    role: profileKind("role").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.structureId, t.role] })],
);

export const classLevel = pgEnum("class_level", ["CP", "CE1", "CE2", "CM1", "CM2"]);

export const classes = pgTable(
  "classes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Primary classes are often multi-level (a CE2-CM1). */
    levels: classLevel("levels").array().notNull(),
    schoolYear: text("school_year").notNull(),
    /** `<ACADEMY>-<structure jointure>$<class code>` as delivered by the AAF feed. */
    externalCode: text("external_code"),
  },
  (t) => [
    index("classes_uai").on(t.uai),
    index("classes_uai_year_name").on(t.uai, t.schoolYear, t.name),
    uniqueIndex("classes_year_external").on(t.schoolYear, t.externalCode),
  ],
);

export const classRole = pgEnum("class_role", ["pupil", "teacher", "staff"]);

export const classMembers = pgTable(
  "class_members",
  {
    classId: uuid("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    role: classRole("role").notNull(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.userId] }), index("class_members_user").on(t.userId)],
);

/** Parent–child link, held in the child's school. */
export const parentLinks = pgTable(
  "parent_links",
  {
    parentId: uuid("parent_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    childId: uuid("child_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    legalGuardian: boolean("legal_guardian").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.parentId, t.childId] }), index("parent_links_child").on(t.childId)],
);

/** Manual groups made by staff (a choir, a support group, an inter-class project). */
export const groups = pgTable(
  "groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
    name: text("name").notNull(),
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("groups_uai").on(t.uai)],
);

export const groupMembers = pgTable(
  "group_members",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    uai: text("uai")
      .notNull()
      .references(() => schools.uai, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user").on(t.userId)],
);
