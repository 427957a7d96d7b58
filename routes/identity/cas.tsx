// The hub as a CAS server (3.11.1.2–3): login (single sign-on from the hub's session), serviceValidate (CAS 2.0),
// p3/serviceValidate (CAS 3.0), logout, and the category-5 consent. Unregistered service URLs are refused: the hub
// never redirects to an address it does not know (no open redirect).
import { Hono, type Context } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { clearCookie } from "../../src/http/cookies";
import { fieldsOf, readForm } from "../../src/http/forms";
import { logout } from "../../src/services/identity/account";
import { activeFor, connectorForService } from "../../src/services/identity/connectors";
import {
  CONSENT_CHOICES,
  issueTicket,
  needsConsent,
  saveConsent,
  validateTicket,
  validationXml,
  withTicket,
} from "../../src/services/identity/cas";
import { CasMessagePage, ConsentPage } from "../../views/identity/connectors";
import { bounded, choice, readWith } from "../../src/validation";
import * as v from "valibot";

export const casRoutes = new Hono<AppEnv>();

/** The consent form: the service it is for, and the button pressed. */
const ConsentForm = v.object({ service: bounded(2000), choix: bounded(20) });

const message = (c: Context<AppEnv>, title: Parameters<typeof t>[0], text: string, status: 400 | 403 | 200) =>
  renderPage(c, <CasMessagePage chrome={chromeFor(c, t(title), "connector.help")} title={title} text={text} />, status);

async function login(c: Context<AppEnv>, service: string, params: { gateway: boolean }) {
  const { deps, principal: p } = c.var;
  const connector = service ? await connectorForService(deps, service) : null;
  if (!service) return c.redirect(p ? "/" : "/login", 303);
  if (!connector) return message(c, "cas.unknown.title", t("cas.unknown.text"), 400);
  if (!p) {
    if (params.gateway) return c.redirect(service, 303);
    return c.redirect(`/login?retour=${encodeURIComponent(`/cas/login?service=${encodeURIComponent(service)}`)}`, 303);
  }
  if (!activeFor(connector, p))
    return message(c, "cas.closed.title", t("cas.closed.text", { name: connector.name }), 403);
  if (connector.category === 1) return c.redirect(service, 303);
  if (await needsConsent(deps, p, connector)) {
    return renderPage(
      c,
      <ConsentPage
        chrome={chromeFor(c, t("connector.consent.title", { name: connector.name }), "connector.help")}
        connector={connector}
        action="/cas/consentement"
        hidden={{ service }}
      />,
    );
  }
  const ticket = await issueTicket(deps, p, connector, service);
  return c.redirect(withTicket(service, ticket), 303);
}

casRoutes.get("/cas/login", (c) =>
  login(c, c.req.query("service") ?? "", { gateway: c.req.query("gateway") === "true" }),
);

casRoutes.post("/cas/consentement", async (c) => {
  const { deps, principal: p } = c.var;
  const form = await readForm(c);
  const { service, choix } = readWith(ConsentForm, fieldsOf(form, ConsentForm));
  if (!p) return c.redirect("/login", 303);
  const connector = await connectorForService(deps, service);
  if (connector?.category !== 5 || !activeFor(connector, p))
    return message(c, "cas.unknown.title", t("cas.unknown.text"), 400);
  if (choice(CONSENT_CHOICES, choix, "refuser") !== "accepter") {
    return message(c, "connector.refused.title", t("connector.refused.text", { name: connector.name }), 200);
  }
  await saveConsent(deps, p, connector);
  return login(c, service, { gateway: false });
});

async function validate(c: Context<AppEnv>) {
  const result = await validateTicket(c.var.deps, c.req.query("service") ?? "", c.req.query("ticket") ?? "");
  c.header("Content-Type", "application/xml; charset=utf-8");
  return c.body(validationXml(result));
}

casRoutes.get("/cas/serviceValidate", validate);
casRoutes.get("/cas/p3/serviceValidate", validate);

/** Ends the hub session (and so the single sign-on); goes back to the service only if it is registered. */
casRoutes.get("/cas/logout", async (c) => {
  const { deps, principal } = c.var;
  if (principal) await logout(deps, principal);
  clearCookie(c, "session");
  const service = c.req.query("service") ?? "";
  if (service && (await connectorForService(deps, service))) return c.redirect(service, 303);
  return c.redirect("/login?info=logged_out", 303);
});
