// Messaging (52A–52D, 614A): composing within the communication rules, sending, mailboxes, reading, trash,
// insult blocking for pupils with an incident report to their teachers, and abuse reports.
import { sql } from "drizzle-orm";
import { containsPattern, rowsOf, withTenant, type Database, type Tx } from "../../../db/client";
import { audit, auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { reachableAmong, reachableContacts, type Contact } from "./communication-rules";
import { findInsults } from "./insult-filter";
import {
  currentSuspensions,
  messagingRestriction,
  moderatedSchool,
  settingsSchool,
  suspendablePupils,
  type Restriction,
  type SuspensionLine,
} from "./messaging-restrictions";
import { notifyFromUserScope, notifyUsers, type Delivery } from "../notifications/notifications";
import type { DraftFields } from "../../../db/schema";
import { enqueue } from "../../jobs/runner";
import { can } from "../../policy";
import { zonedToUtc } from "../../time";
import { isId, isLocalDateTime } from "../../validation";
import { displayName, reaches, type Principal } from "../principal";

export const SUBJECT_MAX = 200;
export const BODY_MAX = 10_000;
export const RECIPIENTS_MAX = 300;

export interface RecipientGroup {
  key: string;
  label: { kind: "pupils" | "parents" | "teachers"; className: string };
  memberIds: string[];
}
export interface ComposeOptions {
  uai: string;
  contacts: Contact[];
  groups: RecipientGroup[];
  /** Schools a perimeter user (municipality staff) chooses between; empty for a school's own members. */
  schools: { uai: string; name: string }[];
}

/** The school a message is written in: the active one, or for perimeter staff without one, the school they chose. */
export async function sendingSchool(
  tx: Tx,
  p: Principal,
  requested: string | null,
): Promise<{ uai: string | null; schools: { uai: string; name: string }[] }> {
  let schools: { uai: string; name: string }[] = [];
  if (!p.activeUai && !p.perimeter.all && p.perimeter.uais.length) {
    schools = rowsOf<{ uai: string; name: string }>(
      await tx.execute(sql`
      select uai, name from schools where uai = any(${`{${p.perimeter.uais.join(",")}}`}::text[])
      order by name limit 500`),
    );
  }
  const uai =
    requested && (requested === p.activeUai || schools.some((sc) => sc.uai === requested))
      ? requested
      : (p.activeUai ?? schools[0]?.uai ?? null);
  return { uai: uai && reaches(p, uai) ? uai : null, schools };
}

interface GroupRow {
  class_id: string;
  name: string;
  kind: "pupils" | "parents" | "teachers";
  members: string[];
}

/** Class groups of the school ("Les parents de CM1"), all of them or only those named. */
async function classGroups(tx: Tx, uai: string, classIds?: readonly string[]): Promise<GroupRow[]> {
  const only = classIds ? sql`and id = any(${`{${classIds.join(",")}}`}::uuid[])` : sql``;
  return rowsOf<GroupRow>(
    await tx.execute(sql`
    with cls as (select id, name from classes where uai = ${uai} ${only})
    select c.id as class_id, c.name, 'pupils' as kind, array_agg(m.user_id) as members
      from cls c join class_members m on m.class_id = c.id and m.role = 'pupil' group by c.id, c.name
    union all
    select c.id, c.name, 'parents', array_agg(distinct l.parent_id)
      from cls c join class_members m on m.class_id = c.id and m.role = 'pupil'
      join parent_links l on l.child_id = m.user_id group by c.id, c.name
    union all
    select c.id, c.name, 'teachers', array_agg(m.user_id)
      from cls c join class_members m on m.class_id = c.id and m.role = 'teacher' group by c.id, c.name
    order by 2, 1, 3`),
  );
}

/** A group is offered only when the rules let the user reach all of it (a teacher's own class, not another's). */
function offeredMembers(group: GroupRow, reachable: ReadonlySet<string>, me: string): string[] | null {
  const members = group.members.filter((id) => reachable.has(id));
  return members.length === 0 || members.length < group.members.filter((id) => id !== me).length ? null : members;
}

/**
 * Whom the user may write to in a school: people, and the groups of classes they relate to. The school is the
 * user's active school; municipality staff, who have none, choose one of their perimeter (`requested`). Composed
 * inside other services' transactions too (polls address the same people and groups).
 */
export async function composeOptions(
  tx: Tx,
  p: Principal,
  requested: string | null = null,
): Promise<ComposeOptions | null> {
  const { uai, schools } = await sendingSchool(tx, p, requested);
  if (!uai) return null;
  const contacts = await reachableContacts(tx, p, uai);
  const reachable = new Set(contacts.map((c) => c.id));
  const groups: RecipientGroup[] = [];
  for (const r of await classGroups(tx, uai)) {
    const members = offeredMembers(r, reachable, p.userId);
    if (members)
      groups.push({ key: `${r.kind}:${r.class_id}`, label: { kind: r.kind, className: r.name }, memberIds: members });
  }
  return { uai, contacts, groups, schools };
}

/** Whom the user may write to in this school (or the one they choose), in its own transaction. */
export async function recipientChoices(
  deps: ServiceDeps,
  p: Principal,
  requested: string | null,
): Promise<ComposeOptions | null> {
  return inTenant(deps, p, (tx) => composeOptions(tx, p, requested));
}

const GROUP_KINDS = ["pupils", "parents", "teachers"] as const;

/** A group's key, "parents:<class id>": the kind of its members, then the class's id (null when it is not one). */
export function groupKeyParts(key: string): { kind: GroupRow["kind"]; classId: string } | null {
  const at = key.indexOf(":");
  const kind = GROUP_KINDS.find((k) => k === key.slice(0, at));
  const classId = key.slice(at + 1);
  return at > 0 && kind && isId(classId) ? { kind, classId } : null;
}

/**
 * The send path's check of the chosen people and groups against the rules: the same answer as the compose page's
 * lists, computed for the chosen ones only. Null when the user may write to nobody in this school.
 */
export async function chosenRecipients(
  tx: Tx,
  p: Principal,
  uai: string,
  recipientIds: readonly string[],
  groupKeys: readonly string[],
): Promise<{ chosen: Set<string>; forbidden: boolean } | null> {
  let forbidden = false;
  const wanted = groupKeys.map(groupKeyParts);
  if (wanted.some((m) => !m)) forbidden = true;
  const classIds = [...new Set(wanted.filter((m) => m).map((m) => m!.classId))];
  const groups = classIds.length ? await classGroups(tx, uai, classIds) : [];
  const people = recipientIds.filter(isId);
  if (people.length < recipientIds.length) forbidden = true;
  const candidates = [...new Set([...people, ...groups.flatMap((g) => g.members)])];
  const reachable = await reachableAmong(tx, p, uai, candidates);
  if (!reachable) return null;
  const chosen = new Set<string>();
  for (const id of people) {
    if (reachable.has(id)) chosen.add(id);
    else forbidden = true;
  }
  for (const m of wanted) {
    if (!m) continue;
    const group = groups.find((g) => g.class_id === m.classId && g.kind === m.kind);
    const members = group ? offeredMembers(group, reachable, p.userId) : null;
    if (!members) {
      forbidden = true;
      continue;
    }
    for (const id of members) chosen.add(id);
  }
  return { chosen, forbidden };
}

export interface MessageInput {
  subject: string;
  body: string;
  recipientIds: string[];
  groupKeys: string[];
  uai?: string | null;
  /** 54F: deliver at this local time of the platform ("YYYY-MM-DDTHH:MM", as the form sends it) instead of now;
   *  empty: now. */
  sendAt?: string;
  /** 54G: tell the sender when each recipient reads it. */
  receipt?: boolean;
  attachments?: AttachmentInput[];
  /** The draft this message was written from: it goes once the message is sent or scheduled. */
  draftId?: string | null;
}

export interface AttachmentInput {
  name: string;
  data: Uint8Array;
}

/** What may be attached, by extension: documents, images and sound a school exchanges; nothing executable. */
export const ATTACHMENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  txt: "text/plain",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  odp: "application/vnd.oasis.opendocument.presentation",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
};
export const ATTACHMENTS_MAX = 3;
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

/** The first bytes a file of this type must start with, where the format has a signature: a renamed file is refused. */
const SIGNATURES: Record<string, number[][]> = {
  pdf: [[0x25, 0x50, 0x44, 0x46]],
  png: [[0x89, 0x50, 0x4e, 0x47]],
  jpg: [[0xff, 0xd8, 0xff]],
  jpeg: [[0xff, 0xd8, 0xff]],
  gif: [[0x47, 0x49, 0x46, 0x38]],
  webp: [[0x52, 0x49, 0x46, 0x46]],
  odt: [[0x50, 0x4b]],
  ods: [[0x50, 0x4b]],
  odp: [[0x50, 0x4b]],
  docx: [[0x50, 0x4b]],
  xlsx: [[0x50, 0x4b]],
  pptx: [[0x50, 0x4b]],
  ogg: [[0x4f, 0x67, 0x67, 0x53]],
};

export function attachmentProblem(a: AttachmentInput): "attachment_type" | "attachment_size" | null {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(a.name)?.[1]?.toLowerCase() ?? "";
  if (!ATTACHMENT_TYPES[ext]) return "attachment_type";
  if (a.data.length === 0 || a.data.length > ATTACHMENT_MAX_BYTES) return "attachment_size";
  const sigs = SIGNATURES[ext];
  if (sigs && !sigs.some((sig) => sig.every((b, i) => a.data[i] === b))) return "attachment_type";
  return null;
}

function attachmentType(name: string): string {
  return ATTACHMENT_TYPES[/\.([A-Za-z0-9]{1,5})$/.exec(name)?.[1]?.toLowerCase() ?? ""] ?? "application/octet-stream";
}
export type MessageError =
  | "subject_missing"
  | "subject_long"
  | "body_missing"
  | "body_long"
  | "recipients_missing"
  | "recipients_forbidden"
  | "recipients_too_many"
  | "send_at_past"
  | "send_at_far"
  | "send_at_invalid"
  | "rate_limited"
  | "attachment_count"
  | "attachment_type"
  | "attachment_size"
  | "attachment_storage";

const MAX_DELAY_MS = 366 * 86_400_000;

export type SendOutcome =
  | { kind: "sent"; id: string; recipients: number }
  | { kind: "scheduled"; id: string; recipients: number; sendAt: Date }
  | { kind: "blocked"; id: string }
  | { kind: "invalid"; errors: MessageError[] }
  | { kind: "restricted"; restriction: Restriction }
  | { kind: "forbidden" };

/** 54F: the send time typed on the form, read in the platform's zone; null for "now", "invalid" when unreadable. */
function sendTimeOf(text: string | undefined, timeZone: string): Date | null | "invalid" {
  const typed = (text ?? "").trim();
  if (!typed) return null;
  return isLocalDateTime(typed) ? zonedToUtc(typed, timeZone) : "invalid";
}

/** Checks, then sends a message in one transaction: message, recipients, their notices and the audit line. */
export async function messageSender(deps: ServiceDeps, p: Principal, input: MessageInput): Promise<SendOutcome> {
  const sendAt = sendTimeOf(input.sendAt, deps.timeZone);
  // An unreadable time is all the user is told: nothing else is checked until it reads as a time.
  if (sendAt === "invalid") return { kind: "invalid", errors: ["send_at_invalid"] };
  const attachments = input.attachments ?? [];
  const stored: { key: string; a: AttachmentInput }[] = [];
  try {
    const outcome = await sendWithin(deps, p, { ...input, sendAt }, attachments, stored);
    // The bytes were written before the rows (persist first); rows that did not commit leave no orphan bytes.
    if (outcome.kind !== "sent" && outcome.kind !== "scheduled") await forget(deps, stored);
    return outcome;
  } catch (err) {
    await forget(deps, stored);
    throw err;
  }
}

async function forget(deps: ServiceDeps, stored: { key: string }[]) {
  for (const s of stored) await deps.blobs?.delete(s.key).catch(() => undefined);
}

async function sendWithin(
  deps: ServiceDeps,
  p: Principal,
  input: Omit<MessageInput, "sendAt"> & { sendAt: Date | null },
  attachments: AttachmentInput[],
  stored: { key: string; a: AttachmentInput }[],
): Promise<SendOutcome> {
  const subject = input.subject.trim();
  const body = input.body.replace(/\r\n/g, "\n").trim();
  return inTenant(deps, p, async (tx) => {
    const { uai } = await sendingSchool(tx, p, input.uai ?? null);
    const target = uai ? await chosenRecipients(tx, p, uai, input.recipientIds, input.groupKeys) : null;
    if (!uai || !target) return { kind: "forbidden" } as const;
    const restriction = await messagingRestriction(tx, p, uai, deps.now, deps.timeZone);
    if (restriction) return { kind: "restricted", restriction } as const;
    const errors: MessageError[] = [];
    if (!subject) errors.push("subject_missing");
    else if (subject.length > SUBJECT_MAX) errors.push("subject_long");
    if (!body) errors.push("body_missing");
    else if (body.length > BODY_MAX) errors.push("body_long");
    const { chosen, forbidden } = target;
    if (forbidden) errors.push("recipients_forbidden");
    else if (chosen.size === 0) errors.push("recipients_missing");
    else if (chosen.size > RECIPIENTS_MAX) errors.push("recipients_too_many");
    const sendAt = input.sendAt;
    if (sendAt && sendAt.getTime() <= deps.now.getTime()) errors.push("send_at_past");
    else if (sendAt && sendAt.getTime() - deps.now.getTime() > MAX_DELAY_MS) errors.push("send_at_far");
    const pupilOnly = p.profiles.filter((sp) => sp.uai === uai).every((sp) => sp.profile === "pupil");
    const [recent] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from messages
      where sender_id = ${p.userId} and state <> 'draft'
        and created_at > ${new Date(deps.now.getTime() - 3600_000).toISOString()}::timestamptz`),
    );
    // 71B: messages a sender may write per hour (pupils fewer): a flood is refused, not queued.
    const hourly = deps.config.messaging;
    if ((recent?.n ?? 0) >= (pupilOnly ? hourly.pupilHourly : hourly.adultHourly)) errors.push("rate_limited");
    if (attachments.length > ATTACHMENTS_MAX) errors.push("attachment_count");
    for (const problem of new Set(attachments.map(attachmentProblem))) if (problem) errors.push(problem);
    if (attachments.length && !deps.blobs) errors.push("attachment_storage");
    if (errors.length) return { kind: "invalid", errors } as const;

    const insults = pupilOnly ? findInsults(`${subject}\n${body}`) : [];
    const state = insults.length ? "blocked" : sendAt ? "scheduled" : "sent";
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into messages (uai, sender_id, subject, body, state, send_at, receipt_requested, blocked_words, created_at)
      values (${uai}, ${p.userId}, ${subject}, ${body}, ${state}, ${sendAt?.toISOString() ?? null}::timestamptz,
        ${input.receipt === true},
        ${
          insults.length
            ? sql`array[${sql.join(
                [...new Set(insults.map((i) => i.word))].map((w) => sql`${w}`),
                sql`, `,
              )}]::text[]`
            : sql`null`
        },
        ${deps.now.toISOString()}::timestamptz)
      returning id`),
    );
    const id = row!.id;
    if (state === "blocked") {
      // 52C–52D: never delivered; the pupil's teachers get an incident report (who, when, the words found).
      const teachers = rowsOf<{ user_id: string }>(
        await tx.execute(sql`
        select distinct t.user_id
        from class_members m join class_members t on t.class_id = m.class_id and t.role = 'teacher'
        where m.user_id = ${p.userId} and m.role = 'pupil' and m.uai = ${uai}`),
      ).map((r) => r.user_id);
      await auditAction(tx, deps, p, {
        action: "message.blocked",
        target: id,
        uai,
        details: { words: insults.length },
      });
      await notifyFromUserScope(
        tx,
        teachers,
        {
          kind: "message.incident",
          title: "Message bloqué",
          link: `/messagerie/moderation/${id}`,
          body: `Un message de ${displayName(p)} contenait des mots interdits ; il n'a pas été envoyé.`,
        },
        deps.now,
        deps.delivery,
      );
      return { kind: "blocked", id } as const;
    }
    const ids = [...chosen];
    for (const a of attachments) {
      const key = crypto.randomUUID();
      await deps.blobs!.put(key, a.data);
      stored.push({ key, a });
      await tx.execute(sql`insert into message_attachments (message_id, uai, name, type, size, blob_key)
        values (${id}, ${uai}, ${a.name.slice(-150)}, ${attachmentType(a.name)}, ${a.data.length}, ${key})`);
    }
    await tx.execute(sql`insert into message_recipients (message_id, user_id, uai, delivered_at)
      select ${id}::uuid, r, ${uai}, ${(sendAt ?? deps.now).toISOString()}::timestamptz
      from unnest(${`{${ids.join(",")}}`}::uuid[]) as r`);
    if (sendAt) {
      // Recipients are fixed now (the rules were checked now); the job runner delivers at the time, once.
      await enqueue(tx, "message.deliver", { messageId: id }, deps.now, {
        runAt: sendAt,
        dedupeKey: `message.deliver:${id}`,
      });
      await dropDraft(tx, p, input.draftId);
      await auditAction(tx, deps, p, {
        action: "message.scheduled",
        target: id,
        uai,
        details: { recipients: ids.length, sendAt: sendAt.toISOString() },
      });
      return { kind: "scheduled", id, recipients: ids.length, sendAt } as const;
    }
    await notifyFromUserScope(
      tx,
      ids,
      { kind: "message", title: `Nouveau message de ${displayName(p)}`, body: subject, link: `/messagerie/${id}` },
      deps.now,
      deps.delivery,
    );
    await dropDraft(tx, p, input.draftId);
    // Last: the audit chain serialises its writers until commit, so the lock is taken as late as possible.
    await auditAction(tx, deps, p, {
      action: "message.sent",
      target: id,
      uai,
      details: { recipients: ids.length },
    });
    return { kind: "sent", id, recipients: ids.length } as const;
  });
}

/**
 * 54F: delivers a scheduled message (job "message.deliver"). Idempotent: the state moves from scheduled to sent once,
 * so a job run again after a crash or a restart delivers nothing twice. Returns whether it delivered.
 */
export async function deliverScheduled(
  db: Database,
  messageId: string,
  now: Date,
  delivery: Delivery = {},
): Promise<boolean> {
  return withTenant(db, { kind: "all", userId: null }, async (tx) => {
    const [m] = rowsOf<{ id: string; subject: string; sender: string }>(
      await tx.execute(sql`
      update messages m set state = 'sent', created_at = coalesce(m.send_at, ${now.toISOString()}::timestamptz)
      from users u where m.id = ${messageId} and m.state = 'scheduled' and u.id = m.sender_id
      returning m.id, m.subject, u.first_name || ' ' || u.last_name as sender`),
    );
    if (!m) return false;
    const ids = rowsOf<{ user_id: string }>(
      await tx.execute(sql`update message_recipients r set delivered_at = m.created_at
      from messages m where m.id = r.message_id and r.message_id = ${messageId} returning r.user_id`),
    ).map((r) => r.user_id);
    await notifyUsers(
      tx,
      ids,
      { kind: "message", title: `Nouveau message de ${m.sender}`, body: m.subject, link: `/messagerie/${m.id}` },
      now,
      delivery,
    );
    await audit(tx, {
      at: now,
      actorId: null,
      action: "message.delivered",
      target: m.id,
      details: { recipients: ids.length },
    });
    return true;
  });
}

export type Folder = "inbox" | "sent" | "trash" | "drafts";
export interface MailboxLine {
  id: string;
  subject: string;
  who: string;
  at: Date;
  read: boolean;
  recipients: number;
  scheduledFor: Date | null;
}

/** Lines per mailbox page (57E): enough for a week of a busy director, light on a classroom PC. */
export const MAILBOX_PAGE_SIZE = 50;

export interface MailboxSlice {
  lines: MailboxLine[];
  page: number;
  hasNext: boolean;
}

/** What a folder's page shows: the words searched (subject or text), the page, in the inbox only the unread. */
export interface MailboxQuery {
  search: string;
  page: number;
  unreadOnly: boolean;
}

/** One page of a folder, newest first. */
export async function mailbox(deps: ServiceDeps, p: Principal, folder: Folder, q: MailboxQuery): Promise<MailboxSlice> {
  return inTenant(deps, p, (tx) => folderPage(tx, p, folder, q, deps.now));
}

/** A folder line as every folder's query returns it. */
interface MailboxRow {
  id: string;
  subject: string;
  who: string;
  at: Date | string;
  read: boolean;
  recipients: number;
  scheduled_for: string | Date | null;
}

/** One line more than the page is read to know whether another page follows. A delayed message's rows carry its send
 *  time: not in the inbox before then (its delivery job makes it "sent"). */
async function folderPage(
  tx: Tx,
  p: Principal,
  folder: Folder,
  { search, page, unreadOnly }: MailboxQuery,
  now: Date,
): Promise<MailboxSlice> {
  const pageNumber = Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
  const offset = (pageNumber - 1) * MAILBOX_PAGE_SIZE;
  const take = MAILBOX_PAGE_SIZE + 1;
  const q = search.trim() ? containsPattern(search.trim()) : null;
  const match = (alias: string) =>
    q ? sql`and (${sql.raw(alias)}.subject ilike ${q} or ${sql.raw(alias)}.body ilike ${q})` : sql``;
  const rows =
    folder === "drafts"
      ? rowsOf<MailboxRow>(
          await tx.execute(sql`
      select m.id, m.subject, null as scheduled_for, '' as who, m.created_at as at, true as read,
        coalesce(jsonb_array_length(m.draft->'recipientIds'), 0) as recipients
      from messages m where m.sender_id = ${p.userId} and m.state = 'draft' ${match("m")}
      order by m.created_at desc limit ${take} offset ${offset}`),
        )
      : folder === "sent"
        ? rowsOf<MailboxRow>(
            await tx.execute(sql`
      select m.id, m.subject, case when m.state = 'scheduled' then m.send_at end as scheduled_for,
        coalesce((select string_agg(u.first_name || ' ' || u.last_name, ', ' order by u.last_name)
          from message_recipients r join users u on u.id = r.user_id where r.message_id = m.id), '') as who,
        m.created_at as at, true as read,
        (select count(*)::int from message_recipients r where r.message_id = m.id) as recipients
      from messages m
      where m.sender_id = ${p.userId} and m.state in ('sent', 'scheduled') and m.sender_deleted_at is null ${match("m")}
      order by m.created_at desc limit ${take} offset ${offset}`),
          )
        : // The page is chosen from the recipients' index (one page of this inbox), then joined: an inbox of ten
          // thousand messages costs the same as one of ten. A search has to look at the messages themselves.
          rowsOf<MailboxRow>(
            await tx.execute(sql`
      select m.id, m.subject, null as scheduled_for, u.first_name || ' ' || u.last_name as who, r.delivered_at as at,
        r.read_at is not null as read, 0 as recipients
      from (select message_id, delivered_at, read_at from message_recipients r
            where r.user_id = ${p.userId}
              and ${folder === "trash" ? sql`r.deleted_at is not null` : sql`r.deleted_at is null`}
              ${q ? sql`and exists (select 1 from messages m where m.id = r.message_id ${match("m")})` : sql``}
              and r.delivered_at <= ${now.toISOString()}::timestamptz ${unreadOnly ? sql`and r.read_at is null` : sql``}
            order by r.delivered_at desc limit ${take} offset ${offset}) r
        join messages m on m.id = r.message_id join users u on u.id = m.sender_id
      where m.state = 'sent'
      order by r.delivered_at desc`),
          );
  const lines = rows.slice(0, MAILBOX_PAGE_SIZE).map((r) => ({
    id: r.id,
    subject: r.subject,
    who: r.who,
    at: new Date(r.at),
    read: r.read,
    recipients: r.recipients,
    scheduledFor: r.scheduled_for ? new Date(r.scheduled_for) : null,
  }));
  return { lines, page: pageNumber, hasNext: rows.length > MAILBOX_PAGE_SIZE };
}

export async function unreadCount(tx: Tx, p: Principal): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
    select count(*)::int as n from message_recipients
    where user_id = ${p.userId} and read_at is null and deleted_at is null`),
  );
  return row?.n ?? 0;
}

export interface MessageView {
  id: string;
  uai: string;
  subject: string;
  body: string;
  at: Date;
  sender: { id: string; name: string };
  recipients: { id: string; name: string; read: boolean }[];
  mine: boolean;
  inTrash: boolean;
  reported: boolean;
  receiptRequested: boolean;
  scheduledFor: Date | null;
  attachments: { id: string; name: string; size: number }[];
}

/** A message its sender or one of its recipients opens; opening marks it read. */
export async function readMessage(deps: ServiceDeps, p: Principal, id: string): Promise<MessageView | null> {
  if (!isId(id)) return null;
  return inTenant(deps, p, async (tx) => {
    const [m] = rowsOf<{
      id: string;
      uai: string;
      subject: string;
      body: string;
      created_at: Date | string;
      sender_id: string;
      sender: string;
      state: string;
      sender_deleted_at: string | null;
      receipt_requested: boolean;
      send_at: string | Date | null;
    }>(
      await tx.execute(sql`
      select m.id, m.uai, m.subject, m.body, m.created_at, m.sender_id, u.first_name || ' ' || u.last_name as sender,
        m.state, m.sender_deleted_at, m.receipt_requested, m.send_at
      from messages m join users u on u.id = m.sender_id where m.id = ${id}`),
    );
    if (!m || (m.state !== "sent" && !(m.state === "scheduled" && m.sender_id === p.userId))) return null;
    const recipients = rowsOf<{ id: string; name: string; read_at: string | null; deleted_at: string | null }>(
      await tx.execute(sql`
      select r.user_id as id, u.first_name || ' ' || u.last_name as name, r.read_at, r.deleted_at
      from message_recipients r join users u on u.id = r.user_id
      where r.message_id = ${id} order by u.last_name, u.first_name`),
    );
    const mine = m.sender_id === p.userId;
    const asRecipient = recipients.find((r) => r.id === p.userId);
    if (!mine && !asRecipient) return null;
    if (asRecipient && !asRecipient.read_at) {
      await tx.execute(sql`update message_recipients set read_at = ${deps.now.toISOString()}::timestamptz
        where message_id = ${id} and user_id = ${p.userId}`);
      if (m.receipt_requested) {
        await notifyFromUserScope(
          tx,
          [m.sender_id],
          {
            kind: "message.receipt",
            title: "Accusé de lecture",
            body: `${displayName(p)} a lu « ${m.subject} ».`,
            link: `/messagerie/${id}`,
          },
          deps.now,
          deps.delivery,
        );
      }
    }
    const reported =
      rowsOf(
        await tx.execute(sql`select 1 from message_reports where message_id = ${id} and reporter_id = ${p.userId}`),
      ).length > 0;
    const attachments = rowsOf<{ id: string; name: string; size: number }>(
      await tx.execute(sql`
      select id, name, size from message_attachments where message_id = ${id} order by name, id`),
    );
    return {
      id: m.id,
      uai: m.uai,
      subject: m.subject,
      body: m.body,
      at: new Date(m.created_at),
      sender: { id: m.sender_id, name: m.sender },
      // A recipient sees who else received it; read marks are the sender's business only.
      // 54G: read marks exist for the sender only when they asked for them.
      recipients: recipients.map((r) => ({
        id: r.id,
        name: r.name,
        read: mine && m.receipt_requested ? r.read_at !== null : false,
      })),
      mine,
      inTrash: mine ? m.sender_deleted_at !== null : asRecipient!.deleted_at !== null,
      reported,
      attachments,
      receiptRequested: m.receipt_requested,
      scheduledFor: m.state === "scheduled" && m.send_at ? new Date(m.send_at) : null,
    };
  });
}

/** Moves a message to the user's trash, or back (`restore`). Each side has its own trash. */
export async function trashMessage(deps: ServiceDeps, p: Principal, id: string, restore: boolean): Promise<boolean> {
  if (!isId(id)) return false;
  const at = restore ? sql`null` : sql`${deps.now.toISOString()}::timestamptz`;
  return inTenant(deps, p, async (tx) => {
    const asRecipient = rowsOf(
      await tx.execute(sql`update message_recipients set deleted_at = ${at}
      where message_id = ${id} and user_id = ${p.userId} returning 1`),
    ).length;
    const asSender = rowsOf(
      await tx.execute(sql`update messages set sender_deleted_at = ${at}
      where id = ${id} and sender_id = ${p.userId} returning 1`),
    ).length;
    return asRecipient + asSender > 0;
  });
}

/** 52A: a recipient reports a message; the school's teachers of the sender's classes and its directors are told. */
export async function reportMessage(deps: ServiceDeps, p: Principal, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  return inTenant(deps, p, async (tx) => {
    const [m] = rowsOf<{ uai: string; sender_id: string }>(
      await tx.execute(sql`
      select m.uai, m.sender_id
      from messages m join message_recipients r on r.message_id = m.id and r.user_id = ${p.userId}
      where m.id = ${id} and m.state = 'sent'`),
    );
    if (!m) return false;
    const added = rowsOf(
      await tx.execute(sql`insert into message_reports (message_id, reporter_id, uai, reported_at)
      values (${id}, ${p.userId}, ${m.uai}, ${deps.now.toISOString()}::timestamptz)
      on conflict do nothing returning 1`),
    ).length;
    if (!added) return true;
    await auditAction(tx, deps, p, {
      action: "message.reported",
      target: id,
      uai: m.uai,
    });
    const moderators = rowsOf<{ user_id: string }>(
      await tx.execute(sql`
      select user_id from school_profiles where uai = ${m.uai} and profile = 'director'
      union select t.user_id from class_members s join class_members t on t.class_id = s.class_id and t.role = 'teacher'
        where s.user_id = ${m.sender_id} and s.uai = ${m.uai}`),
    ).map((r) => r.user_id);
    await notifyFromUserScope(
      tx,
      moderators,
      {
        kind: "message.report",
        title: "Message signalé",
        body: `${displayName(p)} a signalé un message.`,
        link: `/messagerie/moderation/${id}`,
      },
      deps.now,
      deps.delivery,
    );
    return true;
  });
}

export interface ModerationLine {
  id: string;
  kind: "blocked" | "reported";
  subject: string;
  sender: string;
  at: Date;
  reports: number;
}

/** Whether the user moderates the messages of their active school (52B): the moderation link in the folders. */
export function moderatorHere(p: Principal): boolean {
  return moderatedSchool(p) !== null;
}

export interface ModerationPage {
  lines: ModerationLine[];
  /** 52E: the pupils the user may suspend, and the suspensions they may lift. */
  pupils: { id: string; name: string }[];
  suspensions: SuspensionLine[];
  /** 614B: the user also edits the school's communication rules. */
  rulesEditor: boolean;
}

/** 52B, 52E: the moderation page of the user's active school (null when they do not moderate there). */
export async function moderationPage(deps: ServiceDeps, p: Principal): Promise<ModerationPage | null> {
  const uai = moderatedSchool(p);
  if (!uai) return null;
  return inTenant(deps, p, async (tx) => {
    const contacts = await reachableContacts(tx, p, uai);
    const pupils = await suspendablePupils(
      tx,
      p,
      uai,
      contacts.filter((x) => x.profiles.includes("pupil")),
    );
    return {
      lines: await moderationQueue(tx, p, uai),
      pupils: pupils.map((x) => ({ id: x.id, name: `${x.firstName} ${x.lastName}` })),
      suspensions: await currentSuspensions(tx, p, uai, deps.now),
      rulesEditor: settingsSchool(p) !== null,
    };
  });
}

/** Blocked and reported messages of the school: a director sees all; a teacher those of their pupils. */
async function moderationQueue(tx: Tx, p: Principal, uai: string): Promise<ModerationLine[]> {
  const director = can(p, "message.moderateSchool", { kind: "school", uai });
  const rows = rowsOf<{
    id: string;
    state: string;
    subject: string;
    sender: string;
    created_at: string | Date;
    reports: number;
  }>(
    await tx.execute(sql`
    select m.id, m.state, m.subject, u.first_name || ' ' || u.last_name as sender, m.created_at,
      (select count(*)::int from message_reports r where r.message_id = m.id) as reports
    from messages m join users u on u.id = m.sender_id
    where m.uai = ${uai} and (m.state = 'blocked' or exists (select 1 from message_reports r where r.message_id = m.id))
      and (${director}::boolean or exists (select 1 from class_members s join class_members t on t.class_id = s.class_id
        and t.role = 'teacher' and t.user_id = ${p.userId} where s.user_id = m.sender_id))
    order by m.created_at desc limit 200`),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.state === "blocked" ? "blocked" : "reported",
    subject: r.subject,
    sender: r.sender,
    at: new Date(r.created_at),
    reports: r.reports,
  }));
}

export interface ModeratedMessage {
  id: string;
  subject: string;
  body: string;
  at: Date;
  sender: string;
  state: "sent" | "blocked";
  words: string[];
  recipients: string[];
  reports: { by: string; at: Date }[];
}

/** 52B: the message, its recipients, date and time, and who reported it — for the school's moderators. */
export async function moderatedMessage(deps: ServiceDeps, p: Principal, id: string): Promise<ModeratedMessage | null> {
  if (!isId(id)) return null;
  return inTenant(deps, p, (tx) => moderatedIn(tx, p, id));
}

async function moderatedIn(tx: Tx, p: Principal, id: string): Promise<ModeratedMessage | null> {
  const [m] = rowsOf<{
    uai: string;
    subject: string;
    body: string;
    created_at: string | Date;
    sender: string;
    state: "sent" | "blocked";
    blocked_words: string[] | null;
  }>(
    await tx.execute(sql`
    select m.uai, m.subject, m.body, m.created_at, u.first_name || ' ' || u.last_name as sender,
      m.state, m.blocked_words
    from messages m join users u on u.id = m.sender_id where m.id = ${id}`),
  );
  if (!m || !can(p, "message.moderate", { kind: "school", uai: m.uai })) return null;
  const line = (await moderationQueue(tx, p, m.uai)).find((l) => l.id === id);
  if (!line) return null;
  const recipients = rowsOf<{ name: string }>(
    await tx.execute(sql`select u.first_name || ' ' || u.last_name as name
    from message_recipients r join users u on u.id = r.user_id
    where r.message_id = ${id} order by u.last_name, u.first_name`),
  ).map((r) => r.name);
  const reports = rowsOf<{ by: string; at: string | Date }>(
    await tx.execute(sql`select u.first_name || ' ' || u.last_name as by, r.reported_at as at
    from message_reports r join users u on u.id = r.reporter_id where r.message_id = ${id} order by r.reported_at`),
  );
  return {
    id,
    subject: m.subject,
    body: m.body,
    at: new Date(m.created_at),
    sender: m.sender,
    state: m.state,
    words: m.blocked_words ?? [],
    recipients,
    reports: reports.map((r) => ({ by: r.by, at: new Date(r.at) })),
  };
}

/** An attachment for whoever may read its message (sender, recipients): its bytes, name and type. */
export async function attachmentFor(
  deps: ServiceDeps,
  p: Principal,
  messageId: string,
  attachmentId: string,
): Promise<{ name: string; type: string; data: Uint8Array } | null> {
  if (!isId(messageId) || !isId(attachmentId) || !deps.blobs) return null;
  const [row] = await inTenant(deps, p, async (tx) =>
    rowsOf<{ name: string; type: string; blob_key: string }>(
      await tx.execute(sql`
    select a.name, a.type, a.blob_key from message_attachments a join messages m on m.id = a.message_id
    where a.id = ${attachmentId} and a.message_id = ${messageId}
      and ((m.sender_id = ${p.userId}) or (m.state = 'sent' and exists (
        select 1 from message_recipients r where r.message_id = m.id and r.user_id = ${p.userId})))`),
    ),
  );
  if (!row) return null;
  const data = await deps.blobs.get(row.blob_key);
  return data ? { name: row.name, type: row.type, data } : null;
}

// ——— Drafts ———

export type DraftError = "draft_empty" | "subject_long" | "body_long";

export interface DraftInput {
  draftId?: string | null;
  uai?: string | null;
  subject: string;
  body: string;
  recipientIds: string[];
  groupKeys: string[];
  sendAt: string;
  receipt: boolean;
}

/** Keeps what the user wrote, as it is: recipients and rules are checked when it is sent (attachments are not kept). */
export async function draftSaver(
  deps: ServiceDeps,
  p: Principal,
  input: DraftInput,
): Promise<{ ok: true; id: string } | { ok: false; errors: DraftError[] } | { ok: false; forbidden: true }> {
  const subject = input.subject.trim();
  const body = input.body.replace(/\r\n/g, "\n").trim();
  const errors: DraftError[] = [];
  if (!subject && !body) errors.push("draft_empty");
  if (subject.length > SUBJECT_MAX) errors.push("subject_long");
  if (body.length > BODY_MAX) errors.push("body_long");
  if (errors.length) return { ok: false, errors };
  const fields = {
    recipientIds: [...new Set(input.recipientIds.filter(isId))].slice(0, RECIPIENTS_MAX),
    groupKeys: [...new Set(input.groupKeys.filter((k) => groupKeyParts(k)))].slice(0, 100),
    sendAt: isLocalDateTime(input.sendAt) ? input.sendAt : "",
    receipt: input.receipt,
  };
  return inTenant(deps, p, async (tx) => {
    const { uai } = await sendingSchool(tx, p, input.uai ?? null);
    if (!uai) return { ok: false as const, forbidden: true as const };
    const draftId = input.draftId && isId(input.draftId) ? input.draftId : null;
    const [updated] = draftId
      ? rowsOf<{ id: string }>(
          await tx.execute(sql`
      update messages set uai = ${uai}, subject = ${subject}, body = ${body}, draft = ${JSON.stringify(fields)}::jsonb,
        created_at = ${deps.now.toISOString()}::timestamptz
      where id = ${draftId} and sender_id = ${p.userId} and state = 'draft' returning id`),
        )
      : [];
    if (updated) return { ok: true as const, id: updated.id };
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into messages (uai, sender_id, subject, body, state, draft, created_at)
      values (${uai}, ${p.userId}, ${subject}, ${body}, 'draft', ${JSON.stringify(fields)}::jsonb,
        ${deps.now.toISOString()}::timestamptz)
      returning id`),
    );
    return { ok: true as const, id: row!.id };
  });
}

export interface SavedDraft {
  id: string;
  uai: string;
  subject: string;
  body: string;
  fields: DraftFields;
}

async function draftOf(tx: Tx, p: Principal, id: string): Promise<SavedDraft | null> {
  if (!isId(id)) return null;
  const [row] = rowsOf<{ id: string; uai: string; subject: string; body: string; draft: DraftFields | string | null }>(
    await tx.execute(sql`
    select id, uai, subject, body, draft from messages
    where id = ${id} and sender_id = ${p.userId} and state = 'draft'`),
  );
  if (!row) return null;
  const fields = (typeof row.draft === "string" ? JSON.parse(row.draft) : row.draft) as DraftFields | null;
  return {
    id: row.id,
    uai: row.uai,
    subject: row.subject,
    body: row.body,
    fields: {
      recipientIds: fields?.recipientIds ?? [],
      groupKeys: fields?.groupKeys ?? [],
      sendAt: fields?.sendAt ?? "",
      receipt: fields?.receipt ?? false,
    },
  };
}

/** What the compose form holds: what the user typed, a saved draft, or a reply's prefilled subject and sender. */
export interface MessageDraft {
  subject: string;
  body: string;
  recipientIds: string[];
  groupKeys: string[];
  sendAt?: string;
  receipt?: boolean;
  /** The saved draft being edited. */
  draftId?: string | null;
}

/** The compose page's request: the school chosen (perimeter staff), a draft to open, a reply's sender and subject. */
export interface ComposeRequest {
  school: string;
  draftId: string;
  replyTo: string;
  subject: string;
}

export type Composition =
  | { kind: "ready"; options: ComposeOptions; restriction: Restriction | null; draft: MessageDraft }
  /** The user may write to nobody in this school. */
  | { kind: "forbidden" }
  /** The draft asked for is not one of the user's. */
  | { kind: "missing" };

/** Everything the compose page shows, in one transaction: whom the user may write to, whether messaging is closed to
 *  them now (52E–52G), and the form's content — a saved draft, or for a reply the sender when the rules allow. */
export async function composition(deps: ServiceDeps, p: Principal, request: ComposeRequest): Promise<Composition> {
  return inTenant(deps, p, async (tx) => {
    const saved = request.draftId ? await draftOf(tx, p, request.draftId) : null;
    const options = await composeOptions(tx, p, saved?.uai ?? (request.school || null));
    if (!options) return { kind: "forbidden" };
    if (request.draftId && !saved) return { kind: "missing" };
    const restriction = await messagingRestriction(tx, p, options.uai, deps.now, deps.timeZone);
    const draft: MessageDraft = saved
      ? { subject: saved.subject, body: saved.body, ...saved.fields, draftId: saved.id }
      : {
          subject: request.subject,
          body: "",
          groupKeys: [],
          recipientIds: options.contacts.some((x) => x.id === request.replyTo) ? [request.replyTo] : [],
        };
    return { kind: "ready", options, restriction, draft };
  });
}

export async function draftRemover(deps: ServiceDeps, p: Principal, id: string): Promise<boolean> {
  if (!isId(id)) return false;
  return inTenant(
    deps,
    p,
    async (tx) =>
      rowsOf(
        await tx.execute(
          sql`delete from messages where id = ${id} and sender_id = ${p.userId} and state = 'draft' returning id`,
        ),
      ).length > 0,
  );
}

async function dropDraft(tx: Tx, p: Principal, draftId: string | null | undefined): Promise<void> {
  if (draftId && isId(draftId)) {
    await tx.execute(sql`delete from messages where id = ${draftId} and sender_id = ${p.userId} and state = 'draft'`);
  }
}
