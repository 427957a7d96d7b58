// Live documents (56B): title, owner, school and sharing in Postgres; the content in the document's room. The text
// is derived from the room's content on save (search); the read-only view and the exports read the room.
import { eq, sql } from "drizzle-orm";
import type * as Y from "yjs";
import { documents } from "../../../db/schema/documents";
import { containsPattern, rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { CLOSE, parseRoomId, roomIdOf } from "../../../realtime/protocol";
import { blocksToHtml, blocksToText, escapeHtml, readBlocks } from "../../../realtime/document-model";
import { auditAction } from "../audit";
import { notifyFromUserScope } from "../notifications/notifications";
import type { Found } from "../directory/directory";
import { can, type DocumentResource } from "../../policy";
import { activeProfiles, displayName, type Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { isId } from "../../validation";
import { documentToOdt } from "../../formats/odt";
import type { RoomAdmission } from "./walls";

export const DOCUMENT_TITLE_MAX = 120;
/** The longest search the list accepts (longer: a message, and the first characters searched). */
export const DOCUMENT_SEARCH_MAX = 100;
export type Sharing = DocumentResource["sharing"];
export type Access = DocumentResource["access"];
export const SHARINGS: readonly Sharing[] = ["private", "class", "staff"];
export const ACCESSES: readonly Access[] = ["read", "write"];
export const EXPORT_FORMATS = ["html", "odt"] as const;

export interface DocumentRecord {
  id: string;
  uai: string;
  title: string;
  ownerId: string | null;
  ownerName: string | null;
  sharing: Sharing;
  classId: string | null;
  className: string | null;
  access: Access;
  updatedAt: Date;
  resource: DocumentResource;
}

export function documentRoomId(d: { uai: string; id: string }): string {
  return roomIdOf({ uai: d.uai, kind: "doc", id: d.id });
}

interface Row {
  id: string;
  uai: string;
  title: string;
  owner_id: string | null;
  owner_name: string | null;
  sharing: Sharing;
  class_id: string | null;
  class_name: string | null;
  access: Access;
  updated_at: string | Date;
  member_ids: string[];
}

const SELECT = sql`
  select d.id, d.uai, d.title, d.owner_id, u.first_name || ' ' || u.last_name as owner_name, d.sharing, d.class_id,
    c.name as class_name, d.access, d.updated_at,
    coalesce((select array_agg(m.user_id::text) from class_members m where m.class_id = d.class_id), '{}') as member_ids
  from documents d left join users u on u.id = d.owner_id left join classes c on c.id = d.class_id`;

function toRecord(r: Row): DocumentRecord {
  return {
    id: r.id,
    uai: r.uai,
    title: r.title,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    sharing: r.sharing,
    classId: r.class_id,
    className: r.class_name,
    access: r.access,
    updatedAt: new Date(r.updated_at),
    resource: {
      kind: "document",
      uai: r.uai,
      ownerId: r.owner_id,
      sharing: r.sharing,
      access: r.access,
      memberIds: r.member_ids,
    },
  };
}

export async function findDocument(tx: Tx, id: string): Promise<DocumentRecord | null> {
  if (!isId(id)) return null;
  const [row] = rowsOf<Row>(await tx.execute(sql`${SELECT} where d.id = ${id}`));
  return row ? toRecord(row) : null;
}

/** A private document the user would own in their active school (what "document.create" is asked on). */
function newDocument(p: Principal, uai: string): DocumentResource {
  return { kind: "document", uai, ownerId: p.userId, sharing: "private", access: "read", memberIds: [] };
}

/** The documents page: what the user may open (searched), and whether they may create; null without rooms. */
export async function documentsPage(
  deps: ServiceDeps,
  p: Principal,
  query: string,
): Promise<{ documents: DocumentRecord[]; canCreate: boolean } | null> {
  if (!deps.rooms) return null;
  const documents = await inTenant(deps, p, (tx) => visibleDocuments(tx, p, query));
  return { documents, canCreate: !!p.activeUai && can(p, "document.create", newDocument(p, p.activeUai)) };
}

/** Documents of the active school this user may open: their own and those shared with them; optionally searched. */
async function visibleDocuments(tx: Tx, p: Principal, query = ""): Promise<DocumentRecord[]> {
  if (!p.activeUai) return [];
  const q = query.trim();
  const pattern = containsPattern(q);
  const rows = rowsOf<Row>(
    await tx.execute(
      q
        ? sql`${SELECT} where d.uai = ${p.activeUai} and (d.title ilike ${pattern} or d.text ilike ${pattern})
            order by d.updated_at desc limit 200`
        : sql`${SELECT} where d.uai = ${p.activeUai} order by d.updated_at desc limit 200`,
    ),
  );
  return rows.map(toRecord).filter((d) => can(p, "document.view", d.resource));
}

/** 58D: the documents a pupil of the class opens — those shared with the class, asked of the policy for `viewer`
 *  (nobody, standing for a pupil of the class: a member of it, owner of nothing); a parent opens none. */
export async function classDocuments(
  tx: Tx,
  viewer: Principal,
  klass: { id: string; uai: string },
): Promise<DocumentRecord[]> {
  const member = activeProfiles(viewer).includes("pupil");
  const rows = rowsOf<Row>(
    await tx.execute(sql`${SELECT} where d.uai = ${klass.uai} order by d.updated_at desc limit 200`),
  );
  return rows.map(toRecord).filter((d) =>
    can(viewer, "document.view", {
      ...d.resource,
      memberIds: member && d.classId === klass.id ? [viewer.userId] : [],
    }),
  );
}

export function checkTitle(title: string): "required" | "too_long" | null {
  const v = title.trim();
  if (!v) return "required";
  if (v.length > DOCUMENT_TITLE_MAX) return "too_long";
  return null;
}

export async function createDocument(
  deps: ServiceDeps,
  p: Principal,
  title: string,
): Promise<
  | { kind: "created"; id: string }
  | { kind: "invalid"; error: "required" | "too_long" }
  | { kind: "forbidden" }
  | { kind: "not_found" }
> {
  if (!deps.rooms) return { kind: "not_found" };
  const error = checkTitle(title);
  if (error) return { kind: "invalid", error };
  const uai = p.activeUai;
  if (!uai || !can(p, "document.create", newDocument(p, uai))) return { kind: "forbidden" };
  return inTenant(deps, p, async (tx) => {
    const [row] = await tx
      .insert(documents)
      .values({ uai, title: title.trim(), ownerId: p.userId, createdAt: deps.now, updatedAt: deps.now })
      .returning({ id: documents.id });
    await auditAction(tx, deps, p, {
      action: "document.created",
      target: row!.id,
      uai,
      details: { title: title.trim() },
    });
    return { kind: "created" as const, id: row!.id };
  });
}

export interface DocumentView extends DocumentRecord {
  roomId: string;
  canEdit: boolean;
  canManage: boolean;
  html: string;
  /** Classes the owner may share with (their own classes). */
  classes: { id: string; name: string }[];
}

export async function documentView(deps: ServiceDeps, p: Principal, id: string): Promise<Found<DocumentView>> {
  const { rooms } = deps;
  if (!rooms) return { kind: "not_found" };
  const loaded = await inTenant(
    deps,
    p,
    async (tx): Promise<(DocumentRecord & { classes: { id: string; name: string }[] }) | null> => {
      const d = await findDocument(tx, id);
      if (!d || !can(p, "document.view", d.resource)) return d ? { ...d, classes: [] } : null;
      const classes = can(p, "document.manage", d.resource)
        ? rowsOf<{ id: string; name: string }>(
            await tx.execute(sql`
      select c.id, c.name from classes c join class_members m on m.class_id = c.id
      where m.user_id = ${p.userId} and c.uai = ${d.uai} order by c.name`),
          )
        : [];
      return { ...d, classes };
    },
  );
  if (!loaded) return { kind: "not_found" };
  if (!can(p, "document.view", loaded.resource)) return { kind: "forbidden" };
  const html = await rooms.read(documentRoomId(loaded), (doc) => blocksToHtml(readBlocks(doc)));
  return {
    kind: "ok",
    value: {
      ...loaded,
      roomId: documentRoomId(loaded),
      canEdit: can(p, "document.edit", loaded.resource),
      canManage: can(p, "document.manage", loaded.resource),
      html,
    },
  };
}

/** The websocket upgrade's decision (src/services/collaboration/rooms.ts): refused, or a ticket that may write or
 *  only read. The ticket's role "adult" keeps the socket open when the owner shares with the school's adults. */
export async function documentAdmission(tx: Tx, p: Principal, id: string): Promise<RoomAdmission> {
  const d = await findDocument(tx, id);
  if (!d) return { refuse: CLOSE.notFound, reason: "document introuvable" };
  if (!can(p, "document.view", d.resource)) return { refuse: CLOSE.forbidden, reason: "accès refusé" };
  const adult = can(p, "document.view", { ...d.resource, ownerId: null, sharing: "staff" });
  return {
    ticket: {
      userId: p.userId,
      name: displayName(p),
      canWrite: can(p, "document.edit", d.resource),
      role: adult ? "adult" : "member",
    },
    uai: d.uai,
  };
}

export interface SharingInput {
  sharing: string;
  classId: string;
  access: string;
}
export type SharingOutcome = "ok" | "forbidden" | "not_found" | "sharing_invalid" | "class_invalid" | "access_invalid";

/** The owner shares (or stops sharing): saved, audited; sockets of people who lost access are closed (4401). */
export async function saveSharing(
  deps: ServiceDeps,
  p: Principal,
  id: string,
  input: SharingInput,
): Promise<SharingOutcome> {
  const { rooms } = deps;
  if (!rooms) return "not_found";
  if (!SHARINGS.includes(input.sharing as Sharing)) return "sharing_invalid";
  if (!ACCESSES.includes(input.access as Access)) return "access_invalid";
  const outcome = await inTenant(deps, p, async (tx) => {
    const d = await findDocument(tx, id);
    if (!d) return "not_found" as const;
    if (!can(p, "document.manage", d.resource)) return "forbidden" as const;
    let classId: string | null = null;
    let memberIds: string[] = [];
    if (input.sharing === "class") {
      if (!isId(input.classId)) return "class_invalid" as const;
      const [own] = rowsOf<{ ok: boolean }>(
        await tx.execute(sql`
        select true as ok from class_members m join classes c on c.id = m.class_id
        where m.class_id = ${input.classId} and m.user_id = ${p.userId} and c.uai = ${d.uai}`),
      );
      if (!own) return "class_invalid" as const;
      classId = input.classId;
      memberIds = rowsOf<{ id: string }>(
        await tx.execute(sql`select user_id::text as id from class_members where class_id = ${classId}`),
      ).map((r) => r.id);
    }
    const sharing = input.sharing as Sharing;
    const access = input.access as Access;
    await tx.update(documents).set({ sharing, classId, access, updatedAt: deps.now }).where(eq(documents.id, id));
    await auditAction(tx, deps, p, {
      action: "document.sharing",
      target: id,
      uai: d.uai,
      details: { sharing, classId, access },
    });
    // 54I: the class it is newly shared with is told (the feed's app events); a re-share to the same class is not news.
    if (sharing === "class" && (d.sharing !== "class" || d.classId !== classId)) {
      await notifyFromUserScope(
        tx,
        memberIds.filter((m) => m !== p.userId),
        {
          kind: "document.shared",
          title: `Document partagé : ${d.title}`,
          body: `${displayName(p)} partage ce document avec la classe.`,
          link: `/documents/${id}`,
        },
        deps.now,
        deps.delivery,
      );
    }
    return { record: d, resource: { ...d.resource, sharing, access, memberIds } as DocumentResource };
  });
  if (typeof outcome === "string") return outcome;
  const { record, resource } = outcome;
  // Those still allowed keep their socket with the new right; the others are closed (4401).
  await rooms.retune(documentRoomId(record), (t) => {
    if (t.userId === resource.ownerId) return t;
    const shared =
      (resource.sharing === "class" && resource.memberIds.includes(t.userId)) ||
      (resource.sharing === "staff" && t.role === "adult");
    return shared ? { ...t, canWrite: resource.access === "write" } : "close";
  });
  return "ok";
}

export async function renameDocument(
  deps: ServiceDeps,
  p: Principal,
  id: string,
  title: string,
): Promise<"ok" | "required" | "too_long" | "forbidden" | "not_found"> {
  if (!deps.rooms) return "not_found";
  const error = checkTitle(title);
  if (error) return error;
  return inTenant(deps, p, async (tx) => {
    const d = await findDocument(tx, id);
    if (!d) return "not_found" as const;
    if (!can(p, "document.manage", d.resource)) return "forbidden" as const;
    await tx.update(documents).set({ title: title.trim(), updatedAt: deps.now }).where(eq(documents.id, id));
    await auditAction(tx, deps, p, {
      action: "document.renamed",
      target: id,
      uai: d.uai,
      details: { title: title.trim() },
    });
    return "ok" as const;
  });
}

export interface Export {
  fileName: string;
  contentType: string;
  body: Uint8Array | string;
}

export async function exportDocument(
  deps: ServiceDeps,
  p: Principal,
  id: string,
  format: string,
): Promise<Found<Export>> {
  const { rooms } = deps;
  if (!rooms || !(EXPORT_FORMATS as readonly string[]).includes(format)) return { kind: "not_found" };
  const d = await inTenant(deps, p, (tx) => findDocument(tx, id));
  if (!d) return { kind: "not_found" };
  if (!can(p, "document.view", d.resource)) return { kind: "forbidden" };
  const blocks = await rooms.read(documentRoomId(d), (doc) => readBlocks(doc));
  const base =
    d.title
      .replace(/[^\p{L}\p{N} _-]+/gu, "")
      .trim()
      .slice(0, 80) || "document";
  if (format === "html") {
    const body =
      `<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(d.title)}</title></head>\n` +
      `<body><h1>${escapeHtml(d.title)}</h1>\n${blocksToHtml(blocks)}\n</body></html>\n`;
    return { kind: "ok", value: { fileName: `${base}.html`, contentType: "text/html; charset=utf-8", body } };
  }
  return {
    kind: "ok",
    value: {
      fileName: `${base}.odt`,
      contentType: "application/vnd.oasis.opendocument.text",
      body: documentToOdt(d.title, blocks),
    },
  };
}

/** Called after a document's room stored changes (debounced): the search text follows the content. */
export async function saveDocumentText(db: Database, roomId: string, doc: Y.Doc, now: Date): Promise<void> {
  const room = parseRoomId(roomId);
  if (room?.kind !== "doc") return;
  const text = blocksToText(readBlocks(doc)).slice(0, 200_000);
  await withTenant(db, systemScope, async (tx) => {
    await tx.update(documents).set({ text, updatedAt: now }).where(eq(documents.id, room.id));
  });
}
