// Hono's per-request variables, shared by middlewares and route modules.
import type { Platform } from "../platform";
import type { Principal } from "../services/principal";
import type { CsrfTokens } from "../auth/csrf";
import type { ReadCache } from "../services/read-cache";

export interface AppVariables {
  platform: Platform;
  csrf: CsrfTokens;
  cache: ReadCache;
  requestId: string;
  ip: string | null;
  principal: Principal | null;
  /** The session cookie named a session that has ended (for a kind message on the login page). */
  sessionExpired: boolean;
  csrfToken: string;
  /** Font chosen before login (a cookie), so the login page itself can be read with the dyslexia font. */
  anonymousFont: "standard" | "dyslexic";
}

export type AppEnv = { Variables: AppVariables };
