// The liaison notebook (54E): a teacher writes to the parents of their class, the director to the parents of a class
// or of the school; each parent acknowledges ("vu et pris connaissance") and answers when the note asks; the sender
// sees, per child and per parent, who has read and what they answered; parents who have not read it after the delay
// the sender chose are reminded once (job "liaison.remind"), through their own channels (SMS included when set).
import { sql } from "drizzle-orm";
import { containsPattern, rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { enqueue } from "../../jobs/runner";
import { can } from "../../policy";
import { isId } from "../../validation";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { notifyFromUserScope, notifyUsers, type Delivery } from "../notifications/notifications";
import type { Principal } from "../principal";

export const LIMITS = { title: 120, body: 5000, reply: 1000 };
export const REMINDER_HOURS = [24, 48, 72] as const;
export const REPLY_KINDS = ["none", "yesno", "text"] as const;

export interface AudienceChoice {
  value: string;
  label: string;
}

/** Where the user may send a note (liaison.send): the classes of their school they teach, and for a director every
 *  class and the whole school. */
export async function liaisonAudiences(deps: ServiceDeps, p: Principal): Promise<AudienceChoice[]> {
  return inTenant(deps, p, (tx) => audiencesOf(tx, p));
}

async function audiencesOf(tx: Tx, p: Principal): Promise<AudienceChoice[]> {
  const uai = p.activeUai;
  if (!uai) return [];
  const classes = rowsOf<{ id: string; name: string; teacher: boolean }>(
    await tx.execute(sql`
    select c.id, c.name, exists (select 1 from class_members m
      where m.class_id = c.id and m.user_id = ${p.userId} and m.role = 'teacher') as teacher
    from classes c where c.uai = ${uai} order by c.name`),
  ).filter((c) => can(p, "liaison.send", { audience: "class", uai, teacher: c.teacher }));
  return [
    ...(can(p, "liaison.send", { audience: "school", uai }) ? [{ value: "ecole", label: "" }] : []),
    ...classes.map((c) => ({ value: `classe:${c.id}`, label: c.name })),
  ];
}

export type NoteIssue = "title" | "body" | "reply_kind" | "reminder" | "audience" | "nobody";
export interface NoteInput {
  title: string;
  body: string;
  audience: string;
  replyKind: string;
  remindAfter: string;
}

/** The note's texts, answer kind and reminder delay checked: what is wrong, or what to write. */
function checkNote(input: NoteInput): { issues: NoteIssue[]; title: string; body: string; remind: number | null } {
  const issues: NoteIssue[] = [];
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title || title.length > LIMITS.title) issues.push("title");
  if (!body || body.length > LIMITS.body) issues.push("body");
  if (!(REPLY_KINDS as readonly string[]).includes(input.replyKind)) issues.push("reply_kind");
  const remind = input.remindAfter === "" ? null : Number(input.remindAfter);
  if (remind !== null && !(REMINDER_HOURS as readonly number[]).includes(remind)) issues.push("reminder");
  return { issues, title, body, remind };
}

/** The (parent, child) pairs a note to one class, or to the whole school, reaches. */
async function recipientsOf(tx: Tx, uai: string, classId: string | null) {
  return rowsOf<{ parent_id: string; child_id: string }>(
    await tx.execute(sql`
    select distinct l.parent_id, l.child_id from parent_links l
      join class_members m on m.user_id = l.child_id and m.role = 'pupil' join classes c on c.id = m.class_id
    where c.uai = ${uai} ${classId ? sql`and c.id = ${classId}` : sql``}`),
  );
}

export async function liaisonSender(
  deps: ServiceDeps,
  p: Principal,
  input: NoteInput,
): Promise<{ ok: true; id: string; parents: number } | { ok: false; issues: NoteIssue[] }> {
  const { issues, title, body, remind } = checkNote(input);
  return inTenant(deps, p, async (tx) => {
    const allowed = await audiencesOf(tx, p);
    if (!allowed.some((a) => a.value === input.audience)) issues.push("audience");
    if (issues.length) return { ok: false as const, issues };
    const uai = p.activeUai!;
    const classId = input.audience.startsWith("classe:") ? input.audience.slice(7) : null;
    const pairs = await recipientsOf(tx, uai, classId);
    if (pairs.length === 0) return { ok: false as const, issues: ["nobody" as const] };
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into liaison_notes (uai, author_id, class_id, title, body, reply_kind, remind_after_hours, created_at)
      values (${uai}, ${p.userId}, ${classId}, ${title}, ${body}, ${input.replyKind}, ${remind},
        ${deps.now.toISOString()}) returning id`),
    );
    const id = row!.id;
    await tx.execute(sql`insert into liaison_recipients (note_id, parent_id, child_id, uai)
      select ${id}, (x->>'parent_id')::uuid, (x->>'child_id')::uuid, ${uai}
      from jsonb_array_elements(${JSON.stringify(pairs)}::jsonb) x`);
    const parents = [...new Set(pairs.map((x) => x.parent_id))];
    await tellParents(tx, deps, { id, title, body, remind }, parents);
    await auditAction(tx, deps, p, {
      action: "liaison.sent",
      target: id,
      uai,
      details: { parents: parents.length },
    });
    return { ok: true as const, id, parents: parents.length };
  });
}

/** The parents are told at once, and reminded after the delay the sender chose if they have not read it. */
async function tellParents(
  tx: Tx,
  deps: ServiceDeps,
  note: { id: string; title: string; body: string; remind: number | null },
  parents: string[],
): Promise<void> {
  await notifyFromUserScope(
    tx,
    parents,
    {
      kind: "liaison",
      title: `Carnet de liaison : ${note.title}`,
      body: note.body.slice(0, 300),
      link: `/carnet/${note.id}`,
    },
    deps.now,
    deps.delivery,
  );
  if (note.remind !== null) {
    await enqueue(tx, "liaison.remind", { noteId: note.id }, deps.now, {
      runAt: new Date(deps.now.getTime() + note.remind * 3600_000),
      dedupeKey: `liaison.remind:${note.id}`,
    });
  }
}

/** Job "liaison.remind": parents who have not read the note are told again, once. Returns how many. */
export async function liaisonReminder(db: Database, noteId: string, now: Date, delivery: Delivery): Promise<number> {
  return withTenant(db, systemScope, async (tx) => {
    const [note] = rowsOf<{ title: string }>(
      await tx.execute(sql`select title from liaison_notes where id = ${noteId}`),
    );
    if (!note) return 0;
    const late = rowsOf<{ parent_id: string }>(
      await tx.execute(sql`
      update liaison_recipients set reminded_at = ${now.toISOString()}
      where note_id = ${noteId} and read_at is null and reminded_at is null
      returning parent_id`),
    ).map((r) => r.parent_id);
    const parents = [...new Set(late)];
    if (parents.length) {
      await notifyUsers(
        tx,
        parents,
        {
          kind: "liaison",
          title: `Rappel — carnet de liaison : ${note.title}`,
          body: "Ce mot attend encore que vous indiquiez l'avoir lu.",
          link: `/carnet/${noteId}`,
        },
        now,
        delivery,
      );
    }
    return parents.length;
  });
}

export interface NoteForParent {
  id: string;
  title: string;
  body: string;
  replyKind: "none" | "yesno" | "text";
  createdAt: Date;
  author: string | null;
  className: string | null;
  children: { id: string; name: string; read: boolean; reply: string | null }[];
}

/** The parent's notes, newest first, optionally for one child (the evening page composes it in its transaction). */
export async function parentNotes(tx: Tx, p: Principal, childId: string | null): Promise<NoteForParent[]> {
  return notesFor(tx, { parentId: p.userId, childId: isId(childId) ? childId : null });
}

export interface ParentNotebook {
  notes: NoteForParent[];
  /** The parent's children, to narrow the notebook to one. */
  children: { id: string; name: string }[];
}

/** The parent's notebook: their notes (optionally for one child) and their children. */
export async function parentNotebook(deps: ServiceDeps, p: Principal, childId: string | null): Promise<ParentNotebook> {
  return inTenant(deps, p, async (tx) => ({
    notes: await parentNotes(tx, p, childId),
    children: rowsOf<{ id: string; name: string }>(
      await tx.execute(sql`
      select distinct u.id, u.first_name as name from parent_links l join users u on u.id = l.child_id
      where l.parent_id = ${p.userId} order by 2`),
    ),
  }));
}

/**
 * The notes as the parents' notebook lists them, newest first: a parent's own (with, per child of theirs, read and
 * answer), or — for a teacher's read-only preview (58D) — those addressed to the parents of one class or of its whole
 * school, with no child and so nothing to acknowledge. The one builder of both pages.
 */
export async function notesFor(
  tx: Tx,
  who: { parentId: string; childId: string | null } | { classId: string; uai: string },
): Promise<NoteForParent[]> {
  const parent = "parentId" in who;
  const rows = rowsOf<{
    id: string;
    title: string;
    body: string;
    reply_kind: "none" | "yesno" | "text";
    created_at: Date | string;
    author: string | null;
    class_name: string | null;
    child_id: string | null;
    child_name: string | null;
    read_at: Date | string | null;
    reply: string | null;
  }>(
    await tx.execute(sql`
    select n.id, n.title, n.body, n.reply_kind, n.created_at, a.first_name || ' ' || a.last_name as author,
      c.name as class_name,
      ${
        parent
          ? sql`r.child_id, ch.first_name as child_name, r.read_at, r.reply`
          : sql`null::uuid as child_id, null::text as child_name,
        null::timestamptz as read_at, null::text as reply`
      }
    from liaison_notes n
    ${parent ? sql`join liaison_recipients r on r.note_id = n.id join users ch on ch.id = r.child_id` : sql``}
    left join users a on a.id = n.author_id left join classes c on c.id = n.class_id
    where ${
      parent
        ? sql`r.parent_id = ${who.parentId} ${who.childId ? sql`and r.child_id = ${who.childId}` : sql``}`
        : sql`n.uai = ${who.uai} and (n.class_id = ${who.classId} or n.class_id is null)`
    }
    order by n.created_at desc, n.id${parent ? sql`, ch.first_name` : sql``} limit 200`),
  );
  const notes = new Map<string, NoteForParent>();
  for (const r of rows) {
    const note = notes.get(r.id) ?? {
      id: r.id,
      title: r.title,
      body: r.body,
      replyKind: r.reply_kind,
      createdAt: new Date(r.created_at),
      author: r.author,
      className: r.class_name,
      children: [],
    };
    if (r.child_id)
      note.children.push({ id: r.child_id, name: r.child_name!, read: r.read_at !== null, reply: r.reply });
    notes.set(r.id, note);
  }
  return [...notes.values()];
}

export type AckIssue = "reply" | "reply_missing";

/** "Vu et pris connaissance", with the answer when the note asks for one, for one of the parent's children. */
export async function liaisonAcknowledger(
  deps: ServiceDeps,
  p: Principal,
  noteId: string,
  childId: string,
  reply: string,
): Promise<{ ok: true } | { ok: false; issue: AckIssue } | { ok: false; notFound: true }> {
  if (!isId(noteId) || !isId(childId)) return { ok: false, notFound: true };
  return inTenant(deps, p, async (tx) => {
    const [note] = rowsOf<{ reply_kind: string; uai: string }>(
      await tx.execute(sql`
      select n.reply_kind, n.uai from liaison_notes n join liaison_recipients r on r.note_id = n.id
      where n.id = ${noteId} and r.parent_id = ${p.userId} and r.child_id = ${childId}`),
    );
    if (!note) return { ok: false as const, notFound: true as const };
    const answer = reply.trim();
    if (note.reply_kind === "yesno" && !["oui", "non"].includes(answer))
      return { ok: false as const, issue: "reply_missing" as const };
    if (note.reply_kind === "text" && (!answer || answer.length > LIMITS.reply))
      return { ok: false as const, issue: answer ? ("reply" as const) : ("reply_missing" as const) };
    await tx.execute(sql`update liaison_recipients
      set read_at = coalesce(read_at, ${deps.now.toISOString()}::timestamptz),
      reply = ${note.reply_kind === "none" ? null : answer},
      replied_at = ${note.reply_kind === "none" ? null : deps.now.toISOString()}
      where note_id = ${noteId} and parent_id = ${p.userId} and child_id = ${childId}`);
    await auditAction(tx, deps, p, {
      action: "liaison.acknowledged",
      target: noteId,
      uai: note.uai,
    });
    return { ok: true as const };
  });
}

export interface NoteForSender {
  id: string;
  title: string;
  body: string;
  replyKind: string;
  createdAt: Date;
  className: string | null;
  remindAfterHours: number | null;
  lines: { child: string; parent: string; read: boolean; reply: string | null; reminded: boolean }[];
}

/** A note as its reader may open it: its status for its author or the school's director (liaison.viewStatus), the
 *  parent's notebook for a parent it was sent to, or nothing. */
export async function noteForViewer(
  deps: ServiceDeps,
  p: Principal,
  noteId: string,
): Promise<{ status: NoteForSender } | { parent: true } | null> {
  if (!isId(noteId)) return null;
  return inTenant(deps, p, async (tx) => {
    const status = await senderView(tx, p, noteId);
    if (status) return { status };
    const mine = rowsOf(
      await tx.execute(sql`select 1 from liaison_recipients where note_id = ${noteId} and parent_id = ${p.userId}`),
    );
    return mine.length ? { parent: true as const } : null;
  });
}

/** The sender's (or the school director's) view of a note: per child and per parent. */
async function senderView(tx: Tx, p: Principal, noteId: string): Promise<NoteForSender | null> {
  const [n] = rowsOf<{
    id: string;
    title: string;
    body: string;
    reply_kind: string;
    created_at: Date | string;
    class_name: string | null;
    remind_after_hours: number | null;
    author_id: string | null;
    uai: string;
  }>(
    await tx.execute(sql`
    select n.id, n.title, n.body, n.reply_kind, n.created_at, c.name as class_name,
      n.remind_after_hours, n.author_id, n.uai
    from liaison_notes n left join classes c on c.id = n.class_id where n.id = ${noteId}`),
  );
  if (!n || !can(p, "liaison.viewStatus", { uai: n.uai, authorId: n.author_id })) return null;
  const lines = rowsOf<{ child: string; parent: string; read: boolean; reply: string | null; reminded: boolean }>(
    await tx.execute(sql`
    select ch.last_name || ' ' || ch.first_name as child, pa.first_name || ' ' || pa.last_name as parent,
      r.read_at is not null as read, r.reply, r.reminded_at is not null as reminded
    from liaison_recipients r join users ch on ch.id = r.child_id join users pa on pa.id = r.parent_id
    where r.note_id = ${noteId} order by ch.last_name, ch.first_name, pa.last_name`),
  );
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    replyKind: n.reply_kind,
    createdAt: new Date(n.created_at),
    className: n.class_name,
    remindAfterHours: n.remind_after_hours,
    lines,
  };
}

export interface SentNote {
  id: string;
  title: string;
  createdAt: Date;
  className: string | null;
  read: number;
  total: number;
}

/** 57E: the sender's list narrows by words of the title or text, and to notes some families have not read. */
export interface SentFilter {
  words: string;
  unreadOnly: boolean;
}

export interface SenderNotebook {
  notes: SentNote[];
  audiences: AudienceChoice[];
  /** Whether the user has sent any note at all (the filter may hide them all). */
  any: boolean;
}

/** The sender's notebook: their notes as filtered, where they may write, and whether they ever wrote. */
export async function senderNotebook(deps: ServiceDeps, p: Principal, filter: SentFilter): Promise<SenderNotebook> {
  const filtered = filter.words.trim() !== "" || filter.unreadOnly;
  return inTenant(deps, p, async (tx) => {
    const notes = await sentNotes(tx, p, filter);
    return {
      notes,
      audiences: await audiencesOf(tx, p),
      any: notes.length > 0 || (filtered && (await sentNotes(tx, p)).length > 0),
    };
  });
}

async function sentNotes(
  tx: Tx,
  p: Principal,
  filter: SentFilter = { words: "", unreadOnly: false },
): Promise<SentNote[]> {
  const words = filter.words.trim().slice(0, 100);
  const rows = rowsOf<{
    id: string;
    title: string;
    created_at: Date | string;
    class_name: string | null;
    read: number;
    total: number;
  }>(
    await tx.execute(sql`
    select n.id, n.title, n.created_at, c.name as class_name,
      (select count(distinct r.child_id)::int from liaison_recipients r
        where r.note_id = n.id and r.read_at is not null) as read,
      (select count(distinct r.child_id)::int from liaison_recipients r where r.note_id = n.id) as total
    from liaison_notes n left join classes c on c.id = n.class_id where n.author_id = ${p.userId}
      ${words ? sql`and (n.title ilike ${containsPattern(words)} or n.body ilike ${containsPattern(words)})` : sql``}
      ${
        filter.unreadOnly
          ? sql`and exists (select 1 from liaison_recipients r where r.note_id = n.id and r.read_at is null)`
          : sql``
      }
    order by n.created_at desc limit 100`),
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    createdAt: new Date(r.created_at),
    className: r.class_name,
    read: r.read,
    total: r.total,
  }));
}
