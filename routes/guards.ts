// Route guards: a signed-in user is required; anonymous visitors are sent to the login page.
import { Hono, type MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, SignedInEnv } from "../src/http/env";

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.principal) return c.redirect("/login", 303);
  return next();
});

/** Every signed-in router and the prefixes it guards (test/integration/signed-in-routes.test.ts walks them). */
export const SIGNED_IN_ROUTERS: { prefixes: string[]; routes: Hono<SignedInEnv> }[] = [];

/** The router of a signed-in area: `requireUser` on each of its path prefixes, and handlers typed with a principal.
 *  Every path the router serves must start with one of the prefixes (the test above checks that too). */
export function signedInRoutes(...prefixes: string[]) {
  const routes = new Hono<SignedInEnv>();
  SIGNED_IN_ROUTERS.push({ prefixes, routes });
  for (const prefix of prefixes) {
    routes.use(prefix, requireUser as unknown as MiddlewareHandler<SignedInEnv>);
    routes.use(`${prefix}/*`, requireUser as unknown as MiddlewareHandler<SignedInEnv>);
  }
  return routes;
}
