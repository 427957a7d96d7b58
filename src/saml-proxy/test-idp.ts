// Test identity providers (issue 6): real SAML IdPs (samlify in the IdP role, their own keys) that release
// ÉduConnect's and Arena's attributes. The tests drive them, and a demo platform can enable them to try the whole
// federated login locally. `overrides` let a test forge what a broken or hostile IdP would send.
import * as samlify from "samlify";
import type { Guichet } from "../auth/sso-handoff";
import { makeKeyPair, type KeyPair } from "../node/saml-keys";

export interface TestIdentity {
  nameId: string;
  attributes: Record<string, string[]>;
}

export interface ResponseOverrides {
  audience?: string;
  destination?: string;
  inResponseTo?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issuer?: string;
  /** The response signed too (after the assertion is encrypted, when it is), not only the assertion. */
  signResponse?: boolean;
}

const xml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export interface TestIdp {
  guichet: Guichet;
  entityId: string;
  ssoUrl: string;
  metadata: string;
  keys: KeyPair;
  /** Checks the SP's signed LogoutRequest (redirect binding) and answers with a signed LogoutResponse URL. */
  logout(
    sp: samlify.ServiceProviderInstance,
    query: Record<string, string>,
    octetString: string,
  ): Promise<{ nameId: string; url: string }>;
  /** The IdP starts a logout: the signed LogoutRequest URL at the SP. */
  startLogout(sp: samlify.ServiceProviderInstance, nameId: string): string;
  /** Checks the SP's signed LogoutResponse (redirect binding). */
  checkLogoutResponse(
    sp: samlify.ServiceProviderInstance,
    query: Record<string, string>,
    octetString: string,
  ): Promise<void>;
  /** A base64 SAMLResponse for `requestId`, signed (and encrypted when the IdP encrypts) for the service provider. */
  respond(
    sp: samlify.ServiceProviderInstance,
    requestId: string,
    identity: TestIdentity,
    overrides?: ResponseOverrides,
  ): Promise<string>;
}

export async function createTestIdp(
  guichet: Guichet,
  baseUrl: string,
  options: { encrypt?: boolean; keys?: KeyPair; entityId?: string } = {},
): Promise<TestIdp> {
  const keys = options.keys ?? (await makeKeyPair(`idp-test-${guichet}`));
  const entityId = options.entityId ?? `${baseUrl}/idp-test/${guichet}`;
  const ssoUrl = `${baseUrl}/idp-test/${guichet}/sso`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.privateKey,
    signingCert: keys.cert,
    encryptCert: keys.cert,
    isAssertionEncrypted: options.encrypt ?? false,
    wantAuthnRequestsSigned: true,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
    singleLogoutService: [
      { Binding: samlify.Constants.namespace.binding.redirect, Location: `${baseUrl}/idp-test/${guichet}/slo` },
    ],
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"],
  });
  return {
    guichet,
    entityId,
    ssoUrl,
    keys,
    metadata: idp.getMetadata(),
    startLogout(sp, nameId) {
      return (idp.createLogoutRequest(sp, "redirect", { logoutNameID: nameId }) as { context: string }).context;
    },
    async checkLogoutResponse(sp, query, octetString) {
      await idp.parseLogoutResponse(sp, "redirect", { query, octetString });
    },
    async logout(sp, query, octetString) {
      const request = await idp.parseLogoutRequest(sp, "redirect", { query, octetString });
      const { context } = idp.createLogoutResponse(sp, { extract: request.extract }, "redirect") as { context: string };
      return { nameId: String(request.extract.nameID ?? ""), url: context };
    },
    async respond(sp, requestId, identity, overrides = {}) {
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60_000);
      const acs = (
        sp.entityMeta as unknown as { getAssertionConsumerService(b: string): string }
      ).getAssertionConsumerService("post");
      const attributes = Object.entries(identity.attributes)
        .map(
          ([name, values]) =>
            `<saml:Attribute Name="${xml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
              .map((v) => `<saml:AttributeValue xsi:type="xs:string">${xml(v)}</saml:AttributeValue>`)
              .join("")}</saml:Attribute>`,
        )
        .join("");
      const sessionIndex = `_${crypto.randomUUID()}`;
      const signer = overrides.signResponse
        ? samlify.ServiceProvider({ metadata: sp.getMetadata(), wantMessageSigned: true })
        : sp;
      const { context } = await idp.createLoginResponse(
        signer,
        { extract: { request: { id: requestId } } },
        "post",
        { email: identity.nameId },
        (template: string) => {
          const id = `_${crypto.randomUUID()}`;
          const filled = samlify.SamlLib.replaceTagsByValue(template, {
            ID: id,
            AssertionID: `_${crypto.randomUUID()}`,
            Destination: overrides.destination ?? acs,
            Audience: overrides.audience ?? sp.entityMeta.getEntityID(),
            SubjectRecipient: acs,
            Issuer: overrides.issuer ?? entityId,
            IssueInstant: now.toISOString(),
            StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
            ConditionsNotBefore: (overrides.notBefore ?? now).toISOString(),
            ConditionsNotOnOrAfter: (overrides.notOnOrAfter ?? later).toISOString(),
            SubjectConfirmationDataNotOnOrAfter: (overrides.notOnOrAfter ?? later).toISOString(),
            NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            NameID: identity.nameId,
            InResponseTo: overrides.inResponseTo ?? requestId,
          })
            // Whole elements: samlify's tag replacement escapes values, so these two go in as they are.
            .replace(
              "{AuthnStatement}",
              `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${sessionIndex}">` +
                "<saml:AuthnContext><saml:AuthnContextClassRef>" +
                "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>" +
                "</saml:AuthnContext></saml:AuthnStatement>",
            )
            .replace(
              "{AttributeStatement}",
              attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : "",
            );
          return { id, context: filled };
        },
        overrides.signResponse === true,
      );
      return context as string;
    },
  };
}
