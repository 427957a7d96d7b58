// Hono's per-request variables, shared by middlewares and route modules.
import type { Platform } from "../platform";
import type { Principal } from "../services/principal";
import type { CsrfTokens } from "../auth/csrf";
import type { ReadCache } from "../services/read-cache";
import type { ServiceDeps } from "../services/context";

export interface AppVariables {
  platform: Platform;
  csrf: CsrfTokens;
  cache: ReadCache;
  requestId: string;
  ip: string | null;
  /** The service context of this request, built once by the app (src/services/context.ts). */
  deps: ServiceDeps;
  principal: Principal | null;
  /** The session cookie named a session that has ended (for a kind message on the login page). */
  sessionExpired: boolean;
  csrfToken: string;
  /** Font chosen before login (a cookie), so the login page itself can be read with the dyslexia font. */
  anonymousFont: "standard" | "dyslexic";
}

export type AppEnv = { Variables: AppVariables };

/** The variables of a route that only signed-in users reach: its router applies `requireUser` to every path it serves
 *  (test/unit/signed-in-routes.test.ts checks that anonymous requests to each of them go to the login page). */
export type SignedInEnv = { Variables: Omit<AppVariables, "principal"> & { principal: Principal } };

/** Any route's context, signed-in or not: what the shared helpers (rendering, forms, cookies) take. */
export type AnyEnv = AppEnv | SignedInEnv;
