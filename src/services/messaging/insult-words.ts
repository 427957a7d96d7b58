// 52C: the maintained list of insults and coarse words blocked in pupils' messages (matched by insult-filter.ts).
//
// How to maintain it:
// - add a word or a short phrase once, in its plain lower-case form with its usual accents ("enculé", "ta gueule").
//   Capitals, accents, leetspeak (c0nn4rd), repeated letters (connnnard), letters set apart (c o n n a r d),
//   phrases written as one word (tagueule) and the endings -s, -x, -e, -es are handled by the matcher: do not list
//   those variants. Other forms (verbs, feminines in -euse…) must be listed.
// - a word without a vowel ("fdp", "ntm") is an abbreviation: only matched alone, never with an ending.
// - words are matched whole, so "con" does not block "concours" nor "balcon". When an innocent word or phrase
//   reads as a listed word once normalised ("cône" looks like "conne" once doubled letters are collapsed,
//   "pique-nique" holds the word "nique"), add it to INNOCENT_WORDS; the tests check that every entry there passes.

export const INSULT_WORDS: readonly string[] = [
  // insults
  "con", "conne", "connard", "connasse", "connerie", "sale con",
  "salope", "salop", "salaud", "salopard", "saloperie",
  "pute", "putain", "ptn", "fils de pute", "fdp",
  "enculé", "enculer", "enfoiré", "enflure", "raclure",
  "bâtard", "pétasse", "pouffiasse", "grognasse",
  "abruti", "débile", "crétin", "imbécile", "bouffon", "gogol", "mongol", "attardé", "triso", "teubé",
  "bolos", "cassos", "tocard", "baltringue", "crevard", "branleur", "branleuse",
  "grosse vache", "grosse truie", "gros porc", "sale porc", "gros lard", "sale chienne", "tête de nœud",
  // coarse words
  "merde", "merdeux", "merdique", "emmerder", "emmerdeur", "emmerdeuse", "chier", "chieur", "chieuse", "bordel",
  "bite", "teub", "couille", "couillon", "trou du cul", "trouduc", "lèche-cul", "branler",
  // "shut up", "get lost" and threats about one's mother
  "ta gueule", "ferme ta gueule", "tg", "ftg", "va te faire foutre", "vtff",
  "nique", "niquer", "nique ta mère", "nique ta race", "nik ta mère", "ntm", "sale race",
  // homophobic and racist slurs
  "pd", "pédé", "tapette", "tarlouze", "tafiole", "fiotte", "gouine",
  "négro", "bougnoule", "youpin", "bicot", "chinetoque", "niakoué",
];

// Innocent words and names that hold a listed word; they must pass. Those that read as a listed word once
// normalised (cône, pique-nique, pain bâtard…) are needed here; the others document and test word boundaries.
export const INNOCENT_WORDS: readonly string[] = [
  // reads as a listed word once normalised, or holds one as a whole word
  "cône", "pique-nique", "pique-niquer", "pain bâtard", "écriture bâtarde", "empire mongol", "steppe mongole",
  "chili con carne", "bouffon du roi", "tapette à mouches", "tapette à souris",
  // holds a listed word inside a longer word
  "Pascal", "Nicolas", "Constance", "concours", "conte", "conseil", "concombre", "conclusion",
  "confiture", "continent", "consonne", "congé", "connaître", "connecté", "discontinu", "reconnaissance",
  "second", "balcon", "flacon", "faucon", "Scunthorpe",
  "dispute", "député", "réputation", "imputer", "computer",
  "technique", "unique", "panique", "clinique", "tunique",
  "salon", "salade", "salopette", "bâton", "bâtonnet", "Mongolie", "trisomie", "habiter", "bitume", "abricot",
  "pédestre", "TGV", "PDF",
];
