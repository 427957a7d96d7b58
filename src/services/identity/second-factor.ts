// 611D: admins finish a password login with a one-time code sent to their academic mailbox. The browser holds a
// random challenge token (cookie); the database keeps only its hash and a hash of token + code. A code lives
// CODE_MINUTES, allows MAX_ATTEMPTS tries, and is used once; the session is created only when it matches.
import { sql } from "drizzle-orm";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { rowsOf, systemScope, withTenant, type Tx } from "../../../db/client";
import type { ServiceDeps } from "../context";
import { audit } from "../audit";
import { queueMail } from "../notifications/notifications";
import { createSession } from "./sessions";
import type { ProfileKind } from "../principal";

export const CODE_MINUTES = 10;
export const MAX_ATTEMPTS = 5;

const hex = (text: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(text)));

/** Six digits, uniformly drawn (rejection sampling: no modulo bias). */
export function oneTimeCode(): string {
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    if (buffer[0]! < 4_294_000_000) return String(buffer[0]! % 1_000_000).padStart(6, "0");
  }
}

/** Whether this account must give a second factor: it holds one of the configured admin roles. */
export async function needsSecondFactor(
  tx: Tx,
  userId: string,
  roles: readonly ProfileKind[],
): Promise<{ email: string | null } | null> {
  if (roles.length === 0) return null;
  const [row] = rowsOf<{ email: string | null; admin: boolean }>(
    await tx.execute(sql`
    select u.academic_email as email,
      exists (select 1 from structure_roles r
        where r.user_id = u.id and r.role::text = any(${`{${roles.join(",")}}`}::text[])) as admin
    from users u where u.id = ${userId}`),
  );
  return row?.admin ? { email: row.email } : null;
}

/** "jeanne.martin@ac-paris.fr" → "j•••@ac-paris.fr": enough to know which mailbox to open. */
export function maskedEmail(email: string): string {
  const [local, domain] = email.split("@");
  return `${(local ?? "").slice(0, 1)}•••@${domain ?? ""}`;
}

/**
 * Creates the challenge and queues the e-mail with the code, in the caller's transaction. Returns the browser's token.
 */
export async function openChallenge(
  tx: Tx,
  userId: string,
  email: string,
  now: Date,
  ip: string | null,
  platformName: string,
): Promise<string> {
  const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  const code = oneTimeCode();
  await tx.execute(sql`insert into login_challenges (id, user_id, code_hash, created_at, expires_at, ip)
    values (${hex(token)}, ${userId}, ${hex(`${token}:${code}`)}, ${now.toISOString()},
      ${new Date(now.getTime() + CODE_MINUTES * 60_000).toISOString()}, ${ip})`);
  await queueMail(
    tx,
    [email],
    `[${platformName}] Code de connexion : ${code}`,
    `Votre code de connexion à ${platformName} est : ${code}\n\n` +
      `Il est valable ${CODE_MINUTES} minutes et ne sert qu'une fois. ` +
      "Si vous n'êtes pas en train de vous connecter, ne le donnez à personne et prévenez l'assistance : " +
      "quelqu'un connaît votre mot de passe.",
    now,
    { kind: "login.code" },
  );
  return token;
}

export type CodeResult =
  | { kind: "ok"; token: string; expiresAt: Date; userId: string }
  | { kind: "wrong"; attemptsLeft: number }
  | { kind: "expired" };

export async function checkCode(deps: ServiceDeps, token: string, code: string): Promise<CodeResult> {
  const { db, config, now, ip } = deps;
  if (!/^[a-z2-7]{32}$/.test(token)) return { kind: "expired" };
  return withTenant(db, systemScope, async (tx) => {
    const [row] = rowsOf<{ user_id: string; code_hash: string; attempts: number; live: boolean }>(
      await tx.execute(sql`
      select user_id, code_hash, attempts,
        (used_at is null and expires_at > ${now.toISOString()}::timestamptz and attempts < ${MAX_ATTEMPTS}) as live
      from login_challenges where id = ${hex(token)} for update`),
    );
    if (!row?.live) return { kind: "expired" } as const;
    const given = new TextEncoder().encode(hex(`${token}:${code.trim()}`));
    if (!/^\d{6}$/.test(code.trim()) || !constantTimeEqual(given, new TextEncoder().encode(row.code_hash))) {
      await tx.execute(sql`update login_challenges set attempts = attempts + 1 where id = ${hex(token)}`);
      await audit(tx, {
        at: now,
        actorId: row.user_id,
        action: "login.second_factor_failed",
        ip,
        details: { attempt: row.attempts + 1 },
      });
      const left = MAX_ATTEMPTS - row.attempts - 1;
      return left > 0 ? ({ kind: "wrong", attemptsLeft: left } as const) : ({ kind: "expired" } as const);
    }
    await tx.execute(sql`update login_challenges set used_at = ${now.toISOString()} where id = ${hex(token)}`);
    const session = await createSession(tx, row.user_id, now, config.session, ip);
    await audit(tx, { at: now, actorId: row.user_id, action: "login.success", ip, details: { secondFactor: "mail" } });
    return { kind: "ok", token: session.token, expiresAt: session.expiresAt, userId: row.user_id } as const;
  });
}

/** The address the code was sent to, masked, for the code page. */
export async function challengeAddress(deps: Pick<ServiceDeps, "db" | "now">, token: string): Promise<string | null> {
  const { db, now } = deps;
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [row] = await withTenant(db, systemScope, async (tx) =>
    rowsOf<{ email: string | null }>(
      await tx.execute(sql`
    select u.academic_email as email from login_challenges c join users u on u.id = c.user_id
    where c.id = ${hex(token)} and c.used_at is null and c.expires_at > ${now.toISOString()}::timestamptz
      and c.attempts < ${MAX_ATTEMPTS}`),
    ),
  );
  return row?.email ? maskedEmail(row.email) : null;
}
