// "Réglages de l'école" for a director: pupils' access hours (51A bis).
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf, type Principal } from "../../src/services/principal";
import { can } from "../../src/policy";
import { DAY_KEYS, parseWeeklyHours, pupilHoursOf } from "../../src/services/access-hours";
import { savePupilHours } from "../../src/services/admin/school-settings";
import { SettingsPage, hoursToForm, type HoursFormValue } from "../../views/admin/settings";
import { requireUser } from "../guards";

export const settingsRoutes = new Hono<AppEnv>();
settingsRoutes.use("/ecole/reglages", requireUser);

function directedSchool(p: Principal): { uai: string; name: string } | null {
  const sp = p.profiles.find(
    (x) => x.uai === p.activeUai && can(p, "school.configure", { kind: "school", uai: x.uai }),
  );
  return sp ? { uai: sp.uai, name: sp.schoolName } : null;
}

settingsRoutes.get("/ecole/reglages", async (c) => {
  const p = c.var.principal!;
  const school = directedSchool(p);
  if (!school) return renderError(c, 403);
  const hours = await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    pupilHoursOf(tx, school.uai, c.var.platform.config.pupilHours),
  );
  return renderPage(
    c,
    <SettingsPage
      chrome={chromeFor(c, t("settings.title"), "help.topic.settings")}
      schoolName={school.name}
      hours={hoursToForm(hours)}
      saved={c.req.query("enregistre") === "1"}
    />,
  );
});

settingsRoutes.post("/ecole/reglages", async (c) => {
  const { platform } = c.var;
  const p = c.var.principal!;
  const school = directedSchool(p);
  if (!school) return renderError(c, 403);
  const form = await readForm(c);
  const typed: Record<string, HoursFormValue> = {};
  for (const d of DAY_KEYS) {
    typed[d] = {
      open: field(form, `ouvert_${d}`) === "oui",
      from: field(form, `de_${d}`).slice(0, 5),
      to: field(form, `a_${d}`).slice(0, 5),
    };
  }
  const parsed = parseWeeklyHours(typed);
  if (!parsed.ok) {
    return renderPage(
      c,
      <SettingsPage
        chrome={chromeFor(c, t("settings.title"), "help.topic.settings")}
        schoolName={school.name}
        hours={typed}
        badDays={parsed.badDays}
      />,
      422,
    );
  }
  await savePupilHours({ db: platform.db, now: platform.clock.now(), ip: c.var.ip }, p, school.uai, parsed.hours);
  return c.redirect("/ecole/reglages?enregistre=1", 303);
});
