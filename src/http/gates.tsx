// Gates between a valid session and the app: first-login activation (charter, own password), and pupils'
// access hours (51A), which end an open session politely when the hours end.
import { createMiddleware } from "hono/factory";
import { t } from "../i18n";
import type { WeeklyHours } from "../../db/schema/portal";
import { scopeOf } from "../services/principal";
import { cachedPupilHours, hoursApply, withinHours } from "../services/access-hours";
import { OutsideHoursPage } from "../../views/identity/outside-hours";
import type { AppEnv } from "./env";
import { chromeFor, renderPage } from "./render";

const ALWAYS_OPEN = [/^\/logout$/, /^\/charte$/, /^\/accessibilite$/, /^\/aide$/, /^\/preferences\//];

export const activationGate = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  const path = c.req.path;
  if (
    p &&
    (p.state === "pre_created" || !p.charterAccepted) &&
    path !== "/activation" &&
    !ALWAYS_OPEN.some((r) => r.test(path))
  ) {
    return c.redirect("/activation", 303);
  }
  return next();
});

/** A user whose only profiles are pupil profiles may use the ENT within the hours of one of their schools. */
export const pupilHoursGate = createMiddleware<AppEnv>(async (c, next) => {
  const p = c.var.principal;
  if (!p || ALWAYS_OPEN.some((r) => r.test(c.req.path)) || !hoursApply(p)) return next();
  const { platform } = c.var;
  const now = platform.clock.now();
  let shown: WeeklyHours | null = null;
  for (const uai of new Set(p.profiles.map((sp) => sp.uai))) {
    const hours = await cachedPupilHours(platform.db, c.var.cache, scopeOf(p), uai, platform.config.pupilHours);
    if (withinHours(hours, now, platform.config.timeZone)) return next();
    if (uai === p.activeUai || !shown) shown = hours;
  }
  return renderPage(
    c,
    <OutsideHoursPage chrome={chromeFor(c, t("hours.title"), "help.topic.hours")} hours={shown!} />,
    403,
  );
});
