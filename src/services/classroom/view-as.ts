// "Voir comme un élève / un parent" (58D): a class's teachers and staff and the school's director see, read-only, what
// a pupil or a parent of the class sees — the class's homework log and the liaison notes its parents receive. Built by
// the very functions that build the pupils' and parents' pages (homework weekFor, liaison notesFor), with no ticker and
// no child, so nothing in it can be ticked, acknowledged or answered; anyone else is told it does not exist.
import type { Tx } from "../../../db/client";
import { accessOf, classFacts, type ClassFacts } from "./class-access";
import { weekFor, weekMonday, type HomeworkWeek } from "./homework";
import { notesFor, type NoteForParent } from "./liaison";
import type { Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";

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
