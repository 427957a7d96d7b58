// 51C: the devices where a user receives Web Push notices. A subscription names the push service's endpoint; the
// hub will POST to it, so only the known push services are accepted (no request to an address a user made up).
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Tx } from "../../../db/client";
import type { PushSubscriptionKeys } from "../../platform";
import { inTenant, type ServiceDeps } from "../context";
import type { Principal } from "../principal";

/** The browsers' push services (Chrome/Edge via FCM, Firefox, Windows, Safari). Settings: PREAU_PUSH_SERVICES. */
export const DEFAULT_PUSH_SERVICES = [
  "https://fcm.googleapis.com",
  "https://*.push.services.mozilla.com",
  "https://*.notify.windows.com",
  "https://web.push.apple.com",
  "https://*.push.apple.com",
];

export type SubscriptionIssue = "invalid" | "service";

/** "https://*.example.com" matches any sub-domain; the port is not part of a pattern. */
export function pushServiceAllowed(endpoint: URL, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const m = /^(https?):\/\/(\*\.)?([^/:]+)$/.exec(pattern.trim());
    if (!m || endpoint.protocol !== `${m[1]}:`) return false;
    return m[2] ? endpoint.hostname.endsWith(`.${m[3]}`) : endpoint.hostname === m[3];
  });
}

function base64urlBytes(value: unknown): number {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+={0,2}$/.test(value) || value.length > 200) return -1;
  return Math.floor((value.replace(/=+$/, "").length * 3) / 4);
}

/** What the browser's PushSubscription.toJSON() gives: an endpoint and two keys (a P-256 point and a 16-byte
 *  secret). */
export function parseSubscription(
  input: unknown,
  services: readonly string[],
): { ok: true; subscription: PushSubscriptionKeys } | { ok: false; issue: SubscriptionIssue } {
  const body = input as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (!body || typeof body.endpoint !== "string" || body.endpoint.length > 1000 || !body.keys)
    return { ok: false, issue: "invalid" };
  let endpoint: URL;
  try {
    endpoint = new URL(body.endpoint);
  } catch {
    return { ok: false, issue: "invalid" };
  }
  if (base64urlBytes(body.keys.p256dh) !== 65 || base64urlBytes(body.keys.auth) !== 16)
    return { ok: false, issue: "invalid" };
  if (!pushServiceAllowed(endpoint, services)) return { ok: false, issue: "service" };
  return {
    ok: true,
    subscription: { endpoint: endpoint.href, p256dh: body.keys.p256dh as string, auth: body.keys.auth as string },
  };
}

/** Saves this device (the browser's PushSubscription as JSON) for the user. A shared computer's browser moves to
 *  whoever subscribes from it last. Only the known push services are accepted (deps.config.pushServices). */
export async function subscribeDevice(
  deps: ServiceDeps,
  p: Principal,
  body: unknown,
): Promise<{ ok: true } | { ok: false; issue: SubscriptionIssue }> {
  const parsed = parseSubscription(body, deps.config.pushServices);
  if (!parsed.ok) return parsed;
  const s = parsed.subscription;
  // The system scope: the endpoint may be held by another user.
  await withTenant(deps.db, systemScope, (tx) =>
    tx.execute(sql`insert into push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
      values (${s.endpoint}, ${p.userId}, ${s.p256dh}, ${s.auth}, ${deps.now.toISOString()})
      on conflict (endpoint) do update set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
        created_at = excluded.created_at`),
  );
  return { ok: true };
}

/** This device no longer gets the user's pushes. */
export async function unsubscribeDevice(deps: ServiceDeps, p: Principal, endpoint: string): Promise<void> {
  await inTenant(deps, p, (tx) =>
    tx.execute(sql`delete from push_subscriptions where user_id = ${p.userId} and endpoint = ${endpoint}`),
  );
}

/** None of the user's devices gets pushes any more. */
export async function forgetDevices(deps: ServiceDeps, p: Principal): Promise<void> {
  await inTenant(deps, p, (tx) => tx.execute(sql`delete from push_subscriptions where user_id = ${p.userId}`));
}

export async function deviceCount(tx: Tx, userId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from push_subscriptions where user_id = ${userId}`),
  );
  return row?.n ?? 0;
}
