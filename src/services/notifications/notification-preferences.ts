// 54L–54M: which notices a user wants, and where (in the hub, by e-mail, Web Push on their devices, SMS), by
// category; their quiet hours, daily digest and mobile number. Categories are data: a notice's kind names its
// category; absent choices take the category's defaults.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { isTime } from "../../validation";
import { inTenant, type ServiceDeps } from "../context";
import type { Principal } from "../principal";
import { deviceCount } from "./push-subscriptions";

export const CHANNELS = ["hub", "mail", "push", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];
export type Channels = Record<Channel, boolean>;

export interface Category extends Channels {
  id: string;
  kinds: readonly string[];
}

export const CATEGORIES: readonly Category[] = [
  { id: "announcements", kinds: ["announcement"], hub: true, mail: true, push: true, sms: false },
  { id: "messages", kinds: ["message"], hub: true, mail: false, push: true, sms: false },
  { id: "polls", kinds: ["poll"], hub: true, mail: false, push: false, sms: false },
  { id: "absences", kinds: ["absence"], hub: true, mail: true, push: true, sms: false },
  { id: "liaison", kinds: ["liaison"], hub: true, mail: true, push: true, sms: false },
  { id: "homework", kinds: ["homework"], hub: true, mail: false, push: true, sms: false },
  { id: "agenda", kinds: ["agenda.event", "agenda.offer"], hub: true, mail: false, push: true, sms: false },
  { id: "appointments", kinds: ["agenda.booking", "agenda.reminder"], hub: true, mail: true, push: true, sms: false },
  { id: "publications", kinds: ["wall.created", "document.shared"], hub: true, mail: false, push: false, sms: false },
  { id: "receipts", kinds: ["message.receipt"], hub: true, mail: false, push: false, sms: false },
  { id: "moderation", kinds: ["message.incident", "message.report"], hub: true, mail: true, push: false, sms: false },
  { id: "delivery", kinds: ["sms.failed"], hub: true, mail: true, push: false, sms: false },
  {
    id: "directory",
    kinds: ["aaf.rejected", "aaf.applied", "aaf.duplicates", "aaf.pre_deleted"],
    hub: true,
    mail: true,
    push: false,
    sms: false,
  },
];

export function categoryOfKind(kind: string): Category | null {
  return CATEGORIES.find((c) => c.kinds.includes(kind) || (c.id === "directory" && kind.startsWith("aaf."))) ?? null;
}

const defaultsOf = (c: Category | null): Channels => ({
  hub: c?.hub ?? true,
  mail: c?.mail ?? false,
  push: c?.push ?? false,
  sms: c?.sms ?? false,
});

interface PreferenceRow {
  user_id: string;
  category: string;
  in_hub: boolean;
  by_mail: boolean;
  by_push: boolean;
  by_sms: boolean;
}
const channelsOfRow = (r: PreferenceRow): Channels => ({
  hub: r.in_hub,
  mail: r.by_mail,
  push: r.by_push,
  sms: r.by_sms,
});

/** Channels each user wants for this kind of notice (system scope: the users are others). */
export async function channelsFor(tx: Tx, userIds: readonly string[], kind: string): Promise<Map<string, Channels>> {
  const category = categoryOfKind(kind);
  const out = new Map<string, Channels>(userIds.map((id) => [id, defaultsOf(category)]));
  if (!category || userIds.length === 0) return out;
  const rows = rowsOf<PreferenceRow>(
    await tx.execute(sql`
    select user_id, category, in_hub, by_mail, by_push, by_sms from notification_preferences
    where category = ${category.id} and user_id = any(${`{${userIds.join(",")}}`}::uuid[])`),
  );
  for (const r of rows) out.set(r.user_id, channelsOfRow(r));
  return out;
}

/** The user's own choices for every category (their scope). */
async function myPreferences(tx: Tx, userId: string): Promise<Record<string, Channels>> {
  const out = Object.fromEntries(CATEGORIES.map((c) => [c.id, defaultsOf(c)]));
  const rows = rowsOf<PreferenceRow>(
    await tx.execute(sql`
    select user_id, category, in_hub, by_mail, by_push, by_sms
    from notification_preferences where user_id = ${userId}`),
  );
  for (const r of rows) if (out[r.category]) out[r.category] = channelsOfRow(r);
  return out;
}

/** Saves the form: `chosen` holds "<category>:<channel>" for each box ticked. */
async function savePreferences(tx: Tx, userId: string, chosen: ReadonlySet<string>): Promise<void> {
  for (const c of CATEGORIES) {
    const on = (ch: Channel) => chosen.has(`${c.id}:${ch}`);
    await tx.execute(sql`insert into notification_preferences (user_id, category, in_hub, by_mail, by_push, by_sms)
      values (${userId}, ${c.id}, ${on("hub")}, ${on("mail")}, ${on("push")}, ${on("sms")})
      on conflict (user_id, category) do update
        set in_hub = excluded.in_hub, by_mail = excluded.by_mail, by_push = excluded.by_push,
          by_sms = excluded.by_sms`);
  }
}

export interface DeliverySettings {
  quietFrom: string | null;
  quietTo: string | null;
  dailyDigest: boolean;
  mobile: string | null;
}

async function mySettings(tx: Tx, userId: string): Promise<DeliverySettings> {
  const [row] = rowsOf<{
    quiet_from: string | null;
    quiet_to: string | null;
    daily_digest: boolean;
    mobile: string | null;
  }>(
    await tx.execute(sql`
    select quiet_from, quiet_to, daily_digest, mobile from notification_settings where user_id = ${userId}`),
  );
  return {
    quietFrom: row?.quiet_from ?? null,
    quietTo: row?.quiet_to ?? null,
    dailyDigest: row?.daily_digest ?? false,
    mobile: row?.mobile ?? null,
  };
}

export type SettingsIssue = "quiet_incomplete" | "quiet_time" | "quiet_same" | "mobile";

/** A French mobile number (06, 07, +33 6/7, 0033…) as E.164, or null. */
export function frenchMobile(input: string): string | null {
  const digits = input.replace(/[\s.\-()]/g, "");
  const m = /^(?:\+33|0033|0)([67]\d{8})$/.exec(digits);
  return m ? `+33${m[1]}` : null;
}

/** Checks the form's quiet hours, digest and number; nothing is saved when it answers an issue. */
export function parseSettings(input: {
  quietFrom: string;
  quietTo: string;
  dailyDigest: boolean;
  mobile: string;
}): { ok: true; settings: DeliverySettings } | { ok: false; issue: SettingsIssue } {
  const from = input.quietFrom.trim();
  const to = input.quietTo.trim();
  if ((from === "") !== (to === "")) return { ok: false, issue: "quiet_incomplete" };
  if (from && (!isTime(from) || !isTime(to))) return { ok: false, issue: "quiet_time" };
  if (from && from === to) return { ok: false, issue: "quiet_same" };
  const mobileInput = input.mobile.trim();
  const mobile = mobileInput ? frenchMobile(mobileInput) : null;
  if (mobileInput && !mobile) return { ok: false, issue: "mobile" };
  return {
    ok: true,
    settings: { quietFrom: from || null, quietTo: to || null, dailyDigest: input.dailyDigest, mobile },
  };
}

async function saveSettings(tx: Tx, userId: string, s: DeliverySettings): Promise<void> {
  await tx.execute(sql`insert into notification_settings (user_id, quiet_from, quiet_to, daily_digest, mobile)
    values (${userId}, ${s.quietFrom}, ${s.quietTo}, ${s.dailyDigest}, ${s.mobile})
    on conflict (user_id) do update set quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,
      daily_digest = excluded.daily_digest, mobile = excluded.mobile`);
}

/** "Mes notifications": the user's choices per category, their delivery settings and how many devices get pushes. */
export async function notificationSettingsOf(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ preferences: Record<string, Channels>; settings: DeliverySettings; devices: number }> {
  return inTenant(deps, p, async (tx) => ({
    preferences: await myPreferences(tx, p.userId),
    settings: await mySettings(tx, p.userId),
    devices: await deviceCount(tx, p.userId),
  }));
}

export interface SettingsInput {
  /** "<category>:<channel>" for each box ticked, of the channels offered. */
  chosen: ReadonlySet<string>;
  quietFrom: string;
  quietTo: string;
  dailyDigest: boolean;
  /** Null where the number is not asked (no SMS provider): the number already given stays. */
  mobile: string | null;
}

/** Saves the whole form, or nothing when its settings answer an issue. */
export async function saveNotificationSettings(
  deps: ServiceDeps,
  p: Principal,
  input: SettingsInput,
): Promise<{ ok: true } | { ok: false; issue: SettingsIssue }> {
  return inTenant(deps, p, async (tx) => {
    const mobile = input.mobile ?? (await mySettings(tx, p.userId)).mobile ?? "";
    const parsed = parseSettings({ ...input, mobile });
    if (!parsed.ok) return parsed;
    await savePreferences(tx, p.userId, input.chosen);
    await saveSettings(tx, p.userId, parsed.settings);
    return { ok: true as const };
  });
}
