// The news feed's authors (54H–54J), and whom they may address (2.1.2).
import { activeProfiles, reaches } from "../services/principal";
import { addressesPupils, hasRole, holdsAny, isAcademieAdmin, isDirectorOf } from "./roles";
import type { ClassResource, PlatformResource, Rule, SchoolResource } from "./types";

/** Every school of the author's perimeter at once (a circonscription, a commune). */
export interface PerimeterResource {
  kind: "perimeter";
}

/** One school's row of an important date, with its author. */
export interface DateResource {
  uai: string;
  authorId: string | null;
}

/** An urgent announcement, with its author. */
export interface AnnouncementResource {
  authorId: string | null;
}

/** Who writes for every school of a perimeter (a circonscription, a commune) — or for one school of it. */
const PERIMETER_AUTHORS = ["inspector", "adviser", "municipality"] as const;

export const newsFeedRules = {
  /** 54H–54I: whether the feed page offers the form to add dates: teachers and directors where they work now,
   *  inspectors, advisers and municipality staff. */
  "feed.writeDates": ((p) =>
    holdsAny(activeProfiles(p), ["teacher", "director", ...PERIMETER_AUTHORS])) as Rule<PlatformResource>,
  /** 54I–54J: whether the feed page offers the form to send urgent messages: teachers (their classes) and directors
   *  where they work now, inspectors, advisers, municipality staff, the académie. */
  "feed.writeAnnouncements": ((p) =>
    holdsAny(activeProfiles(p), [
      "teacher",
      "director",
      ...PERIMETER_AUTHORS,
      "academie_admin",
    ])) as Rule<PlatformResource>,
  /** 54H–54I: important dates by directors (their school), teachers (their classes), inspectors, advisers and
   *  municipality staff (their perimeter, or one school of it). */
  "feed.addDate": ((p, r) => {
    if (r.kind === "perimeter") return hasRole(p, PERIMETER_AUTHORS);
    if (!reaches(p, r.uai)) return false;
    if (isDirectorOf(p, r.uai) || hasRole(p, PERIMETER_AUTHORS)) return true;
    return r.kind === "class" && r.teacherIds.includes(p.userId);
  }) as Rule<SchoolResource | ClassResource | PerimeterResource>,
  /** 54H: a date is removed by its author (every school's row of it), or by a director of the school (that row). */
  "feed.removeDate": ((p, r) => r.authorId === p.userId || isDirectorOf(p, r.uai)) as Rule<DateResource>,
  /** 54I–54J: urgent messages by a class's teachers (that class), a school's director, inspectors, advisers,
   *  municipality staff and the académie for their perimeter; to the whole platform by the académie. */
  "feed.announce": ((p, r) => {
    if (r.kind === "platform") return isAcademieAdmin(p);
    if (r.kind === "perimeter") return hasRole(p, PERIMETER_AUTHORS);
    if (!reaches(p, r.uai)) return false;
    if (r.kind === "class" && r.teacherIds.includes(p.userId)) return true;
    return isDirectorOf(p, r.uai) || hasRole(p, [...PERIMETER_AUTHORS, "academie_admin"]);
  }) as Rule<SchoolResource | ClassResource | PlatformResource | PerimeterResource>,
  /** 54J: an announcement is withdrawn by its author alone. */
  "feed.withdraw": ((p, r) => r.authorId === p.userId) as Rule<AnnouncementResource>,
  /** 2.1.2: an announcement may address pupils — except from municipality staff (unless they also act as the
   *  académie or an adviser). */
  "feed.addressPupils": ((p) => addressesPupils(p)) as Rule<PlatformResource>,
};
