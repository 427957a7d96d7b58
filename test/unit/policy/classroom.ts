// A class's daily life (56C, 54O, 622E, 58D, 54C, 54E, 54D): the policy decides on how the user stands to the class,
// facts that src/services/classroom/class-access.ts reads (the cast's profiles do not change those answers), and on
// the profiles the user holds in the school (the director's day, school calendars, notes to the whole school).
import { A, B, EVERYONE, type Person } from "../../helpers/principals";
import { rule } from "./tables";

const facts = { uai: A, teacher: false, director: false, pupil: false, childIds: [] as string[] };
const platform = { kind: "platform" as const };
const NOT_PUPILS = EVERYONE.filter((who) => who !== "pupil" && who !== "otherPupil");
const SCHOOL_LIFE: Person[] = [
  "teacher",
  "otherTeacher",
  "director",
  "staff",
  "pupil",
  "otherPupil",
  "parent",
  "otherParent",
  "teacherOfB",
  "directorOfB",
];

export const classroomCases = [
  rule("56C the class's teacher writes its daily life", "classLife.write", { ...facts, teacher: true }, EVERYONE),
  rule("56C the school's director writes it too", "classLife.write", { ...facts, director: true }, EVERYONE),
  rule("56C a pupil of the class does not write it", "classLife.write", { ...facts, pupil: true }, []),
  rule("56C a parent of a pupil does not write it", "classLife.write", { ...facts, childIds: ["p1"] }, []),
  rule("56C its pupils read it", "classLife.read", { ...facts, pupil: true }, EVERYONE),
  rule("56C their parents read it", "classLife.read", { ...facts, childIds: ["p1"] }, EVERYONE),
  rule("56C its writers read it", "classLife.read", { ...facts, teacher: true }, EVERYONE),
  rule("56C someone with no tie to the class reads nothing", "classLife.read", facts, []),
  rule("56C a pupil ticks their own work", "homework.tick", { ...facts, pupil: true, pupilId: "pupil" }, ["pupil"]),
  rule(
    "56C a parent ticks their child's work",
    "homework.tick",
    { ...facts, childIds: ["pupil"], pupilId: "pupil" },
    EVERYONE,
  ),
  rule(
    "56C nobody ticks for a pupil who is not theirs",
    "homework.tick",
    { ...facts, childIds: ["other"], pupilId: "pupil" },
    [],
  ),
  rule("56C a teacher does not tick for a pupil", "homework.tick", { ...facts, teacher: true, pupilId: "pupil" }, []),
  rule("54O the school's day is its director's", "attendance.viewSchoolDay", { kind: "school", uai: A }, ["director"]),
  rule("54O another school's day is its own director's", "attendance.viewSchoolDay", { kind: "school", uai: B }, [
    "directorOfB",
  ]),
  rule("54D everyone but pupils creates polls", "poll.create", platform, NOT_PUPILS),
  rule(
    "54C the agenda is for school life: not for guests nor perimeter roles without a school",
    "agenda.open",
    platform,
    SCHOOL_LIFE,
  ),
  rule(
    "54C a personal calendar is written by its owner alone",
    "agenda.writeCalendar",
    { calendar: "personal", ownerId: "teacher" },
    ["teacher"],
  ),
  rule(
    "54C a class calendar is written by the class's teachers and staff",
    "agenda.writeCalendar",
    { calendar: "class", ...facts, teacher: true },
    EVERYONE,
  ),
  rule(
    "54C a class calendar is written by the school's director",
    "agenda.writeCalendar",
    { calendar: "class", ...facts, director: true },
    EVERYONE,
  ),
  rule(
    "54C a class calendar is only read by its pupils and parents",
    "agenda.writeCalendar",
    { calendar: "class", ...facts, pupil: true, childIds: ["pupil"] },
    [],
  ),
  rule("54C a school calendar is written by its director", "agenda.writeCalendar", { calendar: "school", uai: A }, [
    "director",
  ]),
  rule("54C the class's writers see its offers of slots", "booking.view", { ...facts, teacher: true }, EVERYONE),
  rule("54C its pupils' parents see them", "booking.view", { ...facts, childIds: ["pupil"] }, EVERYONE),
  rule("54C pupils do not book: they do not see offers", "booking.view", { ...facts, pupil: true }, []),
  rule("54C strangers to the class do not see them", "booking.view", facts, []),
  rule(
    "54C a parent books for their child in the class",
    "booking.book",
    { ...facts, childIds: ["pupil"], childId: "pupil" },
    EVERYONE,
  ),
  rule(
    "54C nobody books for a child who is not theirs",
    "booking.book",
    { ...facts, childIds: ["pupil"], childId: "otherPupil" },
    [],
  ),
  rule(
    "54C the class's writers do not book for a pupil",
    "booking.book",
    { ...facts, teacher: true, childId: "pupil" },
    [],
  ),
  rule("54C the family who booked cancels", "booking.cancel", { ...facts, parentId: "parent" }, ["parent"]),
  rule(
    "54C the class's writers cancel anyone's booking",
    "booking.cancel",
    { ...facts, director: true, parentId: "parent" },
    EVERYONE,
  ),
  rule(
    "54C another parent of the class does not cancel it",
    "booking.cancel",
    { ...facts, childIds: ["otherPupil"], parentId: "parent" },
    ["parent"],
  ),
  rule(
    "54E a teacher writes to the parents of a class they teach",
    "liaison.send",
    { audience: "class", uai: A, teacher: true },
    EVERYONE,
  ),
  rule(
    "54E the director writes to the parents of any class of the school",
    "liaison.send",
    { audience: "class", uai: A, teacher: false },
    ["director"],
  ),
  rule("54E only the director writes to the whole school", "liaison.send", { audience: "school", uai: A }, [
    "director",
  ]),
  rule(
    "54E who read a note: its author and the school's director",
    "liaison.viewStatus",
    { uai: A, authorId: "teacher" },
    ["teacher", "director"],
  ),
  rule(
    "54E a note of another school: its author and that school's director",
    "liaison.viewStatus",
    {
      uai: B,
      authorId: "teacherOfB",
    },
    ["teacherOfB", "directorOfB"],
  ),
];
