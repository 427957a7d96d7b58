// Test data from factories: each call makes fresh rows (new UAIs, new ids) so tests never share state.
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
  users,
} from "../../db/schema";
import { systemScope, withTenant, type Database } from "../../db/client";
import { uai as uaiOf } from "../../src/demo/demo";
import type { ProfileKind, UserState } from "../../src/services/principal";
import type { PasswordHasher } from "../../src/auth/password";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${process.pid.toString(36)}${(counter++).toString(36)}`;

export function freshUai(): string {
  return uaiOf(2_000_000 + Math.floor(Math.random() * 7_000_000));
}

export async function buildSchool(
  db: Database,
  overrides: { name?: string; structureIds?: string[] } = {},
): Promise<{ uai: string; name: string }> {
  const uai = freshUai();
  const name = overrides.name ?? `École de test ${uai}`;
  await withTenant(db, systemScope, async (tx) => {
    await tx.insert(schools).values({ uai, name, city: "Testville" });
    for (const structureId of overrides.structureIds ?? [])
      await tx.insert(schoolStructures).values({ uai, structureId });
  });
  return { uai, name };
}

export async function buildStructure(
  db: Database,
  kind: "academie" | "departement" | "circonscription" | "commune" | "rpi",
  parentId?: string,
): Promise<string> {
  return withTenant(db, systemScope, async (tx) => {
    const [row] = await tx
      .insert(structures)
      .values({ kind, code: `T-${unique()}`, name: `Structure ${kind} ${unique()}` })
      .returning({ id: structures.id });
    if (parentId) await tx.insert(structureParents).values({ structureId: row!.id, parentId });
    return row!.id;
  });
}

export async function buildClass(db: Database, uai: string, name = "CM1"): Promise<string> {
  return withTenant(db, systemScope, async (tx) => {
    const [row] = await tx
      .insert(classes)
      .values({ uai, name: `${name} ${unique()}`, levels: ["CM1"], schoolYear: "2026-2027" })
      .returning({ id: classes.id });
    return row!.id;
  });
}

const hashCache = new Map<string, Promise<string>>();

export interface UserSpec {
  profile?: ProfileKind;
  uai?: string;
  classId?: string;
  classRole?: "pupil" | "teacher" | "staff";
  password?: string;
  state?: UserState;
  charterAccepted?: boolean;
  expiresAt?: Date;
  structureId?: string;
  firstName?: string;
  lastName?: string;
}

export interface BuiltUser {
  id: string;
  login: string;
  password: string;
}

/** A user with a login and password; a school profile when `uai` is given, a structure role when `structureId` is. */
export async function buildUser(db: Database, passwords: PasswordHasher, spec: UserSpec = {}): Promise<BuiltUser> {
  const login = `u.${unique()}`;
  const password = spec.password ?? "mot-de-passe-de-test";
  let hash = hashCache.get(password);
  if (!hash) {
    hash = passwords.hash(password);
    hashCache.set(password, hash);
  }
  const passwordHash = await hash;
  const id = await withTenant(db, systemScope, async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        source: "manual",
        login,
        firstName: spec.firstName ?? "Camille",
        lastName: spec.lastName ?? `Test${unique()}`,
        state: spec.state ?? "active",
        charterAcceptedAt: spec.charterAccepted === false ? null : new Date("2026-09-01"),
        expiresAt: spec.expiresAt ?? null,
      })
      .returning({ id: users.id });
    const userId = row!.id;
    await tx.insert(credentials).values({ userId, passwordHash, changedAt: new Date("2026-09-01") });
    if (spec.uai && spec.profile)
      await tx.insert(schoolProfiles).values({ userId, uai: spec.uai, profile: spec.profile });
    if (spec.structureId && spec.profile)
      await tx.insert(structureRoles).values({ userId, structureId: spec.structureId, role: spec.profile });
    if (spec.classId && spec.uai) {
      const role =
        spec.classRole ?? (spec.profile === "pupil" ? "pupil" : spec.profile === "staff" ? "staff" : "teacher");
      await tx.insert(classMembers).values({ classId: spec.classId, userId, uai: spec.uai, role });
    }
    return userId;
  });
  return { id, login, password };
}

export async function linkParent(db: Database, parentId: string, childId: string, uai: string): Promise<void> {
  await withTenant(db, systemScope, async (tx) => {
    await tx.insert(parentLinks).values({ parentId, childId, uai });
    await tx.insert(schoolProfiles).values({ userId: parentId, uai, profile: "parent" }).onConflictDoNothing();
  });
}

/** A school with a class, its teacher, two pupils, a parent of the first pupil and a director. */
export async function buildSchoolWithClass(db: Database, passwords: PasswordHasher) {
  const school = await buildSchool(db);
  const classId = await buildClass(db, school.uai);
  const teacher = await buildUser(db, passwords, { profile: "teacher", uai: school.uai, classId });
  const director = await buildUser(db, passwords, { profile: "director", uai: school.uai });
  const pupil = await buildUser(db, passwords, { profile: "pupil", uai: school.uai, classId });
  const otherPupil = await buildUser(db, passwords, { profile: "pupil", uai: school.uai, classId });
  const parent = await buildUser(db, passwords, {});
  await linkParent(db, parent.id, pupil.id, school.uai);
  return { school, classId, teacher, director, pupil, otherPupil, parent };
}

let ipCounter = Math.floor(Math.random() * 60_000);
/** A client address no other test uses, so that per-IP login limits of one test never touch another. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `10.${Math.floor(Math.random() * 256)}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}
