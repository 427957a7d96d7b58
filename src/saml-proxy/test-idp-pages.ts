// The test identity providers' pages, served by the proxy when PREAU_SAML_TEST_IDP=true (never in production): a
// form where a newcomer types the identity the guichet would assert, then the signed (and for ÉduConnect
// encrypted) response posted to the proxy — the whole federated login, locally.
import { Hono } from "hono";
import type { Guichet } from "../auth/sso-handoff";
import type { ProxySettings } from "./app";
import { acsUrl, serviceProvider } from "./app";
import type { TestIdentity, TestIdp } from "./test-idp";

const esc = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
  '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
  `<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

/** The redirect binding's SAMLRequest: base64 of raw DEFLATE (Web streams, so the proxy's app stays portable). */
async function inflateRaw(base64: string): Promise<string> {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

export function testIdpPages(settings: ProxySettings, idps: TestIdp[]) {
  const app = new Hono();
  const idpOf = (g: string) => idps.find((i) => i.guichet === g) ?? null;

  app.get("/idp-test/:guichet/sso", async (c) => {
    const idp = idpOf(c.req.param("guichet"));
    const request = c.req.query("SAMLRequest");
    if (!idp || !request) return c.text("Demande SAML absente.", 400);
    let id: string;
    try {
      id = /\sID="([^"]+)"/.exec(await inflateRaw(request))?.[1] ?? "";
    } catch {
      return c.text("Demande SAML illisible.", 400);
    }
    const educonnect = idp.guichet === "educonnect";
    const field = educonnect
      ? '<p><label for="vecteur">Jointure AAF du compte (ENTPersonJointure)</label><br>' +
        '<input id="vecteur" name="jointure" required></p>'
      : `<p><label for="courriel">Adresse académique de l'agent</label><br>` +
        '<input id="courriel" name="courriel" type="email" required></p>';
    return c.html(
      page(
        `Guichet de test — ${educonnect ? "ÉduConnect" : "guichet agent"}`,
        "<p>Fournisseur d'identité de test : il affirme l'identité que vous indiquez. " +
          "Il n'existe que sur une plateforme de démonstration.</p>" +
          `<form method="post" action="/idp-test/${idp.guichet}/reponse">` +
          `<input type="hidden" name="demande" value="${esc(id)}">${field}` +
          `<p><button type="submit">Se connecter</button></p></form>`,
      ),
    );
  });

  app.post("/idp-test/:guichet/reponse", async (c) => {
    const idp = idpOf(c.req.param("guichet"));
    const form = await c.req.parseBody();
    const requestId = String(form.demande ?? "");
    if (!idp || !requestId) return c.text("Demande SAML absente.", 400);
    const guichet = idp.guichet as Guichet;
    const identity: TestIdentity =
      guichet === "educonnect"
        ? {
            nameId: `test-${crypto.randomUUID()}`,
            attributes: { FrEduCtRefId: [`{AAF}00|test|${String(form.jointure ?? "").trim()}`] },
          }
        : { nameId: `test-${crypto.randomUUID()}`, attributes: { ctemail: [String(form.courriel ?? "").trim()] } };
    const response = await idp.respond(serviceProvider(settings, guichet), requestId, identity);
    return c.html(
      page(
        "Retour vers Préau",
        `<form method="post" action="${esc(acsUrl(settings.publicUrl, guichet))}">` +
          `<input type="hidden" name="SAMLResponse" value="${esc(response)}">` +
          '<p><button type="submit">Continuer vers Préau</button></p></form>',
      ),
    );
  });
  /** Single logout at the test IdP: checks the proxy's signed request, answers at once. */
  app.get("/idp-test/:guichet/slo", async (c) => {
    const idp = idpOf(c.req.param("guichet"));
    if (!idp) return c.text("Guichet inconnu.", 404);
    const raw = new URL(c.req.url).search.slice(1);
    const octetString = raw
      .split("&")
      .filter((part) => !part.startsWith("Signature="))
      .join("&");
    try {
      const { url } = await idp.logout(serviceProvider(settings, idp.guichet as Guichet), c.req.query(), octetString);
      return c.redirect(url, 302);
    } catch {
      return c.text("Demande de déconnexion refusée.", 400);
    }
  });
  return app;
}
