// Telling people: a notice in the hub, and an e-mail queued in the outbox (sent by the job runner, retried on
// failure). Persisted in the caller's transaction: nothing is announced for a change that did not happen.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { notifications, outboxMail } from "../../db/schema";
import { rowsOf, type Tx } from "../../db/client";
import { enqueue } from "../jobs/runner";
import { channelsFor } from "./notification-preferences";

export interface Notice { kind: string; title: string; body: string; link?: string | null }

/**
 * Tells users in the hub, and by e-mail when `mail` is given and they asked for it (54L–54M). Each user's choices for
 * the notice's category decide. Runs in a scope that may write their notices (the system scope).
 */
export async function notifyUsers(tx: Tx, userIds: readonly string[], notice: Notice, now: Date,
  mail?: { baseUrl?: string }): Promise<void> {
  const unique = [...new Set(userIds)];
  const channels = await channelsFor(tx, unique, notice.kind);
  const inHub = unique.filter((id) => channels.get(id)?.hub !== false);
  for (let i = 0; i < inHub.length; i += 1000) {
    await tx.insert(notifications).values(inHub.slice(i, i + 1000).map((userId) => ({
      userId, kind: notice.kind, title: notice.title, body: notice.body, link: notice.link ?? null, createdAt: now,
    })));
  }
  if (!mail) return;
  const byMail = unique.filter((id) => channels.get(id)?.mail === true);
  if (byMail.length === 0) return;
  const addresses = rowsOf<{ email: string | null }>(await tx.execute(sql`
    select academic_email as email from users where id = any(${`{${byMail.join(",")}}`}::uuid[]) and academic_email is not null`));
  const link = notice.link ? `\n\n${mail.baseUrl ?? ""}${notice.link}` : "";
  await queueMail(tx, addresses.map((a) => a.email!).filter(Boolean), notice.title, `${notice.body}${link}`, now, { kind: notice.kind });
}

export async function queueMail(tx: Tx, to: readonly string[], subject: string, text: string, now: Date, meta?: Record<string, unknown>): Promise<number> {
  const addresses = [...new Set(to.filter((a) => /^[^\s@]+@[^\s@]+$/.test(a)))];
  if (addresses.length) {
    await tx.insert(outboxMail).values(addresses.map((address) => ({ to: address, subject, text, meta, createdAt: now })));
    await enqueue(tx, "mail.flush", {}, now);
  }
  return addresses.length;
}

export interface Recipient { id: string; email: string | null }

/** Académie admins (structure role on an académie). Runs in a scope that may read them (system or académie). */
export async function academieAdmins(tx: Tx): Promise<Recipient[]> {
  return rowsOf<Recipient>(await tx.execute(sql`
    select distinct u.id, u.academic_email as email from structure_roles r join users u on u.id = r.user_id
    where r.role = 'academie_admin' and u.state in ('active', 'pre_created')`));
}

/** A school's admins: its directors. */
export async function schoolAdmins(tx: Tx, uai: string): Promise<Recipient[]> {
  return rowsOf<Recipient>(await tx.execute(sql`
    select distinct u.id, u.academic_email as email from school_profiles p join users u on u.id = p.user_id
    where p.uai = ${uai} and p.profile = 'director' and u.state in ('active', 'pre_created')`));
}

export interface NoticeLine { id: string; kind: string; title: string; body: string; link: string | null; createdAt: Date; read: boolean }

export async function myNotifications(tx: Tx, userId: string, limit = 50): Promise<NoticeLine[]> {
  const rows = await tx.select().from(notifications).where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt)).limit(limit);
  return rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.createdAt, read: r.readAt !== null }));
}

export async function markAllRead(tx: Tx, userId: string, now: Date): Promise<void> {
  await tx.update(notifications).set({ readAt: now }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
