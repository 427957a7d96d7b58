// Security headers on every response (strict CSP: no inline script or style), and CSRF on every state change.
import { createMiddleware } from "hono/factory";
import { auditAlone } from "../services/audit";
import type { AppEnv } from "./env";
import { readCookie, writeCookie } from "./cookies";
import { renderError } from "./render";
import { sentNul } from "./forms";
import { t } from "../i18n";

/**
 * The policy of every page. `formTargets`: other origins a page's form may post to (the GAR's, on its one page).
 * `styleAttributes`: the live document editor's library (ProseMirror) positions carets and selections with style
 * attributes; that page alone allows them (attributes only: no <style> element, no script).
 */
export function contentSecurityPolicy(
  formTargets: readonly string[] = [],
  options: { styleAttributes?: boolean } = {},
): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    ...(options.styleAttributes ? ["style-src-attr 'unsafe-inline'"] : []),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${["'self'", ...formTargets].join(" ")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The headers every response carries whatever it is (CSP and Cache-Control aside: a response may set its own). */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "same-origin"],
  ["X-Frame-Options", "DENY"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/**
 * Every header of the hub's responses, for a response written outside Hono (the OIDC provider's, src/node/oidc.ts):
 * `has` and `set` reach that response's headers.
 */
export function applySecurityHeaders(has: (name: string) => boolean, set: (name: string, value: string) => void) {
  // A route may widen form-action for its page (contentSecurityPolicy); every other page gets the strict policy.
  if (!has("Content-Security-Policy")) set("Content-Security-Policy", contentSecurityPolicy());
  for (const [name, value] of SECURITY_HEADERS) set(name, value);
  if (!has("Cache-Control")) set("Cache-Control", "no-store");
}

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const h = c.res.headers;
  applySecurityHeaders(
    (name) => h.has(name),
    (name, value) => h.set(name, value),
  );
});

/** Refuses, before any route reads it, a request whose path, query string, form, file names or JSON hold U+0000
 *  (src/http/forms.ts sentNul): a French 400, nothing read further, nothing written. A form body that cannot be
 *  read as the form it claims to be is a 400 too (it would have failed in the route). */
export const nulRefusal = createMiddleware<AppEnv>(async (c, next) => {
  const sent = await sentNul(c);
  if (sent === "clean") return next();
  const reason = sent === "nul" ? "nul" : undefined;
  if (c.req.header("content-type")?.startsWith("application/json") || c.req.header("accept") === "application/json")
    return c.json({ error: t(reason ? "error.400.nul" : "error.400.message") }, 400);
  return renderError(c, 400, reason);
});

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * F9 (issue 21): refused forms are folded before they reach the audit trail, whose appends are serialised on its
 * chain head: at most one line per address (and user) per `keyMs`, and `perWindow` lines per `keyMs` in all. A
 * line says how many refusals it stands for (`refusals`: its own and those of its address folded since the previous
 * line) and how many of other addresses went unwritten for want of budget (`othersFolded`). Per process, in memory.
 */
export class RefusalFolder {
  private readonly keys = new Map<string, { since: number; folded: number }>();
  private window = { start: Number.NEGATIVE_INFINITY, written: 0 };
  private overflow = 0;
  constructor(
    private readonly keyMs = 60_000,
    private readonly perWindow = 6,
    private readonly maxKeys = 10_000,
  ) {}

  /** Null: fold this refusal. Otherwise write one line, with these counts. */
  admit(key: string, now: number): { refusals: number; othersFolded: number } | null {
    const entry = this.keys.get(key);
    // A clock set back counts as time gone by, never as a minute that would last for ever.
    const within = (since: number) => Math.abs(now - since) < this.keyMs;
    if (entry && within(entry.since)) {
      entry.folded += 1;
      return null;
    }
    if (!within(this.window.start)) this.window = { start: now, written: 0 };
    if (this.window.written >= this.perWindow) {
      if (entry) entry.folded += 1;
      else this.overflow += 1;
      return null;
    }
    this.window.written += 1;
    const refusals = 1 + (entry?.folded ?? 0);
    this.keys.delete(key);
    this.keys.set(key, { since: now, folded: 0 });
    this.trim(now);
    const othersFolded = this.overflow;
    this.overflow = 0;
    return { refusals, othersFolded };
  }

  /** Bounded memory: quiet entries go first, then the oldest (their folded counts move to the overflow). */
  private trim(now: number): void {
    if (this.keys.size <= this.maxKeys) return;
    for (const [k, e] of this.keys) {
      if (this.keys.size <= this.maxKeys) return;
      if (e.folded === 0 && Math.abs(now - e.since) >= this.keyMs) this.keys.delete(k);
    }
    for (const [k, e] of this.keys) {
      if (this.keys.size <= this.maxKeys) return;
      this.overflow += e.folded;
      this.keys.delete(k);
    }
  }
}

/** Gives every browser a CSRF nonce, and refuses any state change whose form token or origin is not ours. */
export function csrfProtection(refusals = new RefusalFolder()) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { csrf, platform } = c.var;
    let nonce = readCookie(c, "csrf");
    if (!nonce || nonce.length > 64) {
      nonce = csrf.newNonce();
      writeCookie(c, "csrf", nonce);
    }
    c.set("csrfToken", await csrf.tokenFor(nonce));
    if (SAFE.has(c.req.method)) return next();

    const origin = c.req.header("origin");
    const sameOrigin = !origin || origin === new URL(c.req.url).origin;
    let token = c.req.header("x-csrf-token");
    if (!token && isForm(c.req.header("content-type"))) {
      const body = await c.req.parseBody();
      const field = body._csrf;
      token = typeof field === "string" ? field : undefined;
    }
    if (!sameOrigin || !(await csrf.check(readCookie(c, "csrf"), token))) {
      const now = platform.clock.now();
      const actorId = c.var.principal?.userId ?? null;
      const counts = refusals.admit(`${c.var.ip ?? ""} ${actorId ?? ""}`, now.getTime());
      if (counts) {
        await auditAlone(platform.db, {
          at: now,
          actorId,
          action: "csrf.rejected",
          target: c.req.path.slice(0, 200),
          ip: c.var.ip,
          details: {
            method: c.req.method,
            origin: origin?.slice(0, 200) ?? null,
            ...(counts.refusals > 1 ? { refusals: counts.refusals } : {}),
            ...(counts.othersFolded > 0 ? { othersFolded: counts.othersFolded } : {}),
          },
        });
      }
      return renderError(c, 403, "csrf");
    }
    return next();
  });
}

function isForm(contentType: string | undefined): boolean {
  return (
    !!contentType &&
    (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data"))
  );
}
