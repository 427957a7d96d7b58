// "Réglages de l'école" for a director: pupils' access hours (51A bis).
// Parsing and rendering only: src/services/admin/school-settings.ts decides, school.configure says who may.
import * as v from "valibot";
import { t } from "../../src/i18n";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import { DAY_KEYS, type HoursInput } from "../../src/services/access-hours";
import { configuredSchool, savePupilHours, schoolPupilHours } from "../../src/services/admin/school-settings";
import { bounded, readWith } from "../../src/validation";
import { SettingsPage, hoursToForm } from "../../views/admin/settings";
import { signedInRoutes } from "../guards";

export const settingsRoutes = signedInRoutes("/ecole/reglages");

/** Per day: the "open" box and the two times, kept as typed (cut at their length) to show them back. */
const HoursForm = v.object(
  Object.fromEntries(
    DAY_KEYS.flatMap((d) => [
      [`ouvert_${d}`, bounded(10)],
      [`de_${d}`, bounded(5)],
      [`a_${d}`, bounded(5)],
    ]),
  ),
);

/** The form's fields as the service reads them, one entry a weekday. */
function typedHours(f: v.InferOutput<typeof HoursForm>): Record<string, HoursInput> {
  const typed: Record<string, HoursInput> = {};
  for (const d of DAY_KEYS) typed[d] = { open: f[`ouvert_${d}`] === "oui", from: f[`de_${d}`]!, to: f[`a_${d}`]! };
  return typed;
}

settingsRoutes.get("/ecole/reglages", async (c) => {
  const settings = await schoolPupilHours(c.var.deps, c.var.principal);
  if (!settings) return renderError(c, 403);
  return renderPage(
    c,
    <SettingsPage
      chrome={chromeFor(c, t("settings.title"), "help.topic.settings")}
      schoolName={settings.school.name}
      hours={hoursToForm(settings.hours)}
      saved={c.req.query("enregistre") === "1"}
    />,
  );
});

settingsRoutes.post("/ecole/reglages", async (c) => {
  const p = c.var.principal;
  const school = configuredSchool(p);
  if (!school) return renderError(c, 403);
  const typed = typedHours(readWith(HoursForm, fieldsOf(await readForm(c), HoursForm)));
  const result = await savePupilHours(c.var.deps, p, school.uai, typed);
  if (result.ok) return c.redirect("/ecole/reglages?enregistre=1", 303);
  if ("forbidden" in result) return renderError(c, 403);
  return renderPage(
    c,
    <SettingsPage
      chrome={chromeFor(c, t("settings.title"), "help.topic.settings")}
      schoolName={school.name}
      hours={typed}
      badDays={result.badDays}
    />,
    422,
  );
});
