// Streaming reader of ficAlimMENESR files: bytes in, raw records out, one at a time.
//
// The XML is read by a small tokenizer written for this format rather than by a general streaming parser: saxes
// (which this module first used) tops out near 30 MB/s here, a quarter of what an académie-sized import needs; this
// reader does 4–5 times better by scanning with indexOf. It is a strict reader of the XML that AAF files use and
// refuses everything else, and the unit tests check it against saxes on thousands of damaged files (it never
// accepts what saxes, a conforming parser, refuses).
//
// What it guarantees:
//  - well-formed XML only: one root, matching tags, quoted attributes, no duplicate attribute, no forbidden
//    character, no text outside the elements, XML declaration only at the start;
//  - no entity is ever declared or resolved: only &amp; &lt; &gt; &quot; &apos; and character references are read; a
//    DOCTYPE with an internal subset (XXE, "billion laughs") and any other entity reference refuse the file;
//  - bounded memory whatever the input: a value, comment, DOCTYPE or tag longer than its limit is refused as soon
//    as the limit is passed, never kept whole; records are handed on as soon as they close;
//  - the record structure of the DTD (addRequest / modifyRequest / deleteRequest, operationalAttributes,
//    identifier, attributes or modifications, attr / modification, value);
//  - a French message with the file and line for every refusal (AafParseError).
// Encoding: the files declare ISO-8859-15 but carry UTF-8; see `Decoder`. Portable (no node: import).
import type { AafCategory, AafOperation, AafRawRecord, AafSource, AafWarning } from "./model";

/** A file that cannot be read as an AAF file; the message is for an académie admin, in French. */
export class AafParseError extends Error {
  override readonly name = "AafParseError";
  constructor(
    message: string,
    readonly source: AafSource,
  ) {
    super(message);
  }
}

/** Longest attribute value accepted (characters, after entities); longer is refused, never kept. */
export const MAX_VALUE = 64 * 1024;
/** Largest record accepted (sum of its values' lengths plus 64 per value). Real records are a few KiB. */
export const MAX_RECORD = 4 * 1024 * 1024;

export interface AafParseOptions {
  maxValue?: number;
  maxRecord?: number;
}

const OPERATIONS: Record<string, AafOperation> = {
  addRequest: "add",
  modifyRequest: "modify",
  deleteRequest: "delete",
};
/** Operational attribute → the categories it may carry. */
const CATEGORY_ATTRIBUTES: Record<string, readonly AafCategory[]> = {
  categoriePersonne: ["Eleve", "PersRelEleve", "PersEducNat"],
  categorieStructure: ["EtabEducNat"],
  categorieMatiere: ["MatiereEducNat"],
  categorieMef: ["MefEducNat"],
};
const CATEGORIES = new Set<string>(Object.values(CATEGORY_ATTRIBUTES).flat());
/** Other spellings seen in real files: Matière files say `MatEducNat` (entcore's aaf-test set, AAF-VE1301). */
const CATEGORY_ALIASES: Record<string, AafCategory> = { MatEducNat: "MatiereEducNat" };
const CONTAINERS = new Set(["operationalAttributes", "identifier", "attributes", "modifications"]);

// ---------------------------------------------------------------------------------------------------------------
// Bytes → text

/** Octets → text, per file: UTF-8 unless the bytes say otherwise (ISO-8859-15 then), see `decide`. */
class Decoder {
  private mode: "undecided" | "utf8" | "latin9" = "undecided";
  private carry: Uint8Array = new Uint8Array(0);
  private first = true;
  private readonly utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  private readonly latin9 = new TextDecoder("iso-8859-15");
  /** Called once per file when UTF-8 text carries stray non-UTF-8 bytes (read as ISO-8859-15). */
  onStray: (() => void) | null = null;

  get encoding(): "utf8" | "latin9" | "ascii" {
    return this.mode === "undecided" ? "ascii" : this.mode;
  }

  decode(chunk: Uint8Array): string {
    let data = chunk;
    if (this.carry.length) {
      data = new Uint8Array(this.carry.length + chunk.length);
      data.set(this.carry);
      data.set(chunk, this.carry.length);
      this.carry = new Uint8Array(0);
    }
    if (this.first && data.length) {
      if (data.length < 3 && data[0] === 0xef) {
        this.carry = data.slice();
        return "";
      }
      this.first = false;
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        this.mode = "utf8";
      }
    }
    if (this.mode === "latin9") return this.latin9.decode(data);
    const cut = incompleteTail(data);
    if (cut < data.length) this.carry = data.slice(cut);
    return this.text(data.subarray(0, cut));
  }

  end(): string {
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    if (!rest.length) return "";
    // A sequence cut short by the end of the file is not UTF-8.
    if (this.mode === "undecided") this.mode = "latin9";
    return this.mode === "utf8" ? this.mixed(rest) : this.latin9.decode(rest);
  }

  private text(body: Uint8Array): string {
    if (!body.length) return "";
    let text: string;
    try {
      text = this.utf8.decode(body);
    } catch {
      if (this.mode === "undecided") this.mode = this.decide(body);
      return this.mode === "latin9" ? this.latin9.decode(body) : this.mixed(body);
    }
    // Fewer UTF-16 units than bytes means a multi-byte sequence: the file is UTF-8.
    if (this.mode === "undecided" && text.length !== body.length) this.mode = "utf8";
    return text;
  }

  /**
   * ASCII reads the same in both encodings, so the first non-ASCII byte decides: the start of a well-formed UTF-8
   * sequence means UTF-8 (what deliveries really carry), anything else ISO-8859-15. Nothing needs buffering.
   */
  private decide(body: Uint8Array): "utf8" | "latin9" {
    let i = 0;
    while (i < body.length && body[i]! < 0x80) i++;
    return i < body.length && utf8SequenceLength(body, i) > 0 ? "utf8" : "latin9";
  }

  /** UTF-8 with a few stray bytes: each invalid byte is read as ISO-8859-15 (never U+FFFD). */
  private mixed(body: Uint8Array): string {
    this.onStray?.();
    this.onStray = null;
    let out = "";
    let start = 0;
    let i = 0;
    while (i < body.length) {
      if (body[i]! < 0x80) {
        i++;
        continue;
      }
      const n = utf8SequenceLength(body, i);
      if (n > 0) {
        i += n;
        continue;
      }
      out += this.utf8.decode(body.subarray(start, i)) + this.latin9.decode(body.subarray(i, i + 1));
      i += 1;
      start = i;
    }
    return out + this.utf8.decode(body.subarray(start));
  }
}

/** Length of the well-formed UTF-8 sequence starting at `i` (overlongs, surrogates, > U+10FFFF refused), else 0. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Where a UTF-8 sequence cut by the end of the chunk starts (the chunk length when none is cut). */
function incompleteTail(b: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const c = b[b.length - k]!;
    if (c < 0x80) return b.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return need > k ? b.length - k : b.length;
    }
  }
  return b.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Text → tokens → records

/** XML 1.0 forbids these characters anywhere (the C0 controls but tab, LF, CR; U+FFFE, U+FFFF). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids exactly these control characters.
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const NAME = /^[A-Za-z_:\u00C0-\uFFFD][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFD]*$/;
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const MAX_TAG = 4096;
// Pieces of the XML 1.0 grammar for the two patterns below, as regex sources.
/** S: white space; `S?` is S_OPT. */
const S = String.raw`[ \t\r\n]+`;
const S_OPT = String.raw`[ \t\r\n]*`;
/** Name, ASCII only (the names of the format). */
const ASCII_NAME = "[A-Za-z_:][-A-Za-z0-9_.:]*";
/** SystemLiteral: anything between double or single quotes. */
const SYSTEM_LITERAL = `(?:"[^"]*"|'[^']*')`;
/** PubidLiteral: PubidChar between double quotes, or between single quotes without the apostrophe. */
const PUBID_LITERAL = String.raw`(?:"[-'()+,./:=?;!*#@$_%a-zA-Z0-9 \r\n]*"|'[-()+,./:=?;!*#@$_%a-zA-Z0-9 \r\n]*')`;
const EXTERNAL_ID = `(?:SYSTEM${S}${SYSTEM_LITERAL}|PUBLIC${S}${PUBID_LITERAL}${S}${SYSTEM_LITERAL})`;
/** `<!DOCTYPE` S Name (S ExternalID)? S? `>` — an internal subset is refused before this is checked. */
const DOCTYPE = new RegExp(`^${S}${ASCII_NAME}(?:${S}${EXTERNAL_ID})?${S_OPT}$`);
/** Eq: `=` with optional white space around it. */
const EQ = `${S_OPT}=${S_OPT}`;
/** VersionInfo, EncodingDecl, SDDecl: each value quoted with " or ' (the backreference closes it alike). */
const VERSION_INFO = String.raw`${S}version${EQ}(["'])1\.[0-9]+\1`;
const ENCODING_DECL = String.raw`${S}encoding${EQ}(["'])[A-Za-z][A-Za-z0-9._-]*\2`;
const SD_DECL = String.raw`${S}standalone${EQ}(["'])(?:yes|no)\3`;
/** `<?xml version="1.x" encoding="…" standalone="yes|no"?>` (the encoding is not believed: see Decoder). */
const XML_DECL = new RegExp(`^xml${VERSION_INFO}(?:${ENCODING_DECL})?(?:${SD_DECL})?${S_OPT}$`);

function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

function countLines(s: string, from = 0, to = s.length): number {
  let n = 0;
  let i = s.indexOf("\n", from);
  while (i !== -1 && i < to) {
    n++;
    i = s.indexOf("\n", i + 1);
  }
  return n;
}

interface Building {
  operation: AafOperation;
  tag: string;
  category: AafCategory | null;
  id: string | null;
  attributes: Map<string, string[]>;
  line: number;
  weight: number;
}

class AafReader {
  private buf = "";
  private pos = 0;
  /** Line of `buf[pos]`. */
  private line = 1;
  private started = false;
  private sawRoot = false;
  private rootClosed = false;
  private sawDoctype = false;
  private content = false;
  /** How far past `pos` the unfinished token has been searched already (so that no byte is scanned twice). */
  private scanned = 0;
  private readonly stack: string[] = [];
  private readonly names = new Set<string>();
  readonly ready: AafRawRecord[] = [];
  // Record being read.
  private record: Building | null = null;
  private attrName: string | null = null;
  private attrValues: string[] = [];
  private inOperational = false;
  private text: string | null = null;

  constructor(
    private readonly file: string,
    private readonly maxValue: number,
    private readonly maxRecord: number,
  ) {}

  get currentLine(): number {
    return this.line;
  }

  fail(message: string, line = this.line): never {
    throw new AafParseError(message, { file: this.file, line });
  }

  write(chunk: string): void {
    if (!chunk) return;
    this.content ||= /\S/.test(chunk);
    // Joined (not "+"): a flat string, which indexOf and charCodeAt read much faster than a rope.
    this.buf = this.pos < this.buf.length ? [this.buf.slice(this.pos), chunk].join("") : chunk;
    this.pos = 0;
    this.run();
  }

  end(): void {
    const rest = this.buf.slice(this.pos);
    if (!this.sawRoot) {
      if (!this.content) this.fail("Le fichier est vide : aucun élément <ficAlimMENESR>.");
      if (/\S/.test(rest) && !rest.trimStart().startsWith("<"))
        this.fail("Ce fichier n'est pas un fichier XML AAF : du texte se trouve hors de tout élément.");
      this.fail(
        rest.trim()
          ? "Fichier tronqué : il s'arrête au milieu d'une balise, avant l'élément <ficAlimMENESR>."
          : "Ce fichier n'est pas un fichier XML AAF : aucun élément <ficAlimMENESR>.",
      );
    }
    if (this.stack.length) {
      this.fail(
        `Fichier tronqué : il s'arrête avant la fin de <${this.stack[this.stack.length - 1]}>.`,
        this.line + countLines(rest),
      );
    }
    if (rest.trim()) this.fail("Fichier tronqué ou contenu inattendu après </ficAlimMENESR>.");
  }

  /** Tokens as far as the buffer goes; an unfinished token stays in the buffer, within its size limit. */
  private run(): void {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    while (pos < len) {
      // An unfinished comment or CDATA section keeps how far it was searched.
      const hint = this.scanned;
      this.scanned = 0;
      const pendingTag = buf.charCodeAt(pos) === 0x3c;
      const lt = pendingTag ? pos : buf.indexOf("<", pos);
      if (lt === -1) {
        // Text whose end is not here yet: read now (the value grows within its limit), except a last entity
        // reference, CR or "]" that the next chunk may complete.
        let cut = len;
        const amp = buf.lastIndexOf("&");
        if (amp >= pos && buf.indexOf(";", amp) === -1) cut = amp;
        else if (buf.charCodeAt(len - 1) === 0x0d) cut = len - 1;
        // "]]>" split across chunks
        else if (buf.charCodeAt(len - 1) === 0x5d) cut = buf.charCodeAt(len - 2) === 0x5d ? len - 2 : len - 1;
        if (cut < pos) cut = pos;
        if (cut > pos) this.characters(buf, pos, cut);
        pos = cut;
        if (len - pos > 64) this.fail("Référence d'entité mal formée : « & » doit s'écrire &amp;.");
        break;
      }
      if (lt > pos) this.characters(buf, pos, lt);
      pos = lt;
      const next = pos + 1 < len ? buf.charCodeAt(pos + 1) : -1;
      if (next === -1) break;
      let end: number;
      if (next === 0x2f /* / */) end = this.closeTag(buf, pos);
      else if (next === 0x21 /* ! */) end = this.declaration(buf, pos, pendingTag ? hint : 0);
      else if (next === 0x3f /* ? */) end = this.instruction(buf, pos);
      else end = this.openTag(buf, pos);
      if (end === -1) break;
      pos = end;
    }
    this.pos = pos;
  }

  /**
   * XML 1.0 forbids some characters anywhere. They are looked for in what is kept (values, attribute values) and in
   * comments, CDATA and DOCTYPE; elsewhere they fail on their own (not white space, not a name of the format).
   */
  private allowed(s: string): void {
    const bad = FORBIDDEN.exec(s);
    if (bad) {
      this.fail(
        this.sawRoot
          ? `Caractère interdit en XML (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}).`
          : "Ce fichier n'est pas un fichier XML AAF (il contient des caractères binaires).",
        this.line + countLines(s, 0, bad.index),
      );
    }
  }

  /**
   * One pass over a value: fails on a forbidden character; returns LF count in `scanLines` and flags:
   * 1 "&" present, 2 tab / CR / LF present, 4 "<" present, 8 "]" present.
   */
  private scanLines = 0;
  private scan(s: string): number {
    let flags = 0;
    let lines = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x5d) flags |= 8;
      else if (c < 0x3d) {
        if (c === 0x26) flags |= 1;
        else if (c === 0x3c) flags |= 4;
        else if (c < 0x20) {
          if (c === 0x0a) {
            lines++;
            flags |= 2;
          } else if (c === 0x0d || c === 0x09) flags |= 2;
          else this.allowed(s);
        }
      } else if (c >= 0xfffe) this.allowed(s);
    }
    this.scanLines = lines;
    return flags;
  }

  private tooLong(): never {
    if (this.text !== null) {
      const where = this.attrName ? `l'attribut ${this.attrName}` : "l'identifiant";
      this.fail(`Valeur de plus de ${Math.round(this.maxValue / 1024)} Kio dans ${where} : refusée.`);
    }
    this.fail(`Donnée de plus de ${Math.round(this.maxValue / 1024)} Kio hors d'une valeur : refusée.`);
  }

  /** An unfinished token: fine while short, refused past its limit. */
  private incomplete(buf: string, pos: number, limit: number, what: string): -1 {
    if (buf.length - pos > limit) this.fail(`Fichier refusé : ${what} de plus de ${Math.round(limit / 1024)} Kio.`);
    return -1;
  }

  private characters(buf: string, from: number, to: number): void {
    if (this.text !== null) {
      let s = buf.slice(from, to);
      const flags = this.scan(s);
      this.line += this.scanLines;
      if (flags & 8 && s.includes("]]>")) this.fail("« ]]> » interdit dans le texte XML.");
      if (flags & 1) s = this.entities(s);
      if (flags & 2 && s.includes("\r")) s = s.replace(/\r\n?/g, "\n");
      if (this.text.length + s.length > this.maxValue) this.tooLong();
      this.text += s;
      return;
    }
    // Outside a value only white space may appear (and is ignored).
    this.started = true;
    for (let i = from; i < to; i++) {
      const c = buf.charCodeAt(i);
      if (c === 0x0a) this.line++;
      else if (c !== 0x20 && c !== 0x09 && c !== 0x0d) {
        const s = buf.slice(i, to).trim();
        this.allowed(s);
        if (s.includes("&")) this.entities(s);
        if (this.stack.length === 0) {
          this.fail(
            this.sawRoot
              ? "Contenu inattendu après </ficAlimMENESR>."
              : "Ce fichier n'est pas un fichier XML AAF : " +
                  `du texte se trouve hors de tout élément (« ${s.slice(0, 40)} »).`,
          );
        }
        this.fail(`Texte inattendu hors d'une <value> : « ${s.slice(0, 40)} ».`);
      }
    }
  }

  /** Predefined entities and character references; anything else refuses the file. */
  private entities(s: string): string {
    let out = "";
    let last = 0;
    let i = s.indexOf("&");
    while (i !== -1) {
      const semi = s.indexOf(";", i + 1);
      const ref = semi === -1 || semi - i > 40 ? null : s.slice(i + 1, semi);
      let ch: string | undefined;
      if (ref === null) this.fail("Référence d'entité mal formée : « & » doit s'écrire &amp;.");
      else if (ref[0] === "#") {
        const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
          ? parseInt(ref.slice(2), 16)
          : /^#[0-9]{1,7}$/.test(ref)
            ? parseInt(ref.slice(1), 10)
            : NaN;
        if (!isXmlChar(code)) this.fail(`Référence de caractère invalide « &${ref}; ».`);
        ch = String.fromCodePoint(code);
      } else {
        ch = PREDEFINED[ref];
        if (ch === undefined) {
          if (NAME.test(ref))
            this.fail(
              `Référence à une entité XML non déclarée (&${ref};) : refusée par sécurité ` +
                "(seules &amp; &lt; &gt; &quot; &apos; sont admises).",
            );
          this.fail("Référence d'entité mal formée : « & » doit s'écrire &amp;.");
        }
      }
      out += s.slice(last, i) + ch;
      last = semi + 1;
      i = s.indexOf("&", last);
    }
    return out + s.slice(last);
  }

  private name(name: string, what: string): string {
    if (!this.names.has(name)) {
      if (!NAME.test(name)) this.fail(`Nom ${what} invalide « ${name.slice(0, 40)} ».`);
      if (this.names.size < 256) this.names.add(name);
    }
    return name;
  }

  private openTag(buf: string, pos: number): number {
    const len = buf.length;
    let j = pos + 1;
    let lines = 0;
    while (j < len) {
      const c = buf.charCodeAt(j);
      if (c === 0x3e || c === 0x2f || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      j++;
    }
    if (j >= len) return this.incomplete(buf, pos, MAX_TAG, "nom de balise");
    // Element names need no check of their own: `start` accepts only the format's dozen names.
    const name = buf.slice(pos + 1, j);
    if (buf.charCodeAt(j) === 0x3e) {
      this.start(name, undefined, undefined, this.line);
      return j + 1;
    }
    // Only `name` and `operation` matter to the format; other attributes are checked, then dropped.
    let nameAttr: string | undefined;
    let operationAttr: string | undefined;
    let others: string[] | null = null;
    let selfClosing = false;
    for (;;) {
      let spaced = false;
      while (j < len) {
        const c = buf.charCodeAt(j);
        if (c === 0x0a) lines++;
        else if (c !== 0x20 && c !== 0x0d && c !== 0x09) break;
        spaced = true;
        j++;
      }
      if (j >= len) return this.incomplete(buf, pos, MAX_TAG, "balise");
      const c = buf.charCodeAt(j);
      if (c === 0x3e) {
        j++;
        break;
      }
      if (c === 0x2f) {
        if (j + 1 >= len) return this.incomplete(buf, pos, MAX_TAG, "balise");
        if (buf.charCodeAt(j + 1) !== 0x3e) this.fail(`Balise <${name}> mal formée.`);
        selfClosing = true;
        j += 2;
        break;
      }
      if (!spaced) this.fail(`Balise <${name}> mal formée (espace manquante avant un attribut).`);
      let k = j;
      while (k < len) {
        const d = buf.charCodeAt(k);
        if (
          d === 0x3d ||
          d === 0x20 ||
          d === 0x0a ||
          d === 0x0d ||
          d === 0x09 ||
          d === 0x3e ||
          d === 0x2f ||
          d === 0x3c
        )
          break;
        k++;
      }
      const attrName = buf.slice(j, k);
      if (attrName !== "name" && attrName !== "operation") this.name(attrName, "d'attribut");
      while (
        k < len &&
        (buf.charCodeAt(k) === 0x20 ||
          buf.charCodeAt(k) === 0x0a ||
          buf.charCodeAt(k) === 0x0d ||
          buf.charCodeAt(k) === 0x09)
      ) {
        if (buf.charCodeAt(k) === 0x0a) lines++;
        k++;
      }
      if (k >= len) return this.incomplete(buf, pos, MAX_TAG, "balise");
      if (buf.charCodeAt(k) !== 0x3d) this.fail(`Attribut ${attrName} de <${name}> sans valeur.`);
      let q = k + 1;
      while (
        q < len &&
        (buf.charCodeAt(q) === 0x20 ||
          buf.charCodeAt(q) === 0x0a ||
          buf.charCodeAt(q) === 0x0d ||
          buf.charCodeAt(q) === 0x09)
      ) {
        if (buf.charCodeAt(q) === 0x0a) lines++;
        q++;
      }
      if (q >= len) return this.incomplete(buf, pos, MAX_TAG, "balise");
      const quote = buf[q];
      if (quote !== '"' && quote !== "'") this.fail(`Valeur de l'attribut ${attrName} de <${name}> sans guillemets.`);
      const close = buf.indexOf(quote!, q + 1);
      if (close === -1) return this.incomplete(buf, pos, MAX_TAG, "balise");
      let value = buf.slice(q + 1, close);
      const flags = this.scan(value);
      if (flags & 4) this.fail(`Caractère « < » interdit dans la valeur de l'attribut ${attrName} de <${name}>.`);
      lines += this.scanLines;
      if (flags & 1) value = this.entities(value);
      if (flags & 2) value = value.replace(/\r\n|[\t\n\r]/g, " "); // attribute-value normalisation
      if (attrName === "name") {
        if (nameAttr !== undefined) this.fail(`Attribut name en double dans <${name}>.`);
        nameAttr = value;
      } else if (attrName === "operation") {
        if (operationAttr !== undefined) this.fail(`Attribut operation en double dans <${name}>.`);
        operationAttr = value;
      } else {
        others ??= [];
        if (others.includes(attrName)) this.fail(`Attribut ${attrName} en double dans <${name}>.`);
        others.push(attrName);
      }
      j = close + 1;
    }
    if (j - pos > MAX_TAG) this.fail(`Fichier refusé : balise de plus de ${MAX_TAG / 1024} Kio.`);
    const line = this.line;
    this.line += lines;
    this.start(name, nameAttr, operationAttr, line);
    if (selfClosing) this.finish(name);
    return j;
  }

  private closeTag(buf: string, pos: number): number {
    const end = buf.indexOf(">", pos + 2);
    if (end === -1) return this.incomplete(buf, pos, MAX_TAG, "balise fermante");
    let name = buf.slice(pos + 2, end);
    const last = buf.charCodeAt(end - 1);
    if (last === 0x20 || last === 0x0a || last === 0x0d || last === 0x09) {
      this.line += countLines(name);
      name = name.trimEnd();
    }
    const expected = this.stack[this.stack.length - 1];
    if (expected === undefined) this.fail(`Balise fermante </${name}> sans balise ouvrante.`);
    if (name !== expected) this.fail(`Balise fermante </${name}> inattendue : <${expected}> n'est pas fermée.`);
    this.finish(name);
    return end + 1;
  }

  /** `<!--…-->`, `<![CDATA[…]]>`, `<!DOCTYPE …>`. */
  private declaration(buf: string, pos: number, hint: number): number {
    const len = buf.length;
    const limit = this.maxValue;
    const from = Math.max(0, hint - 3);
    if (buf.startsWith("<!--", pos)) {
      const end = buf.indexOf("-->", pos + 4 + from);
      if (end === -1) {
        this.scanned = len - pos - 4;
        return this.incomplete(buf, pos, limit, "commentaire");
      }
      if (end - pos > limit) this.fail(`Fichier refusé : commentaire de plus de ${Math.round(limit / 1024)} Kio.`);
      const comment = buf.slice(pos + 4, end);
      this.allowed(comment);
      if (comment.includes("--") || comment.endsWith("-"))
        this.fail("Commentaire XML mal formé (« -- » à l'intérieur).");
      this.line += countLines(buf, pos, end);
      this.started = true;
      return end + 3;
    }
    if (buf.startsWith("<![CDATA[", pos)) {
      const end = buf.indexOf("]]>", pos + 9 + from);
      if (end === -1) {
        this.scanned = len - pos - 9;
        return this.incomplete(buf, pos, limit + 16, "section CDATA");
      }
      const s = buf.slice(pos + 9, end);
      this.allowed(s);
      if (this.text === null) {
        if (this.stack.length === 0 || s.trim()) this.fail("Section CDATA inattendue hors d'une <value>.");
      } else {
        if (this.text.length + s.length > this.maxValue) this.tooLong();
        this.text += s.replace(/\r\n?/g, "\n");
      }
      this.line += countLines(s);
      return end + 3;
    }
    if (buf.startsWith("<!DOCTYPE", pos)) {
      if (this.sawRoot || this.sawDoctype)
        this.fail("DOCTYPE mal placé : il doit précéder l'élément racine, une seule fois.");
      // Up to the closing ">" outside quotes; an internal subset ("[") is refused as soon as it is seen.
      let quote = 0;
      for (let i = pos + 9; i < len; i++) {
        const c = buf.charCodeAt(i);
        if (quote) {
          if (c === quote) quote = 0;
          continue;
        }
        if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x5b /* [ */ || c === 0x3c /* < */) {
          this.fail(
            "Le fichier déclare un sous-ensemble DTD interne (déclarations d'entités : " +
              "attaque XXE ou « billion laughs ») : refusé par sécurité.",
          );
        } else if (c === 0x3e) {
          if (i - pos > MAX_TAG) this.fail(`Fichier refusé : DOCTYPE de plus de ${MAX_TAG / 1024} Kio.`);
          const body = buf.slice(pos + 9, i);
          this.allowed(body);
          if (!DOCTYPE.test(body))
            this.fail('DOCTYPE mal formé (attendu <!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">).');
          this.line += countLines(buf, pos, i);
          this.sawDoctype = true;
          this.started = true;
          return i + 1;
        }
      }
      return this.incomplete(buf, pos, MAX_TAG, "DOCTYPE");
    }
    if (len - pos < 9 && ["<!--", "<!DOCTYPE", "<![CDATA["].some((t) => t.startsWith(buf.slice(pos)))) return -1;
    return this.fail(`Déclaration XML inattendue « ${buf.slice(pos, pos + 12)} ».`);
  }

  /** `<?xml …?>` at the very start, other processing instructions ignored. */
  private instruction(buf: string, pos: number): number {
    const end = buf.indexOf("?>", pos + 2);
    if (end === -1 || end - pos > MAX_TAG) return this.incomplete(buf, pos, MAX_TAG, "instruction de traitement");
    const body = buf.slice(pos + 2, end);
    this.allowed(body);
    const target = /^[^\s?]*/.exec(body)![0];
    this.name(target, "d'instruction");
    if (target.toLowerCase() === "xml") {
      if (this.started || target !== "xml")
        this.fail("Déclaration XML <?xml …?> mal placée : elle doit ouvrir le fichier.");
      if (!XML_DECL.test(body)) this.fail("Déclaration XML <?xml …?> mal formée.");
    } else if (body.length > target.length && !/^\s/.test(body.slice(target.length))) {
      this.fail(`Instruction de traitement <?${target.slice(0, 40)}…?> mal formée.`);
    }
    this.line += countLines(body);
    this.started = true;
    return end + 2;
  }

  // ---- record structure (the DTD) ----

  private start(name: string, nameAttr: string | undefined, op: string | undefined, line: number): void {
    this.started = true;
    const depth = this.stack.length;
    if (this.text !== null) this.fail(`Élément <${name}> inattendu dans une <value>.`);
    this.stack.push(name);
    if (depth === 0) {
      if (this.rootClosed)
        this.fail("Contenu inattendu après </ficAlimMENESR> : un fichier AAF n'a qu'un élément racine.");
      this.sawRoot = true;
      if (name !== "ficAlimMENESR")
        this.fail(`Élément racine inattendu « ${name} » : un fichier AAF commence par <ficAlimMENESR>.`);
      return;
    }
    if (depth === 1) {
      const operation = OPERATIONS[name];
      if (!operation)
        this.fail(
          `Élément inattendu <${name}> : un fichier AAF ne contient que des <addRequest>, ` +
            "<modifyRequest> et <deleteRequest>.",
        );
      this.record = { operation, tag: name, category: null, id: null, attributes: new Map(), line, weight: 0 };
      return;
    }
    const parent = this.stack[depth - 1]!;
    if (depth === 2) {
      if (!CONTAINERS.has(name)) this.fail(`Élément inattendu <${name}> dans <${parent}>.`);
      this.inOperational = name === "operationalAttributes";
      return;
    }
    if (depth === 3) {
      const allowed =
        parent === "identifier"
          ? name === "id"
          : parent === "modifications"
            ? name === "modification" || name === "attr"
            : name === "attr";
      if (!allowed) this.fail(`Élément inattendu <${name}> dans <${parent}>.`);
      if (name === "id") {
        this.text = "";
        return;
      }
      const attrName = (nameAttr ?? "").trim();
      if (!attrName) this.fail(`<${name}> sans attribut name.`);
      if (name === "modification" && op !== undefined && op !== "replace") {
        this.fail(
          `Opération de modification « ${op} » non prise en charge pour ${attrName} ` +
            "(seul « replace » existe dans le format).",
        );
      }
      this.attrName = attrName;
      this.attrValues = [];
      return;
    }
    if (depth === 4 && name === "value") {
      this.text = "";
      return;
    }
    this.fail(`Élément inattendu <${name}> dans <${parent}>.`);
  }

  private finish(name: string): void {
    this.stack.pop();
    const depth = this.stack.length;
    if (depth === 0) {
      this.rootClosed = true;
      return;
    }
    const r = this.record!;
    if (depth === 4) {
      const v = this.text!.trim();
      this.text = null;
      this.attrValues.push(v);
      r.weight += v.length + 64;
      if (r.weight > this.maxRecord)
        this.fail(`Enregistrement de plus de ${Math.round(this.maxRecord / 1024 / 1024)} Mio : refusé.`, r.line);
      return;
    }
    if (depth === 3) {
      if (name === "id") {
        r.id = this.text!.trim();
        this.text = null;
        return;
      }
      const attr = this.attrName!;
      const values = this.attrValues;
      this.attrName = null;
      if (this.inOperational) {
        const given = values[0] ?? "";
        const value = CATEGORY_ALIASES[given] ?? given;
        const allowed = CATEGORY_ATTRIBUTES[attr];
        if (!allowed)
          this.fail(
            `Attribut opérationnel inconnu « ${attr} » ` +
              "(attendu categoriePersonne, categorieStructure, categorieMatiere ou categorieMef).",
            r.line,
          );
        if (!CATEGORIES.has(value))
          this.fail(
            `Catégorie inconnue « ${value} » ` +
              "(attendu EtabEducNat, Eleve, PersRelEleve, PersEducNat, MatiereEducNat ou MefEducNat).",
            r.line,
          );
        if (!allowed.includes(value as AafCategory))
          this.fail(`Catégorie « ${value} » incompatible avec l'attribut opérationnel ${attr}.`, r.line);
        r.category = value as AafCategory;
        return;
      }
      const previous = r.attributes.get(attr);
      if (previous) previous.push(...values);
      else r.attributes.set(attr, values);
      return;
    }
    if (depth === 2) {
      this.inOperational = false;
      return;
    }
    // depth 1: the record is complete.
    this.record = null;
    if (!r.category) this.fail(`Enregistrement <${r.tag}> sans catégorie (<operationalAttributes>).`, r.line);
    if (!r.id) this.fail(`Enregistrement <${r.tag}> sans identifiant (<identifier><id>).`, r.line);
    this.ready.push({
      category: r.category,
      operation: r.operation,
      id: r.id,
      attributes: r.attributes,
      source: { file: this.file, line: r.line },
    });
  }
}

/**
 * Reads one ficAlimMENESR file as a stream of raw records. Throws `AafParseError` (French message, file and line)
 * on anything that is not a well-formed AAF file; `onWarning` hears what is read but doubtful (stray encodings).
 */
export async function* parseAafStream(
  bytes: AsyncIterable<Uint8Array>,
  file: string,
  onWarning?: (w: AafWarning) => void,
  options: AafParseOptions = {},
): AsyncGenerator<AafRawRecord> {
  const reader = new AafReader(file, options.maxValue ?? MAX_VALUE, options.maxRecord ?? MAX_RECORD);
  const decoder = new Decoder();
  decoder.onStray = () =>
    onWarning?.({
      source: { file, line: reader.currentLine },
      code: "ignored_value",
      detail: "Octets non UTF-8 dans un fichier UTF-8 : lus en ISO-8859-15 (vérifiez les accents de ce fichier).",
    });
  const ready = reader.ready;
  try {
    for await (const chunk of bytes) {
      // Large chunks are read in slices so that records go out (and memory is freed) as they close.
      for (let i = 0; i < chunk.length; i += 1 << 18) {
        reader.write(decoder.decode(chunk.length <= 1 << 18 ? chunk : chunk.subarray(i, i + (1 << 18))));
        for (let k = 0; k < ready.length; k++) yield ready[k]!;
        ready.length = 0;
      }
    }
    reader.write(decoder.end());
    reader.end();
  } catch (err) {
    if (err instanceof AafParseError) throw err;
    throw new AafParseError(`Fichier illisible : ${err instanceof Error ? err.message : String(err)}.`, {
      file,
      line: 0,
    });
  }
  for (const r of ready) yield r;
  ready.length = 0;
}
