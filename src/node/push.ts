// Web Push on Node (51C): web-push encrypts the payload for the subscription (RFC 8291) and signs the VAPID header
// (RFC 8292); the request itself goes out through fetch. The VAPID key pair is PREAU_VAPID_PUBLIC_KEY /
// PREAU_VAPID_PRIVATE_KEY when given, else made once and kept in the data folder (subscriptions are bound to it).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import webpush from "web-push";
import type { PushTransport } from "../platform";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export async function loadVapidKeys(env: Record<string, string | undefined>, dataDir: string): Promise<VapidKeys> {
  if (env.PREAU_VAPID_PUBLIC_KEY && env.PREAU_VAPID_PRIVATE_KEY) {
    return { publicKey: env.PREAU_VAPID_PUBLIC_KEY, privateKey: env.PREAU_VAPID_PRIVATE_KEY };
  }
  const file = join(dataDir, "vapid.json");
  try {
    return JSON.parse(await readFile(file, "utf8")) as VapidKeys;
  } catch {
    await mkdir(dataDir, { recursive: true });
    const keys = webpush.generateVAPIDKeys();
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
    return keys;
  }
}

/** The contact push services may use about our traffic: a mailto: of the platform's sender address. */
export function vapidSubject(mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}`;
}

export function webPushTransport(
  keys: VapidKeys,
  subject: string,
  options: { ttlSeconds?: number; timeoutMs?: number } = {},
): PushTransport {
  return {
    publicKey: keys.publicKey,
    async send(subscription, payload) {
      const request = webpush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: options.ttlSeconds ?? 24 * 3600,
        },
      );
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body ? new Uint8Array(request.body as Buffer) : null,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (response.status === 404 || response.status === 410) return { gone: true };
      if (!response.ok) throw new Error(`Service de notification : HTTP ${response.status}`);
      return { gone: false };
    },
  };
}
