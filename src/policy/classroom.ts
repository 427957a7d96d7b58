// A class's daily life (homework log 56C, roll 54O, class figures 622E, previews 58D, the class calendar and booking
// 54C): its teachers and staff and the school's director write; its pupils and their parents read.
import type { Rule } from "./types";

/** How the user stands to one class (src/services/classroom/class-access.ts reads it): teaching or assisting in it,
 *  directing its school, learning in it, parent of some of its pupils. */
export interface ClassLifeResource {
  uai: string;
  teacher: boolean;
  director: boolean;
  pupil: boolean;
  childIds: readonly string[];
}

const writes: Rule<ClassLifeResource> = (_p, r) => r.teacher || r.director;

export const classroomRules = {
  /** Write the class's log, take its roll, see its figures, preview it as a pupil or a parent. */
  "classLife.write": writes,
  /** Read the class's log and calendar: its writers, its pupils, their parents. */
  "classLife.read": ((p, r) => writes(p, r) || r.pupil || r.childIds.length > 0) as Rule<ClassLifeResource>,
  /** Tick work done for a pupil: the pupil themself, or one of their parents. */
  "homework.tick": ((p, r) => (r.pupil && r.pupilId === p.userId) || r.childIds.includes(r.pupilId)) as Rule<
    ClassLifeResource & { pupilId: string }
  >,
};
