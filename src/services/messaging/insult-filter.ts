// 52C: insults in pupils' messages are found from the maintained list in insult-words.ts, whatever the capitals,
// accents, leetspeak, repeated letters or letters set apart. Pure code (no node: imports): it also runs on Workers.
//
// The text is cut into tokens (runs of letters) that remember their span in the original text. A token's `plain`
// form is lower case, without accents, with leetspeak read as letters; its `key` also collapses repeated letters.
// Listed words are paths of keys in a trie, so a message is checked in one pass over its tokens.
import { INNOCENT_WORDS, INSULT_WORDS } from "./insult-words";

export interface InsultMatch {
  word: string;
  start: number;
  end: number;
}

const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "@": "a",
  $: "s",
  "€": "e",
  "!": "i",
  "|": "i",
  "+": "t",
};
const LIGATURES: Readonly<Record<string, string>> = { œ: "oe", æ: "ae", ß: "ss" };
// Apostrophes are French elision ("t'a", "l'a"): the single letters they separate are not a word spelled out.
const APOSTROPHES = new Set(["'", "’", "‘", "ʼ", "`", "´"]);
const ENDINGS = ["s", "x", "e", "es"];
// Single letters apart by at most this many characters are read as one word: "c o n", "c.o.n", "c - o - n".
const MAX_LETTER_GAP = 3;

type Kind = "letter" | "digit" | "symbol" | "apostrophe" | "separator";
interface Unit {
  ch: string;
  kind: Kind;
  start: number;
  end: number;
}
interface Token {
  plain: string;
  key: string;
  start: number;
  end: number;
  single: boolean;
  gap: number;
  afterApostrophe: boolean;
}

const folded = new Map<string, string>();
function fold(c: string): string {
  let out = folded.get(c);
  if (out !== undefined) return out;
  out = "";
  // Zero-width spaces and soft hyphens are invisible: ignored rather than read as separators.
  // NFKD also reads fullwidth, circled and "mathematical" letters as plain ones.
  if (!/\p{Cf}/u.test(c)) {
    for (const ch of c.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")) out += LIGATURES[ch] ?? ch;
  }
  if (folded.size < 4096) folded.set(c, out);
  return out;
}

function kindOf(ch: string): Kind {
  if (ch >= "a" && ch <= "z") return "letter";
  if (ch >= "0" && ch <= "9") return "digit";
  if (Object.hasOwn(LEET, ch)) return "symbol";
  return /\p{L}/u.test(ch) ? "letter" : "separator";
}

function unitsOf(text: string): Unit[] {
  const units: Unit[] = [];
  let end = 0;
  for (const c of text) {
    const start = end;
    end += c.length;
    if (APOSTROPHES.has(c)) {
      units.push({ ch: c, kind: "apostrophe", start, end });
      continue;
    }
    if (c.charCodeAt(0) < 0x80) {
      const ch = c.toLowerCase();
      units.push({ ch, kind: kindOf(ch), start, end });
    } else {
      for (const ch of fold(c)) units.push({ ch, kind: kindOf(ch), start, end });
    }
  }
  return units;
}

function collapse(s: string): string {
  let out = "";
  for (let k = 0; k < s.length; k++) if (s[k] !== s[k - 1]) out += s[k];
  return out;
}
const isWordUnit = (u: Unit | undefined): boolean => u?.kind === "letter" || u?.kind === "digit";

function tokensOf(text: string): Token[] {
  const units = unitsOf(text);
  const tokens: Token[] = [];
  let prevEnd = 0;
  let afterApostrophe = false;
  const symbolRunEnd = (j: number) => {
    while (units[j]?.kind === "symbol") j++;
    return j;
  };
  for (let i = 0; i < units.length; ) {
    const kind = units[i]!.kind;
    // A leetspeak symbol is a letter inside a word ("pu+e") or alone before one ("$alope"); "con!" ends there.
    if (kind === "symbol") {
      const r = symbolRunEnd(i);
      if (r - i > 1 || !isWordUnit(units[r])) {
        i = r;
        continue;
      }
    } else if (!isWordUnit(units[i])) {
      if (kind === "apostrophe") afterApostrophe = true;
      i++;
      continue;
    }
    let j = i;
    while (j < units.length) {
      if (isWordUnit(units[j])) {
        j++;
        continue;
      }
      if (units[j]!.kind !== "symbol") break;
      const r = symbolRunEnd(j);
      if (!isWordUnit(units[r])) break;
      j = r;
    }
    // Digits are leetspeak inside a word ("c0nn4rd"), numbers on their own ("5 ans").
    let hasLetter = false;
    for (let k = i; k < j; k++) hasLetter ||= units[k]!.kind === "letter";
    let plain = "";
    for (let k = i; k < j; k++) {
      const u = units[k]!;
      plain += hasLetter && u.kind !== "letter" ? (LEET[u.ch] ?? u.ch) : u.ch;
    }
    const start = units[i]!.start;
    const end = units[j - 1]!.end;
    tokens.push({
      plain,
      key: collapse(plain),
      start,
      end,
      single: j - i === 1,
      gap: start - prevEnd,
      afterApostrophe,
    });
    prevEnd = end;
    afterApostrophe = false;
    i = j;
  }
  return tokens;
}

// A run of single letters ("c o n n a r d", "p.u.t.e") becomes one token spelling the run as a whole.
function joinSpacedLetters(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i + 1;
    if (tokens[i]!.single) {
      while (tokens[j]?.single && !tokens[j]!.afterApostrophe && tokens[j]!.gap <= MAX_LETTER_GAP) j++;
    }
    const run = j - i > 1 ? tokens.slice(i, j) : [tokens[i]!];
    if (run.length > 1 && run.some((t) => /\D/.test(t.plain))) {
      const plain = run.map((t) => LEET[t.plain] ?? t.plain).join("");
      out.push({ ...run[0]!, plain, key: collapse(plain), end: run[run.length - 1]!.end, single: false });
    } else {
      out.push(...run);
    }
    i = j;
  }
  return out;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  word?: string;
  inflects: boolean;
}
type Field = "plain" | "key";

function trieOf(entries: readonly string[], field: Field): TrieNode {
  const root: TrieNode = { next: new Map(), inflects: true };
  for (const entry of entries) {
    const tokens = tokensOf(entry);
    const keys = tokens.map((t) => t[field]);
    // Abbreviations (no vowel: fdp, ntm) take no ending.
    const inflects = keys.length > 1 || /[aeiouy]/.test(keys[0] ?? "");
    const joined = tokens.map((t) => t.plain).join("");
    const paths = keys.length > 1 ? [keys, [field === "key" ? collapse(joined) : joined]] : [keys];
    for (const path of paths) {
      let node = root;
      for (const key of path) {
        let child = node.next.get(key);
        if (!child) {
          child = { next: new Map(), inflects };
          node.next.set(key, child);
        }
        child.inflects ||= inflects;
        node = child;
      }
      node.word ??= entry;
    }
  }
  return root;
}

const INSULTS = trieOf(INSULT_WORDS, "key");
// Innocent words are compared before repeated letters are collapsed: "cône" is not "conne".
const INNOCENTS = trieOf(INNOCENT_WORDS, "plain");

function longestMatch(
  tokens: Token[],
  i: number,
  root: TrieNode,
  field: Field,
): { word: string; last: number } | undefined {
  let best: { word: string; last: number } | undefined;
  let nodes = [root];
  for (let j = i; j < tokens.length && nodes.length > 0; j++) {
    const key = tokens[j]![field];
    const next: TrieNode[] = [];
    for (const node of nodes) {
      const exact = node.next.get(key);
      if (exact) {
        next.push(exact);
        if (exact.word !== undefined) best = { word: exact.word, last: j };
      }
      for (const ending of ENDINGS) {
        if (key.length <= ending.length || !key.endsWith(ending)) continue;
        const stem = node.next.get(key.slice(0, -ending.length));
        if (!stem?.inflects) continue;
        next.push(stem);
        // At the same length, the word as written wins over a shorter word plus an ending ("conne", not "con").
        if (stem.word !== undefined && best?.last !== j) best = { word: stem.word, last: j };
      }
    }
    nodes = next;
  }
  return best;
}

/** Lower case, no accents, leetspeak read as letters, repeated letters collapsed; words separated by one space. */
export function normaliseForFilter(text: string): string {
  return tokensOf(text)
    .map((t) => t.key)
    .join(" ");
}

/** The listed words found in `text`, with their span [start, end) in `text` itself. */
export function findInsults(text: string): InsultMatch[] {
  const tokens = joinSpacedLetters(tokensOf(text));
  const innocent = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(tokens, i, INNOCENTS, "plain");
    if (m) innocent.fill(1, i, m.last + 1);
  }
  const found: InsultMatch[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = longestMatch(tokens, i, INSULTS, "key");
    if (!m || innocent.subarray(i, m.last + 1).includes(1)) continue;
    found.push({ word: m.word, start: tokens[i]!.start, end: tokens[m.last]!.end });
    i = m.last;
  }
  return found;
}

export function containsInsult(text: string): boolean {
  return findInsults(text).length > 0;
}
