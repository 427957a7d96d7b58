// "Voir comme un élève / un parent" (58D): a class's teachers and staff and the school's director see, read-only, what
// a pupil or a parent of the class sees — the class's homework log and the liaison notes its parents receive, and the
// preview hub: the home launcher, the class's walls, its shared documents, its agenda and the news feed. Built by
// the very functions that build the pupils' and parents' pages (homework weekFor, liaison notesFor), with no ticker and
// no child, so nothing in it can be ticked, acknowledged or answered; anyone else is told it does not exist.
import type { Tx } from "../../../db/client";
import { accessOf, classFacts, type ClassFacts } from "./class-access";
import { weekFor, weekMonday, type HomeworkWeek } from "./homework";
import { notesFor, type NoteForParent } from "./liaison";
import type { Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { classAppSettings } from "../admin/school-settings";
import { launcherApps, type AppDefinition } from "../portal/apps";
import { approvedPostits, classWalls, type Wall } from "../collaboration/walls";
import { classDocuments, type DocumentRecord } from "../collaboration/documents";
import { classAgenda, type AgendaEntry, type CalendarInfo } from "./agenda";
import { classFeed, type Feed } from "../messaging/news-feed";
import type { Postit } from "../../../realtime/wall-model";

export type ViewAs = "pupil" | "parent";

/** The switch's words in addresses (`?voir=eleve`), and back. */
export const VIEW_AS_PARAM: Record<ViewAs, string> = { pupil: "eleve", parent: "parent" };
export function viewAsOf(param: string): ViewAs | null {
  return (Object.keys(VIEW_AS_PARAM) as ViewAs[]).find((k) => VIEW_AS_PARAM[k] === param) ?? null;
}

/** The class when the user may preview it: only with write access to it (accessOf), else null (a 404, not a 403). */
export async function previewableClass(tx: Tx, p: Principal, classId: string): Promise<ClassFacts | null> {
  const f = await classFacts(tx, p, classId);
  return accessOf(p, f) === "write" ? f : null;
}

/** The class's homework week as a pupil (or a parent) of the class reads it: read access, nobody's ticks. */
export async function homeworkPreview(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  weekOf: string | null,
  as: ViewAs,
): Promise<HomeworkWeek | null> {
  const monday = weekMonday(deps, weekOf);
  return inTenant(deps, p, async (tx) => {
    const f = await previewableClass(tx, p, classId);
    return f ? weekFor(tx, f, { access: "read", tickers: [], viewAs: as }, monday) : null;
  });
}

export interface LiaisonPreview {
  klass: { id: string; name: string; schoolName: string };
  notes: NoteForParent[];
}

/** The liaison notes a parent of the class receives: those for the class and those for the whole school. */
export async function liaisonPreview(deps: ServiceDeps, p: Principal, classId: string): Promise<LiaisonPreview | null> {
  return inTenant(deps, p, async (tx) => {
    const f = await previewableClass(tx, p, classId);
    if (!f) return null;
    return {
      klass: { id: f.id, name: f.name, schoolName: f.schoolName },
      notes: await notesFor(tx, { classId: f.id, uai: f.uai }),
    };
  });
}

/** Nobody's id: the viewer below owns nothing, ticked nothing, read nothing, is in no group and has no child. */
const NOBODY = "00000000-0000-0000-0000-000000000000";

/** "A pupil (or a parent) of the class" as the policy and the services read a user: that one profile in the class's
 *  school, nothing hidden by themselves, and nobody's id — never a real pupil's or parent's. */
export function classViewer(f: { uai: string; schoolName: string }, as: ViewAs): Principal {
  return {
    userId: NOBODY,
    sessionId: "",
    login: null,
    firstName: "",
    lastName: "",
    state: "active",
    source: "manual",
    charterAccepted: true,
    hasPassword: false,
    profiles: [{ uai: f.uai, schoolName: f.schoolName, profile: as }],
    structureRoles: [],
    activeUai: f.uai,
    perimeter: { all: false, uais: [f.uai] },
    font: "standard",
    hiddenApps: [],
    unreadNotifications: 0,
  };
}

/** How many days of the class's agenda the preview shows. */
export const PREVIEW_AGENDA_DAYS = 28;

export interface ClassPreview {
  klass: { id: string; name: string; schoolName: string };
  as: ViewAs;
  /** The home launcher: the apps of the profile, minus those the class's teachers hid for it (57D). */
  apps: AppDefinition[];
  walls: Wall[];
  documents: DocumentRecord[];
  agenda: { calendars: CalendarInfo[]; entries: AgendaEntry[]; from: string };
  feed: Pick<Feed, "urgent" | "dates">;
  /** Whether walls and documents can be listed at all (they live in realtime rooms). */
  rooms: boolean;
}

/** 58D: the class's home launcher, walls, shared documents, agenda and news feed as a pupil (or a parent) of it sees
 *  them, each built by the function that builds theirs, for the class's viewer; null (404) unless previewable. */
export async function classPreview(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  as: ViewAs,
): Promise<ClassPreview | null> {
  return inTenant(deps, p, async (tx) => {
    const f = await previewableClass(tx, p, classId);
    if (!f) return null;
    const viewer = classViewer(f, as);
    const hidden = await classAppSettings(tx, f.id);
    const rooms = !!deps.rooms;
    return {
      klass: { id: f.id, name: f.name, schoolName: f.schoolName },
      as,
      apps: launcherApps(viewer, {
        forPupils: as === "pupil" ? [hidden.hiddenForPupils] : [],
        forParents: as === "parent" ? [hidden.hiddenForParents] : [],
      }),
      walls: rooms ? await classWalls(tx, viewer, f) : [],
      documents: rooms ? await classDocuments(tx, viewer, f) : [],
      agenda: await classAgenda(tx, viewer, f, deps, PREVIEW_AGENDA_DAYS),
      feed: await classFeed(tx, { classId: f.id, uai: f.uai, profile: as }, deps),
      rooms,
    };
  });
}

export interface WallPreview {
  klass: { id: string; name: string; schoolName: string };
  wall: Wall;
  postits: Postit[];
}

/** 58D: one of the class's walls as a pupil of it reads it (the approved post-its); null (404) unless previewable
 *  and the wall is one a pupil of the class opens. */
export async function wallPreview(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  wallId: string,
): Promise<WallPreview | null> {
  const { rooms } = deps;
  if (!rooms) return null;
  const found = await inTenant(deps, p, async (tx) => {
    const f = await previewableClass(tx, p, classId);
    if (!f) return null;
    const wall = (await classWalls(tx, classViewer(f, "pupil"), f)).find((w) => w.id === wallId);
    return wall ? { klass: { id: f.id, name: f.name, schoolName: f.schoolName }, wall } : null;
  });
  return found ? { ...found, postits: await approvedPostits(rooms, found.wall) } : null;
}
