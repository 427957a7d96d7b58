// The portal: home with the app launcher, help, charter, accessibility statement, font and school switches.
// The help, charter, accessibility and font pages are public; the home sends anonymous visitors to the login page.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm, safeReturnPath } from "../../src/http/forms";
import { writeCookie } from "../../src/http/cookies";
import { homeEntry, homeFor } from "../../src/services/portal/portal";
import { FONTS, setFont, switchSchool } from "../../src/services/identity/account";
import { HomePage } from "../../views/portal/home";
import { HelpPage } from "../../views/portal/help";
import { AccessibilityPage, CharterPage } from "../../views/identity/charter";
import { choice } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const portalRoutes = new Hono<AppEnv>();
/** What only a signed-in user does here: switch the school they work in. */
const schoolSwitchRoutes = signedInRoutes("/ecole/active");

portalRoutes.get("/", async (c) => {
  const p = c.var.principal;
  if (!p) return c.redirect("/login", 303);
  const { deps } = c.var;
  const home = await homeFor(deps, c.var.cache, p);
  // 54J: the feed's entry (unseen urgent announcements first) is read fresh on every visit, not cached with the home.
  const { feed, services } = await homeEntry(deps, p);
  const helpTopic = home.mainProfile === "pupil" ? "help.topic.home.pupil" : "help.topic.home";
  return renderPage(
    c,
    <HomePage
      chrome={chromeFor(c, t("home.title"), helpTopic)}
      view={{ ...home, firstName: p.firstName }}
      feed={feed}
      timeZone={deps.timeZone}
      services={services}
    />,
  );
});

portalRoutes.get("/aide", (c) => renderPage(c, <HelpPage chrome={chromeFor(c, t("help.title"), "help.topic.home")} />));
portalRoutes.get("/charte", (c) =>
  renderPage(c, <CharterPage chrome={chromeFor(c, t("charter.title"), "help.topic.charter")} />),
);
portalRoutes.get("/accessibilite", (c) =>
  renderPage(c, <AccessibilityPage chrome={chromeFor(c, t("accessibility.title"), "help.topic.accessibility")} />),
);

/** 51M: the font switch in every page's banner; before login the choice lives in a cookie. */
portalRoutes.post("/preferences/police", async (c) => {
  const form = await readForm(c);
  const font = choice(FONTS, field(form, "police"), "standard");
  const back = safeReturnPath(field(form, "retour"));
  const { principal } = c.var;
  if (principal) await setFont(c.var.deps, principal, font);
  writeCookie(c, "font", font, 365 * 24 * 3600);
  return c.redirect(back, 303);
});

schoolSwitchRoutes.post("/ecole/active", async (c) => {
  const ok = await switchSchool(c.var.deps, c.var.principal, field(await readForm(c), "uai"));
  return ok ? c.redirect("/", 303) : renderError(c, 403);
});

portalRoutes.route("/", schoolSwitchRoutes);
