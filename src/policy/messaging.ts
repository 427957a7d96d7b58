// Messaging (52A–52G, 2.1.2): who moderates a school's messages, who suspends a pupil's messaging, who closes
// messaging for the whole platform, who writes to a school as its municipality. Who may write to whom is the
// school's communication rules (data, src/services/messaging/communication-rules.ts), not this table.
import { reaches } from "../services/principal";
import { hasRole, holdsAny, isAcademieAdmin, isDirectorOf, profilesIn } from "./roles";
import type { PlatformResource, Rule, SchoolResource } from "./types";

/** A pupil whose messaging someone would suspend (52E), as src/services/messaging/messaging-restrictions.ts reads
 *  them: whether the person is a pupil of the school, and whether the user teaches them in one of its classes. */
export interface PupilResource {
  kind: "pupil";
  uai: string;
  pupilId: string;
  isPupil: boolean;
  taughtByUser: boolean;
}

export const messagingRules = {
  /** 52B: the school's directors and teachers, and the académie, moderate its messages (the moderation pages). */
  "message.moderate": ((p, r) =>
    isAcademieAdmin(p) || holdsAny(profilesIn(p, r.uai), ["director", "teacher"])) as Rule<SchoolResource>,
  /** 52B: every blocked or reported message of the school is its director's (and the académie's); a teacher sees
   *  those of their own pupils only. */
  "message.moderateSchool": ((p, r) => isAcademieAdmin(p) || isDirectorOf(p, r.uai)) as Rule<SchoolResource>,
  /** 52E: a teacher suspends the pupils they teach; the director any pupil of the school. */
  "message.suspendPupil": ((p, r) =>
    reaches(p, r.uai) && r.isPupil && (isDirectorOf(p, r.uai) || r.taughtByUser)) as Rule<PupilResource>,
  /** 52G: the académie closes messaging by profile, once or every week, for the whole platform. */
  "messaging.block": ((p) => isAcademieAdmin(p)) as Rule<PlatformResource>,
  /** 2.1.2: municipality staff write to the schools of their perimeter, as municipality staff. */
  "message.writeAsMunicipality": ((p, r) => reaches(p, r.uai) && hasRole(p, ["municipality"])) as Rule<SchoolResource>,
};
