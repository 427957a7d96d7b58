// Node's native scrypt runs in libuv's thread pool: logins do not block the event loop.
import { scrypt } from "node:crypto";
import type { ScryptFunction } from "../auth/password";

export const nativeScrypt: ScryptFunction = (password, salt, { ln, r, p, keyLength }) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: 2 ** ln, r, p, maxmem: 2 ** ln * r * 128 * 2 }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    );
  });
