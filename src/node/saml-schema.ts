// The XML schema check samlify demands before it reads any SAML message (issue 22), kept warm: the SAML 2.0 protocol
// schema (with the assertion, XML-DSig and XML-Enc schemas it imports) is compiled once per process by libxml2's own
// XSD engine (libxml2-wasm, MIT, libxml2 built to WebAssembly), and every message is then parsed and checked against
// that compiled schema on the calling thread — about 0.2 ms for a login response.
//
// Why not the package samlify suggests (@authenio/samlify-xmllint-wasm): for each message it starts a worker thread,
// compiles the 800 KB xmllint WebAssembly module, runs the xmllint *program* (its only export is `main`) which reads
// and compiles the six schema files, then kills the thread — 80 ms of processor per message. A pool of warm workers
// around that program can keep the compiled module but not the compiled schema: the program exits after each file,
// so every message still pays a fresh instance and the schema compilation (measured: 7 ms per message). libxml2-wasm
// exposes the library itself (xmlSchemaParse once, xmlSchemaValidateDoc per message), so nothing is redone.
//
// Same strictness: the same schema files (the OASIS and W3C schemas shipped by @authenio/samlify-xmllint-wasm, read
// from that package), the same libxml2 XSD engine, and a message is parsed without DTD loading, without external
// entities and without network, as xmllint did. A message that is not well-formed, or not valid, or larger than
// MAX_CHARS is refused with ERR_EXCEPTION_VALIDATE_XML, the error samlify's callers already know.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { XmlDocument as XmlDocumentType, XsdValidator as XsdValidatorType } from "libxml2-wasm";

/** The protocol schema first; it imports the others by these file names. */
const SCHEMA_FILES = [
  "saml-schema-protocol-2.0.xsd",
  "saml-schema-assertion-2.0.xsd",
  "xmldsig-core-schema.xsd",
  "xenc-schema.xsd",
] as const;

/** A login response is a few kilobytes; the proxy refuses posts above 500 000 base64 characters. */
const MAX_CHARS = 1_000_000;

type Libxml2 = typeof import("libxml2-wasm");

interface Compiled {
  lx: Libxml2;
  /** Parses and validates `xml`; the caller disposes of the document. Throws when it is not well-formed or valid. */
  parse(xml: string): XmlDocumentType;
  check(xml: string): void;
}

let compiled: Promise<Compiled> | null = null;
let compilations = 0;
let validations = 0;

function schemaDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@authenio/samlify-xmllint-wasm/package.json")), "schemas");
}

async function compile(): Promise<Compiled> {
  const lx = await import("libxml2-wasm");
  const dir = schemaDir();
  const files = Object.fromEntries(SCHEMA_FILES.map((name) => [name, new Uint8Array(readFileSync(join(dir, name)))]));
  // The imported schemas are read from memory, by name, while the protocol schema compiles; the provider is removed
  // right after, so that no message can ever make libxml2 open anything.
  lx.xmlRegisterInputProvider(new lx.XmlBufferInputProvider(files));
  let xsd: XmlDocumentType;
  let validator: XsdValidatorType;
  try {
    xsd = lx.XmlDocument.fromBuffer(files[SCHEMA_FILES[0]]!, { url: SCHEMA_FILES[0] });
    validator = lx.XsdValidator.fromDoc(xsd);
  } finally {
    lx.xmlCleanupInputProvider();
  }
  compilations++;
  // Every diagnostic of level error counts (libxml2-wasm then throws), namespace errors included.
  const options = lx.ParseOption.XML_PARSE_NONET | lx.ParseOption.XML_PARSE_NO_XXE;
  const parse = (xml: string) => {
    // The schema document stays referenced with its validator: the compiled schema points into it.
    void xsd;
    if (xml.length > MAX_CHARS) throw new Error(`message of ${xml.length} characters`);
    // Read as the UTF-8 it is (a JavaScript string), whatever its XML declaration says.
    const doc = lx.XmlDocument.fromString(xml, { option: options, encoding: "utf-8" });
    try {
      validator.validate(doc);
    } catch (err) {
      doc.dispose();
      throw err;
    }
    return doc;
  };
  return {
    lx,
    parse,
    check(xml) {
      parse(xml).dispose();
    },
  };
}

function warm(): Promise<Compiled> {
  compiled ??= compile().catch((err) => {
    compiled = null; // the next message tries again; until then messages are refused
    throw err;
  });
  return compiled;
}

/** Compiles the schema now (the proxy calls it when it starts), so that the first login does not wait for it. */
export function warmSamlSchema(): Promise<void> {
  return warm().then(() => undefined);
}

/** The validator given to `samlify.setSchemaValidator`: resolves when the message is schema-valid, else rejects. */
export const samlSchemaValidator = {
  async validate(xml: string): Promise<true> {
    const schema = await warm();
    validations++;
    try {
      schema.check(xml);
      return true;
    } catch (cause) {
      // A fixed message: the details (which may quote the message) go in `cause`, not where callers match words.
      throw new Error("ERR_EXCEPTION_VALIDATE_XML", { cause });
    }
  },
};

/**
 * libxml2 and a parser that hands back the schema-valid document (the proxy reads its login responses from it);
 * counted as validations like the messages samlify sends.
 */
export async function samlXml(): Promise<{ lx: Libxml2; parseValid(xml: string): XmlDocumentType }> {
  const schema = await warm();
  return {
    lx: schema.lx,
    parseValid(xml) {
      validations++;
      return schema.parse(xml);
    },
  };
}

/** How often the schema was compiled in this process (1 once warm, whatever the number of messages) — for tests. */
export function samlSchemaStats(): { compilations: number; validations: number } {
  return { compilations, validations };
}
