// CSRF: every browser gets a random nonce in an HttpOnly cookie; forms carry HMAC(secret, nonce). A forged
// request can neither read the cookie nor compute the token. The Origin header, when sent, must be ours too.
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";

export interface CsrfTokens {
  newNonce(): string;
  tokenFor(nonce: string): Promise<string>;
  check(nonce: string | undefined, token: string | undefined): Promise<boolean>;
}

export async function csrfTokens(secret: string): Promise<CsrfTokens> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`csrf:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  // Each page embeds the token: remembering the latest nonces saves an HMAC (and a thread-pool hop) per request.
  const known = new Map<string, string>();
  const tokenFor = async (nonce: string) => {
    const seen = known.get(nonce);
    if (seen) return seen;
    const token = encodeBase64urlNoPadding(
      new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(nonce))),
    );
    known.set(nonce, token);
    if (known.size > 20_000) known.delete(known.keys().next().value!);
    return token;
  };
  return {
    newNonce: () => encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(18))),
    tokenFor,
    async check(nonce, token) {
      if (!nonce || !token || token.length > 100) return false;
      const expected = new TextEncoder().encode(await tokenFor(nonce));
      const given = new TextEncoder().encode(token);
      return expected.length === given.length && constantTimeEqual(expected, given);
    },
  };
}
