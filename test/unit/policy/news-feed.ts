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
    "54H the feed offers the date form to teachers and directors where they work, inspectors and advisers",
    "feed.writeDates",
    platform,
    ["teacher", "otherTeacher", "director", "teacherOfB", "directorOfB", "inspector", "adviser", "inspectorOfB"],
  ),
  rule(
    "54J the feed offers the urgent message form to directors, advisers, municipality staff and the académie",
    "feed.writeAnnouncements",
    platform,
    ["director", "directorOfB", "adviser", "municipality", "academie"],
  ),
  rule("54H a date for a whole perimeter: inspectors and advisers", "feed.addDate", perimeter, [
    "inspector",
    "adviser",
    "inspectorOfB",
  ]),
  rule(
    "54H a school's important dates: its director, the inspector and advisers of its perimeter",
    "feed.addDate",
    school,
    ["director", "inspector", "adviser"],
  ),
  rule("54H a class's important dates: also its teachers", "feed.addDate", classOfA, [
    "teacher",
    "director",
    "inspector",
    "adviser",
  ]),
  rule(
    "54J urgent messages to a school: its director, advisers, municipality staff and the académie",
    "feed.announce",
    school,
    ["director", "adviser", "municipality", "academie"],
  ),
  rule("54J urgent messages to the whole platform: the académie", "feed.announce", { kind: "platform" }, ["academie"]),
  rule("54J urgent messages to a whole perimeter: advisers and municipality staff", "feed.announce", perimeter, [
    "adviser",
    "municipality",
  ]),
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
