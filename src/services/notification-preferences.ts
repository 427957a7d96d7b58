// 54L–54M: which notices a user wants, and where (in the hub, by e-mail), by category. Categories are data: a
// notice's kind names its category; absent choices take the category's defaults.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client";

export interface Category { id: string; kinds: readonly string[]; hub: boolean; mail: boolean }

export const CATEGORIES: readonly Category[] = [
  { id: "messages", kinds: ["message"], hub: true, mail: false },
  { id: "receipts", kinds: ["message.receipt"], hub: true, mail: false },
  { id: "moderation", kinds: ["message.incident", "message.report"], hub: true, mail: true },
  { id: "directory", kinds: ["aaf.rejected", "aaf.applied", "aaf.duplicates", "aaf.pre_deleted"], hub: true, mail: true },
];

export function categoryOfKind(kind: string): Category | null {
  return CATEGORIES.find((c) => c.kinds.includes(kind) || (c.id === "directory" && kind.startsWith("aaf."))) ?? null;
}

export interface Channels { hub: boolean; mail: boolean }

/** Channels each user wants for this kind of notice (system scope: the users are others). */
export async function channelsFor(tx: Tx, userIds: readonly string[], kind: string): Promise<Map<string, Channels>> {
  const category = categoryOfKind(kind);
  const out = new Map<string, Channels>(userIds.map((id) => [id, { hub: category?.hub ?? true, mail: category?.mail ?? false }]));
  if (!category || userIds.length === 0) return out;
  const rows = rowsOf<{ user_id: string; in_hub: boolean; by_mail: boolean }>(await tx.execute(sql`
    select user_id, in_hub, by_mail from notification_preferences
    where category = ${category.id} and user_id = any(${`{${userIds.join(",")}}`}::uuid[])`));
  for (const r of rows) out.set(r.user_id, { hub: r.in_hub, mail: r.by_mail });
  return out;
}

/** The user's own choices for every category (their scope). */
export async function myPreferences(tx: Tx, userId: string): Promise<Record<string, Channels>> {
  const out = Object.fromEntries(CATEGORIES.map((c) => [c.id, { hub: c.hub, mail: c.mail }]));
  const rows = rowsOf<{ category: string; in_hub: boolean; by_mail: boolean }>(await tx.execute(sql`
    select category, in_hub, by_mail from notification_preferences where user_id = ${userId}`));
  for (const r of rows) if (out[r.category]) out[r.category] = { hub: r.in_hub, mail: r.by_mail };
  return out;
}

/** Saves the form: `chosen` holds "<category>:hub" and "<category>:mail" for each box ticked. */
export async function savePreferences(tx: Tx, userId: string, chosen: ReadonlySet<string>): Promise<void> {
  for (const c of CATEGORIES) {
    await tx.execute(sql`insert into notification_preferences (user_id, category, in_hub, by_mail)
      values (${userId}, ${c.id}, ${chosen.has(`${c.id}:hub`)}, ${chosen.has(`${c.id}:mail`)})
      on conflict (user_id, category) do update set in_hub = excluded.in_hub, by_mail = excluded.by_mail`);
  }
}
