// Walls (54B) and live documents (56B): pages, forms and websocket tickets ask the same rules.
import { A } from "../../helpers/principals";
import { rule } from "./tables";

const classWall = {
  kind: "wall" as const,
  uai: A,
  scope: "class" as const,
  ownerId: "teacher",
  mode: "open" as const,
  memberIds: ["teacher", "pupil"],
  teacherIds: ["teacher"],
};
const pupilsDocument = {
  kind: "document" as const,
  uai: A,
  ownerId: "pupil",
  sharing: "class" as const,
  access: "read" as const,
  memberIds: ["teacher", "pupil", "otherPupil"],
};
const ADULTS = ["teacher", "otherTeacher", "director", "staff"] as const;

export const collaborationCases = [
  rule("54B a class wall is seen by the school's adults and the class's pupils", "wall.view", classWall, [
    ...ADULTS,
    "pupil",
  ]),
  rule(
    "54B a school wall is seen by all the school's adults and pupils",
    "wall.view",
    { ...classWall, scope: "school" },
    [...ADULTS, "pupil", "otherPupil"],
  ),
  rule("54B a class wall is created by its teachers or the director", "wall.create", classWall, [
    "teacher",
    "director",
  ]),
  rule(
    "54B a school wall is created by any of its teachers or the director",
    "wall.create",
    { ...classWall, scope: "school" },
    ["teacher", "otherTeacher", "director"],
  ),
  rule(
    "54B a wall for a class one does not teach: the director alone (who is offered every class and group)",
    "wall.create",
    { ...classWall, teacherIds: [], memberIds: [] },
    ["director"],
  ),
  rule("54B the owner, the class's teachers and the director moderate", "wall.moderate", classWall, [
    "teacher",
    "director",
  ]),
  rule("54B on an open wall, whoever sees it posts", "wall.post", classWall, [...ADULTS, "pupil"]),
  rule("54B on a closed wall, its moderators alone post", "wall.post", { ...classWall, mode: "closed" }, [
    "teacher",
    "director",
  ]),
  rule("56B the school's adults and pupils create documents", "document.create", pupilsDocument, [
    ...ADULTS,
    "pupil",
    "otherPupil",
  ]),
  rule("56B a document shared with a class: its owner and the class's members", "document.view", pupilsDocument, [
    "pupil",
    "teacher",
    "otherPupil",
  ]),
  rule(
    "56B a document shared with the staff: its owner and the school's adults",
    "document.view",
    { ...pupilsDocument, sharing: "staff" },
    ["pupil", ...ADULTS],
  ),
  rule(
    "58A a document shared with the staff, owned by nobody here: the school's adults (a socket's 'adult' role)",
    "document.view",
    { ...pupilsDocument, ownerId: null, sharing: "staff" },
    [...ADULTS],
  ),
  rule(
    "58A shared with the staff to write: the school's adults edit, pupils do not",
    "document.edit",
    { ...pupilsDocument, ownerId: "teacher", sharing: "staff", access: "write" },
    [...ADULTS],
  ),
  rule("56B a private document: its owner alone", "document.view", { ...pupilsDocument, sharing: "private" }, [
    "pupil",
  ]),
  rule("56B shared to read: only its owner edits", "document.edit", pupilsDocument, ["pupil"]),
  rule("56B shared to write: whoever sees it edits", "document.edit", { ...pupilsDocument, access: "write" }, [
    "pupil",
    "teacher",
    "otherPupil",
  ]),
  rule("56B renaming and sharing are the owner's", "document.manage", pupilsDocument, ["pupil"]),
];
