// Connectors (3.11.1.3, 510B): the public list (/services), the tile launcher (/services/:slug) and the admin page
// (/admin/connecteurs) for the académie and municipality staff.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, readForm, safeReturnPath } from "../../src/http/forms";
import { saveConsent } from "../../src/services/identity/cas";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  activeFor,
  connectorBySlug,
  oidcClientSecret,
  connectorSaver,
  connectorToggler,
  managedConnectors,
  managedStructure,
  nativeConnectors,
  type ConnectorInput,
} from "../../src/services/identity/connectors";
import {
  CasMessagePage,
  ConnectorsAdminPage,
  ConsentPage,
  EMPTY_CONNECTOR,
  PublicConnectorsPage,
} from "../../views/identity/connectors";
import { requireUser } from "../guards";

export const connectorRoutes = new Hono<AppEnv>();
connectorRoutes.use("/admin/connecteurs", requireUser);
connectorRoutes.use("/admin/connecteurs/*", requireUser);

const depsOf = (c: Context<AppEnv>) => ({ db: c.var.platform.db, now: c.var.platform.clock.now(), ip: c.var.ip });
const NOTICES: Record<string, MessageKey> = {
  cree: "connector.created",
  active: "connector.enabled",
  desactive: "connector.disabled",
};

/** 3.11.1.3: the native connectors, public. */
connectorRoutes.get("/services", async (c) =>
  renderPage(
    c,
    <PublicConnectorsPage
      chrome={chromeFor(c, t("connector.public.title"), "connector.help")}
      connectors={await nativeConnectors(c.var.platform.db)}
    />,
  ),
);

/** A tile: a category-1 link opens the service; a CAS service opens its own login, which comes back to /cas/login. */
connectorRoutes.get("/services/:slug", requireUser, async (c) => {
  const p = c.var.principal!;
  const connector = await withTenant(c.var.platform.db, scopeOf(p), (tx) => connectorBySlug(tx, c.req.param("slug")));
  if (!connector || !activeFor(connector, p)) return renderError(c, 404);
  return c.redirect(connector.launchUrl, 302);
});

async function showAdmin(
  c: Context<AppEnv>,
  extra: { draft?: ConnectorInput; errors?: string[] } = {},
  status: 200 | 422 = 200,
) {
  const p = c.var.principal!;
  const manager = managedStructure(p);
  if (!manager) return renderError(c, 403);
  const connectors = await withTenant(c.var.platform.db, scopeOf(p), (tx) => managedConnectors(tx, p));
  const secrets = Object.fromEntries(
    await Promise.all(
      connectors
        .filter((x) => x.protocol === "oidc")
        .map(async (x) => [x.slug, await oidcClientSecret(c.var.platform.config.secret, x.slug)] as const),
    ),
  );
  return renderPage(
    c,
    <ConnectorsAdminPage
      chrome={chromeFor(c, t("connector.admin.title"), "connector.help")}
      connectors={connectors}
      academie={manager.academie}
      secrets={secrets}
      draft={extra.draft ?? EMPTY_CONNECTOR}
      errors={extra.errors}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
    status,
  );
}

connectorRoutes.get("/admin/connecteurs", (c) => showAdmin(c));

connectorRoutes.post("/admin/connecteurs", async (c) => {
  const form = await readForm(c);
  const draft: ConnectorInput = {
    name: field(form, "nom").slice(0, 500),
    slug: field(form, "identifiant").slice(0, 100),
    description: field(form, "description").slice(0, 1000),
    protocol: field(form, "protocole"),
    launchUrl: field(form, "adresse").slice(0, 2000),
    serviceUrls: field(form, "services").slice(0, 20_000),
    category: field(form, "categorie"),
    identifier: field(form, "ident"),
    requestedAttributes: fieldList(form, "attributs").slice(0, 20),
    native: field(form, "natif") === "1",
    allSchools: field(form, "partout") === "1",
    schools: field(form, "ecoles").slice(0, 40_000),
  };
  const result = await connectorSaver(depsOf(c), c.var.principal!, draft);
  if (result.ok) return c.redirect("/admin/connecteurs?fait=cree", 303);
  if ("forbidden" in result) return renderError(c, 403);
  return showAdmin(c, { draft, errors: result.issues }, 422);
});

for (const [path, enabled, notice] of [
  ["activer", true, "active"],
  ["desactiver", false, "desactive"],
] as const) {
  connectorRoutes.post(`/admin/connecteurs/:slug/${path}`, async (c) => {
    const ok = await connectorToggler(depsOf(c), c.var.principal!, c.req.param("slug"), enabled);
    return ok ? c.redirect(`/admin/connecteurs?fait=${notice}`, 303) : renderError(c, 404);
  });
}

/** Category 5, for any protocol (OIDC comes here): the user agrees to what the service asks, or refuses. */
connectorRoutes.get("/services/:slug/consentement", requireUser, async (c) => {
  const p = c.var.principal!;
  const connector = await withTenant(c.var.platform.db, scopeOf(p), (tx) => connectorBySlug(tx, c.req.param("slug")));
  if (connector?.category !== 5 || !activeFor(connector, p)) return renderError(c, 404);
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

connectorRoutes.post("/services/:slug/consentement", requireUser, async (c) => {
  const { platform } = c.var;
  const p = c.var.principal!;
  const form = await readForm(c);
  const connector = await withTenant(platform.db, scopeOf(p), (tx) => connectorBySlug(tx, c.req.param("slug")));
  if (connector?.category !== 5 || !activeFor(connector, p)) return renderError(c, 404);
  if (field(form, "choix") !== "accepter") {
    return renderPage(
      c,
      <CasMessagePage
        chrome={chromeFor(c, t("connector.refused.title"), "connector.help")}
        title="connector.refused.title"
        text={t("connector.refused.text", { name: connector.name })}
      />,
    );
  }
  await saveConsent(platform.db, p, connector, platform.clock.now(), c.var.ip);
  return c.redirect(safeReturnPath(field(form, "retour")), 303);
});
