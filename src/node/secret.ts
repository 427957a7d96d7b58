// The platform secret (CSRF HMAC…): PREAU_SECRET when given, else made once and kept in the data folder.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

export async function loadSecret(env: Record<string, string | undefined>, dataDir: string): Promise<string> {
  if (env.PREAU_SECRET) {
    if (env.PREAU_SECRET.length < 32) throw new Error("PREAU_SECRET doit faire au moins 32 caractères.");
    return env.PREAU_SECRET;
  }
  const file = join(dataDir, "secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
