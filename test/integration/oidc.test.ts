// 3.11.1.2–3: the hub as OpenID Connect provider, driven by a real relying party (openid-client) over HTTP:
// code flow with PKCE, discovery, JWKS, single sign-on from the hub session, release by category, consent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as client from "openid-client";
import { opaqueId } from "../../src/services/identity/attribute-release";
import {
  connectorBySlug,
  connectorSaver,
  oidcClientSecret,
  type ConnectorInput,
} from "../../src/services/identity/connectors";
import { loadPrincipal } from "../../src/services/principal";
import { serviceDeps } from "../../src/services/context";
import { createOidcEndpoint, oidcPort } from "../../src/node/oidc";
import { startServer } from "../../src/node/server";
import { systemScope, withTenant } from "../../db/client";
import { buildSchoolWithClass, buildStructure, buildUser, type BuiltUser } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";
import { CookieJar, freePort } from "../helpers/http";

describe("OIDC provider (3.11.1.2)", () => {
  let tp: Awaited<ReturnType<typeof testPlatform>>;
  let base: string;
  let stop: () => Promise<void>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  const tag = Math.random().toString(36).slice(2, 8);
  const REDIRECT = `https://rp-${tag}.example.fr/callback`;

  async function sessionOf(user: BuiltUser): Promise<CookieJar> {
    const jar = new CookieJar();
    const page = await jar.fetch(`${base}/login`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const { res } = await jar.post(`${base}/login`, { login: user.login, password: user.password, _csrf: token });
    expect(res.status).toBe(303);
    return jar;
  }
  async function relyingParty(slug: string) {
    const config = await client.discovery(
      new URL(`${base}/oidc`),
      slug,
      undefined,
      client.ClientSecretBasic(await oidcClientSecret(tp.platform.config.secret, slug)),
      { execute: [client.allowInsecureRequests] },
    );
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid profile email",
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    return { config, verifier, state, url };
  }
  async function connector(slug: string, category: string, extra: Partial<ConnectorInput> = {}) {
    const academie = await buildStructure(tp.platform.db, "academie");
    const admin = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: academie,
    });
    const p = await withTenant(tp.platform.db, systemScope, (tx) => loadPrincipal(tx, admin.id, "x", null));
    const r = await connectorSaver(serviceDeps(tp.platform, null), p!, {
      name: slug,
      slug,
      description: "",
      protocol: "oidc",
      launchUrl: `https://rp-${tag}.example.fr/`,
      serviceUrls: REDIRECT,
      category,
      identifier: "opaque",
      requestedAttributes: [],
      native: false,
      allSchools: false,
      schools: s.school.uai,
      ...extra,
    });
    expect(r.ok).toBe(true);
  }

  beforeAll(async () => {
    tp = await testPlatform("pglite", { cookieSecure: false });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    tp.platform.oidc = oidcPort(
      await createOidcEndpoint(tp.platform, {
        issuer: `${base}/oidc`,
        dataDir: mkdtempSync(join(tmpdir(), "preau-oidc-")),
      }),
    );
    ({ stop } = await startServer(tp.platform, port, "127.0.0.1"));
    s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    await connector(`quiz-${tag}`, "3");
    await connector(`atelier-${tag}`, "5", { requestedAttributes: ["first_name"] });
  });
  afterAll(() => stop?.());

  it("3.11.1.2 discovery and JWKS are published; PKCE S256 only", async () => {
    const discovery = (await (await fetch(`${base}/oidc/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.issuer).toBe(`${base}/oidc`);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    const jwks = (await (await fetch(String(discovery.jwks_uri))).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys[0]!.kty).toBe("RSA");
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it("3.11.1.2 code flow with PKCE: the hub session logs the user in, the RP gets category 3's claims", async () => {
    const jar = await sessionOf(s.teacher);
    const rp = await relyingParty(`quiz-${tag}`);
    const { url } = await jar.follow(rp.url.href, base);
    expect(url.startsWith(REDIRECT)).toBe(true);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(url), {
      pkceCodeVerifier: rp.verifier,
      expectedState: rp.state,
    });
    const claims = tokens.claims()!;
    const c = await withTenant(tp.platform.db, systemScope, (tx) => connectorBySlug(tx, `quiz-${tag}`));
    expect(claims.sub).toBe(await opaqueId(tp.platform.config.secret, c!.id, s.teacher.id));
    expect(claims.sub).not.toBe(s.teacher.id);
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(info.ENTPersonProfils).toEqual(["National_ENS"]);
    expect(info.ENTPersonStructRattachUAI).toEqual([s.school.uai]);
    expect(info.family_name).toBeUndefined();
    expect(info.email).toBeUndefined();
  });

  it(
    "3.11.1.2 logged out, the user is sent to the hub's login; PKCE is required; unknown redirect URIs get no " +
      "redirect",
    async () => {
      const rp = await relyingParty(`quiz-${tag}`);
      const { url } = await new CookieJar().follow(rp.url.href, base);
      expect(url).toMatch(new RegExp(`^${base}/login\\?retour=%2Fconnexion-oidc%2F`));
      const noPkce = new URL(rp.url);
      noPkce.searchParams.delete("code_challenge");
      noPkce.searchParams.delete("code_challenge_method");
      const refused = await new CookieJar().follow(noPkce.href, base);
      expect(refused.url).toContain("error=invalid_request");
      const evil = new URL(rp.url);
      evil.searchParams.set("redirect_uri", "https://evil.example.com/cb");
      const bad = (await new CookieJar().fetch(evil.href)).res;
      expect(bad.status).toBe(400);
      expect(bad.headers.get("location")).toBeNull();
      // Another school's pupil: the connector is not open to them.
      const outsider = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
      const closed = await (await sessionOf(outsider.pupil)).follow((await relyingParty(`quiz-${tag}`)).url.href, base);
      expect(closed.res.status).toBe(403);
    },
  );

  it("3.11.1.3 category 5 over OIDC: consent first, then exactly the agreed claims", async () => {
    const jar = await sessionOf(s.pupil);
    const rp = await relyingParty(`atelier-${tag}`);
    const first = await jar.follow(rp.url.href, base);
    expect(first.url).toContain(`/services/atelier-${tag}/consentement`);
    // Agree (a form post with the page's CSRF token), then the flow resumes.
    const html = (await jar.fetch(first.url)).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    // The last "retour" field: the banner's font switch has one too.
    const retour = [...html.matchAll(/name="retour" value="([^"]+)"/g)].at(-1)![1]!;
    const { res: agreed } = await jar.post(`${base}/services/atelier-${tag}/consentement`, {
      _csrf: csrf,
      retour,
      choix: "accepter",
    });
    expect(agreed.status).toBe(303);
    const { url } = await jar.follow(new URL(agreed.headers.get("location")!, base).href, base);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(url), {
      pkceCodeVerifier: rp.verifier,
      expectedState: rp.state,
    });
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
    expect(info.given_name).toBe("Camille");
    expect(info.family_name).toBeUndefined();
    expect(info.ENTPersonProfils).toBeUndefined();
  });
});
