// `preau aaf synth`: a realistic primary-school (1D) académie in the AAF format — by default 2,638 schools and close
// to a million accounts — written as numbered files per category, streamed (one school in memory at a time),
// deterministic for a seed; and, on request, a delta touching a given share of the accounts. Used by the benchmark
// and by large tests.
//
// What it looks like: schools from a one-class rural school (often in an RPI) to fifteen-class town schools,
// élémentaire or primaire, grouped in communes and circonscriptions (about one per 25 schools); one teacher per
// class, one director per school (in charge of a class below 13 classes, discharged above), a few remplaçants and
// psychologues; pupils of the right age for their level, in single- or multi-level classes; families of one or two
// parents with parental authority, some with two children in the school. The files are like the académie's:
// ISO-8859-15 declared, UTF-8 content, CRLF, the DOCTYPE line, header comments, accented names and apostrophes
// written `&apos;`, one attribute a line. The complete set goes to `<outDir>/complet/`, the delta to
// `<outDir>/delta/` (one delivery per folder).
import { seededRandom } from "../random";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ADULT_FIRST_NAMES, FIRST_NAMES, LAST_NAMES } from "../demo/demo-names";

export interface SynthOptions {
  outDir: string;
  /** Number of schools (default 2,638). */
  schools?: number;
  seed?: number;
  /** Written as ENTServAcAcademie (the reconciler's prefix comes from the platform, not the files). */
  academyCode?: string;
  /** Share of the accounts a delta set touches (e.g. 0.01); no delta when absent or 0. */
  deltaShare?: number;
  /** YYYYMMDD of the complete set (default 20260901); the school year starts that year. */
  date?: string;
  /** YYYYMMDD of the delta (default: 14 days after `date`). */
  deltaDate?: string;
  /** Records per numbered file (default 50,000). */
  maxRecordsPerFile?: number;
  /** Same as `maxRecordsPerFile` (the name the issue used). */
  filesPerCategoryMaxRecords?: number;
  /** Called now and then with the number of accounts written so far. */
  onProgress?: (accounts: number) => void;
}

export type SynthCategory = "EtabEducNat" | "Eleve" | "PersRelEleve" | "PersEducNat";

export interface SynthSummary {
  schools: number;
  classes: number;
  pupils: number;
  relatives: number;
  staff: number;
  /** pupils + relatives + staff */
  accounts: number;
  /** Complete set: file names in `dirs.complete`, in delivery order. */
  files: string[];
  records: Record<SynthCategory, number>;
  bytes: number;
  dirs: { complete: string; delta?: string };
  delta?: {
    /** Records per operation (a move, a new pupil, a leaver's parents… each count). */
    modified: number;
    added: number;
    deleted: number;
    files: string[];
    records: Record<SynthCategory, number>;
    bytes: number;
    /** Accounts the delta touches (added, modified or deleted). */
    accounts: number;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Names and places: fictitious, common in France. Compound surnames and a large pool keep homonyms as rare as in a
// real académie (they would otherwise flood the duplicates check, 612A).

/** Surnames beyond the demo's (LAST_NAMES), for the compound names of the synthetic académie. */
const MORE_LAST = [
  "Renaud",
  "Picard",
  "Lemoine",
  "Brun",
  "Blanchard",
  "Giraud",
  "Joly",
  "Rivière",
  "Lucas",
  "Brunet",
  "Gaillard",
  "Barbier",
  "Arnaud",
  "Martinez",
  "Gérard",
  "Roche",
  "Renard",
  "Schmitt",
  "Roy",
  "Leroux",
  "Colin",
  "Vidal",
  "Caron",
  "Picard",
  "Roger",
  "Fabre",
  "Aubert",
  "Lemoine",
  "Renaud",
  "Dumas",
  "Lacroix",
  "Olivier",
  "Philippe",
  "Bourgeois",
  "Pierre",
  "Benoît",
  "Rey",
  "Leclerc",
  "Payet",
  "Rolland",
  "Leclercq",
  "Guillaume",
  "Lecomte",
  "Jean",
  "Dupuy",
  "Guillot",
  "Hubert",
  "Berger",
  "Carpentier",
  "Sanchez",
  "Dupuis",
  "Moulin",
  "Louis",
  "Deschamps",
  "Huet",
  "Vasseur",
  "Perez",
  "Boucher",
  "Fleury",
  "Royer",
  "Klein",
  "Jacquet",
  "Adam",
  "Paris",
  "Poirier",
  "Marty",
  "Aubry",
  "Guyot",
  "Carré",
  "Charles",
  "Renault",
  "Charpentier",
  "Ménard",
  "Maillard",
  "Baron",
  "Bertin",
  "Bailly",
  "Hervé",
  "Schneider",
  "Fernandez",
  "Le Gall",
  "Collet",
  "Léger",
  "Bouvier",
  "Julien",
  "Prévost",
  "Millet",
  "Perrot",
  "Daniel",
  "Le Roux",
  "Cousin",
  "Germain",
  "Breton",
  "Besson",
  "Langlois",
  "Rémy",
  "Le Goff",
  "Pelletier",
  "Lévêque",
  "Perrier",
  "Leblanc",
  "Barré",
  "Lebrun",
  "Marchal",
  "Weber",
  "Mallet",
  "Hamon",
  "Boulanger",
  "Jacob",
  "Monnier",
  "Michaud",
  "Rodriguez",
  "Guichard",
  "Gillet",
  "Étienne",
  "Grondin",
  "Poulain",
  "Tessier",
  "Chevallier",
  "Collin",
  "Chauvin",
  "Bouchet",
  "Gay",
  "Lemaître",
  "Bénard",
  "Maréchal",
  "Humbert",
  "Reynaud",
  "Antoine",
  "Hoarau",
  "Perret",
  "Barthélémy",
  "Cordier",
  "Pichon",
  "Lejeune",
  "Gilbert",
  "Lamy",
  "Delaunay",
  "Pasquier",
  "Carlier",
  "Laporte",
  "D'Amico",
  "L'Hôte",
  "N'Diaye",
  "D'Almeida",
  "Öztürk",
  "Nguyễn",
  "Kaci",
  "Mendes",
  "Ferreira",
];
const MORE_CHILD = [
  "Adèle",
  "Alba",
  "Albane",
  "Aliénor",
  "Anaëlle",
  "Apolline",
  "Assia",
  "Augustin",
  "Baptiste",
  "Basile",
  "Bérénice",
  "Capucine",
  "Célestin",
  "Charlie",
  "Clémence",
  "Côme",
  "Diane",
  "Eliott",
  "Élise",
  "Elsa",
  "Émile",
  "Ernest",
  "Esteban",
  "Éva",
  "Félix",
  "Gaspard",
  "Hanaé",
  "Héloïse",
  "Isaac",
  "Jeanne",
  "Joseph",
  "Kenzo",
  "Lana",
  "Léon",
  "Lily",
  "Lisa",
  "Livia",
  "Loan",
  "Lucie",
  "Luna",
  "Lyam",
  "Maddie",
  "Maëlys",
  "Margaux",
  "Marceau",
  "Maxence",
  "Mia",
  "Milo",
  "Naël",
  "Noé",
  "Olivia",
  "Oscar",
  "Pablo",
  "Rose-Marie",
  "Salomé",
  "Samuel",
  "Simon",
  "Soline",
  "Tiago",
  "Valentin",
  "Victoire",
  "Younès",
  "Zélie",
  "Aïcha",
  "Amir",
  "Bilal",
  "Chaïma",
  "Elyas",
  "Hugo-Alexandre",
  "Inaya",
  "Kaïs",
  "Malo",
  "Naïm",
  "Selma",
  "Wassim",
  "Yanis",
];
const MORE_ADULT = [
  "Anne",
  "Agnès",
  "Alexandre",
  "Arnaud",
  "Benoît",
  "Bruno",
  "Cécile",
  "Charlotte",
  "Christelle",
  "Cyril",
  "Damien",
  "Delphine",
  "Élodie",
  "Éric",
  "Fabien",
  "Florence",
  "Franck",
  "Gaëlle",
  "Grégory",
  "Jérôme",
  "Jessica",
  "Julie",
  "Karine",
  "Laetitia",
  "Laurent",
  "Ludovic",
  "Marion",
  "Mélanie",
  "Nadia",
  "Noémie",
  "Pascal",
  "Patricia",
  "Rachid",
  "Samia",
  "Sabrina",
  "Samuel",
  "Séverine",
  "Sylvain",
  "Valérie",
  "Xavier",
  "Yannick",
  "Yasmina",
  "Jean-Marc",
  "Marie-Claire",
  "Anne-Sophie",
  "Pierre-Yves",
  "Linh",
  "Moussa",
];
const SCHOOL_NAMES = [
  "Jules-Ferry",
  "Jean-Jaurès",
  "Louise-Michel",
  "Marie-Curie",
  "Victor-Hugo",
  "Les Tilleuls",
  "Jean-de-La-Fontaine",
  "Pasteur",
  "Paul-Éluard",
  "Simone-Veil",
  "Jacques-Prévert",
  "Anatole-France",
  "Condorcet",
  "Les Marronniers",
  "Le Centre",
  "Saint-Exupéry",
  "Pierre-et-Marie-Curie",
  "Albert-Camus",
  "George-Sand",
  "Charles-Perrault",
  "Les Coquelicots",
  "Le Bourg",
  "Jean-Moulin",
  "Robert-Desnos",
  "Marcel-Pagnol",
  "Les Hirondelles",
  "Olympe-de-Gouges",
  "Camille-Claudel",
  "La Fontaine-d'Amour",
  "Lucie-Aubrac",
  "Joséphine-Baker",
  "Gisèle-Halimi",
  "Les Lilas",
  "Romain-Rolland",
  "L'Orée-du-Bois",
];
const TOWN_ROOTS = [
  "Melun",
  "Brie",
  "Villiers",
  "Champigny",
  "Bussy",
  "Montreuil",
  "Noisy",
  "Lagny",
  "Provins",
  "Coulommiers",
  "Torcy",
  "Chelles",
  "Nemours",
  "Moret",
  "Fontaine",
  "Bagnolet",
  "Bondy",
  "Vitry",
  "Créteil",
  "Ivry",
  "Nogent",
  "Sucy",
  "Crécy",
  "Lizy",
  "Meaux",
  "Tournan",
  "Rozay",
  "Ozoir",
  "Savigny",
  "Dammarie",
  "Mormant",
  "Nangis",
  "Donnemarie",
  "Bray",
  "Jouarre",
  "Égreville",
  "Château-Landon",
  "Lorrez",
  "Souppes",
  "Bréau",
  "Châtenay",
  "Ury",
  "Achères",
  "L'Haÿ",
  "Saint-Maur",
  "Saint-Mard",
];
const TOWN_SUFFIXES = [
  "",
  "",
  "",
  "-sur-Marne",
  "-sur-Seine",
  "-en-Brie",
  "-le-Château",
  "-la-Forêt",
  "-sous-Bois",
  "-le-Grand",
  "-le-Petit",
  "-Saint-Denis",
  "-les-Roses",
  "-sur-Loing",
  "-en-Multien",
  "-l'Abbaye",
];
const STREETS = [
  "rue de la République",
  "rue Victor-Hugo",
  "place de l'Église",
  "rue des Écoles",
  "avenue Jean-Jaurès",
  "chemin des Vignes",
  "rue du Moulin",
  "allée des Tilleuls",
  "rue Pasteur",
  "grande rue",
  "rue de l'Abreuvoir",
  "boulevard Gambetta",
];
const DEPARTMENTS = [
  "077",
  "093",
  "094",
  "091",
  "092",
  "095",
  "078",
  "060",
  "010",
  "089",
  "045",
  "028",
  "027",
  "076",
  "080",
  "002",
];
const LEVELS = ["CP", "CE1", "CE2", "CM1", "CM2"] as const;
type Level = (typeof LEVELS)[number];
const AGE: Record<Level, number> = { CP: 6, CE1: 7, CE2: 8, CM1: 9, CM2: 10 };
const CYCLE: Record<Level, string> = { CP: "CYCLE 2", CE1: "CYCLE 2", CE2: "CYCLE 2", CM1: "CYCLE 3", CM2: "CYCLE 3" };
/** Classes per school: a weighted table (mean ≈ 5.4 classes, ≈ 120 pupils). */
const CLASS_COUNTS: [number, number][] = [
  [1, 9],
  [2, 11],
  [3, 12],
  [4, 12],
  [5, 12],
  [6, 10],
  [7, 8],
  [8, 7],
  [9, 5],
  [10, 5],
  [11, 4],
  [12, 3],
  [13, 1.3],
  [14, 0.8],
  [15, 0.4],
];
/** Levels of each class for the smallest schools (multi-level classes); bigger schools spread levels evenly. */
const SMALL: Record<number, Level[][]> = {
  1: [["CP", "CE1", "CE2", "CM1", "CM2"]],
  2: [
    ["CP", "CE1", "CE2"],
    ["CM1", "CM2"],
  ],
  3: [["CP", "CE1"], ["CE2", "CM1"], ["CM2"]],
  4: [["CP"], ["CE1", "CE2"], ["CE2", "CM1"], ["CM2"]],
};

const DTD = `<!ELEMENT ficAlimMENESR (addRequest|modifyRequest|deleteRequest)*>
<!ELEMENT addRequest (operationalAttributes, identifier, attributes)>
<!ELEMENT modifyRequest (operationalAttributes, identifier, modifications)>
<!ELEMENT deleteRequest (operationalAttributes, identifier)>
<!ELEMENT operationalAttributes (attr)>
<!ELEMENT identifier (id)>
<!ELEMENT attributes (attr+)>
<!ELEMENT attr (value+)>
<!ELEMENT modifications (modification+)>
<!ELEMENT modification (value+)>
<!ELEMENT value (#PCDATA)>
<!ELEMENT id (#PCDATA)>
<!ATTLIST attr name CDATA #REQUIRED>
<!ATTLIST modification name CDATA #REQUIRED operation (replace) #REQUIRED>
`.replace(/\n/g, "\r\n");

// ---------------------------------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&apos;", '"': "&quot;" };
const esc = (v: string) => (/[&<>'"]/.test(v) ? v.replace(/[&<>'"]/g, (c) => ESCAPES[c]!) : v);

/** The `<value>` elements of an attribute; an empty value, or none, is written `<value/>`. */
const valuesXml = (values: string[]) =>
  values.length ? values.map((v) => (v ? `<value>${v}</value>` : "<value/>")).join("") : "<value/>";
/** One attribute line; values are escaped by the caller (names, labels) or need none (ids, codes). */
const attr = (name: string, ...values: string[]) => `      <attr name="${name}">${valuesXml(values)}</attr>\r\n`;
const modification = (name: string, ...values: string[]) =>
  `      <modification name="${name}" operation="replace">${valuesXml(values)}</modification>\r\n`;
/** A date as the AAF writes it, DD/MM/YYYY. */
const aafDate = (day: number, month: number, year: number) =>
  `${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year}`;

const OPERATIONAL: Record<SynthCategory, string> = {
  EtabEducNat:
    '    <operationalAttributes><attr name="categorieStructure">' +
    "<value>EtabEducNat</value></attr></operationalAttributes>\r\n",
  Eleve:
    '    <operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>\r\n',
  PersRelEleve:
    '    <operationalAttributes><attr name="categoriePersonne">' +
    "<value>PersRelEleve</value></attr></operationalAttributes>\r\n",
  PersEducNat:
    '    <operationalAttributes><attr name="categoriePersonne">' +
    "<value>PersEducNat</value></attr></operationalAttributes>\r\n",
};
const head = (category: SynthCategory, id: string) =>
  `${OPERATIONAL[category]}    <identifier><id>${id}</id></identifier>\r\n`;
const addRecord = (category: SynthCategory, id: string, lines: string) =>
  `  <addRequest>\r\n${head(category, id)}    <attributes>\r\n${lines}    </attributes>\r\n  </addRequest>\r\n`;
const modifyRecord = (category: SynthCategory, id: string, lines: string) =>
  `  <modifyRequest>\r\n${head(category, id)}    <modifications>\r\n` +
  `${lines}    </modifications>\r\n  </modifyRequest>\r\n`;
const deleteRecord = (category: SynthCategory, id: string) =>
  `  <deleteRequest>\r\n${head(category, id)}  </deleteRequest>\r\n`;

/** Numbered files of one category, a new file every `max` records; buffered, and respecting back-pressure. */
class CategoryWriter {
  private stream: WriteStream | null = null;
  private pending: string[] = [];
  private pendingLength = 0;
  private inFile = 0;
  private index = 0;
  records = 0;
  bytes = 0;
  readonly files: string[] = [];
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly category: SynthCategory,
    private readonly max: number,
    private readonly header: string,
  ) {}

  async write(record: string): Promise<void> {
    if (!this.stream || this.inFile >= this.max) await this.next();
    this.inFile += 1;
    this.records += 1;
    this.pending.push(record);
    this.pendingLength += record.length;
    if (this.pendingLength >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length || !this.stream) return;
    const data = Buffer.from(this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingLength = 0;
    this.bytes += data.length;
    if (!this.stream.write(data)) await new Promise<void>((resolve) => this.stream!.once("drain", resolve));
  }

  private async next(): Promise<void> {
    await this.close();
    const name = `${this.prefix}_${this.category}_${String(this.index++).padStart(4, "0")}.xml`;
    this.files.push(name);
    this.stream = createWriteStream(join(this.dir, name));
    this.inFile = 0;
    this.pending.push(this.header);
  }

  async close(): Promise<void> {
    if (!this.stream) return;
    this.pending.push("</ficAlimMENESR>\r\n");
    await this.flush();
    const s = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.end(() => resolve());
    });
  }
}

class Writers {
  readonly byCategory: Record<SynthCategory, CategoryWriter>;
  constructor(dir: string, prefix: string, max: number, date: string, academy: string) {
    const header = [
      '<?xml version="1.0" encoding="ISO-8859-15"?>',
      '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">',
      "<ficAlimMENESR>",
      '<!-- versionAF="AAF1D-VE2407" -->',
      `<!-- codeAcademieExport="${esc(academy)}" -->`,
      '<!-- degre="1D" -->',
      `<!-- dateGenerationExport="${date.slice(6, 8)}/${date.slice(4, 6)}/${date.slice(0, 4)}" -->`,
      "",
    ].join("\r\n");
    this.byCategory = Object.fromEntries(
      (["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat"] as const).map((c) => [
        c,
        new CategoryWriter(dir, prefix, c, max, header),
      ]),
    ) as Record<SynthCategory, CategoryWriter>;
  }
  write(category: SynthCategory, record: string): Promise<void> {
    return this.byCategory[category].write(record);
  }
  async close(): Promise<{ files: string[]; records: Record<SynthCategory, number>; bytes: number }> {
    const files: string[] = [];
    const records = {} as Record<SynthCategory, number>;
    let bytes = 0;
    for (const [c, w] of Object.entries(this.byCategory) as [SynthCategory, CategoryWriter][]) {
      await w.close();
      files.push(...w.files);
      records[c] = w.records;
      bytes += w.bytes;
    }
    return { files, records, bytes };
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface SchoolInfo {
  jointure: string;
  uai: string;
  classes: ClassInfo[];
  director: string;
}
interface ClassInfo {
  id: string;
  label: string;
  levels: Level[];
}
interface Family {
  parents: Parent[];
  children: string[];
  name: string;
  childLevel: Level;
  classId: string;
}
interface Parent {
  jointure: string;
  first: string;
  last: string;
  civility: "M." | "Mme";
  relation: "10" | "20" | "50";
}

/** Delta material, kept for the few units the delta will touch (bounded by the share). */
type DeltaUnit =
  | { kind: "move"; pupil: string; school: SchoolInfo; from: string }
  | { kind: "rename"; pupil: string; last: string }
  | { kind: "leave"; pupil: string; parents: string[] }
  | { kind: "arrive"; school: SchoolInfo; cls: ClassInfo }
  | { kind: "parent"; parent: string; first: string; last: string }
  | { kind: "teacherMove"; staff: string; first: string; last: string; to: SchoolInfo | null; school: SchoolInfo }
  | { kind: "teacherLeave"; staff: string }
  | { kind: "teacherArrive"; school: SchoolInfo };

function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(4, 6)) - 1, Number(date.slice(6, 8)) + days));
  return d.toISOString().slice(0, 10).replace(/-/g, "");
}

const UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
function uai(dept: string, n: number): string {
  const digits = `${dept}${String(n).padStart(4, "0")}`;
  return digits + UAI_LETTERS[Number(digits) % 23];
}

function plain(v: string): string {
  return v
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9-]/g, "")
    .toLowerCase();
}

/** Writes the complete set (and the delta when asked); returns what was written. */
export async function synthesiseAcademy(options: SynthOptions): Promise<SynthSummary> {
  const random = seededRandom(options.seed ?? 1);
  // The delta's choices draw from their own stream: the complete set is the same with or without a delta.
  const deltaRandom = seededRandom(((options.seed ?? 1) ^ 0x5bd1e995) >>> 0);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const date = options.date ?? "20260901";
  if (!/^\d{8}$/.test(date)) throw new Error(`Date invalide : ${date} (attendu AAAAMMJJ).`);
  const year = Number(date.slice(0, 4));
  const max = options.maxRecordsPerFile ?? options.filesPerCategoryMaxRecords ?? 50_000;
  const academy = options.academyCode ?? "DEMO";
  const schoolCount = options.schools ?? 2638;
  const share = options.deltaShare ?? 0;
  const completeDir = join(options.outDir, "complet");
  await mkdir(completeDir, { recursive: true });
  await writeFile(join(completeDir, "ficAlimMENESR.dtd"), DTD);
  const writers = new Writers(completeDir, `ENT1D_Complet_${date}`, max, date, academy);
  const lastNames = [...new Set([...LAST_NAMES, ...MORE_LAST])];
  const childNames = [...new Set([...FIRST_NAMES, ...MORE_CHILD])];
  const adultNames = [...new Set([...ADULT_FIRST_NAMES, ...MORE_ADULT])];
  const surname = () => (random() < 0.08 ? `${pick(lastNames)}-${pick(lastNames)}` : pick(lastNames));
  const summary: SynthSummary = {
    schools: schoolCount,
    classes: 0,
    pupils: 0,
    relatives: 0,
    staff: 0,
    accounts: 0,
    files: [],
    records: { EtabEducNat: 0, Eleve: 0, PersRelEleve: 0, PersEducNat: 0 },
    bytes: 0,
    dirs: { complete: completeDir },
  };
  const units: DeltaUnit[] = [];
  const chosen = () => share > 0 && deltaRandom() < share;
  let person = 1_000_000;
  let classCounter = 5_000_000;
  const next = () => String(person++);
  const emails = new Map<string, number>();
  const academicEmail = (first: string, last: string) => {
    const key = `${plain(first)}.${plain(last)}`;
    const n = (emails.get(key) ?? 0) + 1;
    emails.set(key, n);
    return `${key}${n > 1 ? n : ""}@ac-${plain(academy)}.fr`;
  };
  // Départements in blocks of consecutive schools (up to 1,800 each), communes and circonscriptions inside them.
  const departments = DEPARTMENTS.slice(0, Math.min(DEPARTMENTS.length, Math.max(3, Math.ceil(schoolCount / 1800))));
  const perDept = new Map<string, number>();
  const communesPerDept = new Map<string, number>();
  const totalWeight = CLASS_COUNTS.reduce((s, [, w]) => s + w, 0);
  const classCount = () => {
    let r = random() * totalWeight;
    for (const [n, w] of CLASS_COUNTS) {
      r -= w;
      if (r < 0) return n;
    }
    return 5;
  };
  let lastProgress = 0;
  const progress = () => {
    const n = summary.pupils + summary.relatives + summary.staff;
    if (n - lastProgress >= 10_000) {
      lastProgress = n;
      options.onProgress?.(n);
    }
  };

  // Communes hold one to many schools; circonscriptions about 25 schools; RPI join two to four rural schools.
  let commune = { code: "", name: "", left: 0, dept: "" };
  let circ = { code: "", name: "", dept: "" };
  let rpi: { code: string; name: string; left: number } | null = null;
  let rpiIndex = 0;
  const schoolsOf: SchoolInfo[] = [];

  for (let s = 0; s < schoolCount; s++) {
    const dept = departments[Math.floor((s * departments.length) / schoolCount)]!;
    const n = (perDept.get(dept) ?? 0) + 1;
    perDept.set(dept, n);
    const school: SchoolInfo = { jointure: String(100_000 + s), uai: uai(dept, n), classes: [], director: "" };
    schoolsOf.push(school);
    if (commune.left <= 0 || commune.dept !== dept) {
      const index = (communesPerDept.get(dept) ?? 0) + 1;
      communesPerDept.set(dept, index);
      const size = random();
      const name = `${pick(TOWN_ROOTS)}${pick(TOWN_SUFFIXES)}`;
      commune = {
        code: `${dept.slice(1)}${String(index).padStart(3, "0")}`,
        name,
        dept,
        left: size < 0.7 ? 1 : size < 0.95 ? between(2, 6) : between(8, 25),
      };
    }
    commune.left -= 1;
    if ((n - 1) % 25 === 0 || circ.dept !== dept) {
      circ = { code: uai(dept, 9000 + Math.floor((n - 1) / 25)), name: `Circonscription de ${commune.name}`, dept };
    }
    const classes = classCount();
    if (classes <= 3 && !rpi && random() < 0.45) {
      rpiIndex += 1;
      rpi = {
        code: `RPI${dept}${String(rpiIndex).padStart(3, "0")}`,
        name: `RPI ${commune.name}`,
        left: between(2, 4),
      };
    }
    const inRpi = rpi !== null && classes <= 4;
    const kind = classes <= 2 && random() < 0.5 ? "ECOLE PRIMAIRE" : "ECOLE ELEMENTAIRE";
    const display = `${kind === "ECOLE PRIMAIRE" ? "École primaire" : "École élémentaire"} ${pick(SCHOOL_NAMES)}`;
    const street = `${between(1, 120)} ${pick(STREETS)}`;
    const postcode = `${dept.slice(1)}${String(between(0, 99)).padStart(3, "0")}`;
    await writers.write(
      "EtabEducNat",
      addRecord(
        "EtabEducNat",
        school.jointure,
        attr("ENTStructureJointure", school.jointure) +
          attr("ENTStructureUAI", school.uai) +
          attr("ENTStructureNomCourant", esc(`${kind}$${display}$${commune.name.toUpperCase()}`)) +
          attr("ENTStructureTypeStruct", kind) +
          attr("ENTEcoleMinistereTutelle", esc("MINISTERE DE L'EDUCATION NATIONALE")) +
          attr("ENTEcoleCodeMinistereTutelle", "06") +
          attr("ENTEtablissementContrat", "SANS OBJET") +
          attr("ENTStructureAdresse", esc(street)) +
          attr("ENTStructureCodePostal", postcode) +
          attr("ENTStructureVille", esc(commune.name.toUpperCase())) +
          attr("ENTStructureTelephone", `01${String(between(0, 99_999_999)).padStart(8, "0")}`) +
          attr("ENTStructureEmail", `ce.${school.uai.toLowerCase()}@ac-${plain(academy)}.fr`) +
          attr("ENTStructureMailSI", "") +
          attr("ENTServAcAcademie", esc(academy)) +
          attr("ENTEcoleSecteur", "PU") +
          attr("ENTEcoleCirconscription", esc(`${circ.code}$${circ.name}`)) +
          attr("ENTEcoleCommune", esc(`${commune.code}$${commune.name}`)) +
          (inRpi ? attr("ENTEcoleRPI", esc(`${rpi!.code}$${rpi!.name}`)) : ""),
      ),
    );
    if (inRpi && --rpi!.left <= 0) rpi = null;

    // Classes: levels, labels, ids.
    const layout: Level[][] =
      SMALL[classes] ??
      (() => {
        const out: Level[][] = [];
        for (let c = 0; c < classes; c++) out.push([LEVELS[Math.floor((c * 5) / classes)]!]);
        return out;
      })();
    const sameLevel = new Map<string, number>();
    for (const levels of layout) sameLevel.set(levels.join("-"), (sameLevel.get(levels.join("-")) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (const levels of layout) {
      const key = levels.join("-");
      const k = (seen.get(key) ?? 0) + 1;
      seen.set(key, k);
      const label =
        levels.length === 5
          ? "Classe unique"
          : `${key}${sameLevel.get(key)! > 1 ? ` ${String.fromCharCode(64 + k)}` : ""}`;
      school.classes.push({ id: String(classCounter++), label, levels });
    }
    summary.classes += classes;

    // Staff: a director (in charge of the first class below 13 classes), one teacher per class, a few others.
    const staffLines: string[] = [];
    const staffRecord = (
      id: string,
      first: string,
      last: string,
      civility: string,
      functions: string[],
      teacher: boolean,
      director: boolean,
    ) => {
      const born = aafDate(between(1, 28), between(1, 12), year - between(24, 62));
      staffLines.push(
        addRecord(
          "PersEducNat",
          id,
          attr("ENTPersonJointure", id) +
            attr("ENTPersonDateNaissance", born) +
            attr("ENTPersonNom", esc(last)) +
            attr("ENTPersonPrenom", esc(first)) +
            attr("ENTPersonCivilite", civility) +
            attr("ENTPersonMail", esc(academicEmail(first, last))) +
            attr("ENTPersonStructRattach", school.jointure) +
            attr("ENTPersonFonctions", ...functions.map(esc)) +
            (director ? attr("ENTEnsFonctionDir", school.jointure) : "") +
            attr("ENTPersonCategorieEnseignant", teacher ? "O" : "N"),
        ),
      );
      summary.staff += 1;
    };
    const ens = `${school.jointure}$ENS$ENSEIGNEMENT$-$-`;
    const dir = `${school.jointure}$DIR$DIRECTION$-$DIRECTION`;
    const teachers: { id: string; first: string; last: string }[] = [];
    for (let c = 0; c <= classes; c++) {
      const isDirector = c === 0;
      if (!isDirector && c === 1 && classes < 13) continue; // the director teaches the first class
      const id = next();
      const first = pick(adultNames);
      const last = surname();
      const civility = random() < 0.8 ? "Mme" : "M.";
      staffRecord(
        id,
        first,
        last,
        civility,
        isDirector ? (classes < 13 ? [dir, ens] : [dir]) : [ens],
        true,
        isDirector,
      );
      if (isDirector) school.director = id;
      else teachers.push({ id, first, last });
    }
    if (random() < 0.15) {
      const id = next();
      const f = pick(adultNames);
      const l = surname();
      staffRecord(id, f, l, "Mme", [ens], true, false);
      teachers.push({ id, first: f, last: l });
    }
    if (random() < 0.05)
      staffRecord(next(), pick(adultNames), surname(), "M.", [`${school.jointure}$PSY$PSYCHOLOGUE$-$-`], false, false);

    // Pupils and their families; a few siblings share their parents.
    const families: Family[] = [];
    const firstUnit = units.length;
    const pupilLines: string[] = [];
    for (const cls of school.classes) {
      const size =
        cls.levels.length === 5 ? between(10, 20) : cls.levels.length > 1 ? between(17, 24) : between(20, 26);
      for (let k = 0; k < size; k++) {
        const level = cls.levels[k % cls.levels.length]!;
        const pupil = next();
        let family: Family | undefined;
        if (families.length && random() < 0.07) {
          const f = families[Math.floor(random() * families.length)]!;
          if (f.children.length < 3 && f.childLevel !== level && f.classId !== cls.id) family = f;
        }
        if (!family) {
          const name = surname();
          const single = random() < 0.1;
          const mother: Parent = {
            jointure: next(),
            first: pick(adultNames),
            last: random() < 0.6 ? name : surname(),
            civility: "Mme",
            relation: "10",
          };
          const father: Parent = {
            jointure: next(),
            first: pick(adultNames),
            last: name,
            civility: "M.",
            relation: "20",
          };
          const parents = single ? [random() < 0.8 ? mother : father] : [mother, father];
          if (single && random() < 0.05) parents[0]!.relation = "50";
          family = { parents, children: [], name, childLevel: level, classId: cls.id };
          families.push(family);
        }
        family.children.push(pupil);
        const age = AGE[level] + (random() < 0.03 ? 1 : 0);
        const born = aafDate(between(1, 28), between(1, 12), year - age - (random() < 0.67 ? 0 : 1));
        const classValue = `${school.jointure}$$$${cls.id}$${esc(cls.label)}`;
        pupilLines.push(
          addRecord(
            "Eleve",
            pupil,
            attr("ENTPersonJointure", pupil) +
              attr("ENTEleveINE", `${String(person).padStart(10, "0")}${UAI_LETTERS[person % 23]}`) +
              attr("ENTPersonDateNaissance", born) +
              attr("ENTPersonNom", esc(family.name)) +
              attr("ENTPersonPrenom", esc(pick(childNames))) +
              (random() < 0.3 ? attr("ENTPersonAutresPrenoms", esc(pick(childNames))) : "") +
              attr("ENTPersonStructRattach", school.jointure) +
              attr("ENTPersonClasses", classValue) +
              attr("ENTPersonGroupes", "") +
              attr("ENTEleveAutoriteParentale", ...family.parents.map((p) => `${p.jointure}$${p.relation}`)) +
              attr("ENTEleveNiveau", level) +
              attr("ENTEleveCycle", CYCLE[level]) +
              attr("ENTEleveRestaurantScolaire", random() < 0.7 ? "O" : "N") +
              attr("ENTEleveGarderieMatin", random() < 0.3 ? "O" : "N") +
              attr("ENTEleveTransport", inRpi ? "O" : "N"),
          ),
        );
        summary.pupils += 1;
        if (chosen()) {
          const roll = deltaRandom();
          if (roll < 0.35 && school.classes.length > 1) units.push({ kind: "move", pupil, school, from: cls.id });
          else if (roll < 0.5) units.push({ kind: "rename", pupil, last: family.name });
          else if (roll < 0.75 && family.children.length === 1 && family.parents.length) {
            // A leaver from a one-child family (so far): their parents go too. A later sibling cancels it.
            units.push({ kind: "leave", pupil, parents: family.parents.map((p) => p.jointure) });
          } else units.push({ kind: "arrive", school, cls });
        }
      }
    }
    // A leaver whose family turned out to have another child keeps their parents.
    const leaving = new Set<string>();
    for (let i = firstUnit; i < units.length; i++) {
      const u = units[i]!;
      if (u.kind !== "leave") continue;
      if (families.some((f) => f.children.length > 1 && f.children.includes(u.pupil))) u.parents = [];
      u.parents.forEach((p) => leaving.add(p));
    }
    const relativeLines: string[] = [];
    for (const f of families) {
      for (const p of f.parents) {
        const mail =
          random() < 0.7
            ? attr("ENTPersonMail", esc(`${plain(p.first)}.${plain(p.last)}${between(1, 999)}@example.org`))
            : "";
        relativeLines.push(
          addRecord(
            "PersRelEleve",
            p.jointure,
            attr("ENTPersonJointure", p.jointure) +
              attr("ENTPersonNom", esc(p.last)) +
              attr("ENTPersonPrenom", esc(p.first)) +
              attr("ENTPersonCivilite", p.civility) +
              attr("ENTPersonAdresse", esc(`${between(1, 200)} ${pick(STREETS)}$$$`)) +
              attr("ENTPersonCodePostal", postcode) +
              attr("ENTPersonVille", esc(commune.name.toUpperCase())) +
              attr("ENTPersonPays", "FRANCE") +
              attr("ENTPersRelEleveTelMobile", `06${String(between(0, 99_999_999)).padStart(8, "0")}`) +
              mail +
              attr("ENTPersonAdresseDiffusion", "N") +
              attr("ENTPersRelEleveEleve", ...f.children),
          ),
        );
        summary.relatives += 1;
        if (chosen() && !leaving.has(p.jointure)) {
          units.push({ kind: "parent", parent: p.jointure, first: p.first, last: p.last });
        }
      }
    }
    for (const t of teachers) {
      if (!chosen()) continue;
      const roll = deltaRandom();
      if (roll < 0.5) units.push({ kind: "teacherMove", staff: t.id, first: t.first, last: t.last, to: null, school });
      else if (roll < 0.75) units.push({ kind: "teacherLeave", staff: t.id });
      else units.push({ kind: "teacherArrive", school });
    }
    for (const line of pupilLines) await writers.write("Eleve", line);
    for (const line of relativeLines) await writers.write("PersRelEleve", line);
    for (const line of staffLines) await writers.write("PersEducNat", line);
    progress();
  }
  const complete = await writers.close();
  summary.files = complete.files;
  summary.records = complete.records;
  summary.bytes = complete.bytes;
  summary.accounts = summary.pupils + summary.relatives + summary.staff;
  options.onProgress?.(summary.accounts);
  if (share > 0) {
    // Teachers who move go to another school of the académie, chosen now (all schools are known).
    const dpick = <T>(list: readonly T[]): T => list[Math.floor(deltaRandom() * list.length)]!;
    const dbetween = (lo: number, hi: number) => lo + Math.floor(deltaRandom() * (hi - lo + 1));
    const dsurname = () => (deltaRandom() < 0.08 ? `${dpick(lastNames)}-${dpick(lastNames)}` : dpick(lastNames));
    for (const u of units) if (u.kind === "teacherMove") u.to = dpick(schoolsOf);
    summary.dirs.delta = join(options.outDir, "delta");
    summary.delta = await writeDelta(summary.dirs.delta, units, {
      random: deltaRandom,
      pick: dpick,
      between: dbetween,
      next,
      surname: dsurname,
      adultNames,
      childNames,
      academicEmail,
      year,
      max,
      academy,
      date: options.deltaDate ?? addDays(date, 14),
    });
  }
  return summary;
}

interface DeltaTools {
  random: () => number;
  pick: <T>(list: readonly T[]) => T;
  between: (lo: number, hi: number) => number;
  next: () => string;
  surname: () => string;
  adultNames: string[];
  childNames: string[];
  academicEmail: (first: string, last: string) => string;
  year: number;
  max: number;
  academy: string;
  date: string;
}

async function writeDelta(dir: string, units: DeltaUnit[], t: DeltaTools): Promise<NonNullable<SynthSummary["delta"]>> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "ficAlimMENESR.dtd"), DTD);
  const writers = new Writers(dir, `ENT1D_Delta_${t.date}`, t.max, t.date, t.academy);
  const delta = { modified: 0, added: 0, deleted: 0, accounts: 0 };
  const ens = (school: SchoolInfo) => `${school.jointure}$ENS$ENSEIGNEMENT$-$-`;
  for (const u of units) {
    switch (u.kind) {
      case "move": {
        const others = u.school.classes.filter((c) => c.id !== u.from);
        const to = others[Math.floor(t.random() * others.length)]!;
        await writers.write(
          "Eleve",
          modifyRecord(
            "Eleve",
            u.pupil,
            modification("ENTPersonClasses", `${u.school.jointure}$$$${to.id}$${esc(to.label)}`) +
              modification("ENTEleveNiveau", to.levels[0]!),
          ),
        );
        delta.modified += 1;
        delta.accounts += 1;
        break;
      }
      case "rename":
        await writers.write(
          "Eleve",
          modifyRecord("Eleve", u.pupil, modification("ENTPersonNom", esc(`${u.last}-${t.pick(MORE_LAST)}`))),
        );
        delta.modified += 1;
        delta.accounts += 1;
        break;
      case "leave":
        await writers.write("Eleve", deleteRecord("Eleve", u.pupil));
        for (const p of u.parents) await writers.write("PersRelEleve", deleteRecord("PersRelEleve", p));
        delta.deleted += 1 + u.parents.length;
        delta.accounts += 1 + u.parents.length;
        break;
      case "arrive": {
        // A newcomer in the class, with one or two new parents.
        const pupil = t.next();
        const name = t.surname();
        const parents = [
          { id: t.next(), first: t.pick(t.adultNames), civility: "Mme", relation: "10" },
          ...(t.random() < 0.85 ? [{ id: t.next(), first: t.pick(t.adultNames), civility: "M.", relation: "20" }] : []),
        ];
        for (const p of parents) {
          await writers.write(
            "PersRelEleve",
            addRecord(
              "PersRelEleve",
              p.id,
              attr("ENTPersonJointure", p.id) +
                attr("ENTPersonNom", esc(name)) +
                attr("ENTPersonPrenom", esc(p.first)) +
                attr("ENTPersonCivilite", p.civility) +
                attr("ENTPersRelEleveEleve", pupil),
            ),
          );
        }
        const level = u.cls.levels[Math.floor(t.random() * u.cls.levels.length)]!;
        await writers.write(
          "Eleve",
          addRecord(
            "Eleve",
            pupil,
            attr("ENTPersonJointure", pupil) +
              attr("ENTPersonDateNaissance", aafDate(t.between(1, 28), t.between(1, 12), t.year - AGE[level])) +
              attr("ENTPersonNom", esc(name)) +
              attr("ENTPersonPrenom", esc(t.pick(t.childNames))) +
              attr("ENTPersonStructRattach", u.school.jointure) +
              attr("ENTPersonClasses", `${u.school.jointure}$$$${u.cls.id}$${esc(u.cls.label)}`) +
              attr("ENTEleveAutoriteParentale", ...parents.map((p) => `${p.id}$${p.relation}`)) +
              attr("ENTEleveNiveau", level),
          ),
        );
        delta.added += 1 + parents.length;
        delta.accounts += 1 + parents.length;
        break;
      }
      case "parent":
        await writers.write(
          "PersRelEleve",
          modifyRecord(
            "PersRelEleve",
            u.parent,
            t.random() < 0.7
              ? modification(
                  "ENTPersonMail",
                  esc(`${plain(u.first)}.${plain(u.last)}${t.between(1000, 9999)}@example.net`),
                )
              : modification("ENTPersonNom", esc(t.surname())),
          ),
        );
        delta.modified += 1;
        delta.accounts += 1;
        break;
      case "teacherMove": {
        const to = u.to && u.to !== u.school ? u.to : u.school;
        await writers.write(
          "PersEducNat",
          modifyRecord(
            "PersEducNat",
            u.staff,
            modification("ENTPersonStructRattach", to.jointure) + modification("ENTPersonFonctions", esc(ens(to))),
          ),
        );
        delta.modified += 1;
        delta.accounts += 1;
        break;
      }
      case "teacherLeave":
        await writers.write("PersEducNat", deleteRecord("PersEducNat", u.staff));
        delta.deleted += 1;
        delta.accounts += 1;
        break;
      case "teacherArrive": {
        const id = t.next();
        const first = t.pick(t.adultNames);
        const last = t.surname();
        await writers.write(
          "PersEducNat",
          addRecord(
            "PersEducNat",
            id,
            attr("ENTPersonJointure", id) +
              attr("ENTPersonNom", esc(last)) +
              attr("ENTPersonPrenom", esc(first)) +
              attr("ENTPersonCivilite", "Mme") +
              attr("ENTPersonMail", esc(t.academicEmail(first, last))) +
              attr("ENTPersonStructRattach", u.school.jointure) +
              attr("ENTPersonFonctions", esc(ens(u.school))) +
              attr("ENTPersonCategorieEnseignant", "O"),
          ),
        );
        delta.added += 1;
        delta.accounts += 1;
        break;
      }
    }
  }
  const written = await writers.close();
  return { ...delta, files: written.files, records: written.records, bytes: written.bytes };
}
