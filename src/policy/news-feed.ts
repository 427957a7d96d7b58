// The news feed's authors (54H–54J).
import { reaches } from "../services/principal";
import { hasRole, isAcademieAdmin, isDirectorOf } from "./roles";
import type { ClassResource, PlatformResource, Rule, SchoolResource } from "./types";

export const newsFeedRules = {
  /** 54H: important dates by directors (their school), teachers (their classes), inspectors and advisers (their
   *  perimeter). */
  "feed.addDate": ((p, r) => {
    if (!reaches(p, r.uai)) return false;
    if (isDirectorOf(p, r.uai) || hasRole(p, ["inspector", "adviser"])) return true;
    return r.kind === "class" && r.teacherIds.includes(p.userId);
  }) as Rule<SchoolResource | ClassResource>,
  /** 54J: urgent messages by a school's director, and by advisers, municipality staff and the académie for their
   *  perimeter; to the whole platform by the académie. */
  "feed.announce": ((p, r) => {
    if (r.kind === "platform") return isAcademieAdmin(p);
    if (!reaches(p, r.uai)) return false;
    return isDirectorOf(p, r.uai) || hasRole(p, ["adviser", "municipality", "academie_admin"]);
  }) as Rule<SchoolResource | PlatformResource>,
};
