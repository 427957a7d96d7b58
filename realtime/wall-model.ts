// The wall's content inside its room (54B): a Y.Map "postits" of post-its, each a Y.Map of fields. Shared by the
// server (no-JS forms, HTML view) and the browser client, so both read and write the same shape. Values written by
// clients are never trusted: reads coerce and bound every field.
import * as Y from "yjs";

export const POSTIT_COLOURS = ["jaune", "rose", "bleu", "vert", "orange"] as const;
export type PostitColour = (typeof POSTIT_COLOURS)[number];
export const POSTIT_MAX_TEXT = 500;
/** The free canvas: larger than any screen, post-its placed anywhere inside. */
export const CANVAS = { width: 3000, height: 2000, postit: 180 } as const;

export interface Postit {
  id: string;
  authorId: string;
  authorName: string;
  text: string;
  colour: PostitColour;
  x: number;
  y: number;
  column: number;
  /** false while a moderated wall's teacher has not approved it. */
  approved: boolean;
  createdAt: string;
}

export function postitsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("postits");
}

const str = (v: unknown, max: number, fallback = "") => (typeof v === "string" ? v.slice(0, max) : fallback);
const num = (v: unknown, min: number, max: number) =>
  typeof v === "number" && Number.isFinite(v) ? Math.min(max, Math.max(min, Math.round(v))) : min;

export function readPostit(id: string, m: Y.Map<unknown>): Postit | null {
  if (!(m instanceof Y.Map)) return null;
  const colour = m.get("colour");
  return {
    id: id.slice(0, 64),
    authorId: str(m.get("authorId"), 64),
    authorName: str(m.get("authorName"), 120),
    text: str(m.get("text"), POSTIT_MAX_TEXT),
    colour: POSTIT_COLOURS.includes(colour as PostitColour) ? (colour as PostitColour) : "jaune",
    x: num(m.get("x"), 0, CANVAS.width - CANVAS.postit),
    y: num(m.get("y"), 0, CANVAS.height - CANVAS.postit),
    column: num(m.get("column"), 0, 20),
    approved: m.get("approved") !== false,
    createdAt: str(m.get("createdAt"), 40),
  };
}

/** Every post-it, oldest first. */
export function readPostits(doc: Y.Doc): Postit[] {
  const out: Postit[] = [];
  postitsOf(doc).forEach((m, id) => {
    const p = readPostit(id, m);
    if (p) out.push(p);
  });
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export function addPostit(doc: Y.Doc, p: Postit): void {
  const m = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(p)) if (k !== "id") m.set(k, v);
  postitsOf(doc).set(p.id, m);
}

export function updatePostit(
  doc: Y.Doc,
  id: string,
  fields: Partial<Omit<Postit, "id" | "authorId" | "createdAt">>,
): boolean {
  const m = postitsOf(doc).get(id);
  if (!(m instanceof Y.Map)) return false;
  doc.transact(() => {
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) m.set(k, v);
  });
  return true;
}

export function removePostit(doc: Y.Doc, id: string): boolean {
  if (!postitsOf(doc).has(id)) return false;
  postitsOf(doc).delete(id);
  return true;
}

/** Where a new post-it goes on the free canvas: a loose grid, so the no-JS ones do not pile up. */
export function nextSpot(count: number): { x: number; y: number } {
  const perRow = 8;
  return { x: 40 + (count % perRow) * (CANVAS.postit + 30), y: 40 + Math.floor(count / perRow) * (CANVAS.postit + 30) };
}
