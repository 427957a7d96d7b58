// The proxy's AuthnRequests in the redirect binding (issue 22): the XML from samlify's template, deflated, signed with
// RSA-SHA256 by node:crypto — the private key parsed once, the signing done on libuv's thread pool. samlify's own
// createLoginRequest parsed the PEM into a node-rsa key and signed on the main thread for every login.
import { createPrivateKey, randomUUID, sign, type KeyObject } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import * as samlify from "samlify";

export const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

export interface AuthnRequestSettings {
  /** The identity provider's SingleSignOnService for the redirect binding. */
  ssoUrl: string;
  /** The proxy's entity ID and assertion consumer service for this guichet. */
  entityId: string;
  acsUrl: string;
  nameIdFormat: string;
  privateKeyPem: string;
}

function signAsync(key: KeyObject, text: string): Promise<string> {
  return new Promise((resolve, reject) =>
    sign("sha256", Buffer.from(text, "utf8"), key, (err, signature) =>
      err ? reject(err) : resolve(signature.toString("base64")),
    ),
  );
}

/** Builds signed AuthnRequest redirect URLs (saml-bindings §3.4.4.1: SAMLRequest, SigAlg, then Signature). */
export function authnRequestRedirect(settings: AuthnRequestSettings): () => Promise<{ id: string; url: string }> {
  const key = createPrivateKey(settings.privateKeyPem);
  const separator = settings.ssoUrl.includes("?") ? "&" : "?";
  return async () => {
    const id = `_${randomUUID()}`;
    const xml = samlify.SamlLib.replaceTagsByValue(samlify.SamlLib.defaultLoginRequestTemplate.context, {
      ID: id,
      Destination: settings.ssoUrl,
      Issuer: settings.entityId,
      IssueInstant: new Date().toISOString(),
      NameIDFormat: settings.nameIdFormat,
      ProtocolBinding: POST_BINDING,
      AssertionConsumerServiceURL: settings.acsUrl,
      AllowCreate: false,
      // Absent attributes (samlify drops a placeholder given undefined).
      ForceAuthn: undefined,
      AssertionConsumerServiceIndex: undefined,
    } as Record<string, unknown> as Record<string, string>);
    const octetString =
      `SAMLRequest=${encodeURIComponent(deflateRawSync(xml).toString("base64"))}` +
      `&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
    const signature = await signAsync(key, octetString);
    return { id, url: `${settings.ssoUrl}${separator}${octetString}&Signature=${encodeURIComponent(signature)}` };
  };
}
