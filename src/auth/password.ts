// Password hashes in a self-describing format that every runtime can check:
//   $scrypt$ln=14,r=8,p=5$<salt base64>$<key base64>
// scrypt with N=2^14, r=8, p=5 is one of OWASP's recommended settings (16 MiB per hash: fits a Worker).
// The Node entry computes scrypt natively off the main thread; Workers use @noble/hashes; both agree byte for byte.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { constantTimeEqual } from "@oslojs/crypto/subtle";

export interface ScryptParams {
  ln: number;
  r: number;
  p: number;
  keyLength: number;
}
export type ScryptFunction = (password: Uint8Array, salt: Uint8Array, params: ScryptParams) => Promise<Uint8Array>;

export const owaspScrypt: ScryptParams = { ln: 14, r: 8, p: 5, keyLength: 32 };

export const portableScrypt: ScryptFunction = (password, salt, { ln, r, p, keyLength }) =>
  scryptAsync(password, salt, { N: 2 ** ln, r, p, dkLen: keyLength, maxmem: 2 ** ln * r * 128 * 2 });

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

const FORMAT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

export function passwordHasher(scrypt: ScryptFunction, params: ScryptParams = owaspScrypt): PasswordHasher {
  const encoder = new TextEncoder();
  return {
    async hash(password) {
      const salt = crypto.getRandomValues(new Uint8Array(16));
      const key = await scrypt(encoder.encode(password.normalize("NFC")), salt, params);
      return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${encodeBase64(salt)}$${encodeBase64(key)}`;
    },
    async verify(hash, password) {
      const m = FORMAT.exec(hash);
      if (!m) return false;
      const [, ln, r, p, salt, key] = m as unknown as [string, string, string, string, string, string];
      const expected = decodeBase64(key);
      const actual = await scrypt(encoder.encode(password.normalize("NFC")), decodeBase64(salt), {
        ln: Number(ln),
        r: Number(r),
        p: Number(p),
        keyLength: expected.length,
      });
      return constantTimeEqual(actual, expected);
    },
  };
}

/** Rules for passwords a user chooses (activation, change): long enough, not trivially guessable. */
export function passwordProblem(
  password: string,
  login: string | null,
): "too_short" | "too_long" | "same_as_login" | "too_simple" | null {
  if (password.length < 10) return "too_short";
  if (password.length > 200) return "too_long";
  if (login && password.toLowerCase().includes(login.toLowerCase())) return "same_as_login";
  if (new Set(password).size < 5) return "too_simple";
  return null;
}
