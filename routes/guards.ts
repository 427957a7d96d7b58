// Route guards: a signed-in user is required; anonymous visitors are sent to the login page.
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../src/http/env";

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.principal) return c.redirect("/login", 303);
  return next();
});
