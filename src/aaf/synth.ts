// `preau aaf synth`: a realistic primary-school (1D) académie in the AAF format — by default 2,638 schools and about
// a million accounts — written as numbered files per category, streamed (bounded memory), deterministic for a seed;
// and, on request, a delta touching a given share of the accounts. Used by the benchmark and by large tests.
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ADULT_FIRST_NAMES, FIRST_NAMES, LAST_NAMES } from "../services/demo-names";

export interface SynthOptions {
  outDir: string;
  schools?: number;
  seed?: number;
  academyCode?: string;
  /** Share of accounts a delta set touches (e.g. 0.01); no delta when absent. */
  deltaShare?: number;
  date?: string;
  deltaDate?: string;
  maxRecordsPerFile?: number;
  onProgress?: (accounts: number) => void;
}

export interface SynthSummary {
  schools: number; classes: number; pupils: number; relatives: number; staff: number; accounts: number; files: string[];
  delta?: { modified: number; added: number; deleted: number; files: string[] };
}

const EXTRA_LAST = ["D'Amico", "L'Hôte", "N'Diaye", "Le Gall", "Lefèvre", "Müller", "Öztürk", "Nguyễn"];
const LEVELS = ["CP", "CE1", "CE2", "CM1", "CM2"] as const;
const DEPTS = ["077", "093", "094"];
const BIRTH: Record<string, number> = { CP: 2020, CE1: 2019, CE2: 2018, CM1: 2017, CM2: 2016 };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;");
const attr = (name: string, ...values: string[]) =>
  `<attr name="${name}">${values.length ? values.map((v) => (v ? `<value>${esc(v)}</value>` : "<value/>")).join("") : "<value/>"}</attr>`;

function uai(dept: string, n: number): string {
  const number = Number(dept) * 10_000 + n;
  return String(number).padStart(7, "0") + "ABCDEFGHJKLMNPRSTUVWXYZ"[number % 23];
}

/** Numbered files of one category, a new file every `max` records; writes respect back-pressure. */
class CategoryWriter {
  private stream: WriteStream | null = null;
  private inFile = 0;
  private index = 0;
  readonly files: string[] = [];
  constructor(private readonly dir: string, private readonly prefix: string, private readonly category: string, private readonly max: number) {}
  async write(record: string): Promise<void> {
    if (!this.stream || this.inFile >= this.max) await this.next();
    this.inFile += 1;
    if (!this.stream!.write(`  ${record}\r\n`)) await new Promise<void>((r) => this.stream!.once("drain", () => r()));
  }
  private async next(): Promise<void> {
    await this.close();
    const name = `${this.prefix}_${this.category}_${String(this.index++).padStart(4, "0")}.xml`;
    this.files.push(name);
    this.stream = createWriteStream(join(this.dir, name));
    this.inFile = 0;
    this.stream.write('<?xml version="1.0" encoding="ISO-8859-15"?>\r\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\r\n<ficAlimMENESR>\r\n');
  }
  async close(): Promise<void> {
    if (!this.stream) return;
    const s = this.stream;
    this.stream = null;
    await new Promise<void>((resolve, reject) => s.end("</ficAlimMENESR>\r\n", () => resolve()).on("error", reject));
  }
}

const head = (category: string, id: string) =>
  `<operationalAttributes><attr name="${category === "EtabEducNat" ? "categorieStructure" : "categoriePersonne"}"><value>${category}</value></attr></operationalAttributes><identifier><id>${id}</id></identifier>`;
const add = (category: string, id: string, attrs: string[]) => `<addRequest>${head(category, id)}<attributes>${attrs.join("")}</attributes></addRequest>`;
const modify = (category: string, id: string, attrs: string[]) =>
  `<modifyRequest>${head(category, id)}<modifications>${attrs.map((a) => a.replace(/^<attr name="([^"]+)">/, '<modification name="$1" operation="replace">').replace(/<\/attr>$/, "</modification>")).join("")}</modifications></modifyRequest>`;
const remove = (category: string, id: string) => `<deleteRequest>${head(category, id)}</deleteRequest>`;

interface DeltaPupil { jointure: string; school: string; classes: string[]; last: string }

export async function synthesiseAcademy(options: SynthOptions): Promise<SynthSummary> {
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const date = options.date ?? "20260901";
  const max = options.maxRecordsPerFile ?? 50_000;
  await mkdir(options.outDir, { recursive: true });
  const writers = Object.fromEntries(["EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat"].map((c) =>
    [c, new CategoryWriter(options.outDir, `ENT1D_Complet_${date}`, c, max)])) as Record<string, CategoryWriter>;
  const lastNames = [...LAST_NAMES, ...EXTRA_LAST];
  const schoolCount = options.schools ?? 2638;
  const summary: SynthSummary = { schools: schoolCount, classes: 0, pupils: 0, relatives: 0, staff: 0, accounts: 0, files: [] };
  const deltaCandidates: DeltaPupil[] = [];
  let person = 1_000_000;
  const next = () => String(person++);

  for (let s = 0; s < schoolCount; s++) {
    const dept = DEPTS[s % DEPTS.length]!;
    const jointure = String(100_000 + s);
    const size = random();
    const classCount = size < 0.2 ? 1 + Math.floor(random() * 3) : size < 0.7 ? 4 + Math.floor(random() * 5) : 9 + Math.floor(random() * 7);
    const rural = classCount <= 3;
    const circ = Math.floor(s / 25);
    const commune = Math.floor(s / 2);
    const name = `${rural ? "École primaire" : "École élémentaire"} ${pick(["Jules-Ferry", "Jean-Jaurès", "Louise-Michel", "Marie-Curie",
      "Victor-Hugo", "Les Tilleuls", "Jean-de-La-Fontaine", "Pasteur", "Paul-Éluard", "Simone-Veil"])}`;
    const city = `Commune ${commune}`;
    await writers.EtabEducNat!.write(add("EtabEducNat", jointure, [
      attr("ENTStructureJointure", jointure), attr("ENTStructureUAI", uai(dept, Math.floor(s / DEPTS.length) + 1)),
      attr("ENTStructureNomCourant", `ECOLE$${name}$${city.toUpperCase()}`), attr("ENTStructureTypeStruct", "ECOLE"),
      attr("ENTStructureVille", city), attr("ENTEcoleCirconscription", `C${dept}${String(circ).padStart(3, "0")}$Circonscription ${circ}`),
      attr("ENTEcoleCommune", `${dept}${String(commune).padStart(3, "0")}$${city}`),
      ...(rural ? [attr("ENTEcoleRPI", `RPI${Math.floor(s / 4)}$RPI ${Math.floor(s / 4)}`)] : []),
      attr("ENTServAcAcademie", options.academyCode ?? "DEMO"),
    ]));

    const director = next();
    await writers.PersEducNat!.write(add("PersEducNat", director, staff(director, pick(ADULT_FIRST_NAMES), pick(lastNames), jointure, true)));
    summary.staff += 1;
    let previousParents: [string, string] | null = null;
    for (let c = 0; c < classCount; c++) {
      const levels = rural && classCount < 5 ? [LEVELS[(c * 2) % 5]!, LEVELS[(c * 2 + 1) % 5]!] : [LEVELS[c % 5]!];
      const code = `${levels.join("")}${String.fromCharCode(65 + Math.floor(c / 5))}`;
      const label = `${levels.join("-")}${classCount > 5 ? ` ${String.fromCharCode(65 + Math.floor(c / 5))}` : ""}`;
      summary.classes += 1;
      if (c > 0 || classCount === 1) {
        const teacher = next();
        await writers.PersEducNat!.write(add("PersEducNat", teacher, staff(teacher, pick(ADULT_FIRST_NAMES), pick(lastNames), jointure, false)));
        summary.staff += 1;
      }
      const pupils = 20 + Math.floor(random() * 9);
      for (let k = 0; k < pupils; k++) {
        const pupil = next();
        const level = levels[k % levels.length]!;
        // Siblings share their parents (15 %); some families have one responsible person (10 %).
        let parents: string[];
        let family: string;
        if (previousParents && random() < 0.15) {
          parents = previousParents;
          family = "";
        } else {
          family = pick(lastNames);
          const single = random() < 0.1;
          parents = single ? [next()] : [next(), next()];
          for (const [i, p] of parents.entries()) {
            await writers.PersRelEleve!.write(add("PersRelEleve", p, [attr("ENTPersonJointure", p), attr("ENTPersonNom", family),
              attr("ENTPersonPrenom", pick(ADULT_FIRST_NAMES)), attr("ENTPersonCivilite", i === 0 ? "Mme" : "M."),
              attr("ENTPersonMail", ""), attr("ENTPersRelEleveEleve", pupil)]));
            summary.relatives += 1;
          }
          previousParents = parents.length === 2 ? [parents[0]!, parents[1]!] : null;
        }
        const last = family || pick(lastNames);
        const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
        const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
        const classValue = `${jointure}$1$${level}$${code}$${label}`;
        await writers.Eleve!.write(add("Eleve", pupil, [attr("ENTPersonJointure", pupil), attr("ENTPersonNom", last),
          attr("ENTPersonPrenom", pick(FIRST_NAMES)), attr("ENTPersonDateNaissance", `${day}/${month}/${BIRTH[level]}`),
          attr("ENTPersonStructRattach", jointure), attr("ENTPersonClasses", classValue),
          attr("ENTEleveAutoriteParentale", ...parents.map((p) => `${p}$${parents.length === 1 ? "50" : "10"}`)), attr("ENTEleveNiveau", level),
          attr("ENTEleveRestaurantScolaire", random() < 0.7 ? "O" : "N")]));
        summary.pupils += 1;
        if (options.deltaShare && random() < options.deltaShare) deltaCandidates.push({ jointure: pupil, school: jointure, classes: [classValue], last });
        if ((summary.pupils & 0x3fff) === 0) options.onProgress?.(summary.pupils + summary.relatives + summary.staff);
      }
    }
  }
  for (const w of Object.values(writers)) { await w.close(); summary.files.push(...w.files); }
  summary.accounts = summary.pupils + summary.relatives + summary.staff;
  if (options.deltaShare) summary.delta = await writeDelta(options, deltaCandidates, random, () => next(), lastNames);
  return summary;
}

function staff(id: string, first: string, last: string, school: string, director: boolean): string[] {
  return [attr("ENTPersonJointure", id), attr("ENTPersonNom", last), attr("ENTPersonPrenom", first),
    attr("ENTPersonMail", `${first}.${last}`.normalize("NFD").replace(/[^A-Za-z.]/g, "").toLowerCase() + `${id.slice(-3)}@ac-synth.fr`),
    attr("ENTPersonStructRattach", school), attr("ENTPersonCategorieEnseignant", "O"),
    attr("ENTPersonFonctions", director ? `${school}$DIR$DIRECTION$-$-` : `${school}$ENS$ENSEIGNEMENT$-$-`),
    attr("ENTEnsFonctionDir", director ? "O" : "N")];
}

async function writeDelta(options: SynthOptions, candidates: DeltaPupil[], random: () => number, next: () => string,
  lastNames: string[]): Promise<NonNullable<SynthSummary["delta"]>> {
  const date = options.deltaDate ?? "20260915";
  const max = options.maxRecordsPerFile ?? 50_000;
  const eleve = new CategoryWriter(options.outDir, `ENT1D_Delta_${date}`, "Eleve", max);
  const rel = new CategoryWriter(options.outDir, `ENT1D_Delta_${date}`, "PersRelEleve", max);
  const delta = { modified: 0, added: 0, deleted: 0, files: [] as string[] };
  for (const p of candidates) {
    const roll = random();
    if (roll < 0.4) {
      // A move to the other class of the same school, or a corrected name.
      const parts = p.classes[0]!.split("$");
      await eleve.write(modify("Eleve", p.jointure, random() < 0.5
        ? [attr("ENTPersonClasses", `${parts[0]}$${parts[1]}$${parts[2]}$${parts[3]}B$${parts[4]} B`)]
        : [attr("ENTPersonNom", `${p.last}-${lastNames[Math.floor(random() * lastNames.length)]}`)]));
      delta.modified += 1;
    } else if (roll < 0.7) {
      await eleve.write(remove("Eleve", p.jointure));
      delta.deleted += 1;
    } else {
      // A newcomer in the same class, with a parent.
      const pupil = next();
      const parent = next();
      const family = lastNames[Math.floor(random() * lastNames.length)]!;
      await rel.write(add("PersRelEleve", parent, [attr("ENTPersonJointure", parent), attr("ENTPersonNom", family),
        attr("ENTPersonPrenom", "Camille"), attr("ENTPersRelEleveEleve", pupil)]));
      await eleve.write(add("Eleve", pupil, [attr("ENTPersonJointure", pupil), attr("ENTPersonNom", family), attr("ENTPersonPrenom", "Sacha"),
        attr("ENTPersonDateNaissance", "02/02/2018"), attr("ENTPersonStructRattach", p.school), attr("ENTPersonClasses", p.classes[0]!),
        attr("ENTEleveAutoriteParentale", `${parent}$10`)]));
      delta.added += 2;
    }
  }
  await eleve.close();
  await rel.close();
  delta.files.push(...eleve.files, ...rel.files);
  return delta;
}
