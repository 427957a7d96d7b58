// Gates between a valid session and the app: first-login activation (charter, own password), and pupils'
// access hours (51A), which end an open session politely when the hours end.
import { createMiddleware } from "hono/factory";
import { t } from "../i18n";
import { withTenant } from "../../db/client";
import { scopeOf } from "../services/principal";
import { pupilOutsideHours } from "../services/login";
import { pupilHoursOf } from "../services/access-hours";
import { OutsideHoursPage } from "../../views/auth/outside-hours";
import type { AppEnv } from "./env";
import { chromeFor, renderPage } from "./render";

const ALWAYS_OPEN = [/^\/logout$/, /^\/charte$/, /^\/accessibilite$/, /^\/aide$/, /^\/preferences\//];

export const activationGate = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  const path = c.req.path;
  if (p && (p.state === "pre_created" || !p.charterAccepted) && path !== "/activation" && !ALWAYS_OPEN.some((r) => r.test(path))) {
    return c.redirect("/activation", 303);
  }
  return next();
});

export const pupilHoursGate = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  if (!p || ALWAYS_OPEN.some((r) => r.test(c.req.path)) || !p.profiles.every((sp) => sp.profile === "pupil")) return next();
  const { platform } = c.var;
  const now = platform.clock.now();
  const outside = await withTenant(platform.db, scopeOf(p), async (tx) => {
    if (!(await pupilOutsideHours(tx, p.userId, now, platform.config))) return null;
    return pupilHoursOf(tx, p.activeUai ?? p.profiles[0]!.uai, platform.config.pupilHours);
  });
  if (!outside) return next();
  return renderPage(c, <OutsideHoursPage chrome={chromeFor(c, t("hours.title"), "help.topic.hours")} hours={outside} />, 403);
});
