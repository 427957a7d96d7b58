// Issue 22: the SAML schema validator is kept warm — the schema compiled once per process, every message checked
// against it — and stays as strict as the per-message xmllint it replaces.
import { describe, expect, it, vi } from "vitest";
import * as samlify from "samlify";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import * as previous from "@authenio/samlify-xmllint-wasm";
import { samlSchemaStats, samlSchemaValidator, warmSamlSchema } from "../../src/node/saml-schema";
import { makeKeyPair } from "../../src/node/saml-keys";
import { serviceProvider, type ProxySettings } from "../../src/saml-proxy/app";
import { createTestIdp } from "../../src/saml-proxy/test-idp";

const PROXY = "https://proxy.preau.test";

async function refusal(xml: string): Promise<string> {
  try {
    await samlSchemaValidator.validate(xml);
    return "accepted";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("SAML schema validator", () => {
  it("issue 22: the warm validator accepts valid responses, refuses schema-invalid ones, and compiles its schema once for many messages in parallel", async () => {
    const arena = await createTestIdp("arena", PROXY);
    const educonnect = await createTestIdp("educonnect", PROXY, { encrypt: true });
    const settings: ProxySettings = {
      publicUrl: PROXY,
      hubUrl: "https://hub.preau.test",
      secret: "a-secret-of-sufficient-length-for-the-test",
      keys: await makeKeyPair("proxy-test"),
      guichets: [
        { id: "educonnect", idpMetadata: educonnect.metadata, encryptedAssertions: true },
        { id: "arena", idpMetadata: arena.metadata, encryptedAssertions: false },
      ],
    };
    const identity = { nameId: "agent-1", attributes: { ctemail: ["agent.1@ac-test.fr"] } };
    const decode = (b64: string) => Buffer.from(b64, "base64").toString();
    const plain = decode(await arena.respond(serviceProvider(settings, "arena"), "_demande-1", identity));
    const encrypted = decode(await educonnect.respond(serviceProvider(settings, "educonnect"), "_demande-2", identity));

    await warmSamlSchema();
    expect(samlSchemaStats().compilations).toBe(1);

    // Valid: a signed response, and one whose assertion is encrypted.
    expect(await samlSchemaValidator.validate(plain)).toBe(true);
    expect(await samlSchemaValidator.validate(encrypted)).toBe(true);

    // Schema-invalid, each in one way: an element the schema does not allow, an element out of order, a missing
    // required attribute, an attribute of the wrong type, an unknown attribute, a wrong namespace; then not XML.
    const invalid = [
      plain.replace("<saml:Issuer>", "<saml:Inconnu/><saml:Issuer>"),
      plain.replace(/(<saml:Issuer>[^<]*<\/saml:Issuer>)(<samlp:Status>[\s\S]*?<\/samlp:Status>)/, "$2$1"),
      plain.replace(/ Version="2\.0"/, ""),
      plain.replace(/IssueInstant="[^"]+"/, 'IssueInstant="hier matin"'),
      plain.replace(/ Version="2\.0"/, ' Version="2.0" Pirate="1"'),
      plain.replace("urn:oasis:names:tc:SAML:2.0:protocol", "urn:exemple:autre"),
      encrypted.replace(/<xenc:CipherValue>/, "<xenc:CipherValue><xenc:Inconnu/>"),
      plain.slice(0, -20),
      "pas du XML",
      `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${plain.replace("agent-1", "&x;")}`,
    ];
    for (const xml of invalid) {
      expect(xml).not.toBe(plain);
      expect(await refusal(xml)).toBe("ERR_EXCEPTION_VALIDATE_XML");
    }

    // Through samlify: the schema-invalid response is refused before anything else is read.
    const sp = serviceProvider(settings, "arena");
    const idp = samlify.IdentityProvider({ metadata: arena.metadata, wantAuthnRequestsSigned: true });
    await expect(
      sp.parseLoginResponse(idp, "post", { body: { SAMLResponse: Buffer.from(invalid[0]!).toString("base64") } }),
    ).rejects.toThrow("ERR_EXCEPTION_VALIDATE_XML");

    // Many messages at once, valid and invalid mixed: each gets its own verdict, and the compiled schema is shared.
    const before = samlSchemaStats().validations;
    const verdicts = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        refusal(i % 4 === 3 ? invalid[i % invalid.length]! : i % 2 ? plain : encrypted),
      ),
    );
    verdicts.forEach((verdict, i) => {
      expect(verdict).toBe(i % 4 === 3 ? "ERR_EXCEPTION_VALIDATE_XML" : "accepted");
    });
    expect(samlSchemaStats()).toEqual({ compilations: 1, validations: before + 200 });
  });

  it("issue 22: on mutated login responses the warm validator gives the verdict of the per-message xmllint it replaces", async () => {
    const idp = await createTestIdp("arena", PROXY);
    const settings: ProxySettings = {
      publicUrl: PROXY,
      hubUrl: "https://hub.preau.test",
      secret: "a-secret-of-sufficient-length-for-the-test",
      keys: await makeKeyPair("proxy-test"),
      guichets: [{ id: "arena", idpMetadata: idp.metadata, encryptedAssertions: false }],
    };
    const xml = Buffer.from(
      await idp.respond(serviceProvider(settings, "arena"), "_demande-3", {
        nameId: "agent-3",
        attributes: { ctemail: ["agent.3@ac-test.fr"] },
      }),
      "base64",
    ).toString();
    // Each element removed, duplicated, or given an unknown first child; each attribute emptied or made junk.
    const variants: string[] = [xml];
    const count = new DOMParser().parseFromString(xml, "text/xml").getElementsByTagName("*").length;
    const mutate = (i: number, change: (doc: Document, el: Element) => void) => {
      const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as Document;
      change(doc, doc.getElementsByTagName("*")[i]!);
      variants.push(new XMLSerializer().serializeToString(doc as never));
    };
    for (let i = 1; i < count; i += 3) {
      mutate(i, (_, el) => el.parentNode!.removeChild(el));
      mutate(i, (_, el) => el.parentNode!.insertBefore(el.cloneNode(true), el));
      mutate(i, (doc, el) =>
        el.insertBefore(
          doc.createElementNS(el.namespaceURI, `${el.prefix ? `${el.prefix}:` : ""}Inconnu`),
          el.firstChild,
        ),
      );
      const names = Array.from(el(xml, i).attributes, (a) => a.name).filter((n) => !n.startsWith("xmlns"));
      for (const name of names.slice(0, 2)) mutate(i, (_, e) => e.setAttribute(name, "x y"));
    }
    const old = vi.spyOn(console, "error").mockImplementation(() => {});
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    const verdict = (check: (x: string) => Promise<unknown>) => (x: string) =>
      check(x).then(
        () => "valid",
        () => "invalid",
      );
    try {
      // The previous validator starts a thread and a 16 MiB WebAssembly instance per message: four at a time.
      const before: string[] = [];
      for (let i = 0; i < variants.length; i += 4)
        before.push(...(await Promise.all(variants.slice(i, i + 4).map(verdict((x) => previous.validate(x))))));
      const after = await Promise.all(variants.map(verdict((x) => samlSchemaValidator.validate(x))));
      expect(after).toEqual(before);
      expect(before.filter((v) => v === "valid").length).toBeGreaterThan(5);
      expect(before.filter((v) => v === "invalid").length).toBeGreaterThan(20);
    } finally {
      old.mockRestore();
      debug.mockRestore();
    }
  });
});

function el(xml: string, i: number): Element {
  return (new DOMParser().parseFromString(xml, "text/xml") as unknown as Document).getElementsByTagName("*")[i]!;
}
