// The evening page (56C, 54E): /ce-soir, for a parent their children's work for the next days and the notes to read,
// for a pupil their own work. Anyone else has nothing to check here: the homework log instead.
import { t } from "../../src/i18n";
import { chromeFor, renderPage } from "../../src/http/render";
import { eveningView } from "../../src/services/classroom/evening";
import { EveningPage } from "../../views/classroom/evening";
import { signedInRoutes } from "../guards";

export const eveningRoutes = signedInRoutes("/ce-soir");

eveningRoutes.get("/ce-soir", async (c) => {
  const view = await eveningView(c.var.deps, c.var.principal);
  if (!view) return c.redirect("/cahier", 303);
  return renderPage(
    c,
    <EveningPage
      chrome={chromeFor(c, t("evening.title"), view.kind === "pupil" ? "evening.help_pupil" : "evening.help")}
      view={view}
      timeZone={c.var.deps.timeZone}
    />,
  );
});
