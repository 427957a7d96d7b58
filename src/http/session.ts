// Reads the session cookie on each request; keeps the cookie's lifetime in step with the sliding expiry.
import { createMiddleware } from "hono/factory";
import { validateSession } from "../services/identity/sessions";
import type { AppEnv } from "./env";
import { clearCookie, readCookie, writeCookie } from "./cookies";

export const sessionLoader = createMiddleware<AppEnv>(async (c, next) => {
  const { platform } = c.var;
  c.set("principal", null);
  c.set("sessionExpired", false);
  const font = readCookie(c, "font");
  c.set("anonymousFont", font === "dyslexic" ? "dyslexic" : "standard");
  const token = readCookie(c, "session");
  if (token) {
    const check = await validateSession(platform.db, token, platform.clock.now(), platform.config.session, c.var.cache);
    if (check.kind === "valid") {
      c.set("principal", check.principal);
      if (check.refreshed) writeCookie(c, "session", token, platform.config.session.lifetimeMinutes * 60);
    } else {
      c.set("sessionExpired", check.kind === "expired");
      clearCookie(c, "session");
    }
  }
  await next();
});
