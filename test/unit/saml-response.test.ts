// 3.2.2, 4.4, issue 22: the proxy's own reading of login responses (src/node/saml-response.ts) — signed, encrypted,
// or both — and the forgeries it refuses, each for its own reason: signature wrapping, duplicated IDs, another
// certificate, another algorithm or transform, tampering, a DOCTYPE, a failed status, the wrong form of assertion.
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makeKeyPair, type KeyPair } from "../../src/node/saml-keys";
import { readLoginResponse, samlTrust, SamlResponseError, type SamlTrust } from "../../src/node/saml-response";
import { serviceProvider, type ProxySettings } from "../../src/saml-proxy/app";
import { createTestIdp, type ResponseOverrides, type TestIdp } from "../../src/saml-proxy/test-idp";

const PROXY = "https://proxy.preau.test";

/** An EncryptedAssertion of `plaintext` for the holder of `cert` (what anyone with the proxy's metadata can make). */
function encryptFor(cert: string, plaintext: string): string {
  const key = randomBytes(32);
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const body = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]);
  const wrapped = publicEncrypt(
    { key: createPublicKey(cert), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    key,
  );
  const xenc = "http://www.w3.org/2001/04/xmlenc#";
  return (
    `<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="${xenc}" Type="${xenc}Element">` +
    `<xenc:EncryptionMethod Algorithm="${xenc}aes256-cbc"/>` +
    `<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey>` +
    `<xenc:EncryptionMethod Algorithm="${xenc}rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue>` +
    `${wrapped.toString("base64")}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${body.toString("base64")}</xenc:CipherValue></xenc:CipherData>` +
    "</xenc:EncryptedData></saml:EncryptedAssertion>"
  );
}

describe("SAML login responses read by the proxy", () => {
  let keys: KeyPair;
  let arena: TestIdp;
  let educonnect: TestIdp;
  let settings: ProxySettings;
  let arenaTrust: SamlTrust;
  let educonnectTrust: SamlTrust;
  const identity = {
    nameId: "agent-7",
    attributes: { ctemail: ["agent.7@ac-test.fr"], FrEduCtRefId: ["{AAF}00|x|jointure-7", "{AAF}00|x|autre"] },
  };

  beforeAll(async () => {
    keys = await makeKeyPair("proxy-test");
    arena = await createTestIdp("arena", PROXY);
    educonnect = await createTestIdp("educonnect", PROXY, { encrypt: true });
    settings = {
      publicUrl: PROXY,
      hubUrl: "https://hub.preau.test",
      secret: "a-secret-of-sufficient-length-for-the-test",
      keys,
      guichets: [
        { id: "educonnect", idpMetadata: educonnect.metadata, encryptedAssertions: true },
        { id: "arena", idpMetadata: arena.metadata, encryptedAssertions: false },
      ],
    };
    const trust = (idp: TestIdp, encrypted: boolean) =>
      samlTrust({
        entityId: idp.entityId,
        signingCertificates: [idp.keys.cert],
        encrypted,
        decryptionKeyPem: encrypted ? keys.privateKey : null,
      });
    arenaTrust = trust(arena, false);
    educonnectTrust = trust(educonnect, true);
  });

  const respond = async (idp: TestIdp, overrides: ResponseOverrides = {}) =>
    Buffer.from(
      await idp.respond(serviceProvider(settings, idp.guichet), "_demande-7", identity, overrides),
      "base64",
    ).toString();
  async function refusal(xml: string, trust: SamlTrust): Promise<string> {
    try {
      await readLoginResponse(xml, trust);
      return "accepted";
    } catch (err) {
      if (!(err instanceof SamlResponseError)) throw err;
      return `${err.problem}: ${err.message}`;
    }
  }

  it("reads a signed assertion, an encrypted one, and signed responses around either", async () => {
    const plain = await readLoginResponse(await respond(arena), arenaTrust);
    expect(plain).toMatchObject({
      inResponseTo: "_demande-7",
      destination: `${PROXY}/saml/arena/acs`,
      recipient: `${PROXY}/saml/arena/acs`,
      confirmationInResponseTo: "_demande-7",
      issuer: arena.entityId,
      nameId: "agent-7",
      audiences: [`${PROXY}/saml/arena/metadata`],
      attributes: identity.attributes,
    });
    expect(plain.sessionIndex).toMatch(/^_/);
    expect(Date.parse(plain.notOnOrAfter!)).toBeGreaterThan(Date.now());

    const decrypted = await readLoginResponse(await respond(educonnect), educonnectTrust);
    expect(decrypted).toMatchObject({
      nameId: "agent-7",
      attributes: identity.attributes,
      issuer: educonnect.entityId,
    });

    for (const [idp, trust] of [
      [arena, arenaTrust],
      [educonnect, educonnectTrust],
    ] as const) {
      const xml = await respond(idp, { signResponse: true });
      expect(xml).toMatch(/^<samlp:Response[^>]*>(<saml:Issuer>[^<]*<\/saml:Issuer>)?<ds:Signature/);
      expect((await readLoginResponse(xml, trust)).nameId).toBe("agent-7");
    }
  });

  it("reads the whole signed text of a NameID into which a comment was slipped", async () => {
    // The comment leaves the digest unchanged (canonical XML drops comments): reading only the first text node
    // would give "agent-7" for a NameID signed as "agent-7.pirate".
    const xml = await respond(arena);
    const signed = xml.replace(">agent-7<", ">agent-7.pirate<");
    expect(await refusal(signed, arenaTrust)).toBe("signature: digest");
    const other = await arena.respond(serviceProvider(settings, "arena"), "_demande-7", {
      ...identity,
      nameId: "agent-7.pirate",
    });
    const withComment = Buffer.from(other, "base64").toString().replace(">agent-7.pirate<", ">agent-7<!---->.pirate<");
    expect((await readLoginResponse(withComment, arenaTrust)).nameId).toBe("agent-7.pirate");
  });

  it("refuses signature wrapping, a duplicated ID, another reference, certificate, algorithm or transform", async () => {
    const xml = await respond(arena);
    const assertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    const id = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)![1]!;
    const evil = assertion
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "")
      .replace(`ID="${id}"`, 'ID="_pirate"')
      .replace(">agent-7<", ">directeur<");
    // The forged assertion first, the signed one after it; or the signed one hidden in the envelope's extensions.
    expect(await refusal(xml.replace(assertion, evil + assertion), arenaTrust)).toBe(
      "malformed: one assertion expected",
    );
    expect(
      await refusal(
        xml
          .replace(assertion, evil)
          .replace("<samlp:Status>", `<samlp:Extensions>${assertion}</samlp:Extensions><samlp:Status>`),
        arenaTrust,
      ),
    ).toBe("malformed: one assertion expected");
    // Another element carrying the signed ID.
    expect(
      await refusal(
        xml.replace(
          "<samlp:Status>",
          `<samlp:Extensions><x:Leurre xmlns:x="urn:x" ID="${id}"/></samlp:Extensions><samlp:Status>`,
        ),
        arenaTrust,
      ),
    ).toBe("signature: ID not unique");
    expect(await refusal(xml.replace(`URI="#${id}"`, 'URI=""'), arenaTrust)).toBe("signature: Reference URI");
    // Signed by another key, with its certificate in KeyInfo; or with our IdP's certificate replaced in KeyInfo.
    const impostor = await createTestIdp("arena", PROXY, { entityId: arena.entityId });
    expect(await refusal(await respond(impostor), arenaTrust)).toBe("signature: certificate not in the metadata");
    const foreign = impostor.keys.cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "");
    expect(
      await refusal(
        xml.replace(
          /<ds:X509Certificate>[^<]*<\/ds:X509Certificate>/,
          `<ds:X509Certificate>${foreign}</ds:X509Certificate>`,
        ),
        arenaTrust,
      ),
    ).toBe("signature: certificate not in the metadata");
    const withoutKeyInfo = xml.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, "");
    expect(withoutKeyInfo).not.toBe(xml);
    expect(await refusal(withoutKeyInfo, arenaTrust)).toBe("accepted");
    const impostorXml = await respond(impostor);
    expect(await refusal(impostorXml.replace(/<ds:KeyInfo>[\s\S]*<\/ds:KeyInfo>/, ""), arenaTrust)).toBe(
      "signature: signature value",
    );
    expect(
      await refusal(
        xml.replace("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "http://www.w3.org/2000/09/xmldsig#hmac-sha1"),
        arenaTrust,
      ),
    ).toBe("signature: signature algorithm");
    expect(
      await refusal(
        xml.replace(/<ds:Transform Algorithm="http:\/\/www\.w3\.org\/2001\/10\/xml-exc-c14n#"\/>/, ""),
        arenaTrust,
      ),
    ).toBe("signature: transforms");
    expect(await refusal(xml.replace(/(<ds:SignatureValue>)./, "$1A"), arenaTrust)).toMatch(
      /^signature: (signature value|digest)$/,
    );
    expect(await refusal(xml.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, ""), arenaTrust)).toBe(
      "signature: unsigned",
    );
    // A signed response whose own signature fails is refused even though its assertion's signature holds.
    const both = await respond(arena, { signResponse: true });
    expect(await refusal(both.replace('Version="2.0"', 'Version="2.0" Consent="urn:x"'), arenaTrust)).toBe(
      "signature: digest",
    );
  });

  it("refuses a DOCTYPE, a failed status, another issuer, and the wrong form of assertion", async () => {
    const xml = await respond(arena);
    expect(await refusal(`<!DOCTYPE r [<!ENTITY a "b">]>${xml}`, arenaTrust)).toBe("malformed: DOCTYPE");
    expect(
      await refusal(
        xml.replace("urn:oasis:names:tc:SAML:2.0:status:Success", "urn:oasis:names:tc:SAML:2.0:status:Responder"),
        arenaTrust,
      ),
    ).toBe("status: urn:oasis:names:tc:SAML:2.0:status:Responder");
    expect(await refusal(await respond(arena, { issuer: "https://faux-idp.example.fr" }), arenaTrust)).toBe(
      "issuer: https://faux-idp.example.fr",
    );
    expect(await refusal(xml.replace("<saml:Issuer>", "<saml:Inconnu/><saml:Issuer>"), arenaTrust)).toMatch(
      /^malformed: schema: ERR_EXCEPTION_VALIDATE_XML|^malformed: schema/,
    );
    // ÉduConnect encrypts: a plain assertion from it is refused, and an encrypted one where plain ones are expected.
    const encrypted = await respond(educonnect);
    const plainFromEduconnect = await respond(
      await createTestIdp("educonnect", PROXY, { keys: educonnect.keys, entityId: educonnect.entityId }),
    );
    expect(await refusal(plainFromEduconnect, educonnectTrust)).toBe("malformed: assertion not where expected");
    expect(await refusal(encrypted, { ...educonnectTrust, encrypted: false })).toBe(
      "malformed: assertion not where expected",
    );
    // Encrypted for another service provider's key.
    const other = await makeKeyPair("autre-sp");
    const otherTrust = samlTrust({
      entityId: educonnect.entityId,
      signingCertificates: [educonnect.keys.cert],
      encrypted: true,
      decryptionKeyPem: other.privateKey,
    });
    expect(await refusal(encrypted, otherTrust)).toBe("decryption: the assertion could not be decrypted");

    // Anyone can encrypt to the proxy's key: what decrypts is checked like the rest. The IdP's signed assertion,
    // encrypted here, is read; with a DOCTYPE before it, or forged and unsigned, it is refused.
    const signedAssertion = /<saml:Assertion [\s\S]*<\/saml:Assertion>/.exec(plainFromEduconnect)![0];
    const wrap = (plaintext: string) => plainFromEduconnect.replace(signedAssertion, encryptFor(keys.cert, plaintext));
    expect((await readLoginResponse(wrap(signedAssertion), educonnectTrust)).nameId).toBe("agent-7");
    expect(await refusal(wrap(`<!DOCTYPE a [<!ENTITY n "directeur">]>${signedAssertion}`), educonnectTrust)).toBe(
      "malformed: DOCTYPE",
    );
    const forged = signedAssertion
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "")
      .replace(">agent-7<", ">directeur<");
    expect(await refusal(wrap(forged), educonnectTrust)).toBe("signature: unsigned");
  });
});
