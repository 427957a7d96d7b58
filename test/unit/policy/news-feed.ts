// The news feed's authors (54H–54J).
import { A } from "../../helpers/principals";
import { rule } from "./tables";

const school = { kind: "school" as const, uai: A };
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
];
