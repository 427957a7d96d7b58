// 3.11.1.1: the hub as SAML 2.0 identity provider for the GAR, with samlify (Node). The assertion carries what
// the GAR reads (entcore's SSOGar: NameFormat basic, Name = FriendlyName): `idEnt`, the ENT's GAR project id, and
// `GARPersonIdentifiant`, the ENT user id — the same id the affectation feed sends the GAR.
import * as samlify from "samlify";
import type { GarIdentityProvider } from "../platform";
import type { KeyPair } from "./saml-keys";
import { samlSchemaValidator } from "./saml-schema";

samlify.setSchemaValidator(samlSchemaValidator);

export interface GarSettings {
  keys: KeyPair;
  garSpMetadata: string;
  entityId: string;
  ssoUrl: string;
  entId: string;
}

const xml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function garIdentityProvider(settings: GarSettings): GarIdentityProvider {
  const idp = samlify.IdentityProvider({
    entityID: settings.entityId,
    privateKey: settings.keys.privateKey,
    signingCert: settings.keys.cert,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: settings.ssoUrl }],
    nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"],
    wantAuthnRequestsSigned: true,
  });
  const sp = samlify.ServiceProvider({ metadata: settings.garSpMetadata });
  return {
    metadata: () => idp.getMetadata(),
    async respond(query, octetString, user) {
      const request = await idp.parseLoginRequest(sp, "redirect", { query, octetString });
      const requestId = String(request.extract.request?.id ?? "");
      const acs = (
        sp.entityMeta as unknown as { getAssertionConsumerService(b: string): string }
      ).getAssertionConsumerService("post");
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60_000);
      const attribute = (name: string, value: string) =>
        `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic" ` +
        `FriendlyName="${name}">` +
        `<saml:AttributeValue xsi:type="xs:string">${xml(value)}</saml:AttributeValue></saml:Attribute>`;
      const { context } = await idp.createLoginResponse(
        sp,
        { extract: request.extract },
        "post",
        { email: user.id },
        (template: string) => {
          const id = `_${crypto.randomUUID()}`;
          const filled = samlify.SamlLib.replaceTagsByValue(template, {
            ID: id,
            AssertionID: `_${crypto.randomUUID()}`,
            Destination: acs,
            Audience: String(sp.entityMeta.getEntityID()),
            SubjectRecipient: acs,
            Issuer: settings.entityId,
            IssueInstant: now.toISOString(),
            StatusCode: "urn:oasis:names:tc:SAML:2.0:status:Success",
            ConditionsNotBefore: now.toISOString(),
            ConditionsNotOnOrAfter: later.toISOString(),
            SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
            NameIDFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            NameID: `_${crypto.randomUUID()}`,
            InResponseTo: requestId,
          })
            .replace(
              "{AuthnStatement}",
              `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_${crypto.randomUUID()}">` +
                "<saml:AuthnContext><saml:AuthnContextClassRef>" +
                "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>" +
                "</saml:AuthnContext></saml:AuthnStatement>",
            )
            .replace(
              "{AttributeStatement}",
              `<saml:AttributeStatement>${attribute("idEnt", settings.entId)}` +
                `${attribute("GARPersonIdentifiant", user.id)}</saml:AttributeStatement>`,
            );
          return { id, context: filled };
        },
      );
      return { action: acs, samlResponse: context as string, relayState: query.RelayState ?? null };
    },
  };
}
