// Collaborative walls (54B): records and settings in Postgres, post-its in the wall's realtime room. Every change
// made here (a form without JavaScript) goes through the room, so the sockets connected to it see it at once.
import { eq, sql } from "drizzle-orm";
import { walls } from "../../../db/schema/walls";
import { rowsOf, type Tx } from "../../../db/client";
import type { Rooms, Ticket } from "../../../realtime/port";
import { roomIdOf } from "../../../realtime/protocol";
import {
  addPostit,
  nextSpot,
  POSTIT_COLOURS,
  POSTIT_MAX_TEXT,
  postitsOf,
  readPostit,
  readPostits,
  removePostit,
  updatePostit,
  type Postit,
  type PostitColour,
} from "../../../realtime/wall-model";
import { auditAction } from "../audit";
import { notifyFromUserScope } from "../notifications/notifications";
import { classResource, type Found } from "../directory/directory";
import { can, type WallResource } from "../../policy";
import { activeProfiles, displayName, type Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { isId } from "../../validation";
import { CLOSE } from "../../../realtime/protocol";

export type WallMode = WallResource["mode"];
export type WallLayout = "free" | "columns";
export const WALL_MODES: readonly WallMode[] = ["open", "moderated", "closed"];
export const WALL_LAYOUTS: readonly WallLayout[] = ["free", "columns"];
export const WALL_TITLE_MAX = 120;
export const WALL_COLUMN_MAX = 40;
export const WALL_COLUMNS_MAX = 6;

export interface Wall {
  id: string;
  uai: string;
  title: string;
  scope: WallResource["scope"];
  classId: string | null;
  groupId: string | null;
  ownerId: string | null;
  layout: WallLayout;
  mode: WallMode;
  columns: string[];
  schoolName: string;
  targetName: string | null;
  resource: WallResource;
}

export interface WallView extends Wall {
  roomId: string;
  canPost: boolean;
  canModerate: boolean;
  /** Post-its this user may see (pending ones: their own, or all for a moderator). */
  postits: (Postit & { mine: boolean; canEdit: boolean })[];
}

export function wallRoomId(w: { uai: string; id: string }): string {
  return roomIdOf({ uai: w.uai, kind: "wall", id: w.id });
}

interface WallRow {
  id: string;
  uai: string;
  title: string;
  scope: WallResource["scope"];
  class_id: string | null;
  group_id: string | null;
  owner_id: string | null;
  layout: WallLayout;
  mode: WallMode;
  columns: string[];
  school_name: string;
  target_name: string | null;
  member_ids: string[];
  teacher_ids: string[];
}

const WALL_SELECT = sql`
  select w.id, w.uai, w.title, w.scope, w.class_id, w.group_id, w.owner_id, w.layout, w.mode, w.columns,
    s.name as school_name, coalesce(c.name, g.name) as target_name,
    coalesce(case when w.class_id is not null
                  then (select array_agg(m.user_id::text) from class_members m where m.class_id = w.class_id)
                  else (select array_agg(m.user_id::text) from group_members m where m.group_id = w.group_id)
                  end, '{}') as member_ids,
    coalesce(case when w.class_id is not null
                  then (select array_agg(m.user_id::text) from class_members m
                        where m.class_id = w.class_id and m.role = 'teacher')
                  when g.owner_id is not null then array[g.owner_id::text] end, '{}') as teacher_ids
  from walls w join schools s on s.uai = w.uai
  left join classes c on c.id = w.class_id left join groups g on g.id = w.group_id`;

function toWall(r: WallRow): Wall {
  return {
    id: r.id,
    uai: r.uai,
    title: r.title,
    scope: r.scope,
    classId: r.class_id,
    groupId: r.group_id,
    ownerId: r.owner_id,
    layout: r.layout,
    mode: r.mode,
    columns: r.columns,
    schoolName: r.school_name,
    targetName: r.target_name,
    resource: {
      kind: "wall",
      uai: r.uai,
      scope: r.scope,
      ownerId: r.owner_id,
      mode: r.mode,
      memberIds: r.member_ids,
      teacherIds: r.teacher_ids,
    },
  };
}

export async function findWall(tx: Tx, id: string): Promise<Wall | null> {
  if (!isId(id)) return null;
  const [row] = rowsOf<WallRow>(await tx.execute(sql`${WALL_SELECT} where w.id = ${id}`));
  return row ? toWall(row) : null;
}

/** The walls page: the walls the user may open and where they may create one; null where rooms are not available. */
export async function wallsPage(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ walls: Wall[]; targets: WallTargets } | null> {
  if (!deps.rooms) return null;
  return inTenant(deps, p, async (tx) => ({ walls: await visibleWalls(tx, p), targets: await wallTargets(tx, p) }));
}

/** The walls of the user's active school they may open, newest first. */
async function visibleWalls(tx: Tx, p: Principal): Promise<Wall[]> {
  if (!p.activeUai) return [];
  const rows = rowsOf<WallRow>(
    await tx.execute(sql`${WALL_SELECT} where w.uai = ${p.activeUai} order by w.created_at desc limit 200`),
  );
  return rows.map(toWall).filter((w) => can(p, "wall.view", w.resource));
}

/** 58D: the walls a pupil of the class opens — the school's and the class's, asked of the policy for `viewer` (nobody,
 *  standing for a pupil of the class: a member of it and of no group); a parent opens none. */
export async function classWalls(tx: Tx, viewer: Principal, klass: { id: string; uai: string }): Promise<Wall[]> {
  const member = activeProfiles(viewer).includes("pupil");
  const rows = rowsOf<WallRow>(
    await tx.execute(sql`${WALL_SELECT} where w.uai = ${klass.uai} order by w.created_at desc limit 200`),
  );
  return rows
    .map(toWall)
    .filter((w) =>
      can(viewer, "wall.view", { ...w.resource, memberIds: member && w.classId === klass.id ? [viewer.userId] : [] }),
    );
}

/** 58D: a wall's post-its as a pupil who wrote none of them sees it: the approved ones, read from the room. */
export async function approvedPostits(rooms: Rooms, wall: Wall): Promise<Postit[]> {
  const all = await rooms.read(wallRoomId(wall), (doc) => readPostits(doc));
  return all
    .filter((pi) => pi.approved)
    .map((pi) => ({ ...pi, column: Math.min(pi.column, Math.max(0, wall.columns.length - 1)) }));
}

export interface WallTargets {
  classes: { id: string; name: string }[];
  groups: { id: string; name: string }[];
  school: boolean;
}

/** Where this user may create a wall: their classes (all of them for a director), their groups, the school. */
async function wallTargets(tx: Tx, p: Principal): Promise<WallTargets> {
  const uai = p.activeUai;
  if (!uai) return { classes: [], groups: [], school: false };
  const blank = { kind: "wall", uai, ownerId: p.userId, mode: "open", memberIds: [], teacherIds: [] } as const;
  // Whoever may create a wall for a class they do not teach (the director) may for every class and group.
  const anyClass = can(p, "wall.create", { ...blank, scope: "class" });
  const classes = rowsOf<{ id: string; name: string }>(
    await tx.execute(
      anyClass
        ? sql`select id, name from classes where uai = ${uai} order by name`
        : sql`select c.id, c.name from classes c join class_members m on m.class_id = c.id
          where c.uai = ${uai} and m.user_id = ${p.userId} and m.role in ('teacher', 'staff') order by c.name`,
    ),
  );
  const groups = rowsOf<{ id: string; name: string }>(
    await tx.execute(
      anyClass
        ? sql`select id, name from groups where uai = ${uai} order by name`
        : sql`select id, name from groups where uai = ${uai} and owner_id = ${p.userId} order by name`,
    ),
  );
  return { classes, groups, school: can(p, "wall.create", { ...blank, scope: "school" }) };
}

export interface NewWall {
  title: string;
  target: string;
  layout: string;
  mode: string;
  columns: string;
}
export type WallErrors = Partial<
  Record<"title" | "target" | "layout" | "mode" | "columns", "required" | "too_long" | "invalid" | "too_many">
>;

export type CreateOutcome =
  | { kind: "created"; id: string }
  | { kind: "invalid"; errors: WallErrors }
  | { kind: "forbidden" }
  | { kind: "not_found" };

/** Where a wall is created, from the form's "ecole", "classe:<id>" or "groupe:<id>" (ids: the shared id rule). */
export type WallTarget = { kind: "ecole" } | { kind: "classe" | "groupe"; id: string };

export function wallTarget(value: string): WallTarget | null {
  if (value === "ecole") return { kind: "ecole" };
  const at = value.indexOf(":");
  const kind = value.slice(0, at);
  const id = value.slice(at + 1);
  return at > 0 && (kind === "classe" || kind === "groupe") && isId(id) ? { kind, id } : null;
}

/** Checks the creation form; `target` is "ecole", "classe:<id>" or "groupe:<id>". */
export function checkNewWall(input: NewWall): { errors: WallErrors; columns: string[] } {
  const errors: WallErrors = {};
  const title = input.title.trim();
  if (!title) errors.title = "required";
  else if (title.length > WALL_TITLE_MAX) errors.title = "too_long";
  if (!wallTarget(input.target)) errors.target = input.target ? "invalid" : "required";
  if (!WALL_LAYOUTS.includes(input.layout as WallLayout)) errors.layout = "invalid";
  if (!WALL_MODES.includes(input.mode as WallMode)) errors.mode = "invalid";
  const columns = input.columns
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter(Boolean);
  if (input.layout === "columns") {
    if (columns.length === 0) errors.columns = "required";
    else if (columns.length > WALL_COLUMNS_MAX) errors.columns = "too_many";
    else if (columns.some((c) => c.length > WALL_COLUMN_MAX)) errors.columns = "too_long";
  }
  return { errors, columns: input.layout === "columns" ? columns : [] };
}

export async function createWall(deps: ServiceDeps, p: Principal, input: NewWall): Promise<CreateOutcome> {
  if (!deps.rooms) return { kind: "not_found" };
  const { errors, columns } = checkNewWall(input);
  if (Object.keys(errors).length) return { kind: "invalid", errors };
  const uai = p.activeUai;
  if (!uai) return { kind: "forbidden" };
  const target = wallTarget(input.target)!;
  const mode = input.mode as WallMode;
  return inTenant(deps, p, async (tx): Promise<CreateOutcome> => {
    const resource = await targetResource(tx, p, { kind: "wall", uai, ownerId: p.userId, mode }, target);
    if (!resource) return { kind: "invalid", errors: { target: "invalid" } };
    if (!can(p, "wall.create", resource)) return { kind: "forbidden" };
    const title = input.title.trim();
    const [row] = await tx
      .insert(walls)
      .values({
        uai,
        title,
        scope: resource.scope,
        classId: target.kind === "classe" ? target.id : null,
        groupId: target.kind === "groupe" ? target.id : null,
        ownerId: p.userId,
        layout: input.layout as WallLayout,
        mode,
        columns,
        createdAt: deps.now,
        updatedAt: deps.now,
      })
      .returning({ id: walls.id });
    const id = row!.id;
    await auditAction(tx, deps, p, {
      action: "wall.created",
      target: id,
      uai,
      details: { title, scope: resource.scope },
    });
    if (resource.scope === "class") await tellTheClass(tx, deps, p, resource, { id, title });
    return { kind: "created", id };
  });
}

/** The wall about to be created, as the policy sees it: its scope, members and teachers (null: not in the school). */
async function targetResource(
  tx: Tx,
  p: Principal,
  base: Pick<WallResource, "kind" | "uai" | "ownerId" | "mode">,
  target: WallTarget,
): Promise<WallResource | null> {
  const school: WallResource = { ...base, scope: "school", memberIds: [], teacherIds: [] };
  if (target.kind === "ecole") return school;
  if (target.kind === "groupe") {
    const [g] = rowsOf<{ uai: string; owner_id: string | null }>(
      await tx.execute(sql`select uai, owner_id from groups where id = ${target.id}`),
    );
    if (!g || g.uai !== base.uai) return null;
    return { ...school, scope: "group", teacherIds: g.owner_id ? [g.owner_id] : [] };
  }
  const cls = await classResource(tx, target.id);
  if (!cls || cls.uai !== base.uai) return null;
  const teacherIds = cls.teacherIds.filter((id) => cls.memberIds.includes(id));
  // Staff members of the class may create too (they are in teacherIds only if teachers): count them in.
  const [role] = rowsOf<{ role: string }>(
    await tx.execute(sql`select role from class_members where class_id = ${target.id} and user_id = ${p.userId}`),
  );
  if (role && role.role !== "pupil" && !teacherIds.includes(p.userId)) teacherIds.push(p.userId);
  return { ...school, scope: "class", memberIds: cls.memberIds, teacherIds };
}

/** 54I: the class is told of its new wall (the feed's app events). */
async function tellTheClass(
  tx: Tx,
  deps: ServiceDeps,
  p: Principal,
  resource: WallResource,
  wall: { id: string; title: string },
): Promise<void> {
  await notifyFromUserScope(
    tx,
    resource.memberIds.filter((id) => id !== p.userId),
    {
      kind: "wall.created",
      title: `Nouveau mur : ${wall.title}`,
      body: `${displayName(p)} a ouvert un mur pour la classe.`,
      link: `/murs/${wall.id}`,
    },
    deps.now,
    deps.delivery,
  );
}

/** The wall as this user may see it, read from the room (the HTML view without JavaScript). */
export async function wallView(deps: ServiceDeps, p: Principal, id: string): Promise<Found<WallView>> {
  const { rooms } = deps;
  if (!rooms) return { kind: "not_found" };
  const wall = await inTenant(deps, p, (tx) => findWall(tx, id));
  if (!wall) return { kind: "not_found" };
  if (!can(p, "wall.view", wall.resource)) return { kind: "forbidden" };
  const canModerate = can(p, "wall.moderate", wall.resource);
  const all = await rooms.read(wallRoomId(wall), (doc) => readPostits(doc));
  const postits = all
    .filter((pi) => pi.approved || canModerate || pi.authorId === p.userId)
    .map((pi) => ({
      ...pi,
      column: Math.min(pi.column, Math.max(0, wall.columns.length - 1)),
      mine: pi.authorId === p.userId,
      canEdit: pi.authorId === p.userId || canModerate,
    }));
  return {
    kind: "ok",
    value: { ...wall, roomId: wallRoomId(wall), canPost: can(p, "wall.post", wall.resource), canModerate, postits },
  };
}

/** The websocket upgrade's decision (src/services/collaboration/rooms.ts): refused (4403/4404), or a ticket that
 *  may write or only read. */
export async function wallAdmission(tx: Tx, p: Principal, id: string): Promise<RoomAdmission> {
  const wall = await findWall(tx, id);
  if (!wall) return { refuse: CLOSE.notFound, reason: "mur introuvable" };
  if (!can(p, "wall.view", wall.resource)) return { refuse: CLOSE.forbidden, reason: "accès refusé" };
  return { ticket: wallTicket(p, wall.resource), uai: wall.uai };
}

/** An admission, with the school of the record when admitted (the room id must name that school). */
export type RoomAdmission = { refuse: number; reason: string } | { ticket: Ticket; uai: string };

function wallTicket(p: Principal, resource: WallResource) {
  const moderator = can(p, "wall.moderate", resource);
  return {
    userId: p.userId,
    name: displayName(p),
    canWrite: can(p, "wall.post", resource),
    role: memberRole(moderator, resource.mode),
  };
}

/** The ticket's role the room's guard reads: moderators change anything; members only their own post-its. */
function memberRole(moderator: boolean, mode: WallMode): string {
  return moderator ? "moderator" : mode === "moderated" ? "member:moderated" : "member";
}

export interface PostitInput {
  text: string;
  colour: string;
  column: string;
}
export type PostitError = "text_required" | "text_too_long" | "colour_invalid" | "column_invalid";
export type PostitOutcome =
  /** `pending`: the post-it waits for a moderator's approval (a pupil's, on a moderated wall). */
  | { kind: "ok"; pending?: boolean }
  | { kind: "invalid"; error: PostitError }
  | { kind: "forbidden" }
  | { kind: "not_found" };

function checkPostit(
  wall: Wall,
  input: PostitInput,
): PostitError | { text: string; colour: PostitColour; column: number } {
  const text = input.text.replace(/\r\n/g, "\n").trim();
  if (!text) return "text_required";
  if (text.length > POSTIT_MAX_TEXT) return "text_too_long";
  if (!POSTIT_COLOURS.includes(input.colour as PostitColour)) return "colour_invalid";
  let column = 0;
  if (wall.layout === "columns") {
    column = Number(input.column);
    if (!/^\d{1,2}$/.test(input.column) || column >= wall.columns.length) return "column_invalid";
  }
  return { text, colour: input.colour as PostitColour, column };
}

/** The wall a form changes, with its room; "not_found" too where rooms are not available. */
async function loadForChange(
  deps: ServiceDeps,
  p: Principal,
  id: string,
): Promise<{ wall: Wall; rooms: Rooms } | "not_found" | "forbidden"> {
  const { rooms } = deps;
  if (!rooms) return "not_found";
  const wall = await inTenant(deps, p, (tx) => findWall(tx, id));
  if (!wall) return "not_found";
  if (!can(p, "wall.view", wall.resource)) return "forbidden";
  return { wall, rooms };
}

/** A post-it from the plain form: through the room, so every live screen shows it without a click. */
export async function addPostitFromForm(
  deps: ServiceDeps,
  p: Principal,
  wallId: string,
  input: PostitInput,
): Promise<PostitOutcome> {
  const loaded = await loadForChange(deps, p, wallId);
  if (typeof loaded === "string") return { kind: loaded };
  const { wall, rooms } = loaded;
  if (!can(p, "wall.post", wall.resource)) return { kind: "forbidden" };
  const checked = checkPostit(wall, input);
  if (typeof checked === "string") return { kind: "invalid", error: checked };
  const approved = wall.mode !== "moderated" || can(p, "wall.moderate", wall.resource);
  await rooms.change(wallRoomId(wall), (doc) => {
    addPostit(doc, {
      id: crypto.randomUUID(),
      authorId: p.userId,
      authorName: displayName(p),
      ...checked,
      ...nextSpot(postitsOf(doc).size),
      approved,
      createdAt: deps.now.toISOString(),
    });
  });
  return { kind: "ok", pending: !approved };
}

/** Edit, delete or approve one post-it: one's own, or any for the wall's moderators. */
export async function changePostit(
  deps: ServiceDeps,
  p: Principal,
  wallId: string,
  postitId: string,
  change: { kind: "edit"; input: PostitInput } | { kind: "delete" } | { kind: "approve" },
): Promise<PostitOutcome> {
  const loaded = await loadForChange(deps, p, wallId);
  if (typeof loaded === "string") return { kind: loaded };
  const { wall, rooms } = loaded;
  const moderator = can(p, "wall.moderate", wall.resource);
  const roomId = wallRoomId(wall);
  const current = await rooms.read(roomId, (doc) => {
    const m = postitsOf(doc).get(postitId);
    return m ? readPostit(postitId, m) : null;
  });
  if (!current) return { kind: "not_found" };
  if (
    change.kind === "approve"
      ? !moderator
      : !(moderator || (current.authorId === p.userId && can(p, "wall.post", wall.resource)))
  ) {
    return { kind: "forbidden" };
  }
  if (change.kind === "edit") {
    const checked = checkPostit(wall, change.input);
    if (typeof checked === "string") return { kind: "invalid", error: checked };
    await rooms.change(roomId, (doc) => void updatePostit(doc, postitId, checked));
  } else if (change.kind === "delete") {
    await rooms.change(roomId, (doc) => void removePostit(doc, postitId));
  } else {
    await rooms.change(roomId, (doc) => void updatePostit(doc, postitId, { approved: true }));
  }
  return { kind: "ok" };
}

/** Moderation mode (open, moderated, closed): saved, audited, and the sockets already in the room get new tickets. */
export async function setWallMode(
  deps: ServiceDeps,
  p: Principal,
  wallId: string,
  mode: string,
): Promise<"ok" | "invalid" | "forbidden" | "not_found"> {
  const { rooms } = deps;
  if (!rooms) return "not_found";
  if (!WALL_MODES.includes(mode as WallMode)) return "invalid";
  const outcome = await inTenant(deps, p, async (tx) => {
    const wall = await findWall(tx, wallId);
    if (!wall) return "not_found" as const;
    if (!can(p, "wall.moderate", wall.resource)) return "forbidden" as const;
    await tx
      .update(walls)
      .set({ mode: mode as WallMode, updatedAt: deps.now })
      .where(eq(walls.id, wallId));
    await auditAction(tx, deps, p, {
      action: "wall.mode",
      target: wallId,
      uai: wall.uai,
      details: { mode },
    });
    return wall;
  });
  if (typeof outcome === "string") return outcome;
  const resource = { ...outcome.resource, mode: mode as WallMode };
  // Pupils lose (or regain) the right to write on a closed wall without reconnecting.
  await rooms.retune(wallRoomId(outcome), (t) => {
    const moderator = t.role === "moderator";
    return { ...t, canWrite: moderator || resource.mode !== "closed", role: memberRole(moderator, resource.mode) };
  });
  return "ok";
}
