// Factories for AAF 1D deliveries: small académies described in JS, written as real ficAlimMENESR files
// (ISO-8859-15 declared, UTF-8 content, CRLF, DOCTYPE) into a fresh folder.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SchoolSpec {
  jointure: string;
  uai: string;
  name: string;
  city?: string;
  circ?: [string, string];
  commune?: [string, string];
  rpi?: [string, string];
}
export interface PupilSpec {
  jointure: string;
  first: string;
  last: string;
  birth?: string;
  school: string;
  classCode?: string;
  classLabel?: string;
  parents?: string[];
  level?: string;
}
export interface RelativeSpec {
  jointure: string;
  first: string;
  last: string;
  children?: string[];
}
export interface StaffSpec {
  jointure: string;
  first: string;
  last: string;
  email?: string;
  schools: string[];
  director?: string;
  teacher?: boolean;
}

export interface DeliverySpec {
  schools?: SchoolSpec[];
  pupils?: PupilSpec[];
  relatives?: RelativeSpec[];
  staff?: StaffSpec[];
  mode?: "Complet" | "Delta";
  date?: string;
  /** Raw records appended to a category file, for modify/delete requests and broken input. */
  extra?: Partial<Record<"EtabEducNat" | "Eleve" | "PersRelEleve" | "PersEducNat", string[]>>;
}

const esc = (v: string) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;");

export function attr(name: string, ...values: (string | undefined)[]): string {
  const vs = values.filter((v): v is string => v !== undefined);
  return (
    `<attr name="${name}"` +
    `>${vs.length ? vs.map((v) => (v === "" ? "<value/>" : `<value>${esc(v)}</value>`)).join("") : "<value/>"}</attr>`
  );
}

export function record(kind: "add" | "modify" | "delete", category: string, id: string, attrs: string[] = []): string {
  const op = category === "EtabEducNat" ? "categorieStructure" : "categoriePersonne";
  const head =
    `<operationalAttributes><attr ` +
    `name="${op}"><value>${category}</value></attr></operationalAttributes><identifier><id>${id}</id></identifier>`;
  if (kind === "delete") return `<deleteRequest>${head}</deleteRequest>`;
  if (kind === "modify") {
    const mods = attrs.map((a) =>
      a
        .replace(/^<attr name="([^"]+)">/, '<modification name="$1" operation="replace">')
        .replace(/<\/attr>$/, "</modification>"),
    );
    return `<modifyRequest>${head}<modifications>${mods.join("")}</modifications></modifyRequest>`;
  }
  return `<addRequest>${head}<attributes>${attrs.join("")}</attributes></addRequest>`;
}

export function file(records: string[]): string {
  return [
    '<?xml version="1.0" encoding="ISO-8859-15"?>',
    '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">',
    "<ficAlimMENESR>",
    ...records.map((r) => `  ${r}`),
    "</ficAlimMENESR>",
    "",
  ].join("\r\n");
}

export function schoolRecord(s: SchoolSpec): string {
  return record("add", "EtabEducNat", s.jointure, [
    attr("ENTStructureJointure", s.jointure),
    attr("ENTStructureUAI", s.uai),
    attr("ENTStructureNomCourant", `ECOLE ELEMENTAIRE$${s.name}$${s.city ?? "TESTVILLE"}`),
    attr("ENTStructureTypeStruct", "ECOLE"),
    attr("ENTStructureVille", s.city ?? "TESTVILLE"),
    ...(s.circ ? [attr("ENTEcoleCirconscription", `${s.circ[0]}$${s.circ[1]}`)] : []),
    ...(s.commune ? [attr("ENTEcoleCommune", `${s.commune[0]}$${s.commune[1]}`)] : []),
    ...(s.rpi ? [attr("ENTEcoleRPI", `${s.rpi[0]}$${s.rpi[1]}`)] : []),
  ]);
}

export function pupilRecord(p: PupilSpec): string {
  return record("add", "Eleve", p.jointure, [
    attr("ENTPersonJointure", p.jointure),
    attr("ENTPersonNom", p.last),
    attr("ENTPersonPrenom", p.first),
    attr("ENTPersonDateNaissance", p.birth ?? "14/03/2017"),
    attr("ENTPersonStructRattach", p.school),
    ...(p.classCode ? [attr("ENTPersonClasses", `${p.school}$$$${p.classCode}$${p.classLabel ?? p.classCode}`)] : []),
    attr("ENTEleveAutoriteParentale", ...(p.parents ?? []).map((j) => `${j}$10`)),
    ...(p.level ? [attr("ENTEleveNiveau", p.level)] : []),
  ]);
}

export function relativeRecord(r: RelativeSpec): string {
  return record("add", "PersRelEleve", r.jointure, [
    attr("ENTPersonJointure", r.jointure),
    attr("ENTPersonNom", r.last),
    attr("ENTPersonPrenom", r.first),
    ...(r.children?.length ? [attr("ENTPersRelEleveEleve", ...r.children)] : []),
  ]);
}

export function staffRecord(s: StaffSpec): string {
  const functions = s.schools.map((j) => (s.director === j ? `${j}$DIR$DIRECTION$-$-` : `${j}$ENS$ENSEIGNEMENT$-$-`));
  return record("add", "PersEducNat", s.jointure, [
    attr("ENTPersonJointure", s.jointure),
    attr("ENTPersonNom", s.last),
    attr("ENTPersonPrenom", s.first),
    attr("ENTPersonMail", s.email ?? `${s.first}.${s.last}@ac-test.fr`.toLowerCase()),
    attr("ENTPersonStructRattach", ...s.schools),
    attr("ENTPersonFonctions", ...functions),
    attr("ENTPersonCategorieEnseignant", s.teacher === false ? "N" : "O"),
  ]);
}

/** Writes the delivery into a fresh folder, one numbered file per category; returns the folder. */
export async function writeDelivery(spec: DeliverySpec): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "preau-aaf-"));
  const date = spec.date ?? "20260901";
  const mode = spec.mode ?? "Complet";
  const categories: [string, string[]][] = [
    ["EtabEducNat", (spec.schools ?? []).map(schoolRecord)],
    ["Eleve", (spec.pupils ?? []).map(pupilRecord)],
    ["PersRelEleve", (spec.relatives ?? []).map(relativeRecord)],
    ["PersEducNat", (spec.staff ?? []).map(staffRecord)],
  ];
  for (const [category, records] of categories) {
    const all = [...records, ...(spec.extra?.[category as "Eleve"] ?? [])];
    if (all.length) await writeFile(join(dir, `ENT1D_${mode}_${date}_${category}_0000.xml`), file(all));
  }
  return dir;
}

let seq = 0;
/** A small coherent académie: `schools` schools of two classes, pupils with two parents, a director and teachers. */
export function smallAcademy(
  options: { schools?: number; pupilsPerClass?: number; prefix?: string } = {},
): DeliverySpec {
  const prefix = options.prefix ?? `${Date.now() % 100000}${seq++}`;
  const spec: Required<Pick<DeliverySpec, "schools" | "pupils" | "relatives" | "staff">> = {
    schools: [],
    pupils: [],
    relatives: [],
    staff: [],
  };
  const n = options.schools ?? 2;
  for (let s = 0; s < n; s++) {
    const sj = `${prefix}S${s}`;
    const number = 3_000_000 + ((Number(prefix.replace(/\D/g, "")) * 7 + s) % 6_000_000);
    spec.schools.push({
      jointure: sj,
      uai: uaiFor(number),
      name: `École ${prefix}-${s}`,
      city: "Belleville",
      circ: [`C${prefix}`, `Circonscription ${prefix}`],
      commune: [`M${prefix}${s % 2}`, `Commune ${s % 2}`],
    });
    spec.staff.push({ jointure: `${sj}D`, first: "Directrice", last: `Ecole${s}`, schools: [sj], director: sj });
    for (const [k, code] of ["CM1", "CE2"].entries()) {
      spec.staff.push({ jointure: `${sj}T${k}`, first: "Enseignant", last: `${code}${s}`, schools: [sj] });
      for (let i = 0; i < (options.pupilsPerClass ?? 3); i++) {
        const pj = `${sj}P${k}${i}`;
        spec.relatives.push(
          { jointure: `${pj}M`, first: "Mère", last: `Famille${pj}` },
          { jointure: `${pj}F`, first: "Père", last: `Famille${pj}` },
        );
        spec.pupils.push({
          jointure: pj,
          first: `Élève${i}`,
          last: `Famille${pj}`,
          school: sj,
          classCode: `${code}A`,
          classLabel: code,
          parents: [`${pj}M`, `${pj}F`],
          level: code,
        });
      }
    }
  }
  return spec;
}

export function uaiFor(number: number): string {
  return String(number).padStart(7, "0") + "ABCDEFGHJKLMNPRSTUVWXYZ"[number % 23];
}
