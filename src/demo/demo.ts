// The demo platform (3.2.1.3–6): one académie, a département, two circonscriptions, two communes and six schools
// (two of them the sites of one RPI), CP–CM2 classes of about 25 pupils with their parents and teachers, and one
// generic account per profile. Deterministic: the same seed gives the same names, classes and ids every time.
import { seededRandom } from "../random";
import { addDays, localTime, zonedToUtc } from "../time";
import { eq, inArray, sql } from "drizzle-orm";
import {
  classMembers,
  classes,
  credentials,
  parentLinks,
  schoolProfiles,
  schoolStructures,
  schools,
  structureParents,
  structureRoles,
  structures,
  userPreferences,
  users,
  importantDates,
} from "../../db/schema";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../db/client";
import type { PasswordHasher } from "../auth/password";
import { audit } from "../services/audit";
import { ADULT_FIRST_NAMES, FIRST_NAMES, LAST_NAMES } from "./demo-names";
import type { ProfileKind } from "../services/principal";
import type { Rooms } from "../../realtime/port";
import { DEMO_POSTIT_COUNT, fillDemoRooms, insertDemoClassWork, type DemoClassWork } from "./demo-class-work";

export const DEMO_PASSWORD = "preau-demo";
export const DEMO_SCHOOL_YEAR = "2026-2027";

export interface DemoAccount {
  login: string;
  profile: ProfileKind;
  description: string;
}

/** The generic accounts, one per profile, printed at start and listed in README. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { login: "demo.eleve", profile: "pupil", description: "élève de CM1, école Jules-Ferry" },
  { login: "demo.parent", profile: "parent", description: "parent de deux enfants dans deux écoles" },
  { login: "demo.enseignant", profile: "teacher", description: "enseignante de CM1, école Jules-Ferry" },
  {
    login: "demo.directeur",
    profile: "director",
    description: "directeur de l'école Jules-Ferry (et enseignant de CM2)",
  },
  { login: "demo.personnel", profile: "staff", description: "AESH de la classe de CM1, école Jules-Ferry" },
  { login: "demo.invite", profile: "guest", description: "intervenant invité, école Jules-Ferry" },
  { login: "demo.ien", profile: "inspector", description: "inspectrice de la circonscription de Belleville" },
  { login: "demo.cpc", profile: "adviser", description: "conseiller pédagogique de la circonscription de Belleville" },
  { login: "demo.mairie", profile: "municipality", description: "agent de la mairie de Belleville-sur-Loire" },
  { login: "demo.academie", profile: "academie_admin", description: "administratrice de l'académie" },
  { login: "demo.nouveau", profile: "parent", description: "parent jamais connecté : essaie la première connexion" },
];

type Level = "CP" | "CE1" | "CE2" | "CM1" | "CM2";

interface SchoolPlan {
  uai: string;
  name: string;
  city: string;
  circ: 0 | 1;
  commune: 0 | 1;
  rpi: boolean;
  classes: Level[][];
}

const FIVE: Level[][] = [["CP"], ["CE1"], ["CE2"], ["CM1"], ["CM2"]];

export const DEMO_SCHOOLS: SchoolPlan[] = [
  {
    uai: uai(990001),
    name: "École élémentaire Jules-Ferry",
    city: "Belleville-sur-Loire",
    circ: 0,
    commune: 0,
    rpi: false,
    classes: FIVE,
  },
  {
    uai: uai(990002),
    name: "École élémentaire Marie-Curie",
    city: "Belleville-sur-Loire",
    circ: 0,
    commune: 0,
    rpi: false,
    classes: FIVE,
  },
  {
    uai: uai(990003),
    name: "École primaire Jean-Jaurès",
    city: "Belleville-sur-Loire",
    circ: 0,
    commune: 0,
    rpi: false,
    classes: [["CP", "CE1"], ["CE2", "CM1"], ["CM2"]],
  },
  {
    uai: uai(990004),
    name: "École élémentaire Louise-Michel",
    city: "Saint-Aubin-des-Prés",
    circ: 1,
    commune: 1,
    rpi: false,
    classes: FIVE,
  },
  {
    uai: uai(990005),
    name: "RPI des Deux-Rives — site des Tilleuls",
    city: "Saint-Aubin-des-Prés",
    circ: 1,
    commune: 1,
    rpi: true,
    classes: [["CP"], ["CE1"]],
  },
  {
    uai: uai(990006),
    name: "RPI des Deux-Rives — site du Moulin",
    city: "Belleville-sur-Loire",
    circ: 1,
    commune: 0,
    rpi: true,
    classes: [["CE2"], ["CM1", "CM2"]],
  },
];

/** A UAI is seven digits and a check letter: the number modulo 23 in "ABCDEFGHJKLMNPRSTUVWXYZ". */
export function uai(number: number): string {
  const digits = String(number).padStart(7, "0");
  return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[number % 23];
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = "4";
  hex[16] = "89ab"[Math.floor(random() * 4)]!;
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const BIRTH_YEAR: Record<Level, number> = { CP: 2020, CE1: 2019, CE2: 2018, CM1: 2017, CM2: 2016 };

type UserRow = typeof users.$inferInsert;

export interface DemoSummary {
  schools: number;
  classes: number;
  pupils: number;
  parents: number;
  staff: number;
}

export async function demoExists(db: Database): Promise<boolean> {
  return withTenant(db, systemScope, async (tx) => {
    const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(schools);
    return (row?.n ?? 0) > 0;
  });
}

/** Removes what a previous build made (demo users, the six schools, the demo structures); the audit trail stays. */
async function removeDemo(tx: Tx): Promise<void> {
  await tx.delete(users).where(eq(users.source, "demo"));
  await tx.delete(schools).where(
    inArray(
      schools.uai,
      DEMO_SCHOOLS.map((s) => s.uai),
    ),
  );
  await tx.delete(structures).where(sql`${structures.code} like 'DEMO%'`);
}

/** The rows a build gathers before it writes them in one transaction, and the seeded draws that make them. Every
 *  draw comes from one seeded sequence, in the same order each time: the same names, classes and ids every build. */
interface DemoRows {
  now: Date;
  random: () => number;
  id: () => string;
  pick: <T>(list: readonly T[]) => T;
  users: UserRow[];
  profiles: (typeof schoolProfiles.$inferInsert)[];
  members: (typeof classMembers.$inferInsert)[];
  links: (typeof parentLinks.$inferInsert)[];
  classes: (typeof classes.$inferInsert)[];
  /** The generic accounts' ids by login (and the demo parent's partner, "demo.parent.2"). */
  generic: Map<string, string>;
  /** `<parent id>/<uai>` of the parent profiles made so far. */
  parentProfiles: Set<string>;
  /** The generic teacher's class (CM1 at Jules-Ferry). */
  demoClassId: string | null;
  pupils: number;
  parents: number;
  staff: number;
}

/** The demo's structure graph: its rows, and the ids the schools and roles are attached to. */
interface DemoStructures {
  academie: string;
  circs: string[];
  communes: string[];
  structureRows: (typeof structures.$inferInsert)[];
  parentRows: (typeof structureParents.$inferInsert)[];
  schoolStructureRows: (typeof schoolStructures.$inferInsert)[];
}

/** Builds (or rebuilds) the demo platform; with `rooms`, the demo class also gets its wall and document (issue 21). */
export async function buildDemo(
  db: Database,
  passwords: PasswordHasher,
  now: Date,
  rooms?: Rooms,
): Promise<DemoSummary> {
  const passwordHashes = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) passwordHashes.set(a.login, await passwords.hash(DEMO_PASSWORD));
  const rows = demoRows(now);
  const graph = demoStructures(rows);
  for (const [schoolIndex, school] of DEMO_SCHOOLS.entries()) demoSchool(rows, school, schoolIndex);
  const roleRows = genericAccounts(rows, graph);
  const credentialRows = rows.users
    .filter((u) => u.login && passwordHashes.has(u.login))
    .map((u) => ({ userId: u.id!, passwordHash: passwordHashes.get(u.login!)!, changedAt: now }));

  const classWork = await withTenant(db, systemScope, async (tx) => {
    await removeDemo(tx);
    await writeDirectory(tx, rows, graph, roleRows, credentialRows);
    await demoContent(tx, rows);
    const work = demoClassWork(rows);
    if (rooms && work) await insertDemoClassWork(tx, work);
    await audit(tx, {
      at: now,
      actorId: null,
      action: "demo.build",
      details: { schools: DEMO_SCHOOLS.length, users: rows.users.length },
    });
    return work;
  });
  if (rooms && classWork) await fillDemoRooms(rooms, classWork);
  return {
    schools: DEMO_SCHOOLS.length,
    classes: rows.classes.length,
    pupils: rows.pupils,
    parents: rows.parents,
    staff: rows.staff,
  };
}

function demoRows(now: Date): DemoRows {
  const random = seededRandom(2026);
  return {
    now,
    random,
    id: () => uuidFrom(random),
    pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!,
    users: [],
    profiles: [],
    members: [],
    links: [],
    classes: [],
    generic: new Map(),
    parentProfiles: new Set(),
    demoClassId: null,
    pupils: 0,
    parents: 0,
    staff: 0,
  };
}

/** A person of the demo (active and charter-accepted unless `extra` says otherwise); returns their id. */
function person(rows: DemoRows, first: string, last: string, extra: Partial<UserRow> = {}): string {
  const userId = rows.id();
  rows.users.push({
    id: userId,
    source: "demo",
    firstName: first,
    lastName: last,
    state: "active",
    charterAcceptedAt: rows.now,
    activatedAt: rows.now,
    createdAt: rows.now,
    ...extra,
  });
  return userId;
}

function staffEmail(first: string, last: string): string {
  return `${`${first}.${last}`
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z.]/g, "")
    .toLowerCase()}@ac-demo.fr`;
}

/** Structures of the graph: the académie, its département, two circonscriptions, two communes, one RPI. */
function demoStructures(rows: DemoRows): DemoStructures {
  const { id } = rows;
  const academie = id(),
    departement = id(),
    circs = [id(), id()],
    communes = [id(), id()],
    rpi = id();
  const structureRows: (typeof structures.$inferInsert)[] = [
    { id: academie, kind: "academie", code: "DEMO", name: "Académie de démonstration" },
    { id: departement, kind: "departement", code: "DEMO-099", name: "Val-de-Préau" },
    { id: circs[0]!, kind: "circonscription", code: "DEMO-C1", name: "Circonscription de Belleville" },
    { id: circs[1]!, kind: "circonscription", code: "DEMO-C2", name: "Circonscription des Deux-Rives" },
    { id: communes[0]!, kind: "commune", code: "DEMO-99001", name: "Belleville-sur-Loire" },
    { id: communes[1]!, kind: "commune", code: "DEMO-99002", name: "Saint-Aubin-des-Prés" },
    { id: rpi, kind: "rpi", code: "DEMO-RPI1", name: "RPI des Deux-Rives" },
  ];
  const parentRows = [
    { structureId: departement, parentId: academie },
    { structureId: circs[0]!, parentId: departement },
    { structureId: circs[1]!, parentId: departement },
    { structureId: communes[0]!, parentId: departement },
    { structureId: communes[1]!, parentId: departement },
    { structureId: rpi, parentId: circs[1]! },
  ];
  const schoolStructureRows = DEMO_SCHOOLS.flatMap((s) => [
    { uai: s.uai, structureId: circs[s.circ]! },
    { uai: s.uai, structureId: communes[s.commune]! },
    ...(s.rpi ? [{ uai: s.uai, structureId: rpi }] : []),
  ]);
  return { academie, circs, communes, structureRows, parentRows, schoolStructureRows };
}

/** A school: its director (who teaches too, as in most primary schools) and its classes. */
function demoSchool(rows: DemoRows, school: SchoolPlan, schoolIndex: number): void {
  const { pick } = rows;
  const directorFirst = pick(ADULT_FIRST_NAMES),
    directorLast = pick(LAST_NAMES);
  const directorLogin = schoolIndex === 0 ? "demo.directeur" : null;
  const director = person(rows, directorFirst, directorLast, {
    login: directorLogin,
    academicEmail: staffEmail(directorFirst, directorLast),
    birthDate: "1978-03-14",
  });
  if (directorLogin) rows.generic.set(directorLogin, director);
  rows.profiles.push({ userId: director, uai: school.uai, profile: "director", functions: ["DIR"] });
  rows.profiles.push({ userId: director, uai: school.uai, profile: "teacher", functions: ["ENS"] });
  rows.staff += 1;
  for (const [classIndex, levels] of school.classes.entries()) {
    demoClass(rows, school, schoolIndex, levels, classIndex === school.classes.length - 1 ? director : null);
  }
}

/** A class: its teacher (the director for the school's last class), 22 to 27 pupils and their families. */
function demoClass(
  rows: DemoRows,
  school: SchoolPlan,
  schoolIndex: number,
  levels: Level[],
  director: string | null,
): void {
  const { id, pick, random } = rows;
  const classId = id();
  rows.classes.push({ id: classId, uai: school.uai, name: levels.join("-"), levels, schoolYear: DEMO_SCHOOL_YEAR });
  let teacher: string;
  if (director) teacher = director;
  else {
    const first = pick(ADULT_FIRST_NAMES),
      lastName = pick(LAST_NAMES);
    const login = schoolIndex === 0 && levels[0] === "CM1" ? "demo.enseignant" : null;
    teacher = person(rows, first, lastName, { login, academicEmail: staffEmail(first, lastName) });
    if (login) {
      rows.generic.set(login, teacher);
      rows.demoClassId = classId;
    }
    rows.profiles.push({ userId: teacher, uai: school.uai, profile: "teacher", functions: ["ENS"] });
    rows.staff += 1;
  }
  rows.members.push({ classId, userId: teacher, uai: school.uai, role: "teacher" });

  const size = 22 + Math.floor(random() * 6);
  for (let n = 0; n < size; n++) demoPupil(rows, school, schoolIndex, levels, classId, n);
}

/** A pupil of the class and their two parents (or, for Hugo, Léa's parents: demo.parent works across two schools). */
function demoPupil(
  rows: DemoRows,
  school: SchoolPlan,
  schoolIndex: number,
  levels: Level[],
  classId: string,
  n: number,
): void {
  const { pick, random, now, generic } = rows;
  const family = pick(LAST_NAMES);
  const isDemoPupil = schoolIndex === 0 && levels[0] === "CM1" && n === 0;
  const isDemoSibling = schoolIndex === 3 && levels[0] === "CP" && n === 0;
  const first = isDemoPupil ? "Léa" : isDemoSibling ? "Hugo" : pick(FIRST_NAMES);
  const lastName = isDemoPupil || isDemoSibling ? "Martin" : family;
  const level = levels[n % levels.length]!;
  const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
  const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
  // The ÉduConnect demo (test IdP) finds Léa and her mother by these AAF jointures:
  // DEMO-ELEVE-LEA, DEMO-PARENT-MARTIN.
  const pupil = person(rows, first, lastName, {
    login: isDemoPupil ? "demo.eleve" : null,
    externalId: isDemoPupil ? "DEMO-DEMO-ELEVE-LEA" : null,
    birthDate: `${BIRTH_YEAR[level]}-${month}-${day}`,
    state: isDemoPupil || random() < 0.7 ? "active" : "pre_created",
    charterAcceptedAt: isDemoPupil || random() < 0.7 ? now : null,
  });
  if (isDemoPupil) generic.set("demo.eleve", pupil);
  rows.profiles.push({ userId: pupil, uai: school.uai, profile: "pupil" });
  rows.members.push({ classId, userId: pupil, uai: school.uai, role: "pupil" });
  rows.pupils += 1;

  // Léa (Jules-Ferry) and Hugo (Louise-Michel) share their parents: demo.parent works across two schools.
  const parentIds: string[] = [];
  if (isDemoSibling) parentIds.push(generic.get("demo.parent")!, generic.get("demo.parent.2")!);
  else {
    const mother = person(rows, pick(ADULT_FIRST_NAMES), lastName, {
      login: isDemoPupil ? "demo.parent" : null,
      externalId: isDemoPupil ? "DEMO-DEMO-PARENT-MARTIN" : null,
    });
    const fatherFirst = pick(ADULT_FIRST_NAMES);
    const father = person(rows, fatherFirst, lastName, { login: null });
    if (isDemoPupil) {
      generic.set("demo.parent", mother);
      generic.set("demo.parent.2", father);
    }
    parentIds.push(mother, father);
    rows.parents += 2;
  }
  for (const parentId of parentIds) {
    rows.links.push({ parentId, childId: pupil, uai: school.uai });
    if (!rows.parentProfiles.has(`${parentId}/${school.uai}`)) {
      rows.parentProfiles.add(`${parentId}/${school.uai}`);
      rows.profiles.push({ userId: parentId, uai: school.uai, profile: "parent" });
    }
  }
}

/** Generic accounts that are not pupils, parents or teachers of a class; returns the structure roles. */
function genericAccounts(rows: DemoRows, graph: DemoStructures) {
  const { now } = rows;
  const { academie, circs, communes } = graph;
  const firstSchool = DEMO_SCHOOLS[0]!.uai;
  const aesh = person(rows, "Nadia", "Benali", { login: "demo.personnel" });
  rows.profiles.push({ userId: aesh, uai: firstSchool, profile: "staff", functions: ["AESH"] });
  const cm1 = rows.classes.find((c) => c.uai === firstSchool && c.name === "CM1")!;
  rows.members.push({ classId: cm1.id!, userId: aesh, uai: firstSchool, role: "staff" });
  const guest = person(rows, "Marc", "Lemaire", {
    login: "demo.invite",
    expiresAt: new Date(now.getTime() + 180 * 86_400_000),
  });
  rows.profiles.push({ userId: guest, uai: firstSchool, profile: "guest" });
  const newcomer = person(rows, "Julie", "Garnier", {
    login: "demo.nouveau",
    state: "pre_created",
    charterAcceptedAt: null,
    activatedAt: null,
  });
  const secondSchoolPupil = rows.members.find((m) => m.uai === DEMO_SCHOOLS[1]!.uai && m.role === "pupil")!;
  rows.links.push({ parentId: newcomer, childId: secondSchoolPupil.userId, uai: DEMO_SCHOOLS[1]!.uai });
  rows.profiles.push({ userId: newcomer, uai: DEMO_SCHOOLS[1]!.uai, profile: "parent" });
  const roleRows = [
    {
      userId: person(rows, "Catherine", "Vidal", { login: "demo.ien", academicEmail: "catherine.vidal@ac-demo.fr" }),
      structureId: circs[0]!,
      role: "inspector" as const,
    },
    {
      userId: person(rows, "Yann", "Le Gall", { login: "demo.cpc", academicEmail: "yann.legall@ac-demo.fr" }),
      structureId: circs[0]!,
      role: "adviser" as const,
    },
    {
      userId: person(rows, "Patrick", "Morel", { login: "demo.mairie" }),
      structureId: communes[0]!,
      role: "municipality" as const,
    },
    {
      userId: person(rows, "Anne", "Kerouac", { login: "demo.academie", academicEmail: "anne.kerouac@ac-demo.fr" }),
      structureId: academie,
      role: "academie_admin" as const,
    },
  ];
  rows.staff += 1;
  return roleRows;
}

/** The directory written: structures, schools, classes, people, their profiles, memberships, links and logins. */
async function writeDirectory(
  tx: Tx,
  rows: DemoRows,
  graph: DemoStructures,
  roleRows: (typeof structureRoles.$inferInsert)[],
  credentialRows: (typeof credentials.$inferInsert)[],
): Promise<void> {
  await tx.insert(structures).values(graph.structureRows);
  await tx.insert(structureParents).values(graph.parentRows);
  await tx
    .insert(schools)
    .values(DEMO_SCHOOLS.map((s) => ({ uai: s.uai, name: s.name, city: s.city, createdAt: rows.now })));
  await tx.insert(schoolStructures).values(graph.schoolStructureRows);
  await tx.insert(classes).values(rows.classes);
  for (const chunk of chunks(rows.users, 500)) await tx.insert(users).values(chunk);
  for (const chunk of chunks(rows.profiles, 1000)) await tx.insert(schoolProfiles).values(chunk);
  for (const chunk of chunks(rows.members, 1000)) await tx.insert(classMembers).values(chunk);
  for (const chunk of chunks(rows.links, 1000)) await tx.insert(parentLinks).values(chunk);
  await tx.insert(structureRoles).values(roleRows);
  await tx.insert(credentials).values(credentialRows);
  await tx.insert(userPreferences).values(credentialRows.map((c) => ({ userId: c.userId })));
}

/** The demo class's wall and document: its pupils and teacher, and ids drawn last (earlier ids do not move). */
function demoClassWork(rows: DemoRows): DemoClassWork | null {
  const classId = rows.demoClassId;
  const teacherId = rows.generic.get("demo.enseignant");
  const teacher = rows.users.find((u) => u.id === teacherId);
  const cls = rows.classes.find((c) => c.id === classId);
  if (!classId || !teacherId || !teacher || !cls) return null;
  const byId = new Map(rows.users.map((u) => [u.id!, u]));
  const pupils = rows.members
    .filter((m) => m.classId === classId && m.role === "pupil")
    .map((m) => byId.get(m.userId)!)
    .map((u) => ({ id: u.id!, firstName: u.firstName, lastName: u.lastName }));
  return {
    uai: cls.uai,
    classId,
    teacherId,
    pupils,
    teacher: { firstName: teacher.firstName, lastName: teacher.lastName },
    wallId: rows.id(),
    documentId: rows.id(),
    postitIds: Array.from({ length: DEMO_POSTIT_COUNT }, () => rows.id()),
    now: rows.now,
  };
}

/** Demo content, so that a newcomer sees pages filled: dates in the news feed (54H), the class's agenda (54C). */
async function demoContent(tx: Tx, rows: DemoRows): Promise<void> {
  const { id, now, demoClassId, generic } = rows;
  const today = localTime(now, "Europe/Paris").date;
  const dateRows: (typeof importantDates.$inferInsert)[] = DEMO_SCHOOLS.map((school) => ({
    batchId: id(),
    uai: school.uai,
    title: "Réunion parents–enseignants",
    onDate: addDays(today, 10),
    createdAt: now,
  }));
  if (demoClassId) {
    dateRows.push({
      batchId: id(),
      uai: DEMO_SCHOOLS[0]!.uai,
      classId: demoClassId,
      authorId: generic.get("demo.enseignant") ?? null,
      title: "Sortie à la médiathèque",
      onDate: addDays(today, 5),
      createdAt: now,
    });
  }
  await tx.insert(importantDates).values(dateRows);
  if (demoClassId)
    await demoAgenda(tx, DEMO_SCHOOLS[0]!.uai, demoClassId, generic.get("demo.enseignant") ?? null, today, now);
}

/** 54C: a class event, a school day and parent meetings to book, so that the agenda opens filled. */
async function demoAgenda(
  tx: Tx,
  uai: string,
  classId: string,
  teacherId: string | null,
  today: string,
  now: Date,
): Promise<void> {
  const at = (days: number, time: string) =>
    zonedToUtc(`${addDays(today, days)}T${time}`, "Europe/Paris").toISOString();
  const created = now.toISOString();
  await tx.execute(sql`insert into agenda_events
      (uai, calendar, class_id, owner_id, title, place, starts_at, ends_at, all_day, created_at)
    values
    (${uai}, 'class', ${classId}, ${teacherId}, 'Piscine', 'Centre aquatique',
      ${at(2, "14:00")}, ${at(2, "15:30")}, false, ${created}),
    (${uai}, 'school', null, null, 'Marché de Noël de l''école', 'Cour de l''école',
      ${at(12, "00:00")}, ${at(13, "00:00")}, true, ${created})`);
  const [offer] = rowsOf<{ id: string }>(
    await tx.execute(sql`insert into agenda_offers (uai, class_id, author_id, kind, title, place, details, created_at)
    values (${uai}, ${classId}, ${teacherId}, 'meeting', 'Rencontres parents–enseignante', 'Salle de CM1',
      'Un point sur le premier trimestre.', ${created})
    returning id`),
  );
  const starts = ["16:30", "16:45", "17:00", "17:15", "17:30", "17:45"];
  for (const [i, start] of starts.entries()) {
    await tx.execute(sql`insert into agenda_slots (offer_id, uai, starts_at, ends_at, capacity)
      values (${offer!.id}, ${uai}, ${at(7, start)}, ${at(7, starts[i + 1] ?? "18:00")}, 1)`);
  }
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
