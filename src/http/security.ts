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

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const h = c.res.headers;
  // A route may widen form-action for its page (contentSecurityPolicy); every other page gets the strict policy.
  if (!h.has("Content-Security-Policy")) h.set("Content-Security-Policy", contentSecurityPolicy());
  h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  h.set("X-Content-Type-Options", "nosniff");
  h.set("Referrer-Policy", "same-origin");
  h.set("X-Frame-Options", "DENY");
  h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  h.set("Cross-Origin-Opener-Policy", "same-origin");
  if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
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

/** Gives every browser a CSRF nonce, and refuses any state change whose form token or origin is not ours. */
export const csrfProtection = createMiddleware<AppEnv>(async (c, next) => {
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
    await auditAlone(platform.db, {
      at: platform.clock.now(),
      actorId: c.var.principal?.userId ?? null,
      action: "csrf.rejected",
      target: c.req.path.slice(0, 200),
      ip: c.var.ip,
      details: { method: c.req.method, origin: origin ?? null },
    });
    return renderError(c, 403, "csrf");
  }
  return next();
});

function isForm(contentType: string | undefined): boolean {
  return (
    !!contentType &&
    (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data"))
  );
}
