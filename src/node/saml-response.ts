// The proxy's reading of a login response (3.2.2, 4.4, issue 22): schema, status, decryption, signature and the
// assertion's content, with libxml2 (libxml2-wasm, the document already parsed for the schema check) and node:crypto
// (keys parsed once). samlify did the same with xmldom, xpath and xml-crypto: it parsed the response five times and
// evaluated about thirty XPath expressions, each compiled again — 6 ms of CPU per login, against 0.5 ms here.
//
// What is accepted is narrow on purpose (the SAML 2.0 profile of XML Signature, saml-core §5, as ÉduConnect and the
// académies' identity providers sign):
//   - no DOCTYPE; the response schema-valid; its top-level status Success;
//   - exactly one assertion in the whole document, a child of the response: plain when the guichet sends them plain,
//     encrypted (EncryptedAssertion, RSA-OAEP key transport, AES-CBC or AES-GCM) when it encrypts them; a decrypted
//     assertion is schema-valid on its own and must hold no other assertion;
//   - a signature is an enveloped ds:Signature, child of the element it signs, with one Reference to that element's
//     ID (unique in the document), the transforms enveloped-signature then exclusive c14n, exclusive c14n for
//     SignedInfo, RSA with SHA-1/256/384/512; the key is the identity provider's certificate from its metadata (a
//     certificate in KeyInfo must be that one); every signature present must verify, and the assertion must be
//     covered: signed itself, or inside the signed response (a signed encrypted assertion is covered by the signature
//     over its ciphertext);
//   - everything returned is read from that covered assertion, except the envelope's InResponseTo and Destination,
//     which the caller compares with what it expects.
import {
  constants,
  createDecipheriv,
  createHash,
  createPrivateKey,
  timingSafeEqual,
  privateDecrypt,
  verify,
  X509Certificate,
  type KeyObject,
} from "node:crypto";
import type { XmlDocument, XmlElement } from "libxml2-wasm";
import { samlXml } from "./saml-schema";

const NS = {
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  xenc: "http://www.w3.org/2001/04/xmlenc#",
} as const;
const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SIGNATURE_HASH: Record<string, string> = {
  "http://www.w3.org/2000/09/xmldsig#rsa-sha1": "sha1",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": "sha384",
  "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": "sha512",
};
const DIGEST_HASH: Record<string, string> = {
  "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
  "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
  "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
  "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
};
const RSA_OAEP = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
/** Data encryption: Node cipher, IV length. (Triple DES and RSA PKCS#1 v1.5 key transport are refused.) */
const CIPHERS: Record<string, { name: string; iv: number; gcm: boolean }> = {
  "http://www.w3.org/2001/04/xmlenc#aes128-cbc": { name: "aes-128-cbc", iv: 16, gcm: false },
  "http://www.w3.org/2001/04/xmlenc#aes192-cbc": { name: "aes-192-cbc", iv: 16, gcm: false },
  "http://www.w3.org/2001/04/xmlenc#aes256-cbc": { name: "aes-256-cbc", iv: 16, gcm: false },
  "http://www.w3.org/2009/xmlenc11#aes128-gcm": { name: "aes-128-gcm", iv: 12, gcm: true },
  "http://www.w3.org/2009/xmlenc11#aes192-gcm": { name: "aes-192-gcm", iv: 12, gcm: true },
  "http://www.w3.org/2009/xmlenc11#aes256-gcm": { name: "aes-256-gcm", iv: 12, gcm: true },
};

export type SamlProblem = "malformed" | "status" | "signature" | "issuer" | "decryption";

export class SamlResponseError extends Error {
  constructor(
    readonly problem: SamlProblem,
    detail: string,
  ) {
    super(detail);
  }
}

/** What the proxy trusts of one identity provider, prepared once from its metadata. */
export interface SamlTrust {
  entityId: string;
  /** Its signing certificates (base64 DER, no whitespace) and their public keys. */
  certificates: { der: string; key: KeyObject }[];
  /** Whether its assertions come encrypted. */
  encrypted: boolean;
  /** The proxy's private key, to decrypt them. */
  decryptionKey: KeyObject | null;
}

export function samlTrust(options: {
  entityId: string;
  signingCertificates: string[];
  encrypted: boolean;
  decryptionKeyPem: string | null;
}): SamlTrust {
  const certificates = options.signingCertificates.map((text) => {
    const der = text.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "");
    return { der, key: new X509Certificate(Buffer.from(der, "base64")).publicKey };
  });
  if (certificates.length === 0) throw new Error(`${options.entityId} : aucun certificat de signature`);
  return {
    entityId: options.entityId,
    certificates,
    encrypted: options.encrypted,
    decryptionKey: options.decryptionKeyPem ? createPrivateKey(options.decryptionKeyPem) : null,
  };
}

export interface LoginAssertion {
  /** The response envelope's (not signed when only the assertion is). */
  inResponseTo: string | null;
  destination: string | null;
  /** The assertion's, all covered by a verified signature. */
  issuer: string;
  nameId: string;
  notBefore: string | null;
  notOnOrAfter: string | null;
  audiences: string[];
  /** The bearer subject confirmation's. */
  recipient: string | null;
  confirmationNotOnOrAfter: string | null;
  confirmationInResponseTo: string | null;
  authnInstant: string | null;
  sessionIndex: string | null;
  sessionNotOnOrAfter: string | null;
  /** Attribute name → its values. */
  attributes: Record<string, string[]>;
}

// ------------------------------------------------------------------------------------------------ tree helpers

type Lx = Awaited<ReturnType<typeof samlXml>>["lx"];

function childElements(lx: Lx, parent: XmlElement, ns?: string, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.next) {
    if (!(n instanceof lx.XmlElement)) continue;
    if ((ns === undefined || n.namespaceUri === ns) && (name === undefined || n.name === name)) out.push(n);
  }
  return out;
}
function onlyChild(lx: Lx, parent: XmlElement, ns: string, name: string): XmlElement | null {
  const found = childElements(lx, parent, ns, name);
  if (found.length > 1) throw new SamlResponseError("malformed", `several ${name} in ${parent.name}`);
  return found[0] ?? null;
}
function requiredChild(lx: Lx, parent: XmlElement, ns: string, name: string): XmlElement {
  const found = onlyChild(lx, parent, ns, name);
  if (!found) throw new SamlResponseError("malformed", `no ${name} in ${parent.name}`);
  return found;
}
const attr = (el: XmlElement, name: string): string | null => el.attr(name)?.value ?? null;
const text = (el: XmlElement | null): string => (el ? el.content.trim() : "");
const base64 = (el: XmlElement): Buffer => Buffer.from(el.content.replace(/\s+/g, ""), "base64");

/** Elements of `ns`/`name` anywhere under the document (namespace-exact, counted by libxml2's XPath). */
function countElements(doc: XmlDocument, ns: string, name: string): number {
  return Number(doc.eval(`count(//x:${name})`, { x: ns }));
}

// ------------------------------------------------------------------------------------------------ signatures

/**
 * Verifies the enveloped signature `sig` of `signed` (its parent). Throws unless it is one this proxy accepts and
 * it verifies with one of the trusted keys. Removes the signature from the tree (the enveloped transform).
 */
function verifyEnveloped(lx: Lx, doc: XmlDocument, signed: XmlElement, sig: XmlElement, trust: SamlTrust): void {
  const id = attr(signed, "ID");
  if (!id) throw new SamlResponseError("signature", `signed ${signed.name} without ID`);
  // The referenced ID names one element only: a second element with the same ID is a wrapping attempt. (The schema
  // made it an xs:ID, an NCName: no quote can end the XPath literal.)
  if (!/^[\p{L}_][\p{L}\p{N}._-]*$/u.test(id)) throw new SamlResponseError("signature", "ID");
  const sameId = doc.eval(`count(//@*[local-name()='ID' or local-name()='Id' or local-name()='id'][. = '${id}'])`);
  if (Number(sameId) !== 1) throw new SamlResponseError("signature", "ID not unique");

  const signedInfo = requiredChild(lx, sig, NS.ds, "SignedInfo");
  const c14n = requiredChild(lx, signedInfo, NS.ds, "CanonicalizationMethod");
  if (attr(c14n, "Algorithm") !== EXC_C14N) throw new SamlResponseError("signature", "SignedInfo c14n");
  const signatureHash =
    SIGNATURE_HASH[attr(requiredChild(lx, signedInfo, NS.ds, "SignatureMethod"), "Algorithm") ?? ""];
  if (!signatureHash) throw new SamlResponseError("signature", "signature algorithm");
  const references = childElements(lx, signedInfo, NS.ds, "Reference");
  if (references.length !== 1) throw new SamlResponseError("signature", "one Reference expected");
  const reference = references[0]!;
  if (attr(reference, "URI") !== `#${id}`) throw new SamlResponseError("signature", "Reference URI");
  const transforms = childElements(lx, requiredChild(lx, reference, NS.ds, "Transforms"), NS.ds, "Transform");
  if (
    transforms.length !== 2 ||
    attr(transforms[0]!, "Algorithm") !== ENVELOPED ||
    attr(transforms[1]!, "Algorithm") !== EXC_C14N
  )
    throw new SamlResponseError("signature", "transforms");
  const digestHash = DIGEST_HASH[attr(requiredChild(lx, reference, NS.ds, "DigestMethod"), "Algorithm") ?? ""];
  if (!digestHash) throw new SamlResponseError("signature", "digest algorithm");
  const digestValue = base64(requiredChild(lx, reference, NS.ds, "DigestValue"));
  const signatureValue = base64(requiredChild(lx, sig, NS.ds, "SignatureValue"));

  // A certificate in KeyInfo must be one of the metadata's (it only says which).
  let keys = trust.certificates;
  const keyInfo = onlyChild(lx, sig, NS.ds, "KeyInfo");
  if (keyInfo) {
    const given = keyInfo.find("./ds:X509Data/ds:X509Certificate", { ds: NS.ds });
    if (given.length > 1) throw new SamlResponseError("signature", "several certificates");
    if (given.length === 1) {
      const der = given[0]!.content.replace(/\s+/g, "");
      keys = keys.filter((c) => c.der === der);
      if (keys.length === 0) throw new SamlResponseError("signature", "certificate not in the metadata");
    }
  }

  const signedInfoC14n = Buffer.from(canonical(lx, doc, signedInfo, prefixList(lx, c14n)));
  const referencePrefixes = prefixList(lx, transforms[1]!);
  // The enveloped-signature transform: the signed element without this signature.
  sig.remove();
  const content = canonical(lx, doc, signed, referencePrefixes);
  const digest = createHash(digestHash).update(content).digest();
  if (digest.length !== digestValue.length || !timingSafeEqual(digest, digestValue))
    throw new SamlResponseError("signature", "digest");
  if (!keys.some((c) => verify(signatureHash, signedInfoC14n, c.key, signatureValue)))
    throw new SamlResponseError("signature", "signature value");
}

/**
 * Exclusive canonical XML of the subtree at `root` (the document's node set of that subtree). A node set, rather than
 * libxml2-wasm's subtree helper, because its visibility test compares pointers where the helper builds a JavaScript
 * object for every node of the document.
 */
function canonical(lx: Lx, doc: XmlDocument, root: XmlElement, prefixes: string[] | undefined): string {
  return doc.canonicalizeToString({
    mode: lx.XmlC14NMode.XML_C14N_EXCLUSIVE_1_0,
    inclusiveNamespacePrefixes: prefixes,
    nodeSet: new Set([root]),
  });
}

/** The InclusiveNamespaces PrefixList of an exclusive c14n method or transform, if any. */
function prefixList(lx: Lx, method: XmlElement): string[] | undefined {
  const inclusive = onlyChild(lx, method, EXC_C14N, "InclusiveNamespaces");
  if (!inclusive) return undefined;
  const list = (attr(inclusive, "PrefixList") ?? "").split(/\s+/).filter(Boolean);
  return list.map((p) => (p === "#default" ? "" : p));
}

// ------------------------------------------------------------------------------------------------ decryption

function decryptAssertion(lx: Lx, encrypted: XmlElement, trust: SamlTrust): string {
  if (!trust.decryptionKey) throw new SamlResponseError("decryption", "no decryption key");
  const data = requiredChild(lx, encrypted, NS.xenc, "EncryptedData");
  const cipher = CIPHERS[attr(requiredChild(lx, data, NS.xenc, "EncryptionMethod"), "Algorithm") ?? ""];
  if (!cipher) throw new SamlResponseError("decryption", "data encryption algorithm");
  // The key: inside EncryptedData's KeyInfo, or beside EncryptedData in the EncryptedAssertion.
  const keyInfo = onlyChild(lx, data, NS.ds, "KeyInfo");
  const keys = [
    ...(keyInfo ? childElements(lx, keyInfo, NS.xenc, "EncryptedKey") : []),
    ...childElements(lx, encrypted, NS.xenc, "EncryptedKey"),
  ];
  if (keys.length !== 1) throw new SamlResponseError("decryption", "one EncryptedKey expected");
  const key = keys[0]!;
  const method = requiredChild(lx, key, NS.xenc, "EncryptionMethod");
  if (attr(method, "Algorithm") !== RSA_OAEP) throw new SamlResponseError("decryption", "key transport algorithm");
  const oaepDigest = onlyChild(lx, method, NS.ds, "DigestMethod");
  if (oaepDigest && attr(oaepDigest, "Algorithm") !== "http://www.w3.org/2000/09/xmldsig#sha1")
    throw new SamlResponseError("decryption", "OAEP digest");
  const wrapped = base64(requiredChild(lx, requiredChild(lx, key, NS.xenc, "CipherData"), NS.xenc, "CipherValue"));
  const body = base64(requiredChild(lx, requiredChild(lx, data, NS.xenc, "CipherData"), NS.xenc, "CipherValue"));
  try {
    const symmetric = privateDecrypt(
      { key: trust.decryptionKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      wrapped,
    );
    const iv = body.subarray(0, cipher.iv);
    const decipher = createDecipheriv(cipher.name, symmetric, iv);
    let enciphered = body.subarray(cipher.iv);
    if (cipher.gcm) {
      (decipher as ReturnType<typeof createDecipheriv> & { setAuthTag(t: Buffer): void }).setAuthTag(
        enciphered.subarray(-16),
      );
      enciphered = enciphered.subarray(0, -16);
    } else {
      decipher.setAutoPadding(false);
    }
    let plain = Buffer.concat([decipher.update(enciphered), decipher.final()]);
    if (!cipher.gcm) {
      // XML Encryption's padding: the last byte says how many bytes to drop (the others are arbitrary).
      const pad = plain[plain.length - 1] ?? 0;
      if (pad < 1 || pad > cipher.iv) throw new Error("padding");
      plain = plain.subarray(0, plain.length - pad);
    }
    return plain.toString("utf8");
  } catch {
    throw new SamlResponseError("decryption", "the assertion could not be decrypted");
  }
}

// ------------------------------------------------------------------------------------------------ the response

/** The XML of a message posted by the browser: base64 (line breaks allowed, as samlify read it), then UTF-8. */
export function decodePostedMessage(base64Text: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(base64Text, "base64"));
  } catch {
    throw new SamlResponseError("malformed", "not UTF-8");
  }
}

/** Checks a login response (its XML) from `trust`'s identity provider; throws SamlResponseError when refused. */
export async function readLoginResponse(xml: string, trust: SamlTrust): Promise<LoginAssertion> {
  const { lx, parseValid } = await samlXml();
  const parse = (text: string) => {
    // No DTD, in the response or in what decrypts (anyone can encrypt to the proxy's key): checked on the text and on
    // the tree.
    if (/<!DOCTYPE/i.test(text)) throw new SamlResponseError("malformed", "DOCTYPE");
    let doc: XmlDocument;
    try {
      doc = parseValid(text);
    } catch (err) {
      throw new SamlResponseError("malformed", `schema: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (doc.dtd) {
      doc.dispose();
      throw new SamlResponseError("malformed", "DOCTYPE");
    }
    return doc;
  };
  const doc = parse(xml);
  const docs: XmlDocument[] = [doc];
  try {
    const response = doc.root;
    if (response.namespaceUri !== NS.samlp || response.name !== "Response")
      throw new SamlResponseError("malformed", "not a Response");
    const status = requiredChild(lx, requiredChild(lx, response, NS.samlp, "Status"), NS.samlp, "StatusCode");
    if (attr(status, "Value") !== SUCCESS) throw new SamlResponseError("status", attr(status, "Value") ?? "");
    const responseIssuer = onlyChild(lx, response, NS.saml, "Issuer");
    if (responseIssuer && text(responseIssuer) !== trust.entityId)
      throw new SamlResponseError("issuer", text(responseIssuer));

    // One assertion in the whole document, a child of the response, in the form this guichet sends.
    const plainCount = countElements(doc, NS.saml, "Assertion");
    const encryptedCount = countElements(doc, NS.saml, "EncryptedAssertion");
    if (plainCount + encryptedCount !== 1) throw new SamlResponseError("malformed", "one assertion expected");
    const top = childElements(lx, response, NS.saml, trust.encrypted ? "EncryptedAssertion" : "Assertion");
    if (top.length !== 1) throw new SamlResponseError("malformed", "assertion not where expected");

    // The response's own signature, when there is one, is checked first: it covers all it holds.
    let covered = false;
    const responseSig = onlyChild(lx, response, NS.ds, "Signature");
    if (responseSig) {
      verifyEnveloped(lx, doc, response, responseSig, trust);
      covered = true;
    }

    let assertion: XmlElement;
    let assertionDoc = doc;
    if (trust.encrypted) {
      assertionDoc = parse(decryptAssertion(lx, top[0]!, trust));
      docs.push(assertionDoc);
      assertion = assertionDoc.root;
      if (
        assertion.namespaceUri !== NS.saml ||
        assertion.name !== "Assertion" ||
        countElements(assertionDoc, NS.saml, "Assertion") !== 1 ||
        countElements(assertionDoc, NS.saml, "EncryptedAssertion") !== 0
      )
        throw new SamlResponseError("malformed", "the decrypted content is not one assertion");
    } else {
      assertion = top[0]!;
    }
    const assertionSig = onlyChild(lx, assertion, NS.ds, "Signature");
    if (assertionSig) {
      verifyEnveloped(lx, assertionDoc, assertion, assertionSig, trust);
      covered = true;
    }
    if (!covered) throw new SamlResponseError("signature", "unsigned");

    // Everything below is read from the covered assertion.
    const issuer = text(requiredChild(lx, assertion, NS.saml, "Issuer"));
    if (issuer !== trust.entityId) throw new SamlResponseError("issuer", issuer);
    const subject = requiredChild(lx, assertion, NS.saml, "Subject");
    const nameId = text(onlyChild(lx, subject, NS.saml, "NameID"));
    const bearer = childElements(lx, subject, NS.saml, "SubjectConfirmation").filter(
      (c) => attr(c, "Method") === BEARER,
    );
    if (bearer.length !== 1) throw new SamlResponseError("malformed", "one bearer confirmation expected");
    const confirmation = onlyChild(lx, bearer[0]!, NS.saml, "SubjectConfirmationData");
    const conditions = onlyChild(lx, assertion, NS.saml, "Conditions");
    const audiences = conditions
      ? childElements(lx, conditions, NS.saml, "AudienceRestriction").flatMap((r) =>
          childElements(lx, r, NS.saml, "Audience").map((a) => text(a)),
        )
      : [];
    const authn = childElements(lx, assertion, NS.saml, "AuthnStatement");
    if (authn.length > 1) throw new SamlResponseError("malformed", "several AuthnStatement");
    const attributes: Record<string, string[]> = {};
    for (const statement of childElements(lx, assertion, NS.saml, "AttributeStatement")) {
      for (const a of childElements(lx, statement, NS.saml, "Attribute")) {
        const name = attr(a, "Name") ?? "";
        attributes[name] = [
          ...(attributes[name] ?? []),
          ...childElements(lx, a, NS.saml, "AttributeValue").map((v) => text(v)),
        ];
      }
    }
    return {
      inResponseTo: attr(response, "InResponseTo"),
      destination: attr(response, "Destination"),
      issuer,
      nameId,
      notBefore: conditions ? attr(conditions, "NotBefore") : null,
      notOnOrAfter: conditions ? attr(conditions, "NotOnOrAfter") : null,
      audiences,
      recipient: confirmation ? attr(confirmation, "Recipient") : null,
      confirmationNotOnOrAfter: confirmation ? attr(confirmation, "NotOnOrAfter") : null,
      confirmationInResponseTo: confirmation ? attr(confirmation, "InResponseTo") : null,
      authnInstant: authn[0] ? attr(authn[0], "AuthnInstant") : null,
      sessionIndex: authn[0] ? attr(authn[0], "SessionIndex") : null,
      sessionNotOnOrAfter: authn[0] ? attr(authn[0], "SessionNotOnOrAfter") : null,
      attributes,
    };
  } finally {
    for (const d of docs) d.dispose();
  }
}
