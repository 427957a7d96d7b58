// The news feed's authors (54H–54J), and whom they address (2.1.2).
import { A, EVERYONE } from "../../helpers/principals";
import { rule } from "./tables";

const school = { kind: "school" as const, uai: A };
const platform = { kind: "platform" as const };
const perimeter = { kind: "perimeter" as const };
const classOfA = {
  kind: "class" as const,
  uai: A,
  classId: "c1",
  memberIds: ["teacher", "pupil"],
  teacherIds: ["teacher"],
  parentIdsOfPupils: ["parent"],
};

export const newsFeedCases = [
  rule(
    "54H–54I the feed offers the date form to teachers and directors where they work, inspectors, advisers and " +
      "municipality staff",
    "feed.writeDates",
    platform,
    [
      "teacher",
      "otherTeacher",
      "director",
      "teacherOfB",
      "directorOfB",
      "inspector",
      "adviser",
      "inspectorOfB",
      "municipality",
    ],
  ),
  rule(
    "54I–54J the feed offers the urgent message form to teachers, directors, inspectors, advisers, municipality " +
      "staff and the académie",
    "feed.writeAnnouncements",
    platform,
    [
      "teacher",
      "otherTeacher",
      "director",
      "teacherOfB",
      "directorOfB",
      "inspector",
      "adviser",
      "inspectorOfB",
      "municipality",
      "academie",
    ],
  ),
  rule("54H–54I a date for a whole perimeter: inspectors, advisers and municipality staff", "feed.addDate", perimeter, [
    "inspector",
    "adviser",
    "inspectorOfB",
    "municipality",
  ]),
  rule(
    "54H–54I a school's important dates: its director, the inspector, advisers and municipality staff of its perimeter",
    "feed.addDate",
    school,
    ["director", "inspector", "adviser", "municipality"],
  ),
  rule("54H a class's important dates: also its teachers", "feed.addDate", classOfA, [
    "teacher",
    "director",
    "inspector",
    "adviser",
    "municipality",
  ]),
  rule(
    "54I–54J urgent messages to a school: its director, the inspector, advisers, municipality staff and the académie",
    "feed.announce",
    school,
    ["director", "inspector", "adviser", "municipality", "academie"],
  ),
  rule(
    "54I urgent messages to a class: also its own teachers, not another teacher of the school",
    "feed.announce",
    classOfA,
    ["teacher", "director", "inspector", "adviser", "municipality", "academie"],
  ),
  rule("54J urgent messages to the whole platform: the académie", "feed.announce", { kind: "platform" }, ["academie"]),
  rule(
    "54I–54J urgent messages to a whole perimeter: inspectors, advisers and municipality staff",
    "feed.announce",
    perimeter,
    ["inspector", "adviser", "inspectorOfB", "municipality"],
  ),
  rule(
    "54H a teacher's date is removed by its author, or by the school's director",
    "feed.removeDate",
    { uai: A, authorId: "teacher" },
    ["teacher", "director"],
  ),
  rule(
    "54H a date whose author has left is removed by the school's director",
    "feed.removeDate",
    { uai: A, authorId: null },
    ["director"],
  ),
  rule("54J an announcement is withdrawn by its author alone", "feed.withdraw", { authorId: "director" }, ["director"]),
  rule("54J an announcement whose author has left is withdrawn by nobody", "feed.withdraw", { authorId: null }, []),
  rule(
    "2.1.2 everyone who announces may address pupils, except municipality staff",
    "feed.addressPupils",
    platform,
    EVERYONE.filter((who) => who !== "municipality"),
  ),
];
