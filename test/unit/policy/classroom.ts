// A class's daily life (56C, 54O, 622E, 58D, 54C): the policy decides on how the user stands to the class, facts
// that src/services/classroom/class-access.ts reads; the cast's profiles do not change the answer.
import { A, EVERYONE } from "../../helpers/principals";
import { rule } from "./tables";

const facts = { uai: A, teacher: false, director: false, pupil: false, childIds: [] as string[] };

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
];
