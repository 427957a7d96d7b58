import { describe, expect, it } from "vitest";
import { containsInsult, findInsults, normaliseForFilter } from "../../src/services/messaging/insult-filter";
import { INNOCENT_WORDS, INSULT_WORDS } from "../../src/services/messaging/insult-words";

const spans = (text: string) => findInsults(text).map((m) => ({ word: m.word, text: text.slice(m.start, m.end) }));

describe("52C insult filter", () => {
  it.each([
    ["connard", "connard", "connard"],
    ["Espèce de CONNARD", "connard", "CONNARD"],
    ["t'es une conne", "conne", "conne"],
    ["sale con !", "sale con", "sale con"],
    ["enculé", "enculé", "enculé"],
    ["encule", "enculé", "encule"],
    ["ENCULÉ", "enculé", "ENCULÉ"],
    ["batard", "bâtard", "batard"],
    ["Bâtard!!!", "bâtard", "Bâtard"],
    ["c0nn4rd", "connard", "c0nn4rd"],
    ["s4l0p3", "salope", "s4l0p3"],
    ["$alope", "salope", "$alope"],
    ["pu+e", "pute", "pu+e"],
    ["connnnnard", "connard", "connnnnard"],
    ["puuuute", "pute", "puuuute"],
    ["MEEERDE", "merde", "MEEERDE"],
    ["c o n n a r d", "connard", "c o n n a r d"],
    ["c.o.n.n.a.r.d", "connard", "c.o.n.n.a.r.d"],
    ["p.u.t.e", "pute", "p.u.t.e"],
    ["p-u-t-e", "pute", "p-u-t-e"],
    ["s a l o p e", "salope", "s a l o p e"],
    ["t'es un c_o_n", "con", "c_o_n"],
    ["(salope)", "salope", "salope"],
    ["«merde»", "merde", "merde"],
    ["les connards", "connard", "connards"],
    ["des connasses", "connasse", "connasses"],
    ["les batards", "bâtard", "batards"],
    ["ils sont enculés", "enculé", "enculés"],
    ["une connarde", "connard", "connarde"],
    ["ta gueule", "ta gueule", "ta gueule"],
    ["Ta   Gueule !", "ta gueule", "Ta   Gueule"],
    ["tagueule", "ta gueule", "tagueule"],
    ["ferme-ta-gueule", "ferme ta gueule", "ferme-ta-gueule"],
    ["TG", "tg", "TG"],
    ["tg.", "tg", "tg"],
    ["fdp", "fdp", "fdp"],
    ["f.d.p", "fdp", "f.d.p"],
    ["NTM", "ntm", "NTM"],
    ["nique ta mère", "nique ta mère", "nique ta mère"],
    ["fils de p u t e", "fils de pute", "fils de p u t e"],
    ["grosses vaches", "grosse vache", "grosses vaches"],
    ["tête de nœud", "tête de nœud", "tête de nœud"],
    ["ｃｏｎｎａｒｄ", "connard", "ｃｏｎｎａｒｄ"],
    ["co\u200bnnard", "connard", "co\u200bnnard"],
  ])("52C catches %j as %j", (text, word, matched) => {
    expect(containsInsult(text)).toBe(true);
    expect(spans(text)).toEqual([{ word, text: matched }]);
  });

  it.each([
    "Pascal",
    "Nicolas",
    "concours",
    "le conte du balcon",
    "une dispute",
    "la réputation",
    "la technique",
    "un pique-nique",
    "on fait un pique nique",
    "le faucon",
    "second",
    "la clinique",
    "computer",
    "Scunthorpe",
    "un cône de glace",
    "les cônes",
    "un pain bâtard",
    "chili con carne",
    "TGV",
    "un fichier PDF",
    "la salopette",
    "Bonjour maîtresse, je ne pourrai pas venir demain",
    "on a fait un concours de calcul mental",
    "c'est une activité unique",
    "il t'a gueulé dessus",
    "il y a des conséquences, la conclusion est claire",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "j'ai 5 ans, 1 2 3 soleil, 10/10 !!!",
    "M. Dupont est parti à 8 h 45.",
    "",
  ])("52C lets %j pass", (text) => {
    expect(findInsults(text)).toEqual([]);
    expect(containsInsult(text)).toBe(false);
  });

  it("52C every innocent word of the list passes, alone or in a sentence", () => {
    for (const word of INNOCENT_WORDS) {
      expect(findInsults(word), word).toEqual([]);
      expect(findInsults(`Hier, ${word.toUpperCase()} et ${word} !`), word).toEqual([]);
    }
  });

  it("52C every listed word is caught, as written and capitalised", () => {
    expect(INSULT_WORDS.length).toBeGreaterThanOrEqual(60);
    for (const word of INSULT_WORDS) {
      expect(spans(`Toi, ${word} !`), word).toEqual([{ word, text: word }]);
      expect(spans(word.toUpperCase()), word).toEqual([{ word, text: word.toUpperCase() }]);
    }
  });

  it("52C abbreviations only match as whole tokens and take no ending", () => {
    expect(containsInsult("le TGV part à 8 h")).toBe(false);
    expect(containsInsult("ptnm")).toBe(false);
    expect(containsInsult("fdps")).toBe(false);
    expect(spans("ok tg")).toEqual([{ word: "tg", text: "tg" }]);
  });

  it("52C spans point at the original characters, in order", () => {
    const text = "Salut ! T'es un c0nnnard, une P.U.T.E et… ta   gueule.";
    const found = findInsults(text);
    expect(found.map((m) => m.word)).toEqual(["connard", "pute", "ta gueule"]);
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(["c0nnnard", "P.U.T.E", "ta   gueule"]);
    expect(found[0]).toEqual({ word: "connard", start: 16, end: 24 });
    // Characters outside the basic plane count for two UTF-16 units; spans stay right after them.
    const emoji = "😀😀 sale con 😀";
    expect(spans(emoji)).toEqual([{ word: "sale con", text: "sale con" }]);
  });

  it("52C normalises case, accents, ligatures, leetspeak and repeated letters, keeping word boundaries", () => {
    expect(normaliseForFilter("Élève ÇA œuvre")).toBe("eleve ca oeuvre");
    expect(normaliseForFilter("C0NNNNN4RD, s4l0p3!")).toBe("conard salope");
    expect(normaliseForFilter("t'es   là")).toBe("t es la");
    expect(normaliseForFilter("j'ai 5 ans")).toBe("j ai 5 ans");
  });

  it("52C checks a 10 000-character message", () => {
    const sentence = "Bonjour maîtresse, on a fait un concours de calcul mental. ";
    const filler = sentence.repeat(Math.ceil(5000 / sentence.length)).slice(0, 5000);
    const text = `${filler}espèce de c o n n a r d ${filler}`.slice(0, 10_000);
    expect(text.length).toBe(10_000);
    const found = findInsults(text);
    expect(found).toHaveLength(1);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe("c o n n a r d");
    expect(findInsults(filler + filler)).toEqual([]);
    expect(findInsults("c o n ".repeat(1700))).toEqual([]);
    expect(findInsults("!".repeat(10_000))).toEqual([]);
  });
});
