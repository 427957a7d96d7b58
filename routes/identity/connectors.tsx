// Connectors (3.11.1.3, 510B): the public list (/services), the tile launcher (/services/:slug) and the admin page
// (/admin/connecteurs) for the académie and municipality staff. Parsing and rendering only: the connectors service
// decides, src/policy/connectors.ts says who may.
import { Hono, type Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv, SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, fieldsOf, readForm, safeReturnPath } from "../../src/http/forms";
import { CONSENT_CHOICES, saveConsent } from "../../src/services/identity/cas";
import {
  connectorSaver,
  connectorsAdmin,
  connectorToggler,
  consentingConnector,
  nativeConnectors,
  openConnector,
  type ConnectorInput,
} from "../../src/services/identity/connectors";
import {
  CasMessagePage,
  ConnectorsAdminPage,
  ConsentPage,
  EMPTY_CONNECTOR,
  PublicConnectorsPage,
} from "../../views/identity/connectors";
import { bounded, boundedList, Checkbox, choice, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

/** The public list; the signed-in pages are mounted on it (below). */
export const connectorRoutes = new Hono<AppEnv>();
const signedIn = signedInRoutes("/admin/connecteurs", "/services/:slug");

const NOTICES: Record<string, MessageKey> = {
  cree: "connector.created",
  active: "connector.enabled",
  desactive: "connector.disabled",
};

/** The admin form, its texts bounded above the service's limits (the service names the field at fault). */
const ConnectorForm = v.object({
  nom: bounded(500),
  identifiant: bounded(100),
  description: bounded(1000),
  protocole: bounded(20),
  adresse: bounded(2000),
  services: bounded(20_000),
  categorie: bounded(20),
  ident: bounded(20),
  natif: Checkbox,
  partout: Checkbox,
  ecoles: bounded(40_000),
});

/** The attributes a category-5 service asks for: at most 20 ticked boxes are read. */
const MAX_ATTRIBUTES = 20;

/** 3.11.1.3: the native connectors, public. */
connectorRoutes.get("/services", async (c) =>
  renderPage(
    c,
    <PublicConnectorsPage
      chrome={chromeFor(c, t("connector.public.title"), "connector.help")}
      connectors={await nativeConnectors(c.var.deps)}
    />,
  ),
);

/** A tile: a category-1 link opens the service; a CAS service opens its own login, which comes back to /cas/login. */
signedIn.get("/services/:slug", async (c) => {
  const connector = await openConnector(c.var.deps, c.var.principal, c.req.param("slug"));
  if (!connector) return renderError(c, 404);
  return c.redirect(connector.launchUrl, 302);
});

async function showAdmin(
  c: Context<SignedInEnv>,
  extra: { draft?: ConnectorInput; errors?: string[] } = {},
  status: 200 | 422 = 200,
) {
  const admin = await connectorsAdmin(c.var.deps, c.var.principal);
  if (!admin) return renderError(c, 403);
  return renderPage(
    c,
    <ConnectorsAdminPage
      chrome={chromeFor(c, t("connector.admin.title"), "connector.help")}
      connectors={admin.connectors}
      academie={admin.everywhere}
      secrets={admin.secrets}
      draft={extra.draft ?? EMPTY_CONNECTOR}
      errors={extra.errors}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
    status,
  );
}

signedIn.get("/admin/connecteurs", (c) => showAdmin(c));

signedIn.post("/admin/connecteurs", async (c) => {
  const form = await readForm(c);
  const f = readWith(ConnectorForm, fieldsOf(form, ConnectorForm));
  const draft: ConnectorInput = {
    name: f.nom,
    slug: f.identifiant,
    description: f.description,
    protocol: f.protocole,
    launchUrl: f.adresse,
    serviceUrls: f.services,
    category: f.categorie,
    identifier: f.ident,
    requestedAttributes: boundedList(fieldList(form, "attributs"), MAX_ATTRIBUTES),
    native: f.natif,
    allSchools: f.partout,
    schools: f.ecoles,
  };
  const result = await connectorSaver(c.var.deps, c.var.principal, draft);
  if (result.ok) return c.redirect("/admin/connecteurs?fait=cree", 303);
  if ("forbidden" in result) return renderError(c, 403);
  return showAdmin(c, { draft, errors: result.issues }, 422);
});

for (const [path, enabled, notice] of [
  ["activer", true, "active"],
  ["desactiver", false, "desactive"],
] as const) {
  signedIn.post(`/admin/connecteurs/:slug/${path}`, async (c) => {
    const ok = await connectorToggler(c.var.deps, c.var.principal, c.req.param("slug"), enabled);
    return ok ? c.redirect(`/admin/connecteurs?fait=${notice}`, 303) : renderError(c, 404);
  });
}

/** Category 5, for any protocol (OIDC comes here): the user agrees to what the service asks, or refuses. */
signedIn.get("/services/:slug/consentement", async (c) => {
  const connector = await consentingConnector(c.var.deps, c.var.principal, c.req.param("slug"));
  if (!connector) return renderError(c, 404);
  return renderPage(
    c,
    <ConsentPage
      chrome={chromeFor(c, t("connector.consent.title", { name: connector.name }), "connector.help")}
      connector={connector}
      action={`/services/${connector.slug}/consentement`}
      hidden={{ retour: safeReturnPath(c.req.query("retour") ?? "") }}
    />,
  );
});

signedIn.post("/services/:slug/consentement", async (c) => {
  const p = c.var.principal;
  const form = await readForm(c);
  const connector = await consentingConnector(c.var.deps, p, c.req.param("slug"));
  if (!connector) return renderError(c, 404);
  if (choice(CONSENT_CHOICES, field(form, "choix"), "refuser") !== "accepter") {
    return renderPage(
      c,
      <CasMessagePage
        chrome={chromeFor(c, t("connector.refused.title"), "connector.help")}
        title="connector.refused.title"
        text={t("connector.refused.text", { name: connector.name })}
      />,
    );
  }
  await saveConsent(c.var.deps, p, connector);
  return c.redirect(safeReturnPath(field(form, "retour")), 303);
});

connectorRoutes.route("/", signedIn);
