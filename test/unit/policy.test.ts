// The policy, table by table (src/policy/): for each action and resource, who of the cast may — and that everyone else
// may not. Every action the policy answers has at least one table line. No database.
import { describe, expect, it } from "vitest";
import { ACTIONS, can } from "../../src/policy";
import { launcherApps, allowedApps } from "../../src/services/portal/apps";
import { mainProfile } from "../../src/services/principal";
import { EVERYONE, PEOPLE, principal } from "../helpers/principals";
import type { PolicyCase } from "./policy/tables";
import { classroomCases } from "./policy/classroom";
import { collaborationCases } from "./policy/collaboration";
import { connectorCases } from "./policy/connectors";
import { directoryCases } from "./policy/directory";
import { messagingCases } from "./policy/messaging";
import { newsFeedCases } from "./policy/news-feed";

const TABLES: Record<string, PolicyCase[]> = {
  directory: directoryCases,
  collaboration: collaborationCases,
  connectors: connectorCases,
  "news feed": newsFeedCases,
  classroom: classroomCases,
  messaging: messagingCases,
};

describe.each(Object.entries(TABLES))("can(): %s", (_name, cases) => {
  it.each(cases.map((c) => [c.says, c] as const))("%s", (_says, c) => {
    const answers = Object.fromEntries(
      EVERYONE.map((who) => [who, (can as (...a: unknown[]) => boolean)(PEOPLE[who], c.action, c.resource)]),
    );
    const expected = Object.fromEntries(EVERYONE.map((who) => [who, c.may.includes(who)]));
    expect(answers).toEqual(expected);
  });
});

describe("the policy's tables", () => {
  it("cover every action", () => {
    const covered = new Set(Object.values(TABLES).flatMap((cases) => cases.map((c) => c.action)));
    expect(ACTIONS.filter((a) => !covered.has(a))).toEqual([]);
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

describe("2.1.2 municipality staff never address pupils, unless they also act for the académie or advise", () => {
  const commune = {
    structureId: "st-c",
    structureKind: "commune",
    structureName: "Commune",
    role: "municipality" as const,
  };
  const alsoAs = (role: "adviser" | "academie_admin" | "inspector") =>
    principal({ structureRoles: [commune, { ...commune, structureId: `st-${role}`, role }] });
  it.each([
    ["municipality staff only", principal({ structureRoles: [commune] }), false],
    ["municipality staff who are also an adviser", alsoAs("adviser"), true],
    ["municipality staff who also act for the académie", alsoAs("academie_admin"), true],
    ["municipality staff who are also an inspector", alsoAs("inspector"), false],
  ] as const)("%s", (_who, p, may) => {
    expect(can(p, "feed.addressPupils", { kind: "platform" })).toBe(may);
  });
});
