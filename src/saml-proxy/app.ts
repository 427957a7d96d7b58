// The SAML proxy (3.2.2, 4.4): a SAML 2.0 service provider towards ÉduConnect (pupils, parents) and Arena /
// guichet agent (staff). It signs its AuthnRequests and handles single logout with samlify (with the XML schema
// validator); it reads login responses itself (src/node/saml-response.ts: schema, signatures, decryption, with
// libxml2 — issue 22), then checks InResponseTo (bound to this browser by a cookie), Destination and Recipient,
// Audience and the validity windows. Then it hands the user to the hub through a MACed, single-use, one-minute
// handoff; the hub refuses a replayed assertion.
import { Hono, type Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import * as samlify from "samlify";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import {
  readIdpLogoutDone,
  readLogout,
  signHandoff,
  signIdpLogout,
  HANDOFF_SECONDS,
  type Guichet,
} from "../auth/sso-handoff";
import type { KeyPair } from "../node/saml-keys";
import { authnRequestRedirect } from "../node/saml-sign";
import { samlSchemaValidator, warmSamlSchema } from "../node/saml-schema";
import {
  decodePostedMessage,
  readLoginResponse,
  samlTrust,
  SamlResponseError,
  type LoginAssertion,
} from "../node/saml-response";
import { valuesOf } from "./attributes";

// The schema check, compiled once per process (src/node/saml-schema.ts says why not one validator per message).
samlify.setSchemaValidator(samlSchemaValidator);

/** What samlify extracts from a checked message: its own untyped tree of strings, arrays and objects. */
// biome-ignore lint/suspicious/noExplicitAny: samlify types its extract as any; fields are checked where read.
type SamlExtract = Record<string, any>;

export interface GuichetSettings {
  id: Guichet;
  /** The identity provider's metadata (ÉduConnect's per environment; Arena's from the académie). */
  idpMetadata: string;
  /** Whether its assertions come encrypted (ÉduConnect: yes). */
  encryptedAssertions: boolean;
}

export interface ProxySettings {
  /** The proxy's public address: its entity IDs and endpoints are under it. */
  publicUrl: string;
  /** The hub, where users are handed. */
  hubUrl: string;
  secret: string;
  keys: KeyPair;
  guichets: GuichetSettings[];
  now?: () => Date;
  /** Allowed clock difference with the identity provider. */
  clockSkewMs?: number;
  log?: (event: string, data: Record<string, unknown>) => void;
}

export const REQUEST_COOKIE = "preau_saml_request";
const REQUEST_MINUTES = 10;

export function spEntityId(publicUrl: string, guichet: Guichet): string {
  return `${publicUrl}/saml/${guichet}/metadata`;
}
export function acsUrl(publicUrl: string, guichet: Guichet): string {
  return `${publicUrl}/saml/${guichet}/acs`;
}

export function serviceProvider(settings: ProxySettings, guichet: Guichet) {
  return samlify.ServiceProvider({
    entityID: spEntityId(settings.publicUrl, guichet),
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantLogoutResponseSigned: true,
    wantLogoutRequestSigned: true,
    privateKey: settings.keys.privateKey,
    signingCert: settings.keys.cert,
    encPrivateKey: settings.keys.privateKey,
    encryptCert: settings.keys.cert,
    assertionConsumerService: [
      { Binding: samlify.Constants.namespace.binding.post, Location: acsUrl(settings.publicUrl, guichet) },
    ],
    singleLogoutService: [
      { Binding: samlify.Constants.namespace.binding.redirect, Location: `${settings.publicUrl}/saml/${guichet}/slo` },
    ],
    nameIDFormat: [
      "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
      "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ],
    clockDrifts: [-(settings.clockSkewMs ?? 120_000), settings.clockSkewMs ?? 120_000],
  });
}

function identityProvider(g: GuichetSettings) {
  return samlify.IdentityProvider({
    metadata: g.idpMetadata,
    wantAuthnRequestsSigned: true,
    isAssertionEncrypted: g.encryptedAssertions,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
  });
}

/** The request cookie's MAC key, imported once per secret. */
const macKeys = new Map<string, Promise<CryptoKey>>();

async function mac(secret: string, text: string): Promise<string> {
  let key = macKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(`saml-request:${secret}`),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    macKeys.set(secret, key);
  }
  return encodeHexLowerCase(
    new Uint8Array(await crypto.subtle.sign("HMAC", await key, new TextEncoder().encode(text))),
  );
}

type Problem =
  | "logout"
  | "unknown_guichet"
  | "no_request"
  | "in_response_to"
  | "destination"
  | "audience"
  | "expired"
  | "signature"
  | "malformed";

export function createProxyApp(settings: ProxySettings) {
  const app = new Hono();
  // The schema compiles while the proxy starts, not during its first login (a failure is retried by that login).
  warmSamlSchema().catch(() => {});
  // Built once: each entity parses its metadata and keys, which is too much work for every request.
  const entities = new Map(
    settings.guichets.map((g) => {
      const idp = identityProvider(g);
      const certificates = idp.entityMeta.getX509Certificate("signing") as string | string[] | undefined;
      // What the login responses are checked against (src/node/saml-response.ts), keys parsed here once.
      const trust = samlTrust({
        entityId: String(idp.entityMeta.getEntityID()),
        signingCertificates: ([] as string[]).concat(certificates ?? []).flat(),
        encrypted: g.encryptedAssertions,
        decryptionKeyPem: g.encryptedAssertions ? settings.keys.privateKey : null,
      });
      // The AuthnRequests (src/node/saml-sign.ts), to the IdP's redirect-binding endpoint.
      const ssoUrl = (
        idp.entityMeta as unknown as { getSingleSignOnService(b: string): unknown }
      ).getSingleSignOnService("redirect");
      const authnRequest =
        typeof ssoUrl === "string"
          ? authnRequestRedirect({
              ssoUrl,
              entityId: spEntityId(settings.publicUrl, g.id),
              acsUrl: acsUrl(settings.publicUrl, g.id),
              nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
              privateKeyPem: settings.keys.privateKey,
            })
          : () => Promise.reject(new Error(`${g.id} : pas de SingleSignOnService en redirection`));
      return [g.id, { sp: serviceProvider(settings, g.id), idp, trust, authnRequest }];
    }),
  );
  const sp = (g: GuichetSettings) => entities.get(g.id)!.sp;
  const idpOf = (g: GuichetSettings) => entities.get(g.id)!.idp;
  const trustOf = (g: GuichetSettings) => entities.get(g.id)!.trust;
  const now = () => settings.now?.() ?? new Date();
  const guichetOf = (c: Context) => settings.guichets.find((g) => g.id === c.req.param("guichet")) ?? null;
  const problem = (c: Context, kind: Problem, detail = "") => {
    settings.log?.("saml_refused", { problem: kind, detail: detail.slice(0, 300) });
    c.header("Cache-Control", "no-store");
    return c.html(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Connexion refusée — Préau</title>` +
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
        "<body><main><h1>Connexion refusée</h1>" +
        `<p>La réponse du guichet de connexion n'a pas pu être vérifiée (${kind}). ` +
        "Par sécurité, rien n'a été ouvert.</p>" +
        `<p><a href="${settings.hubUrl}/login">Revenir à la page de connexion</a></p></main></body></html>`,
      400,
    );
  };

  app.get("/saml/:guichet/metadata", (c) => {
    const g = guichetOf(c);
    if (!g) return c.notFound();
    c.header("Content-Type", "application/samlmetadata+xml; charset=utf-8");
    return c.body(sp(g).getMetadata());
  });

  app.get("/saml/:guichet/login", async (c) => {
    const g = guichetOf(c);
    if (!g) return problem(c, "unknown_guichet");
    const { id, url: context } = await entities.get(g.id)!.authnRequest();
    const expires = now().getTime() + REQUEST_MINUTES * 60_000;
    const value = `${g.id}.${id}.${expires}`;
    // The identity provider posts back cross-site: SameSite=None (and so Secure) for the cookie to come with it.
    setCookie(c, REQUEST_COOKIE, `${value}.${await mac(settings.secret, value)}`, {
      path: "/saml/",
      httpOnly: true,
      secure: true,
      sameSite: "None",
      maxAge: REQUEST_MINUTES * 60,
    });
    return c.redirect(context, 302);
  });

  app.post("/saml/:guichet/acs", async (c) => {
    const g = guichetOf(c);
    if (!g) return problem(c, "unknown_guichet");
    const cookie = getCookie(c, REQUEST_COOKIE) ?? "";
    deleteCookie(c, REQUEST_COOKIE, { path: "/saml/", secure: true });
    const [cookieGuichet, requestId, expires, cookieMac] = cookie.split(".");
    const signedPart = `${cookieGuichet}.${requestId}.${expires}`;
    if (
      !cookieMac ||
      cookieMac !== (await mac(settings.secret, signedPart)) ||
      cookieGuichet !== g.id ||
      Number(expires) < now().getTime()
    ) {
      return problem(c, "no_request");
    }
    const body = await c.req.parseBody();
    const samlResponse = typeof body.SAMLResponse === "string" ? body.SAMLResponse : "";
    if (!samlResponse || samlResponse.length > 500_000) return problem(c, "malformed");
    let a: LoginAssertion;
    try {
      a = await readLoginResponse(decodePostedMessage(samlResponse), trustOf(g));
    } catch (err) {
      if (!(err instanceof SamlResponseError)) throw err;
      return problem(c, err.problem === "signature" ? "signature" : "malformed", `${err.problem}: ${err.message}`);
    }
    // The request this browser started (its cookie), in the envelope and, when given, in the signed confirmation.
    if (a.inResponseTo !== requestId || (a.confirmationInResponseTo ?? requestId) !== requestId)
      return problem(c, "in_response_to");
    const acs = acsUrl(settings.publicUrl, g.id);
    if (a.destination !== acs || (a.recipient ?? acs) !== acs) return problem(c, "destination");
    if (!a.audiences.includes(spEntityId(settings.publicUrl, g.id))) return problem(c, "audience");
    const skew = settings.clockSkewMs ?? 120_000;
    const at = now().getTime();
    const notOnOrAfter = Date.parse(a.notOnOrAfter ?? "");
    const notBefore = Date.parse(a.notBefore ?? "");
    const later = (value: string | null) => value === null || Date.parse(value) + skew > at;
    if (
      !Number.isFinite(notOnOrAfter) ||
      notOnOrAfter + skew <= at ||
      (Number.isFinite(notBefore) && notBefore - skew > at) ||
      !later(a.confirmationNotOnOrAfter) ||
      !later(a.sessionNotOnOrAfter)
    ) {
      return problem(c, "expired");
    }
    const nameId = a.nameId;
    if (!nameId) return problem(c, "malformed", "NameID absent");
    // What identifies this assertion, read from the signed assertion only (the response envelope is not signed).
    const assertionId = encodeHexLowerCase(
      sha256(
        new TextEncoder().encode(JSON.stringify([a.issuer, nameId, a.authnInstant, a.sessionIndex, a.notOnOrAfter])),
      ),
    );
    const attributes = a.attributes;
    const handoff = await signHandoff(settings.secret, {
      guichet: g.id,
      jti: encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(16))),
      assertionId,
      expiresAt: now().getTime() + HANDOFF_SECONDS * 1000,
      nameId,
      sessionIndex: a.sessionIndex,
      refIds: valuesOf(attributes, "refId"),
      eduConnectId: valuesOf(attributes, "eduConnectId")[0] ?? null,
      email: g.id === "arena" ? (valuesOf(attributes, "email")[0] ?? null) : null,
    });
    settings.log?.("saml_accepted", { guichet: g.id });
    return c.redirect(`${settings.hubUrl}/sso/arrivee?jeton=${encodeURIComponent(handoff)}`, 303);
  });

  /** Single logout, started by the hub after it ended its own session: a signed LogoutRequest to the IdP. */
  app.get("/saml/:guichet/logout", async (c) => {
    const g = guichetOf(c);
    const session = g ? await readLogout(settings.secret, c.req.query("jeton") ?? "", now()) : null;
    const loggedOut = `${settings.hubUrl}/login?info=logged_out`;
    if (!g || !session || session.guichet !== g.id) return c.redirect(loggedOut, 303);
    const idp = idpOf(g);
    // An identity provider without a logout endpoint: the hub's session is over, nothing more to do.
    if (
      !(idp.entityMeta as unknown as { getSingleLogoutService(b: string): string | undefined }).getSingleLogoutService(
        "redirect",
      )
    ) {
      return c.redirect(loggedOut, 303);
    }
    const { context } = sp(g).createLogoutRequest(idp, "redirect", {
      logoutNameID: session.nameId,
      sessionIndex: session.sessionIndex ?? undefined,
    }) as { context: string };
    settings.log?.("saml_logout_sent", { guichet: g.id });
    return c.redirect(context, 302);
  });

  /** The IdP's LogoutResponse (its signature checked), then back to the hub's login page. */
  app.get("/saml/:guichet/slo", async (c) => {
    const g = guichetOf(c);
    if (!g) return problem(c, "unknown_guichet");
    const raw = new URL(c.req.url).search.slice(1);
    const octetString = raw
      .split("&")
      .filter((part) => !part.startsWith("Signature="))
      .join("&");
    // The identity provider starts the logout: the hub ends its sessions of that IdP session, then we answer.
    if (c.req.query("SAMLRequest")) {
      let request: SamlExtract;
      try {
        ({ extract: request } = (await sp(g).parseLogoutRequest(idpOf(g), "redirect", {
          query: c.req.query(),
          octetString,
        })) as { extract: SamlExtract });
      } catch (err) {
        return problem(c, "logout", err instanceof Error ? err.message : String(err));
      }
      const token = await signIdpLogout(
        settings.secret,
        {
          guichet: g.id,
          nameId: String(request.nameID ?? ""),
          sessionIndex: request.sessionIndex ? String(request.sessionIndex) : null,
          requestId: String(request.request?.id ?? ""),
          relayState: c.req.query("RelayState") ?? null,
        },
        now(),
      );
      settings.log?.("saml_idp_logout", { guichet: g.id });
      return c.redirect(`${settings.hubUrl}/sso/deconnexion?jeton=${encodeURIComponent(token)}`, 303);
    }
    if (!c.req.query("SAMLResponse")) return problem(c, "logout", "no LogoutResponse");
    try {
      await sp(g).parseLogoutResponse(idpOf(g), "redirect", { query: c.req.query(), octetString });
    } catch (err) {
      return problem(c, "logout", err instanceof Error ? err.message : String(err));
    }
    return c.redirect(`${settings.hubUrl}/login?info=logged_out`, 303);
  });

  /** The hub has ended the sessions: the signed LogoutResponse goes back to the identity provider. */
  app.get("/saml/:guichet/slo-fait", async (c) => {
    const g = guichetOf(c);
    const done = g ? await readIdpLogoutDone(settings.secret, c.req.query("jeton") ?? "", now()) : null;
    if (!g || !done || done.guichet !== g.id) return problem(c, "logout", "no logout in progress");
    const { context } = sp(g).createLogoutResponse(
      idpOf(g),
      { extract: { request: { id: done.requestId } } },
      "redirect",
      done.relayState ?? undefined,
    ) as { context: string };
    return c.redirect(context, 302);
  });

  return app;
}
