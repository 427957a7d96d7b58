// 3.2.2, 4.4 (issue 6): full SAML flows from the proxy to a hub session, against test identity providers that are
// real SAML IdPs; and every kind of bad response refused with nothing opened or created.
import { beforeAll, describe, expect, it } from "vitest";
import { inflateRawSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { createProxyApp, serviceProvider, REQUEST_COOKIE, type ProxySettings } from "../../src/saml-proxy/app";
import { createTestIdp, type ResponseOverrides, type TestIdentity, type TestIdp } from "../../src/saml-proxy/test-idp";
import { makeKeyPair } from "../../src/node/saml-keys";
import { externalIdsFromVectors } from "../../src/services/identity/federated-login";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, linkParent } from "../helpers/factories";
import { testApp } from "../helpers/platform";
import * as samlify from "samlify";
import { Hono } from "hono";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { proxySettingsFromEnv } from "../../src/node/saml-proxy";
import { testIdpPages } from "../../src/saml-proxy/test-idp-pages";

const PROXY = "https://proxy.preau.test";
const HUB = "https://hub.preau.test";
const EC = "urn:oid:1.3.6.1.4.1.20326.10.999.1";

describe.each(DATABASE_KINDS)("SAML proxy to hub on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let proxy: ReturnType<typeof createProxyApp>;
  let settings: ProxySettings;
  let educonnect: TestIdp;
  let arena: TestIdp;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  const tag = Math.random().toString(36).slice(2, 8);
  const jointure = (who: string) => `${who}-${tag}`;

  beforeAll(async () => {
    env = await testApp(kind);
    educonnect = await createTestIdp("educonnect", PROXY, { encrypt: true });
    arena = await createTestIdp("arena", PROXY);
    settings = {
      publicUrl: PROXY,
      hubUrl: HUB,
      secret: env.platform.config.secret,
      keys: await makeKeyPair("proxy-test"),
      guichets: [
        { id: "educonnect", idpMetadata: educonnect.metadata, encryptedAssertions: true },
        { id: "arena", idpMetadata: arena.metadata, encryptedAssertions: false },
      ],
      log: process.env.PREAU_TEST_LOG ? (event, data) => console.error(event, data) : undefined,
    };
    proxy = createProxyApp(settings);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    await linkParent(env.platform.db, s.parent.id, other.pupil.id, other.school.uai);
    await withTenant(env.platform.db, systemScope, async (tx) => {
      await tx.execute(
        sql`update users set external_id = ${`TEST-${jointure("eleve")}`}, state = 'pre_created', charter_accepted_at =
          null where id = ${s.pupil.id}`,
      );
      await tx.execute(sql`update users set external_id = ${`TEST-${jointure("parent")}`} where id = ${s.parent.id}`);
      await tx.execute(
        sql`update users set external_id = ${`TEST-${jointure("parent2")}`} where id = ${other.parent.id}`,
      );
      await tx.execute(sql`update users set academic_email = ${`prof.${tag}@ac-test.fr`} where id = ${s.teacher.id}`);
    });
  });

  /** Starts a login at the proxy: checks the AuthnRequest is signed, returns its ID and the proxy's browser. */
  async function start(guichet: "educonnect" | "arena") {
    const browser = new TestBrowser(proxy);
    const res = await browser.get(`/saml/${guichet}/login`);
    expect(res.status).toBe(302);
    const location = new URL(res.location!);
    expect(`${location.origin}${location.pathname}`).toBe((guichet === "educonnect" ? educonnect : arena).ssoUrl);
    expect(location.searchParams.get("Signature")).toBeTruthy();
    const request = inflateRawSync(Buffer.from(location.searchParams.get("SAMLRequest")!, "base64")).toString();
    // The IdP checks the request's signature against the proxy's metadata.
    const idp = samlify.IdentityProvider({
      metadata: (guichet === "educonnect" ? educonnect : arena).metadata,
      wantAuthnRequestsSigned: true,
    });
    const octetString = location.search
      .slice(1)
      .split("&")
      .filter((p) => !p.startsWith("Signature="))
      .join("&");
    const parsed = await idp.parseLoginRequest(serviceProvider(settings, guichet), "redirect", {
      query: Object.fromEntries(location.searchParams),
      octetString,
    });
    const id = /ID="([^"]+)"/.exec(request)![1]!;
    expect(parsed.extract.request?.id).toBe(id);
    return { browser, id };
  }
  async function answer(
    guichet: "educonnect" | "arena",
    identity: TestIdentity,
    overrides: ResponseOverrides = {},
    idp?: TestIdp,
  ) {
    const { browser, id } = await start(guichet);
    const response = await (idp ?? (guichet === "educonnect" ? educonnect : arena)).respond(
      serviceProvider(settings, guichet),
      id,
      identity,
      overrides,
    );
    const res = await browser.post(`/saml/${guichet}/acs`, { SAMLResponse: response });
    return { res, browser, response };
  }
  async function intoHub(location: string) {
    const url = new URL(location);
    expect(url.origin).toBe(HUB);
    const hub = new TestBrowser(env.app);
    const res = await hub.get(`${url.pathname}${url.search}`);
    return { hub, res };
  }
  const pupilIdentity = (): TestIdentity => ({
    nameId: `ec-${tag}-eleve`,
    attributes: {
      FrEduCtRefId: [`{AAF}24|x|${jointure("eleve")}`],
      [`${EC}.57`]: [`opaque-eleve-${tag}`],
      [`${EC}.7`]: ["eleve1d"],
    },
  });

  it(
    "3.2.2 4.4 a pupil logs in through ÉduConnect (signed, encrypted assertion): the pre-created account is opened " +
      "and activated at first login",
    async () => {
      const { res } = await answer("educonnect", pupilIdentity());
      expect(res.status).toBe(303);
      const { hub, res: arrival } = await intoHub(res.location!);
      expect(arrival.location).toBe("/activation");
      expect((await hub.get("/activation")).status).toBe(200);
      const [row] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ educonnect_id: string }>(
          await tx.execute(sql`
      select educonnect_id from users where id = ${s.pupil.id}`),
        ),
      );
      expect(row!.educonnect_id).toBe(`opaque-eleve-${tag}`);
    },
  );

  it("3.2.2 a parent with children in two schools chooses which account to open", async () => {
    const { res } = await answer("educonnect", {
      nameId: `ec-${tag}-parent`,
      attributes: {
        FrEduCtRefId: [`{AAF}24|x|${jointure("parent")}`, `{AAF}24|x|${jointure("parent2")}`, `{ECT}24|x|autre`],
        [`${EC}.7`]: ["resp1d"],
      },
    });
    const { hub, res: page } = await intoHub(res.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(t("sso.choose.title"));
    expect(page.text).toContain(s.school.name);
    expect(page.text).toContain(other.school.name);
    const token = /name="jeton" value="([^"]+)"/.exec(page.html)![1]!;
    const refusedBefore = await replaysRefused();
    const chosen = await hub.post("/sso/choix", { jeton: token.replace(/&amp;/g, "&"), compte: other.parent.id });
    expect(chosen.status).toBe(303);
    expect((await hub.get("/")).status).toBe(200);
    expect(await replaysRefused()).toBe(refusedBefore);
    // Chosen once; and nobody else's account can be picked with it: the replayed choice is on the audit trail.
    expect((await hub.post("/sso/choix", { jeton: token, compte: s.parent.id })).status).toBe(400);
    expect(await replaysRefused()).toBe(refusedBefore + 1);
  });

  /** How many hand-offs through ÉduConnect were refused as replayed (`sso.refused`, reason "replay"). */
  async function replaysRefused(): Promise<number> {
    return withTenant(env.platform.db, systemScope, async (tx) => {
      const [row] = rowsOf<{ n: number }>(
        await tx.execute(sql`select count(*)::int as n from audit_log where action = 'sso.refused'
          and details->>'reason' = 'replay' and details->>'guichet' = 'educonnect'`),
      );
      return row!.n;
    });
  }

  it("3.2.2 a teacher logs in through Arena, matched by academic e-mail", async () => {
    const { res } = await answer("arena", {
      nameId: `agent-${tag}`,
      attributes: { ctemail: [`Prof.${tag}@ac-test.fr`], FrEduRne: [`${s.school.uai}$UAJ$PU$ENS`] },
    });
    const { hub, res: arrival } = await intoHub(res.location!);
    expect(arrival.location).toBe("/");
    expect((await hub.get("/")).text).toContain("Bonjour");
  });

  it("an identity without an account gets a clear page and nothing is created", async () => {
    const before = await withTenant(
      env.platform.db,
      systemScope,
      async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from users`))[0]!.n,
    );
    const { res } = await answer("educonnect", {
      nameId: `ec-${tag}-inconnu`,
      attributes: { FrEduCtRefId: [`{AAF}24|x|inconnu-${tag}`] },
    });
    const { res: arrival } = await intoHub(res.location!);
    expect(arrival.status).toBe(403);
    expect(arrival.text).toContain(t("sso.unknown.title"));
    const after = await withTenant(
      env.platform.db,
      systemScope,
      async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from users`))[0]!.n,
    );
    expect(after).toBe(before);
    // Vectors of another académie are never matched.
    expect(
      externalIdsFromVectors([`{AAF}25|x|${jointure("eleve")}`, "{ECT}24|x|y", "{AAF}24|x"], "TEST", "24"),
    ).toEqual([]);
  });

  const refused = (res: { status: number; location: string | null; text: string }) => {
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.text).toContain("Connexion refusée");
  };

  it(
    "rejected: unsigned, wrongly signed, expired, wrong audience, wrong destination, unsolicited or foreign-issuer " +
      "responses",
    async () => {
      // Unsigned: a genuine response with its signature taken out.
      const { browser: b0, id: id0 } = await start("arena");
      const signed = Buffer.from(
        await arena.respond(serviceProvider(settings, "arena"), id0, {
          nameId: "x",
          attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
        }),
        "base64",
      ).toString();
      const unsigned = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "");
      expect(unsigned).not.toContain("Signature");
      refused(await b0.post("/saml/arena/acs", { SAMLResponse: Buffer.from(unsigned).toString("base64") }));
      // Tampered: the signed assertion with another e-mail in it.
      const { browser: b1, id: id1 } = await start("arena");
      const genuine = Buffer.from(
        await arena.respond(serviceProvider(settings, "arena"), id1, {
          nameId: "x",
          attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
        }),
        "base64",
      ).toString();
      refused(
        await b1.post("/saml/arena/acs", {
          SAMLResponse: Buffer.from(genuine.replace(`prof.${tag}@`, "directeur@")).toString("base64"),
        }),
      );
      const impostor = await createTestIdp("arena", PROXY);
      refused(
        (await answer("arena", { nameId: "x", attributes: { ctemail: [`prof.${tag}@ac-test.fr`] } }, {}, impostor)).res,
      );
      refused(
        (
          await answer("educonnect", pupilIdentity(), {
            notBefore: new Date(Date.now() - 20 * 60_000),
            notOnOrAfter: new Date(Date.now() - 10 * 60_000),
          })
        ).res,
      );
      refused((await answer("educonnect", pupilIdentity(), { audience: "https://autre-sp.example.fr/metadata" })).res);
      refused((await answer("educonnect", pupilIdentity(), { destination: "https://autre-sp.example.fr/acs" })).res);
      refused((await answer("educonnect", pupilIdentity(), { inResponseTo: "_une-autre-demande" })).res);
      refused((await answer("educonnect", pupilIdentity(), { issuer: "https://faux-idp.example.fr" })).res);
      // No login started in this browser: an IdP response posted here is refused (login CSRF).
      const response = await educonnect.respond(serviceProvider(settings, "educonnect"), "_x", pupilIdentity());
      refused(await new TestBrowser(proxy).post("/saml/educonnect/acs", { SAMLResponse: response }));
    },
  );

  it(
    "rejected: a replayed response, a replayed handoff, " + "a forged handoff, and a signature-wrapped assertion",
    async () => {
      const { res, browser, response } = await answer("arena", {
        nameId: `agent-${tag}`,
        attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
      });
      expect(res.status).toBe(303);
      // The same response again (the request cookie is spent).
      refused(await browser.post("/saml/arena/acs", { SAMLResponse: response }));
      // The same handoff twice: the second is refused.
      const first = await intoHub(res.location!);
      expect(first.res.location).toBe("/");
      expect((await intoHub(res.location!)).res.status).toBe(400);
      const forged = new URL(res.location!);
      forged.searchParams.set("jeton", `${forged.searchParams.get("jeton")!.split(".")[0]}.AAAA`);
      expect((await intoHub(forged.href)).res.status).toBe(400);
      // XSW: a forged, unsigned assertion for someone else put before the signed one is never the one read.
      const { browser: b2, id } = await start("arena");
      const genuine = Buffer.from(
        await arena.respond(serviceProvider(settings, "arena"), id, {
          nameId: `agent-${tag}`,
          attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
        }),
        "base64",
      ).toString();
      const evil = genuine.replace(
        /<saml:Assertion /,
        `<saml:Assertion ID="_evil" Version="2.0" ` +
          `IssueInstant="${new Date().toISOString()}"><saml:Issuer>${arena.entityId}</saml:Issuer>` +
          `<saml:Subject><saml:NameID>pirate</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute ` +
          `Name="ctemail"><saml:AttributeValue>${s.director.login}@ac-test.fr</saml:AttributeValue></saml:Attribute` +
          `></saml:AttributeStatement></saml:Assertion><saml:Assertion `,
      );
      const wrapped = await b2.post("/saml/arena/acs", { SAMLResponse: Buffer.from(evil).toString("base64") });
      if (wrapped.status === 303) {
        const handoff = JSON.parse(
          Buffer.from(new URL(wrapped.location!).searchParams.get("jeton")!.split(".")[0]!, "base64url").toString(),
        );
        expect(handoff.nameId).toBe(`agent-${tag}`);
        expect(handoff.email).toBe(`prof.${tag}@ac-test.fr`);
      } else {
        refused(wrapped);
      }
    },
  );

  it(
    "the demo's test identity providers walk the whole flow " + "in plain HTML forms; keys are kept in the data folder",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "preau-saml-"));
      const env1 = {
        DATA_DIR: dataDir,
        PREAU_SAML_TEST_IDP: "true",
        PREAU_SAML_PROXY_URL: PROXY,
        PREAU_PUBLIC_URL: HUB,
        PREAU_SECRET: env.platform.config.secret,
      };
      const { settings: demo, testIdps } = await proxySettingsFromEnv(env1);
      expect(demo.guichets.map((g) => g.id)).toEqual(["educonnect", "arena"]);
      expect((await proxySettingsFromEnv(env1)).settings.keys.cert).toBe(demo.keys.cert);
      const app = new Hono();
      app.route("/", testIdpPages(demo, testIdps));
      app.route("/", createProxyApp(demo));
      const browser = new TestBrowser(app);
      const start = await browser.get("/saml/arena/login");
      const sso = new URL(start.location!);
      const form = await browser.get(`${sso.pathname}${sso.search}`);
      expect(form.text).toContain("Adresse académique");
      const requestId = /name="demande" value="([^"]+)"/.exec(form.html)![1]!;
      const posted = await browser.post("/idp-test/arena/reponse", {
        demande: requestId,
        courriel: `prof.${tag}@ac-test.fr`,
      });
      const response = /name="SAMLResponse" value="([^"]+)"/.exec(posted.html)![1]!;
      const acs = await browser.post("/saml/arena/acs", { SAMLResponse: response });
      expect(acs.status).toBe(303);
      const { hub, res } = await intoHub(acs.location!);
      expect(res.location).toBe("/");
      expect((await hub.get("/")).status).toBe(200);
    },
  );

  it(
    "single logout: leaving the hub ends the identity " + "provider's session through a signed LogoutRequest, and back",
    async () => {
      // The proxy reads the hub's logout token with the real time, as the identity provider's messages are.
      env.clock.set(new Date().toISOString());
      const { res } = await answer("arena", {
        nameId: `agent-slo-${tag}`,
        attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
      });
      const { hub } = await intoHub(res.location!);
      expect((await hub.get("/")).status).toBe(200);
      const out = await hub.post("/logout", {});
      const toProxy = new URL(out.location!);
      expect(`${toProxy.origin}${toProxy.pathname}`).toBe(`${PROXY}/saml/arena/logout`);
      expect((await hub.get("/")).location).toBe("/login");
      const proxyBrowser = new TestBrowser(proxy);
      const toIdp = new URL((await proxyBrowser.get(`${toProxy.pathname}${toProxy.search}`)).location!);
      expect(`${toIdp.origin}${toIdp.pathname}`).toBe(`${PROXY}/idp-test/arena/slo`);
      const octetString = toIdp.search
        .slice(1)
        .split("&")
        .filter((p) => !p.startsWith("Signature="))
        .join("&");
      const { nameId, url } = await arena.logout(
        serviceProvider(settings, "arena"),
        Object.fromEntries(toIdp.searchParams),
        octetString,
      );
      expect(nameId).toBe(`agent-slo-${tag}`);
      const back = new URL(url);
      expect(`${back.origin}${back.pathname}`).toBe(`${PROXY}/saml/arena/slo`);
      expect((await proxyBrowser.get(`${back.pathname}${back.search}`)).location).toBe(`${HUB}/login?info=logged_out`);
      // A forged logout token sends nobody's request to the IdP; a forged LogoutResponse is refused.
      expect((await proxyBrowser.get("/saml/arena/logout?jeton=faux.jeton")).location).toBe(
        `${HUB}/login?info=logged_out`,
      );
      refused(await proxyBrowser.get(`${back.pathname}${back.search.replace(/Signature=[^&]+/, "Signature=AAAA")}`));
    },
  );

  it(
    "single logout started by the identity provider: the hub " +
      "ends that session, the IdP gets a signed LogoutResponse",
    async () => {
      env.clock.set(new Date().toISOString());
      const { res } = await answer("arena", {
        nameId: `agent-idp-slo-${tag}`,
        attributes: { ctemail: [`prof.${tag}@ac-test.fr`] },
      });
      const { hub } = await intoHub(res.location!);
      expect((await hub.get("/")).status).toBe(200);
      const start = new URL(arena.startLogout(serviceProvider(settings, "arena"), `agent-idp-slo-${tag}`));
      expect(start.pathname).toBe("/saml/arena/slo");
      const proxyBrowser = new TestBrowser(proxy);
      const toHub = new URL((await proxyBrowser.get(`${start.pathname}${start.search}`)).location!);
      expect(`${toHub.origin}${toHub.pathname}`).toBe(`${HUB}/sso/deconnexion`);
      const back = new URL((await hub.get(`${toHub.pathname}${toHub.search}`)).location!);
      expect((await hub.get("/")).location).toBe("/login");
      const toIdp = new URL((await proxyBrowser.get(`${back.pathname}${back.search}`)).location!);
      expect(toIdp.searchParams.get("SAMLResponse")).toBeTruthy();
      const octetString = toIdp.search
        .slice(1)
        .split("&")
        .filter((p) => !p.startsWith("Signature="))
        .join("&");
      await arena.checkLogoutResponse(
        serviceProvider(settings, "arena"),
        Object.fromEntries(toIdp.searchParams),
        octetString,
      );
      // A forged LogoutRequest ends nothing.
      const forged = start.search.replace(/Signature=[^&]+/, "Signature=AAAA");
      refused(await proxyBrowser.get(`${start.pathname}${forged}`));
      expect((await hub.get(`/sso/deconnexion?jeton=faux.jeton`)).status).toBe(400);
    },
  );

  it("the proxy publishes its SP metadata with its signing and encryption certificate and its ACS", async () => {
    const res = await new TestBrowser(proxy).get("/saml/educonnect/metadata");
    expect(res.status).toBe(200);
    expect(res.html).toContain(`entityID="${PROXY}/saml/educonnect/metadata"`);
    expect(res.html).toContain(`Location="${PROXY}/saml/educonnect/acs"`);
    expect(res.html).toContain('AuthnRequestsSigned="true"');
    expect(res.html).toContain('use="encryption"');
    expect(REQUEST_COOKIE).toBe("preau_saml_request");
  });
});
