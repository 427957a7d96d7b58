import { describe, expect, it } from "vitest";
import { can } from "../../src/policy/index";
import { launcherApps, allowedApps } from "../../src/services/portal/apps";
import { mainProfile, type Principal } from "../../src/services/principal";

function principal(overrides: Partial<Principal>): Principal {
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
    activeUai: "0000001B",
    perimeter: { all: false, uais: ["0000001B"] },
    font: "standard",
    hiddenApps: [],
    unreadNotifications: 0,
    ...overrides,
  };
}

const classOfA = {
  kind: "class" as const,
  uai: "0000001B",
  classId: "c1",
  memberIds: ["t1", "p1"],
  teacherIds: ["t1"],
  parentIdsOfPupils: ["par1"],
};

describe("can(user, action, resource)", () => {
  const teacher = principal({ userId: "t1", profiles: [{ uai: "0000001B", schoolName: "A", profile: "teacher" }] });
  const otherTeacher = principal({
    userId: "t2",
    profiles: [{ uai: "0000001B", schoolName: "A", profile: "teacher" }],
  });
  const director = principal({ userId: "d1", profiles: [{ uai: "0000001B", schoolName: "A", profile: "director" }] });
  const parent = principal({ userId: "par1", profiles: [{ uai: "0000001B", schoolName: "A", profile: "parent" }] });
  const strangerParent = principal({
    userId: "par2",
    profiles: [{ uai: "0000001B", schoolName: "A", profile: "parent" }],
  });
  const teacherOfB = principal({
    userId: "t9",
    activeUai: "0000002C",
    perimeter: { all: false, uais: ["0000002C"] },
    profiles: [{ uai: "0000002C", schoolName: "B", profile: "teacher" }],
  });
  const inspector = principal({
    userId: "i1",
    profiles: [],
    perimeter: { all: false, uais: ["0000001B"] },
    structureRoles: [{ structureId: "s", structureKind: "circonscription", structureName: "C", role: "inspector" }],
  });
  const municipality = principal({
    userId: "m1",
    profiles: [],
    perimeter: { all: false, uais: ["0000001B"] },
    structureRoles: [{ structureId: "s", structureKind: "commune", structureName: "C", role: "municipality" }],
  });

  it("a class is seen by its members, its pupils' parents, the director and the inspector — not by others", () => {
    expect(can(teacher, "class.view", classOfA)).toBe(true);
    expect(can(parent, "class.view", classOfA)).toBe(true);
    expect(can(director, "class.view", classOfA)).toBe(true);
    expect(can(inspector, "class.view", classOfA)).toBe(true);
    expect(can(otherTeacher, "class.view", classOfA)).toBe(false);
    expect(can(strangerParent, "class.view", classOfA)).toBe(false);
    expect(can(teacherOfB, "class.view", classOfA)).toBe(false);
    // 2.1.2: municipality staff do not see pupils' classes.
    expect(can(municipality, "class.view", classOfA)).toBe(false);
  });

  it("57D only the class's teachers and the director choose the apps families see", () => {
    expect(can(teacher, "class.configureApps", classOfA)).toBe(true);
    expect(can(director, "class.configureApps", classOfA)).toBe(true);
    expect(can(otherTeacher, "class.configureApps", classOfA)).toBe(false);
    expect(can(parent, "class.configureApps", classOfA)).toBe(false);
  });

  it("a school is configured by its director only; the audit trail is the académie's", () => {
    expect(can(director, "school.configure", { kind: "school", uai: "0000001B" })).toBe(true);
    expect(can(teacher, "school.configure", { kind: "school", uai: "0000001B" })).toBe(false);
    expect(can(director, "audit.view", { kind: "platform" })).toBe(false);
  });

  it("a person card: classmates yes, strangers no, staff of the school yes", () => {
    const pupilCard = {
      kind: "person" as const,
      uai: "0000001B",
      userId: "p1",
      sharesClassWith: false,
      isChildOf: false,
    };
    expect(can(teacher, "person.view", pupilCard)).toBe(true);
    expect(can(strangerParent, "person.view", pupilCard)).toBe(false);
    expect(can(strangerParent, "person.view", { ...pupilCard, sharesClassWith: true })).toBe(true);
    expect(can(parent, "person.view", { ...pupilCard, isChildOf: true })).toBe(true);
    expect(can(teacherOfB, "person.view", pupilCard)).toBe(false);
  });
});

describe("57C / 57D launcher", () => {
  const pupil = principal({ profiles: [{ uai: "0000001B", schoolName: "A", profile: "pupil" }] });
  it("allows by profile", () => {
    expect(allowedApps(pupil).map((a) => a.id)).toEqual([
      "classes",
      "news",
      "homework",
      "evening",
      "agenda",
      "polls",
      "messages",
      "wall",
      "documents",
      "account",
      "help",
    ]);
    expect(mainProfile(pupil)).toBe("pupil");
  });
  it("57D hides what every class of the pupil hides, keeps what one still shows", () => {
    expect(launcherApps(pupil, { forPupils: [["classes"]], forParents: [] }).map((a) => a.id)).toEqual([
      "news",
      "homework",
      "evening",
      "agenda",
      "polls",
      "messages",
      "wall",
      "documents",
      "account",
      "help",
    ]);
    expect(launcherApps(pupil, { forPupils: [["classes"], []], forParents: [] }).map((a) => a.id)).toContain("classes");
  });
  it("57C a user hides apps for themself; account and help cannot be hidden", () => {
    const teacher = principal({
      hiddenApps: ["classes", "account"],
      profiles: [{ uai: "0000001B", schoolName: "A", profile: "teacher" }],
    });
    expect(launcherApps(teacher, { forPupils: [], forParents: [] }).map((a) => a.id)).toEqual([
      "school",
      "news",
      "homework",
      "liaison",
      "attendance",
      "agenda",
      "polls",
      "messages",
      "wall",
      "documents",
      "account",
      "help",
    ]);
  });
  it("57D class defaults do not hide apps from staff", () => {
    const teacher = principal({ profiles: [{ uai: "0000001B", schoolName: "A", profile: "teacher" }] });
    expect(launcherApps(teacher, { forPupils: [["classes"]], forParents: [["classes"]] }).map((a) => a.id)).toContain(
      "classes",
    );
  });
});
