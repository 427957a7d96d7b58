// Streaming reader of ficAlimMENESR files (saxes: a small, well-kept, non-validating streaming XML parser that
// resolves no DTD and no external entity). Memory stays bounded whatever the file size: records are handed on as
// soon as they close, and a value longer than MAX_VALUE is refused without being kept.
import { SaxesParser } from "saxes";
import type { AafCategory, AafRawRecord, AafSource, AafWarning } from "./model";

export class AafParseError extends Error {
  constructor(message: string, readonly source: AafSource) {
    super(message);
  }
}

export const MAX_VALUE = 64 * 1024;

const CATEGORIES: Record<string, AafCategory> = {
  EtabEducNat: "EtabEducNat", Eleve: "Eleve", PersRelEleve: "PersRelEleve", PersEducNat: "PersEducNat",
  MatiereEducNat: "MatiereEducNat", MefEducNat: "MefEducNat",
};
const OPERATIONS = { addRequest: "add", modifyRequest: "modify", deleteRequest: "delete" } as const;

/**
 * Decodes bytes as UTF-8, as deliveries really are whatever they declare; if bytes turn out not to be UTF-8,
 * the rest of the file is read as ISO-8859-15 (what such files declare).
 */
async function* decode(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let latin9 = false;
  let carry = new Uint8Array(0);
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const iso = new TextDecoder("iso-8859-15");
  for await (const chunk of bytes) {
    let data = chunk;
    if (carry.length) {
      data = new Uint8Array(carry.length + chunk.length);
      data.set(carry);
      data.set(chunk, carry.length);
    }
    if (latin9) { yield iso.decode(data); carry = new Uint8Array(0); continue; }
    // Keep an incomplete UTF-8 sequence at the end for the next chunk.
    let cut = data.length;
    for (let i = Math.max(0, data.length - 3); i < data.length; i++) {
      const b = data[i]!;
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
      if (need && i + need > data.length) { cut = i; break; }
    }
    try {
      yield utf8.decode(data.subarray(0, cut));
      carry = data.slice(cut);
    } catch {
      latin9 = true;
      yield iso.decode(data);
      carry = new Uint8Array(0);
    }
  }
  if (carry.length) yield latin9 ? iso.decode(carry) : new TextDecoder("iso-8859-15").decode(carry);
}

export async function* parseAafStream(bytes: AsyncIterable<Uint8Array>, file: string, onWarning?: (w: AafWarning) => void): AsyncGenerator<AafRawRecord> {
  void onWarning;
  const parser = new SaxesParser({ fileName: file, position: true });
  const ready: AafRawRecord[] = [];
  let failure: AafParseError | null = null;
  const fail = (message: string, line = parser.line) => { failure ??= new AafParseError(message, { file, line }); };

  const stack: string[] = [];
  let sawRoot = false;
  let current: { operation: AafRawRecord["operation"]; category: AafCategory | null; id: string | null;
    attributes: Map<string, string[]>; line: number } | null = null;
  let attrName: string | null = null;
  let attrValues: string[] = [];
  let inOperational = false;
  let text: string | null = null;

  parser.on("doctype", (doctype) => {
    // A DOCTYPE may name the DTD file; an internal subset (entity declarations: XXE, "billion laughs") is refused.
    if (doctype.includes("[") || /<!ENTITY/i.test(doctype)) fail("Le fichier déclare des entités XML (DOCTYPE avec sous-ensemble interne) : refusé par sécurité.");
  });
  parser.on("opentag", (tag) => {
    const name = tag.name;
    const depth = stack.length;
    stack.push(name);
    if (depth === 0) {
      sawRoot = true;
      if (name !== "ficAlimMENESR") fail(`Élément racine inattendu « ${name} » : un fichier AAF commence par <ficAlimMENESR>.`);
      return;
    }
    if (depth === 1) {
      const operation = OPERATIONS[name as keyof typeof OPERATIONS];
      if (!operation) { fail(`Élément inattendu « ${name} » sous <ficAlimMENESR>.`); return; }
      current = { operation, category: null, id: null, attributes: new Map(), line: parser.line };
      return;
    }
    if (!current) return;
    if (name === "operationalAttributes") inOperational = true;
    else if (name === "attr" || name === "modification") {
      attrName = String(tag.attributes.name ?? "");
      attrValues = [];
      if (!attrName) fail(`Attribut sans nom (<${name}>).`);
    } else if (name === "value" || name === "id") text = "";
  });
  parser.on("text", (t) => {
    if (text === null) return;
    if (text.length + t.length > MAX_VALUE) {
      fail(`Valeur de plus de ${MAX_VALUE / 1024} Kio dans l'attribut ${attrName ?? "id"} : refusée.`);
      text = null;
      return;
    }
    text += t;
  });
  parser.on("closetag", (tag) => {
    const name = tag.name;
    stack.pop();
    if (!current) return;
    if (name === "value") {
      attrValues.push((text ?? "").trim());
      text = null;
    } else if (name === "id") {
      current.id = (text ?? "").trim();
      text = null;
    } else if (name === "attr" || name === "modification") {
      if (inOperational) current.category = CATEGORIES[attrValues[0] ?? ""] ?? null;
      else if (attrName) current.attributes.set(attrName, [...(current.attributes.get(attrName) ?? []), ...attrValues]);
      if (inOperational && !current.category) fail(`Catégorie inconnue « ${attrValues[0] ?? ""} ».`, current.line);
      attrName = null;
    } else if (name === "operationalAttributes") inOperational = false;
    else if (stack.length === 1) {
      if (!current.category) fail("Enregistrement sans catégorie (operationalAttributes).", current.line);
      else if (!current.id) fail("Enregistrement sans identifiant (<identifier><id>).", current.line);
      else ready.push({ category: current.category, operation: current.operation, id: current.id, attributes: current.attributes,
        source: { file, line: current.line } });
      current = null;
    }
  });
  parser.on("error", (err) => {
    const message = err.message.replace(/^[^:]*:\d+:\d+: /, "");
    fail(/undefined entity|entity/i.test(message)
      ? `Référence à une entité XML inconnue (${message}) : refusée par sécurité.`
      : `Fichier XML illisible : ${message}.`);
  });

  try {
    for await (const chunk of decode(bytes)) {
      parser.write(chunk);
      if (failure) throw failure;
      while (ready.length) yield ready.shift()!;
    }
    parser.close();
  } catch (err) {
    if (err instanceof AafParseError) throw err;
    fail(`Fichier XML illisible : ${err instanceof Error ? err.message.replace(/^[^:]*:\d+:\d+: /, "") : String(err)}.`);
  }
  if (failure) throw failure;
  if (!sawRoot) throw new AafParseError("Le fichier ne contient pas de XML AAF (aucun élément <ficAlimMENESR>).", { file, line: parser.line });
  if (stack.length > 0) throw new AafParseError("Fichier tronqué : il s'arrête avant la fin de <ficAlimMENESR>.", { file, line: parser.line });
  while (ready.length) yield ready.shift()!;
}
