// Messaging (52B, 52E, 52G, 2.1.2): moderation, suspensions, the académie's blocks, municipality staff as senders.
import { A, B } from "../../helpers/principals";
import { rule } from "./tables";

const schoolA = { kind: "school" as const, uai: A };
const schoolB = { kind: "school" as const, uai: B };
const pupilOfA = { kind: "pupil" as const, uai: A, pupilId: "pupil", isPupil: true, taughtByUser: false };
/** Everyone whose perimeter holds school A. */
const REACH_A = [
  "teacher",
  "otherTeacher",
  "director",
  "staff",
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

export const messagingCases = [
  rule("52B a school's teachers and director moderate its messages, and the académie", "message.moderate", schoolA, [
    "teacher",
    "otherTeacher",
    "director",
    "academie",
  ]),
  rule("52B another school's moderators are its own", "message.moderate", schoolB, [
    "teacherOfB",
    "directorOfB",
    "academie",
  ]),
  rule("52B every reported message of the school: its director and the académie", "message.moderateSchool", schoolA, [
    "director",
    "academie",
  ]),
  rule("52E the director suspends any pupil of the school", "message.suspendPupil", pupilOfA, ["director"]),
  rule(
    "52E whoever teaches the pupil suspends them too (the fact decides, within the perimeter)",
    "message.suspendPupil",
    { ...pupilOfA, taughtByUser: true },
    [...REACH_A],
  ),
  rule(
    "52E nobody suspends someone who is not a pupil of the school",
    "message.suspendPupil",
    { ...pupilOfA, isPupil: false, taughtByUser: true },
    [],
  ),
  rule(
    "52E a pupil of school B: its director only",
    "message.suspendPupil",
    { ...pupilOfA, uai: B, pupilId: "pupilOfB" },
    ["directorOfB"],
  ),
  rule("52G the académie alone closes messaging", "messaging.block", { kind: "platform" }, ["academie"]),
  rule("2.1.2 municipality staff write to the schools of their perimeter", "message.writeAsMunicipality", schoolA, [
    "municipality",
  ]),
  rule("2.1.2 not to a school outside it", "message.writeAsMunicipality", schoolB, []),
];
