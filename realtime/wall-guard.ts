// What a wall's sockets may change (54B; issue 21 F2, F4), checked on the update itself before it is applied
// (Y.decodeUpdate + lookups in the room's document), for every role, moderators included:
// - only post-its: Y.Maps under "postits", keyed by an id of at most 64 characters;
// - each field of its type and size: text within the 500 characters the page shows, a colour of the list, finite
//   positions, a whole column, a boolean approval — no other field, no shared type inside a post-it;
// - authorship is the server's: a new post-it carries the ticket's user id, and its author's name and creation time
//   are rewritten from the ticket and the server's clock in the same transaction (no screen ever shows what the
//   client claimed); afterwards nobody changes them;
// - members change and delete only their own post-its and never the approval (on a moderated wall a new post-it
//   waits, whatever the client says); moderators change the editable fields of any post-it and delete any.
// A refused update closes that socket (4403).
import * as Y from "yjs";
import type { GuardVerdict, Ticket } from "./room";
import { parseRoomId } from "./protocol";
import { POSTIT_COLOURS, POSTIT_MAX_TEXT, postitsOf, type PostitColour } from "./wall-model";

const ROOT = "postits";
const MAX_ID = 64;
/** Positions are clamped to the canvas when read; anything far beyond a real drag is refused. */
const MAX_POSITION = 100_000;
const MAX_COLUMN = 99;

const position = (v: unknown) => typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= MAX_POSITION;
/** Every field a post-it may hold, and what its value must be. */
const FIELDS: Record<string, (v: unknown) => boolean> = {
  text: (v) => typeof v === "string" && v.length <= POSTIT_MAX_TEXT,
  colour: (v) => POSTIT_COLOURS.includes(v as PostitColour),
  x: position,
  y: position,
  column: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_COLUMN,
  approved: (v) => typeof v === "boolean",
  authorId: (v) => typeof v === "string",
  authorName: (v) => typeof v === "string" && v.length <= 120,
  createdAt: (v) => typeof v === "string" && v.length <= 40,
};
/** What may change on an existing post-it: its author's (members) or anyone's (moderators). Never the authorship. */
const EDITABLE = new Set(["text", "colour", "x", "y", "column"]);
const MODERATOR_EDITABLE = new Set([...EDITABLE, "approved"]);

/** Budgets of one update (a post-it typed, moved or removed is far below them). */
const MAX_STRUCTS = 2_000;
const MAX_RANGES = 2_000;
const MAX_DELETED_STRUCTS = 20_000;

type Where = { root: string; sub: string | null } | { type: Y.ID; sub: string | null } | null;
/** The post-it a field belongs to: its author, and whether this update creates it. */
type PostitRef = { author: string; isNew: boolean } | "deleted" | null;

const idKey = (id: Y.ID) => `${id.client}:${id.clock}`;

/** A map field's value: one plain value, or a tombstone (content already deleted); anything else is refused. */
function fieldValue(item: Y.Item): { value: unknown } | "tombstone" | null {
  if (item.content instanceof Y.ContentDeleted) return "tombstone";
  if (!(item.content instanceof Y.ContentAny)) return null;
  const values = item.content.getContent();
  return values.length === 1 ? { value: values[0] } : null;
}

export function wallGuard(doc: Y.Doc, update: Uint8Array, ticket: Ticket, now: number): GuardVerdict {
  const moderator = ticket.role === "moderator";
  const moderated = ticket.role === "member:moderated";
  const editable = moderator ? MODERATOR_EDITABLE : EDITABLE;
  const { structs, ds } = Y.decodeUpdate(update);
  // A fixed budget per update: a pupil's edit is a few structs and a few ranges, never thousands.
  let ranges = 0;
  for (const list of ds.clients.values()) ranges += list.length;
  if (structs.length > MAX_STRUCTS || ranges > MAX_RANGES) return false;
  const fresh = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) fresh.set(idKey(s.id), s);

  const docItem = (id: Y.ID): Y.Item | null => {
    if (id.clock >= Y.getState(doc.store, id.client)) return null;
    const found = Y.getItem(doc.store, id);
    return found instanceof Y.Item ? found : null;
  };
  const whereOfDocItem = (item: Y.Item): Where => {
    const parent = item.parent as Y.AbstractType<unknown> | null;
    if (!parent || !(parent instanceof Y.AbstractType)) return null;
    if (parent._item === null) return { root: Y.findRootTypeKey(parent), sub: item.parentSub };
    return { type: parent._item.id, sub: item.parentSub };
  };
  const whereOf = (item: Y.Item, depth = 0): Where => {
    if (depth > 64) return null;
    const p = item.parent as unknown;
    if (typeof p === "string") return { root: p, sub: item.parentSub };
    if (p instanceof Y.ID) return { type: p, sub: item.parentSub };
    if (p instanceof Y.AbstractType) return whereOfDocItem(item);
    // Omitted parent: the same as its neighbour's.
    const near = item.origin ?? item.rightOrigin;
    if (!near) return null;
    const neighbour = fresh.get(idKey(near)) ?? docItem(near);
    if (!neighbour) return null;
    const w = neighbour === fresh.get(idKey(near)) ? whereOf(neighbour, depth + 1) : whereOfDocItem(neighbour);
    return w && { ...w, sub: item.parentSub ?? w.sub };
  };
  const isPostitMap = (item: Y.Item, w: Where) =>
    !!w &&
    "root" in w &&
    w.root === ROOT &&
    item.content instanceof Y.ContentType &&
    item.content.type instanceof Y.Map;
  /** Every author id this update writes into the new post-it `typeId` (all must be the ticket's). */
  const freshAuthorIds = (typeId: Y.ID): unknown[] => {
    const out: unknown[] = [];
    for (const s of fresh.values()) {
      if (!(s.parent instanceof Y.ID) || idKey(s.parent) !== idKey(typeId) || s.parentSub !== "authorId") continue;
      const v = fieldValue(s);
      out.push(v && v !== "tombstone" ? v.value : null);
    }
    return out;
  };
  /** The post-it whose Y.Map lives in the item `typeId`; "deleted" when it is gone (a harmless race). */
  const postitAt = (typeId: Y.ID): PostitRef => {
    const existing = docItem(typeId);
    if (existing) {
      if (existing.deleted) return "deleted";
      if (!isPostitMap(existing, whereOfDocItem(existing))) return null;
      const map = (existing.content as Y.ContentType).type as Y.Map<unknown>;
      return { author: String(map.get("authorId") ?? ""), isNew: false };
    }
    const created = fresh.get(idKey(typeId));
    if (!created || !isPostitMap(created, whereOf(created))) return null;
    return { author: ticket.userId, isNew: true };
  };

  const createdKeys: string[] = [];
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const w = whereOf(s);
    if (!w) return false;
    if ("root" in w) {
      // A new post-it: under "postits", a short key nobody uses yet, a Y.Map signed with this user's id only.
      if (!isPostitMap(s, w) || !w.sub || w.sub.length > MAX_ID || postitsOf(doc).has(w.sub)) return false;
      const ids = freshAuthorIds(s.id);
      if (ids.length === 0 || ids.some((id) => id !== ticket.userId)) return false;
      createdKeys.push(w.sub);
      continue;
    }
    const postit = postitAt(w.type);
    if (postit === "deleted") continue;
    if (!postit || !w.sub) return false;
    const value = fieldValue(s);
    if (!value || (value !== "tombstone" && !FIELDS[w.sub]?.(value.value))) return false;
    if (postit.isNew) continue;
    if ((!moderator && postit.author !== ticket.userId) || !editable.has(w.sub)) return false;
  }

  // Deletions: only the items that exist are walked, struct by struct, and only up to the document's own state for
  // that client — a range may claim up to 2⁵³ clocks, and walking it clock by clock froze the hub (issue 21 F1).
  const deleted: Y.Item[] = [];
  let visits = 0;
  for (const [client, ranges] of ds.clients) {
    const state = Y.getState(doc.store, client);
    const known = doc.store.clients.get(client);
    for (const range of ranges) {
      // Beyond the document's state: what this very update adds, or nothing at all — it changes nobody's post-it.
      const end = Math.min(range.clock + range.len, state);
      if (!known || range.clock >= end) continue;
      for (let i = Y.findIndexSS(known, range.clock); i < known.length && known[i]!.id.clock < end; i++) {
        if (++visits > MAX_DELETED_STRUCTS) return false;
        const item = known[i];
        if (item instanceof Y.Item && !item.deleted) deleted.push(item);
      }
    }
  }
  // Whole post-its first (their fields go with them), then fields removed or replaced on their own.
  const removedPostits = new Set<string>();
  for (const item of deleted) {
    const w = whereOfDocItem(item);
    if (!w) return false;
    if (!("root" in w)) continue;
    if (!isPostitMap(item, w)) return false;
    const author = ((item.content as Y.ContentType).type as Y.Map<unknown>).get("authorId");
    if (!moderator && author !== ticket.userId) return false;
    removedPostits.add(idKey(item.id));
  }
  for (const item of deleted) {
    const w = whereOfDocItem(item);
    if (!w || "root" in w || removedPostits.has(idKey(w.type))) continue;
    const postit = postitAt(w.type);
    if (postit === "deleted") continue;
    if (!postit || !w.sub) return false;
    // A field replaced or removed: one the user may edit on this post-it; the authorship never.
    if ((!moderator && postit.author !== ticket.userId) || !editable.has(w.sub)) return false;
  }

  if (createdKeys.length === 0) return true;
  // The server's corrections, applied with the update: the name from the ticket, the time from the server's clock,
  // and a moderated wall's post-it waiting for approval.
  const createdAt = new Date(now).toISOString();
  return (d) => {
    for (const key of createdKeys) {
      const m = postitsOf(d).get(key);
      if (!(m instanceof Y.Map)) continue;
      if (m.get("authorName") !== ticket.name) m.set("authorName", ticket.name);
      if (m.get("createdAt") !== createdAt) m.set("createdAt", createdAt);
      if (moderated && m.get("approved") !== false) m.set("approved", false);
    }
  };
}

/** The guard a room applies to its sockets' updates, by the room's kind (walls; documents have a byte budget only). */
export function guardFor(
  roomId: string,
): ((doc: Y.Doc, update: Uint8Array, ticket: Ticket, now: number) => GuardVerdict) | undefined {
  return parseRoomId(roomId)?.kind === "wall" ? wallGuard : undefined;
}
