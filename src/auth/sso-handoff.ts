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

/** What a federated hub session remembers, for single logout at the identity provider. */
export interface FederatedSession {
  guichet: Guichet;
  nameId: string;
  sessionIndex: string | null;
}

/** Imported once per secret and purpose (importing costs as much as signing): a login signs and reads two tokens. */
const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string, purpose: string): Promise<CryptoKey> {
  const name = `${purpose}:${secret}`;
  let key = keys.get(name);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(name), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    keys.set(name, key);
  }
  return key;
}

/** A MACed statement between the proxy and the hub; `purpose` keeps a handoff from passing for a logout and back. */
async function signToken(secret: string, purpose: string, value: { expiresAt: number }): Promise<string> {
  const body = encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(value)));
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", await keyOf(secret, purpose), new TextEncoder().encode(body)),
  );
  return `${body}.${encodeBase64urlNoPadding(mac)}`;
}

/** The value if its MAC is right and it has not expired; null otherwise (nothing to tell an attacker). */
async function readToken<T extends { expiresAt: number }>(
  secret: string,
  purpose: string,
  token: string,
  now: Date,
): Promise<T | null> {
  const [body, mac] = token.split(".");
  if (!body || !mac || token.length > 20_000) return null;
  try {
    const expected = new Uint8Array(
      await crypto.subtle.sign("HMAC", await keyOf(secret, purpose), new TextEncoder().encode(body)),
    );
    const given = decodeBase64urlIgnorePadding(mac);
    if (given.length !== expected.length || !constantTimeEqual(given, expected)) return null;
    const value = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(body))) as T;
    return value.expiresAt > now.getTime() ? value : null;
  } catch {
    return null;
  }
}

export const signHandoff = (secret: string, handoff: Handoff) => signToken(secret, "sso-handoff", handoff);
export const readHandoff = (secret: string, token: string, now: Date) =>
  readToken<Handoff>(secret, "sso-handoff", token, now);

/** The hub asks the proxy to end the user's session at the identity provider (single logout). */
export const signLogout = (secret: string, session: FederatedSession, now: Date) =>
  signToken(secret, "sso-logout", { ...session, expiresAt: now.getTime() + HANDOFF_SECONDS * 1000 });
export const readLogout = (secret: string, token: string, now: Date) =>
  readToken<FederatedSession & { expiresAt: number }>(secret, "sso-logout", token, now);

/** The identity provider asked for a logout: the proxy tells the hub which IdP session ends, and the hub says done. */
export interface IdpLogout extends FederatedSession {
  requestId: string;
  relayState: string | null;
}
export const signIdpLogout = (secret: string, value: IdpLogout, now: Date) =>
  signToken(secret, "sso-idp-logout", { ...value, expiresAt: now.getTime() + HANDOFF_SECONDS * 1000 });
export const readIdpLogout = (secret: string, token: string, now: Date) =>
  readToken<IdpLogout & { expiresAt: number }>(secret, "sso-idp-logout", token, now);
export const signIdpLogoutDone = (
  secret: string,
  value: { guichet: Guichet; requestId: string; relayState: string | null },
  now: Date,
) => signToken(secret, "sso-idp-logout-done", { ...value, expiresAt: now.getTime() + HANDOFF_SECONDS * 1000 });
export const readIdpLogoutDone = (secret: string, token: string, now: Date) =>
  readToken<{ guichet: Guichet; requestId: string; relayState: string | null; expiresAt: number }>(
    secret,
    "sso-idp-logout-done",
    token,
    now,
  );
