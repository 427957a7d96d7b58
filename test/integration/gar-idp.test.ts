// 3.11.1.1: the hub as SAML IdP for the GAR — the assertion is checked by a samlify service provider standing for
// the GAR, and carries idEnt and GARPersonIdentifiant; parents and unsigned requests are refused.
import { beforeAll, describe, expect, it } from "vitest";
import * as samlify from "samlify";
import { garIdentityProvider } from "../../src/node/gar-idp";
import { makeKeyPair } from "../../src/node/saml-keys";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser, decodeEntities } from "../helpers/client";
import { buildSchoolWithClass, type BuiltUser } from "../helpers/factories";
import { testApp } from "../helpers/platform";

const GAR = "https://idp-auth.gar.education.fr";

describe.each(DATABASE_KINDS)("GAR identity provider on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let garSp: samlify.ServiceProviderInstance;
  let hubIdp: samlify.IdentityProviderInstance;

  beforeAll(async () => {
    env = await testApp(kind);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const garKeys = await makeKeyPair("gar-test");
    garSp = samlify.ServiceProvider({
      entityID: `${GAR}/sp`,
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      privateKey: garKeys.privateKey,
      signingCert: garKeys.cert,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: `${GAR}/saml/acs` }],
    });
    env.platform.gar = garIdentityProvider({
      keys: await makeKeyPair("hub-gar"),
      garSpMetadata: garSp.getMetadata(),
      entityId: "https://hub.preau.test/gar/metadata",
      ssoUrl: "https://hub.preau.test/gar/sso",
      entId: "ENT-TEST",
    });
    hubIdp = samlify.IdentityProvider({ metadata: env.platform.gar.metadata() });
  });

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  const requestPath = () => {
    const { context } = garSp.createLoginRequest(hubIdp, "redirect") as { context: string };
    const url = new URL(context);
    expect(url.pathname).toBe("/gar/sso");
    return `${url.pathname}${url.search}`;
  };

  it("3.11.1.1 a pupil goes to the GAR with a signed assertion carrying idEnt and GARPersonIdentifiant", async () => {
    const b = await as(s.pupil);
    const page = await b.get(requestPath());
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain(`form-action 'self' ${GAR}`);
    expect(page.html).toContain(`action="${GAR}/saml/acs"`);
    const samlResponse = decodeEntities(/name="SAMLResponse" value="([^"]+)"/.exec(page.html)![1]!);
    const { extract } = await garSp.parseLoginResponse(hubIdp, "post", { body: { SAMLResponse: samlResponse } });
    expect(extract.attributes?.GARPersonIdentifiant).toBe(s.pupil.id);
    expect(extract.attributes?.idEnt).toBe("ENT-TEST");
    expect(extract.audience).toBe(`${GAR}/sp`);
    // Every other page keeps the strict policy.
    const home = await b.get("/");
    expect(home.status, home.location ?? "").toBe(200);
    expect(home.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  it(
    "3.11.1.1 logged out, the user logs in first and " + "comes back; parents and unsigned requests are refused",
    async () => {
      const path = requestPath();
      const anonymous = await new TestBrowser(env.app).get(path);
      expect(anonymous.location).toBe(`/login?retour=${encodeURIComponent(path)}`);
      expect((await (await as(s.parent)).get(requestPath())).status).toBe(403);
      const unsigned = requestPath().replace(/&Signature=[^&]+/, "");
      expect((await (await as(s.teacher)).get(unsigned)).status).toBe(403);
      const metadata = await new TestBrowser(env.app).get("/gar/metadata");
      expect(metadata.html).toContain('entityID="https://hub.preau.test/gar/metadata"');
    },
  );
});
