// 3.11.1.2: the OpenID Connect provider's interaction — the hub's session logs the user in (single sign-on), the
// connector must be open to them, and a category-5 service needs their consent first.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { oidcAccess } from "../../src/services/identity/connectors";
import { CasMessagePage } from "../../views/identity/connectors";

export const oidcRoutes = new Hono<AppEnv>();

oidcRoutes.get("/connexion-oidc/:uid", async (c) => {
  const { platform, principal: p } = c.var;
  if (!platform.oidc) return renderError(c, 404);
  const uid = c.req.param("uid");
  if (!/^[\w-]{1,100}$/.test(uid)) return renderError(c, 404);
  if (!p) return c.redirect(`/login?retour=${encodeURIComponent(`/connexion-oidc/${uid}`)}`, 303);
  try {
    const outcome = await platform.oidc.interaction(c.env, p.userId, (slug) => oidcAccess(c.var.deps, p, slug));
    if ("redirect" in outcome) return c.redirect(outcome.redirect, 303);
    if ("consent" in outcome)
      return c.redirect(
        `/services/${outcome.consent}/consentement?retour=${encodeURIComponent(`/connexion-oidc/${uid}`)}`,
        303,
      );
    return renderPage(
      c,
      <CasMessagePage
        chrome={chromeFor(c, t("cas.closed.title"), "connector.help")}
        title="cas.closed.title"
        text={t("cas.closed.text", { name: outcome.closed })}
      />,
      403,
    );
  } catch (err) {
    // An expired or unknown interaction (the user came back too late, or through another browser).
    platform.log.log("warn", "oidc_interaction_refused", { error: err instanceof Error ? err.message : String(err) });
    return renderPage(
      c,
      <CasMessagePage
        chrome={chromeFor(c, t("sso.invalid.title"), "connector.help")}
        title="sso.invalid.title"
        text={t("sso.invalid.text")}
      />,
      400,
    );
  }
});
