// Schools, classes, person cards and the académie's own pages (621E, 611A, 57D, 71E, 4.4, 612A).
import { A } from "../../helpers/principals";
import { rule } from "./tables";

const school = { kind: "school" as const, uai: A };
const platform = { kind: "platform" as const };
const classOfA = {
  kind: "class" as const,
  uai: A,
  classId: "c1",
  memberIds: ["teacher", "pupil", "staff"],
  teacherIds: ["teacher"],
  parentIdsOfPupils: ["parent"],
};
const card = { kind: "person" as const, uai: A, userId: "otherPupil", sharesClassWith: false, isChildOf: false };
const SCHOOL_ADULTS = ["teacher", "otherTeacher", "director", "staff"] as const;
const REACH_A = [
  ...SCHOOL_ADULTS,
  "guest",
  "pupil",
  "otherPupil",
  "parent",
  "otherParent",
  "inspector",
  "adviser",
  "municipality",
  "academie",
] as const;

export const directoryCases = [
  rule("621E the school page is for its adults and its perimeter, not for families", "school.view", school, [
    ...SCHOOL_ADULTS,
    "guest",
    "inspector",
    "adviser",
    "municipality",
    "academie",
  ]),
  rule("51A bis the school's settings are its director's", "school.configure", school, ["director"]),
  rule("611A the key figures of a perimeter's schools", "school.viewStructureStats", platform, [
    "inspector",
    "adviser",
    "inspectorOfB",
    "municipality",
    "academie",
  ]),
  rule("the Classes app lists the whole school for its director and staff", "school.listAllClasses", school, [
    "director",
    "staff",
  ]),
  rule(
    "a class is seen by its members, its pupils' parents, the school's director and staff and its perimeter — not by " +
      "municipality staff (2.1.2)",
    "class.view",
    classOfA,
    ["teacher", "pupil", "parent", "director", "staff", "inspector", "adviser", "academie"],
  ),
  rule("621E whoever sees a class sees its roster (minimised by profile)", "class.viewRoster", classOfA, [
    "teacher",
    "pupil",
    "parent",
    "director",
    "staff",
    "inspector",
    "adviser",
    "academie",
  ]),
  rule("57D the class's teachers and the director choose the apps families see", "class.configureApps", classOfA, [
    "teacher",
    "director",
  ]),
  rule("621E a pupil's card: themself, the school's adults, its perimeter", "person.view", card, [
    "otherPupil",
    ...SCHOOL_ADULTS,
    "inspector",
    "adviser",
    "academie",
  ]),
  rule(
    "621E a classmate's or a child's card is seen by whoever shares the class with them",
    "person.view",
    { ...card, sharesClassWith: true },
    [...REACH_A],
  ),
  rule("621B a card shows the account's source and state to the school's director", "person.viewAccount", card, [
    "director",
  ]),
  rule("F5 the school's director lifts a login lockout on its accounts", "person.unlockLogin", card, ["director"]),
  rule("71E the audit trail is the académie's", "audit.view", platform, ["academie"]),
  rule("4.4 directory imports are the académie's", "aaf.manage", platform, ["academie"]),
  rule("612A a school's duplicates: its director and the académie", "duplicates.review", school, [
    "director",
    "academie",
  ]),
  rule("612A every school's duplicates: the académie", "duplicates.review", platform, ["academie"]),
];
