// The app launcher's catalogue, as data. An app appears here once it exists; each names the profiles that
// may use it. What a user sees = allowed for their profiles − hidden by their teacher (57D) − hidden by them (57C).
import { profileKind } from "../../../db/schema";
import type { MessageKey } from "../../i18n";
import { activeProfiles, type Principal, type ProfileKind } from "../principal";

export type IconName =
  | "classes"
  | "school"
  | "schools"
  | "account"
  | "help"
  | "settings"
  | "audit"
  | "directory"
  | "duplicates"
  | "wall"
  | "document"
  | "messages"
  | "news"
  | "connector"
  | "homework"
  | "liaison"
  | "attendance"
  | "poll"
  | "agenda";

export interface AppDefinition {
  id: string;
  name: MessageKey;
  description: MessageKey;
  path: string;
  icon: IconName;
  /** Colour code of the tile (51J): pupils find apps by colour and pictogram before they read. */
  colour: "blue" | "green" | "orange" | "purple" | "red" | "teal" | "grey";
  profiles: readonly ProfileKind[];
  /** Whether a user (57C) or a teacher for their class (57D) may hide it. */
  hideable: boolean;
}

/** Every profile there is: the apps everyone may open. */
const EVERYONE: readonly ProfileKind[] = profileKind.enumValues;

export const APPS: readonly AppDefinition[] = [
  {
    id: "classes",
    name: "app.classes.name",
    description: "app.classes.description",
    path: "/classes",
    icon: "classes",
    colour: "blue",
    profiles: ["pupil", "parent", "teacher", "director", "staff"],
    hideable: true,
  },
  {
    id: "school",
    name: "app.school.name",
    description: "app.school.description",
    path: "/ecole",
    icon: "school",
    colour: "green",
    profiles: ["teacher", "director", "staff", "guest"],
    hideable: true,
  },
  {
    id: "schools",
    name: "app.schools.name",
    description: "app.schools.description",
    path: "/ecoles",
    icon: "schools",
    colour: "teal",
    profiles: ["inspector", "adviser", "municipality", "academie_admin"],
    hideable: false,
  },
  {
    id: "settings",
    name: "app.settings.name",
    description: "app.settings.description",
    path: "/ecole/reglages",
    icon: "settings",
    colour: "orange",
    profiles: ["director"],
    hideable: false,
  },
  {
    id: "audit",
    name: "app.audit.name",
    description: "app.audit.description",
    path: "/admin/audit",
    icon: "audit",
    colour: "red",
    profiles: ["academie_admin"],
    hideable: false,
  },
  {
    id: "aaf",
    name: "app.aaf.name",
    description: "app.aaf.description",
    path: "/admin/annuaire",
    icon: "directory",
    colour: "blue",
    profiles: ["academie_admin"],
    hideable: false,
  },
  {
    id: "duplicates",
    name: "app.duplicates.name",
    description: "app.duplicates.description",
    path: "/ecole/doublons",
    icon: "duplicates",
    colour: "orange",
    profiles: ["director"],
    hideable: false,
  },
  {
    id: "news",
    name: "feed.app.name",
    description: "feed.app.description",
    path: "/fil",
    icon: "news",
    colour: "red",
    profiles: EVERYONE,
    hideable: false,
  },
  {
    id: "homework",
    name: "homework.app.name",
    description: "homework.app.description",
    path: "/cahier",
    icon: "homework",
    colour: "green",
    profiles: ["pupil", "parent", "teacher", "director", "staff"],
    hideable: true,
  },
  // evening page: /ce-soir, the family's evening check (the next days' work, the notes to read)
  {
    id: "evening",
    name: "evening.app.name",
    description: "evening.app.description",
    path: "/ce-soir",
    icon: "homework",
    colour: "green",
    profiles: ["pupil", "parent"],
    hideable: true,
  },
  {
    id: "liaison",
    name: "liaison.app.name",
    description: "liaison.app.description",
    path: "/carnet",
    icon: "liaison",
    colour: "orange",
    profiles: ["parent", "teacher", "director"],
    hideable: false,
  },
  {
    id: "attendance",
    name: "attendance.app.name",
    description: "attendance.app.description",
    path: "/appel",
    icon: "attendance",
    colour: "blue",
    profiles: ["teacher", "director"],
    hideable: false,
  },
  {
    id: "absences",
    name: "attendance.parent_title",
    description: "attendance.parent_description",
    path: "/absences",
    icon: "attendance",
    colour: "blue",
    profiles: ["parent"],
    hideable: false,
  },
  {
    id: "agenda",
    name: "agenda.title",
    description: "agenda.app.description",
    path: "/agenda",
    icon: "agenda",
    colour: "teal",
    profiles: ["pupil", "parent", "teacher", "director", "staff"],
    hideable: true,
  },
  {
    id: "polls",
    name: "poll.title",
    description: "poll.app.description",
    path: "/sondages",
    icon: "poll",
    colour: "purple",
    profiles: ["pupil", "parent", "teacher", "director", "staff", "municipality"],
    hideable: true,
  },
  {
    id: "messages",
    name: "message.app.name",
    description: "message.app.description",
    path: "/messagerie",
    icon: "messages",
    colour: "purple",
    profiles: ["pupil", "parent", "teacher", "director", "staff", "municipality"],
    hideable: true,
  },
  {
    id: "messaging_admin",
    name: "app.messaging_admin.name",
    description: "app.messaging_admin.description",
    path: "/admin/messagerie",
    icon: "messages",
    colour: "red",
    profiles: ["academie_admin"],
    hideable: false,
  },
  {
    id: "wall",
    name: "wall.app.name",
    description: "wall.app.description",
    path: "/murs",
    icon: "wall",
    colour: "orange",
    profiles: ["pupil", "teacher", "director", "staff"],
    hideable: true,
  },
  {
    id: "documents",
    name: "document.app.name",
    description: "document.app.description",
    path: "/documents",
    icon: "document",
    colour: "teal",
    profiles: ["pupil", "teacher", "director", "staff"],
    hideable: true,
  },
  {
    id: "connectors",
    name: "connector.admin.title",
    description: "connector.app.description",
    path: "/admin/connecteurs",
    icon: "connector",
    colour: "teal",
    profiles: ["academie_admin", "municipality"],
    hideable: false,
  },
  {
    id: "account",
    name: "app.account.name",
    description: "app.account.description",
    path: "/compte",
    icon: "account",
    colour: "purple",
    profiles: EVERYONE,
    hideable: false,
  },
  {
    id: "help",
    name: "app.help.name",
    description: "app.help.description",
    path: "/aide",
    icon: "help",
    colour: "grey",
    profiles: EVERYONE,
    hideable: false,
  },
];

export const HIDEABLE_APPS = APPS.filter((a) => a.hideable);

export function appById(id: string): AppDefinition | undefined {
  return APPS.find((a) => a.id === id);
}

/** Apps the user's profiles allow, before anything is hidden. */
export function allowedApps(p: Principal): AppDefinition[] {
  const kinds = activeProfiles(p);
  return APPS.filter((a) => a.profiles.some((k) => kinds.includes(k)));
}

/**
 * The launcher: apps allowed, minus those the user hid, minus — for pupils and parents — those every
 * class teacher concerned hid by default (an app stays if one of the user's classes still shows it).
 */
export function launcherApps(
  p: Principal,
  hiddenByClasses: { forPupils: string[][]; forParents: string[][] },
): AppDefinition[] {
  const kinds = activeProfiles(p);
  const onlyFamily = kinds.every((k) => k === "pupil" || k === "parent");
  const classHidden = (lists: string[][]) =>
    lists.length === 0 ? new Set<string>() : new Set(lists.reduce((acc, l) => acc.filter((id) => l.includes(id))));
  const hiddenForPupil = kinds.includes("pupil") ? classHidden(hiddenByClasses.forPupils) : new Set<string>();
  const hiddenForParent = kinds.includes("parent") ? classHidden(hiddenByClasses.forParents) : new Set<string>();
  return allowedApps(p).filter((a) => {
    if (a.hideable && p.hiddenApps.includes(a.id)) return false;
    if (a.hideable && onlyFamily && (hiddenForPupil.has(a.id) || hiddenForParent.has(a.id))) return false;
    return true;
  });
}
