// What a wall's non-moderator sockets may change (54B): only their own post-its. Checked on the update itself, before
// it is applied (Y.decodeUpdate + lookups in the room's document): a pupil may add a post-it signed with their own id,
// change the fields of their post-its and delete them, nothing else — not another's post-it, not the author or the
// date of their own, not the approval on a moderated wall. A refused update closes that socket (4403).
import * as Y from "yjs";
import type { Ticket } from "./room";
import { parseRoomId } from "./protocol";
import { postitsOf } from "./wall-model";

const ROOT = "postits";
const EDITABLE = new Set(["text", "colour", "x", "y", "column", "authorName"]);
const ON_CREATE = new Set([...EDITABLE, "authorId", "approved", "createdAt"]);

/** Budgets of one member's update (a post-it typed, moved or removed is far below them). */
const MAX_STRUCTS = 2_000;
const MAX_RANGES = 2_000;
const MAX_DELETED_STRUCTS = 20_000;

type Where = { root: string; sub: string | null } | { type: Y.ID; sub: string | null } | null;

const idKey = (id: Y.ID) => `${id.client}:${id.clock}`;

export function wallGuard(doc: Y.Doc, update: Uint8Array, ticket: Ticket): boolean {
  if (ticket.role === "moderator") return true;
  const moderated = ticket.role === "member:moderated";
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
  /** Author of the post-it whose Y.Map lives in the item `typeId`; "deleted" when it is gone (a harmless race). */
  const authorOf = (typeId: Y.ID): string | "deleted" | null => {
    const existing = docItem(typeId);
    if (existing) {
      if (existing.deleted) return "deleted";
      const type = existing.content instanceof Y.ContentType ? existing.content.type : null;
      return type instanceof Y.Map ? String(type.get("authorId") ?? "") : null;
    }
    for (const s of fresh.values()) {
      const w = s.parent instanceof Y.ID && idKey(s.parent) === idKey(typeId) && s.parentSub === "authorId";
      if (w && s.content instanceof Y.ContentAny) return String(s.content.getContent()[0] ?? "");
    }
    return null;
  };

  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const w = whereOf(s);
    if (!w) return false;
    if ("root" in w) {
      // A new post-it: under "postits", a key nobody uses yet, a Y.Map signed by this user.
      if (w.root !== ROOT || !w.sub || postitsOf(doc).has(w.sub)) return false;
      if (!(s.content instanceof Y.ContentType) || !(s.content.type instanceof Y.Map)) return false;
      if (authorOf(s.id) !== ticket.userId) return false;
      continue;
    }
    const author = authorOf(w.type);
    if (author === "deleted") continue;
    if (author !== ticket.userId || !w.sub) return false;
    const isNew = fresh.has(idKey(w.type));
    if (!(isNew ? ON_CREATE : EDITABLE).has(w.sub)) return false;
    if (
      w.sub === "approved" &&
      moderated &&
      !(s.content instanceof Y.ContentAny && s.content.getContent()[0] === false)
    )
      return false;
  }

  // Deletions: only the items that exist are walked, struct by struct, and only up to the document's own state for
  // that client — a range may claim up to 2⁵³ clocks, and walking it clock by clock froze the hub (issue 21 F1).
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
        if (!(item instanceof Y.Item) || item.deleted) continue;
        const w = whereOfDocItem(item);
        if (!w) return false;
        if ("root" in w) {
          const type = item.content instanceof Y.ContentType ? item.content.type : null;
          if (w.root !== ROOT || !(type instanceof Y.Map) || type.get("authorId") !== ticket.userId) return false;
        } else {
          const author = authorOf(w.type);
          if (author !== "deleted" && author !== ticket.userId) return false;
        }
      }
    }
  }
  return true;
}

/** The guard a room applies to its non-moderators' updates, by the room's kind. */
export function guardFor(roomId: string): ((doc: Y.Doc, update: Uint8Array, ticket: Ticket) => boolean) | undefined {
  return parseRoomId(roomId)?.kind === "wall" ? wallGuard : undefined;
}
