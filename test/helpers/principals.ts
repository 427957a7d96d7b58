// Named principals for the policy's table-driven tests: who holds what in school A (0000001B) and school B
// (0000002C). No database: the policy decides on plain facts.
import type { Principal, ProfileKind } from "../../src/services/principal";

export const A = "0000001B";
export const B = "0000002C";

export function principal(overrides: Partial<Principal>): Principal {
  return {
    userId: "u1",
    sessionId: "s",
    login: "x",
    firstName: "A",
    lastName: "B",
    state: "active",
    source: "manual",
    charterAccepted: true,
    hasPassword: true,
    profiles: [],
    structureRoles: [],
    activeUai: A,
    perimeter: { all: false, uais: [A] },
    font: "standard",
    hiddenApps: [],
    unreadNotifications: 0,
    ...overrides,
  };
}

const inSchool = (userId: string, profile: ProfileKind, uai = A) =>
  principal({
    userId,
    activeUai: uai,
    perimeter: { all: false, uais: [uai] },
    profiles: [{ uai, schoolName: uai === A ? "École A" : "École B", profile }],
  });

const withRole = (userId: string, role: ProfileKind, structureKind: string, uais: string[] | "all") =>
  principal({
    userId,
    activeUai: null,
    perimeter: uais === "all" ? { all: true } : { all: false, uais },
    structureRoles: [{ structureId: `st-${userId}`, structureKind, structureName: structureKind, role }],
  });

/** The cast: ids are the names, so a resource says `teacherIds: ["teacher"]`. */
export const PEOPLE = {
  teacher: inSchool("teacher", "teacher"),
  otherTeacher: inSchool("otherTeacher", "teacher"),
  director: inSchool("director", "director"),
  staff: inSchool("staff", "staff"),
  guest: inSchool("guest", "guest"),
  pupil: inSchool("pupil", "pupil"),
  otherPupil: inSchool("otherPupil", "pupil"),
  parent: inSchool("parent", "parent"),
  otherParent: inSchool("otherParent", "parent"),
  teacherOfB: inSchool("teacherOfB", "teacher", B),
  directorOfB: inSchool("directorOfB", "director", B),
  inspector: withRole("inspector", "inspector", "circonscription", [A]),
  adviser: withRole("adviser", "adviser", "circonscription", [A]),
  inspectorOfB: withRole("inspectorOfB", "inspector", "circonscription", [B]),
  municipality: withRole("municipality", "municipality", "commune", [A]),
  academie: withRole("academie", "academie_admin", "academie", "all"),
} satisfies Record<string, Principal>;

export type Person = keyof typeof PEOPLE;
export const EVERYONE = Object.keys(PEOPLE) as Person[];
