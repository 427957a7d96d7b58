// Telling people: a notice in the hub, and e-mails, pushes and SMS queued in outboxes (sent by the job runner,
// retried on failure). Persisted in the caller's transaction: nothing is announced for a change that did not happen.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { notifications, outboxMail, outboxSignals } from "../../../db/schema";
import { rowsOf, type Tx } from "../../../db/client";
import { enqueue } from "../../jobs/runner";
import { channelsFor } from "./notification-preferences";
import { endOfDailyWindow } from "../../time";
import { inTenant, type ServiceDeps } from "../context";
import type { Principal } from "../principal";

export interface Notice {
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  /** 54J: urgent notices go out at once, through quiet hours and daily digests. */
  urgent?: boolean;
}

/** How notices leave the hub: absent, they stay in the hub. */
export interface Delivery {
  /** Prefix of links in e-mails and SMS (the hub's public address). */
  baseUrl?: string;
  /** The zone users' quiet hours are read in (the platform's). */
  timeZone?: string;
}

interface Person {
  id: string;
  email: string | null;
  quiet_from: string | null;
  quiet_to: string | null;
  daily_digest: boolean | null;
  mobile: string | null;
  has_push: boolean;
}

/**
 * Tells users in the hub and, when `delivery` is given, by e-mail, Web Push and SMS as each of them chose for the
 * notice's category (54L–54M). Nothing is sent here: e-mails, pushes and SMS are queued in this transaction for the
 * job runner (so they exist only if the change commits), held until the end of the user's quiet hours, and e-mails
 * go into the daily digest for those who asked for one. Runs in a scope that may write their notices (the system
 * scope).
 */
export async function notifyUsers(
  tx: Tx,
  userIds: readonly string[],
  notice: Notice,
  now: Date,
  delivery?: Delivery,
): Promise<void> {
  await notifyEach(tx, [{ userIds, notice }], now, delivery);
}

/**
 * Several notices at once, each to its users (a roll's absences, one notice per pupil to that pupil's parents): the
 * same as one `notifyUsers` per notice, in a fixed number of statements whatever the number of notices (issue 22).
 */
export async function notifyEach(
  tx: Tx,
  items: readonly { userIds: readonly string[]; notice: Notice }[],
  now: Date,
  delivery?: Delivery,
): Promise<void> {
  const sends = items
    .map((item) => ({ notice: item.notice, users: [...new Set(item.userIds)] }))
    .filter((item) => item.users.length > 0);
  if (sends.length === 0) return;
  // Each user's channels for each category at stake.
  const channelsOf = new Map<string, Awaited<ReturnType<typeof channelsFor>>>();
  for (const kind of new Set(sends.map((x) => x.notice.kind))) {
    const users = [...new Set(sends.filter((x) => x.notice.kind === kind).flatMap((x) => x.users))];
    channelsOf.set(kind, await channelsFor(tx, users, kind));
  }
  const wants = (kind: string, id: string) => channelsOf.get(kind)!.get(id);
  const inHub = sends.flatMap(({ notice, users }) =>
    users
      .filter((userId) => wants(notice.kind, userId)?.hub !== false)
      .map((userId) => ({
        userId,
        kind: notice.kind,
        title: notice.title,
        body: notice.body,
        link: notice.link ?? null,
        createdAt: now,
      })),
  );
  for (let i = 0; i < inHub.length; i += 1000) await tx.insert(notifications).values(inHub.slice(i, i + 1000));
  if (!delivery) return;
  const outside = sends.map(({ notice, users }) => ({
    notice,
    users: users.filter((id) => {
      const c = wants(notice.kind, id);
      return c?.mail || c?.push || c?.sms;
    }),
  }));
  const everyone = [...new Set(outside.flatMap((x) => x.users))];
  const people = new Map<string, Person>();
  for (let i = 0; i < everyone.length; i += 1000) {
    for (const person of rowsOf<Person>(
      await tx.execute(sql`
      select u.id, u.academic_email as email, s.quiet_from, s.quiet_to, s.daily_digest, s.mobile,
        exists (select 1 from push_subscriptions p where p.user_id = u.id) as has_push
      from users u left join notification_settings s on s.user_id = u.id
      where u.id = any(${`{${everyone.slice(i, i + 1000).join(",")}}`}::uuid[])`),
    ))
      people.set(person.id, person);
  }
  const timeZone = delivery.timeZone ?? "Europe/Paris";
  const mails: (typeof outboxMail.$inferInsert)[] = [];
  const signals: (typeof outboxSignals.$inferInsert)[] = [];
  for (const { notice, users } of outside) {
    const link = notice.link ? `${delivery.baseUrl ?? ""}${notice.link}` : "";
    for (const id of users) {
      const person = people.get(id);
      if (!person) continue;
      const channels = wants(notice.kind, id)!;
      const quietEnd =
        notice.urgent || !person.quiet_from || !person.quiet_to
          ? null
          : endOfDailyWindow(now, person.quiet_from, person.quiet_to, timeZone);
      const notBefore = quietEnd ?? now;
      if (channels.mail && person.email && EMAIL.test(person.email)) {
        mails.push({
          to: person.email,
          subject: notice.title,
          text: link ? `${notice.body}\n\n${link}` : notice.body,
          meta: { kind: notice.kind },
          createdAt: now,
          notBefore: quietEnd,
          digestUserId: person.daily_digest && !notice.urgent ? person.id : null,
        });
      }
      if (channels.push && person.has_push)
        signals.push({
          channel: "push",
          userId: person.id,
          title: notice.title,
          body: notice.body,
          link: notice.link ?? null,
          createdAt: now,
          notBefore,
        });
      if (channels.sms && person.mobile) {
        signals.push({
          channel: "sms",
          userId: person.id,
          address: person.mobile,
          title: notice.title,
          body: smsText(notice, link),
          link: notice.link ?? null,
          createdAt: now,
          notBefore,
        });
      }
    }
  }
  for (let i = 0; i < mails.length; i += 1000) await tx.insert(outboxMail).values(mails.slice(i, i + 1000));
  for (let i = 0; i < signals.length; i += 1000) await tx.insert(outboxSignals).values(signals.slice(i, i + 1000));
  const sendable = mails.filter((m) => !m.digestUserId);
  for (const at of distinctTimes(sendable.map((m) => m.notBefore ?? now)))
    await enqueue(tx, "mail.flush", {}, now, { runAt: at });
  for (const at of distinctTimes(signals.map((s) => s.notBefore!)))
    await enqueue(tx, "signals.flush", {}, now, { runAt: at });
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** An SMS is short: the title, the start of the text, and the link; 320 characters (two SMS) at most. */
function smsText(notice: Notice, link: string): string {
  const tail = link ? ` ${link}` : "";
  const text = `${notice.title} : ${notice.body}`.replace(/\s+/g, " ").trim();
  const room = 320 - tail.length;
  return (text.length > room ? `${text.slice(0, room - 1)}…` : text) + tail;
}

function distinctTimes(times: Date[]): Date[] {
  return [...new Set(times.map((t) => t.getTime()))].map((t) => new Date(t));
}

/**
 * Notices belong to their recipients (own-row security): from a request running in the user's scope, they are
 * written with the system scope switched on for this call only, in the same transaction.
 */
export async function notifyFromUserScope(
  tx: Tx,
  userIds: readonly string[],
  notice: Notice,
  now: Date,
  delivery: Delivery = {},
): Promise<void> {
  await notifyEachFromUserScope(tx, [{ userIds, notice }], now, delivery);
}

/** `notifyEach` from a request running in the user's scope (see notifyFromUserScope). */
export async function notifyEachFromUserScope(
  tx: Tx,
  items: readonly { userIds: readonly string[]; notice: Notice }[],
  now: Date,
  delivery: Delivery = {},
): Promise<void> {
  if (!items.some((item) => item.userIds.length > 0)) return;
  // The setting as it was, read and switched in one statement (the select list is evaluated left to right).
  const [before] = rowsOf<{ v: string | null }>(
    await tx.execute(
      sql`select current_setting('preau.all_schools', true) as v, set_config('preau.all_schools', 'on', true)`,
    ),
  );
  await notifyEach(tx, items, now, delivery);
  await tx.execute(sql`select set_config('preau.all_schools', ${before?.v ?? "off"}, true)`);
}

export async function queueMail(
  tx: Tx,
  to: readonly string[],
  subject: string,
  text: string,
  now: Date,
  meta?: Record<string, unknown>,
): Promise<number> {
  const addresses = [...new Set(to.filter((a) => /^[^\s@]+@[^\s@]+$/.test(a)))];
  if (addresses.length) {
    await tx
      .insert(outboxMail)
      .values(addresses.map((address) => ({ to: address, subject, text, meta, createdAt: now })));
    await enqueue(tx, "mail.flush", {}, now);
  }
  return addresses.length;
}

export interface Recipient {
  id: string;
  email: string | null;
}

/** Académie admins (structure role on an académie). Runs in a scope that may read them (system or académie). */
export async function academieAdmins(tx: Tx): Promise<Recipient[]> {
  return rowsOf<Recipient>(
    await tx.execute(sql`
    select distinct u.id, u.academic_email as email from structure_roles r join users u on u.id = r.user_id
    where r.role = 'academie_admin' and u.state in ('active', 'pre_created')`),
  );
}

/** A school's admins: its directors. */
export async function schoolAdmins(tx: Tx, uai: string): Promise<Recipient[]> {
  return rowsOf<Recipient>(
    await tx.execute(sql`
    select distinct u.id, u.academic_email as email from school_profiles p join users u on u.id = p.user_id
    where p.uai = ${uai} and p.profile = 'director' and u.state in ('active', 'pre_created')`),
  );
}

export interface NoticeLine {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  read: boolean;
}

export async function myNotifications(tx: Tx, userId: string, limit = 50): Promise<NoticeLine[]> {
  const rows = await tx
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    link: r.link,
    createdAt: r.createdAt,
    read: r.readAt !== null,
  }));
}

/** The notices page: the user's latest notices in the hub, newest first. */
export async function noticesOf(deps: ServiceDeps, p: Principal): Promise<NoticeLine[]> {
  return inTenant(deps, p, (tx) => myNotifications(tx, p.userId));
}

/** "Tout marquer comme lu". */
export async function markAllRead(deps: ServiceDeps, p: Principal): Promise<void> {
  await inTenant(deps, p, (tx) =>
    tx
      .update(notifications)
      .set({ readAt: deps.now })
      .where(and(eq(notifications.userId, p.userId), isNull(notifications.readAt))),
  );
}
