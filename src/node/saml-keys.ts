// The proxy's key pairs (signing AuthnRequests, decrypting assertions; the test IdPs' own): PEM files in the data
// folder, made once with a self-signed certificate (selfsigned: X.509 through WebCrypto) — or given by the operator.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface KeyPair {
  privateKey: string;
  cert: string;
}

export async function makeKeyPair(commonName: string): Promise<KeyPair> {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + 10);
  const pems = await generate([{ name: "commonName", value: commonName }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
  });
  return { privateKey: pems.private, cert: pems.cert };
}

/** `<dir>/<name>.key` and `<name>.crt`, created on first use. */
export async function loadKeyPair(dir: string, name: string, commonName: string): Promise<KeyPair> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  try {
    return { privateKey: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8") };
  } catch {
    await mkdir(dir, { recursive: true });
    const pair = await makeKeyPair(commonName);
    await writeFile(keyFile, pair.privateKey, { mode: 0o600 });
    await writeFile(certFile, pair.cert);
    return pair;
  }
}
