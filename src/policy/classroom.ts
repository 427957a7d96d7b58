// A class's daily life (homework log 56C, roll 54O, class figures 622E, previews 58D, the class calendar and booking
// 54C, the liaison notebook 54E, polls 54D): its teachers and staff and the school's director write; its pupils and
// their parents read.
import { activeProfiles } from "../services/principal";
import { isDirectorOf } from "./roles";
import type { PlatformResource, Rule, SchoolResource } from "./types";

/** How the user stands to one class (src/services/classroom/class-access.ts reads it): teaching or assisting in it,
 *  directing its school, learning in it, parent of some of its pupils. */
export interface ClassLifeResource {
  uai: string;
  teacher: boolean;
  director: boolean;
  pupil: boolean;
  childIds: readonly string[];
}

/** A calendar of the agenda (54C): the user's own, one of a class they reach, or one of their schools'. */
export type CalendarResource =
  | { calendar: "personal"; ownerId: string }
  | ({ calendar: "class" } & ClassLifeResource)
  | { calendar: "school"; uai: string };

/** Where a liaison note goes (54E): the parents of one class of the school (`teacher`: the user teaches it), or of
 *  the whole school. */
export type LiaisonAudienceResource =
  | { audience: "class"; uai: string; teacher: boolean }
  | { audience: "school"; uai: string };

/** A liaison note already sent: its school and its author. */
export interface LiaisonNoteResource {
  uai: string;
  authorId: string | null;
}

const writes: Rule<ClassLifeResource> = (_p, r) => r.teacher || r.director;

/** Profiles that have a school life (and so an agenda). */
const SCHOOL_LIFE = ["pupil", "parent", "teacher", "director", "staff"];

export const classroomRules = {
  /** Write the class's log, take its roll, see its figures, preview it as a pupil or a parent. */
  "classLife.write": writes,
  /** Read the class's log and calendar: its writers, its pupils, their parents. */
  "classLife.read": ((p, r) => writes(p, r) || r.pupil || r.childIds.length > 0) as Rule<ClassLifeResource>,
  /** Tick work done for a pupil: the pupil themself, or one of their parents. */
  "homework.tick": ((p, r) => (r.pupil && r.pupilId === p.userId) || r.childIds.includes(r.pupilId)) as Rule<
    ClassLifeResource & { pupilId: string }
  >,
  /** 54O: the school's day (every class's roll, who is absent) is its director's. */
  "attendance.viewSchoolDay": ((p, r) => isDirectorOf(p, r.uai)) as Rule<SchoolResource>,
  /** 54D: everyone but pupils asks a question (whom they may ask is the messaging rules'). */
  "poll.create": ((p) => activeProfiles(p).some((k) => k !== "pupil")) as Rule<PlatformResource>,
  /** 54C: the agenda belongs to school life — nobody without a school (an inspector, the académie) has one. */
  "agenda.open": ((p) =>
    p.activeUai !== null && activeProfiles(p).some((k) => SCHOOL_LIFE.includes(k))) as Rule<PlatformResource>,
  /** 54C: a personal calendar by its owner alone, a class's by those who write its daily life, a school's by its
   *  director. */
  "agenda.writeCalendar": ((p, r) => {
    if (r.calendar === "personal") return r.ownerId === p.userId;
    if (r.calendar === "class") return writes(p, r);
    return isDirectorOf(p, r.uai);
  }) as Rule<CalendarResource>,
  /** 54C: an offer of slots is seen by the class's writers and its pupils' parents (pupils do not book). */
  "booking.view": ((p, r) => writes(p, r) || r.childIds.length > 0) as Rule<ClassLifeResource>,
  /** 54C: a parent books for a child of theirs in the class. */
  "booking.book": ((_p, r) => r.childIds.includes(r.childId)) as Rule<ClassLifeResource & { childId: string }>,
  /** 54C: a booking is cancelled by the family who made it or by the class's writers. */
  "booking.cancel": ((p, r) => r.parentId === p.userId || writes(p, r)) as Rule<
    ClassLifeResource & { parentId: string }
  >,
  /** 54E: a teacher writes to the parents of a class they teach; the director to those of any class or the school. */
  "liaison.send": ((p, r) =>
    isDirectorOf(p, r.uai) || (r.audience === "class" && r.teacher)) as Rule<LiaisonAudienceResource>,
  /** 54E: who read a note and what they answered: its author, and the school's director. */
  "liaison.viewStatus": ((p, r) => r.authorId === p.userId || isDirectorOf(p, r.uai)) as Rule<LiaisonNoteResource>,
};
