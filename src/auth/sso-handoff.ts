// The SAML proxy hands a user to the hub with this: a short-lived, single-use statement of what the identity
// provider asserted, MACed with a key both derive from the platform secret. Portable (WebCrypto).
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";

export type Guichet = "educonnect" | "arena";

export interface Handoff {
  guichet: Guichet;
  /** Single use: the hub refuses a jti it has seen. */
  jti: string;
  /** The SAML assertion's ID: a replayed assertion is refused even through a new handoff. */
  assertionId: string;
  expiresAt: number;
  nameId: string;
  sessionIndex: string | null;
  /** ÉduConnect identity vectors (FrEduCtRefId), as received. */
  refIds: string[];
  /** ÉduConnect's stable opaque id (FrEduCtId). */
  eduConnectId: string | null;
  /** Arena: the academic e-mail (ctemail, or mail). */
  email: string | null;
}

export const HANDOFF_SECONDS = 60;

async function keyOf(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", new TextEncoder().encode(`sso-handoff:${secret}`), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export async function signHandoff(secret: string, handoff: Handoff): Promise<string> {
  const body = encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(handoff)));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), new TextEncoder().encode(body)));
  return `${body}.${encodeBase64urlNoPadding(mac)}`;
}

/** The handoff if its MAC is right and it has not expired; null otherwise (nothing to tell an attacker). */
export async function readHandoff(secret: string, token: string, now: Date): Promise<Handoff | null> {
  const [body, mac] = token.split(".");
  if (!body || !mac || token.length > 20_000) return null;
  try {
    const expected = new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), new TextEncoder().encode(body)));
    const given = decodeBase64urlIgnorePadding(mac);
    if (given.length !== expected.length || !constantTimeEqual(given, expected)) return null;
    const handoff = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(body))) as Handoff;
    return handoff.expiresAt > now.getTime() ? handoff : null;
  } catch {
    return null;
  }
}
