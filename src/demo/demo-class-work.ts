// Issue 21: the demo class (CM1, Jules-Ferry) opens with work in it — a wall of post-its written by its pupils and
// teacher after a museum trip, and the trip's report as a live document shared with the class. The records are rows
// like any other; the content is a Y.Doc built here and applied to the room as one update, the path a server-side
// change takes (the no-JavaScript wall form does the same through `rooms.change`).
import * as Y from "yjs";
import { documents, walls } from "../../db/schema";
import type { Tx } from "../../db/client";
import type { Rooms } from "../../realtime/port";
import { addPostit, type PostitColour } from "../../realtime/wall-model";
import { blocksToText, fragmentOf, readBlocks } from "../../realtime/document-model";
import { wallRoomId } from "../services/collaboration/walls";
import { documentRoomId } from "../services/collaboration/documents";

export const DEMO_WALL_TITLE = "Notre sortie au musée";
export const DEMO_DOCUMENT_TITLE = "Compte rendu de la sortie";

/** Who writes on the demo wall: a pupil of the class by rank (0 is Léa, demo.eleve), or the teacher. */
type Writer = { pupil: number } | "teacher";

const POSTITS: { by: Writer; text: string; colour: PostitColour; x: number; y: number }[] = [
  {
    by: { pupil: 0 },
    text: "J'ai adoré les squelettes de dinosaures ! Le tyrannosaure était immense.",
    colour: "jaune",
    x: 30,
    y: 30,
  },
  {
    by: { pupil: 1 },
    text: "Le guide nous a expliqué comment les Égyptiens fabriquaient une momie.",
    colour: "rose",
    x: 250,
    y: 50,
  },
  {
    by: { pupil: 2 },
    text: "Ma salle préférée : les minéraux qui brillent dans le noir.",
    colour: "bleu",
    x: 470,
    y: 25,
  },
  {
    by: { pupil: 3 },
    text: "On a dessiné une statue grecque dans notre carnet de croquis.",
    colour: "vert",
    x: 690,
    y: 60,
  },
  {
    by: { pupil: 4 },
    text: "Question : pourquoi les tableaux anciens sont-ils si sombres ?",
    colour: "orange",
    x: 40,
    y: 250,
  },
  {
    by: { pupil: 5 },
    text: "Le pique-nique dans le jardin du musée, c'était trop bien !",
    colour: "jaune",
    x: 265,
    y: 270,
  },
  {
    by: { pupil: 6 },
    text: "J'ai appris qu'une météorite peut peser plusieurs tonnes.",
    colour: "bleu",
    x: 480,
    y: 245,
  },
  {
    by: { pupil: 7 },
    text: "À l'atelier fresque, on a peint avec des pigments naturels : de la terre et du charbon.",
    colour: "rose",
    x: 700,
    y: 280,
  },
  {
    by: { pupil: 8 },
    text: "Je voudrais y retourner avec ma famille pendant les vacances.",
    colour: "vert",
    x: 150,
    y: 470,
  },
  {
    by: "teacher",
    text: "Merci à tous pour votre curiosité ! Demain, nous écrivons ensemble le compte rendu de la sortie.",
    colour: "orange",
    x: 400,
    y: 480,
  },
];

export const DEMO_POSTIT_COUNT = POSTITS.length;

/** The report: a heading, then paragraphs and a short list, as the editor writes them (y-prosemirror's tree). */
const REPORT: ({ kind: "h1" | "h2" | "p"; text: string; bold?: string } | { kind: "list"; items: string[] })[] = [
  { kind: "h1", text: "Notre sortie au musée d'histoire naturelle" },
  {
    kind: "p",
    text:
      "Mardi, la classe de CM1 est allée au musée d'histoire naturelle de Belleville-sur-Loire. Nous sommes " +
      "partis en car à 8 h 30 et nous sommes rentrés à l'école à 16 h.",
  },
  {
    kind: "p",
    text:
      "Le matin, un guide nous a fait visiter la grande galerie. Nous avons vu des squelettes de dinosaures, des " +
      "momies égyptiennes et une météorite tombée il y a plus de cent ans.",
    bold: "une météorite",
  },
  { kind: "h2", text: "Ce que nous avons appris" },
  {
    kind: "list",
    items: [
      "Les fossiles se forment pendant des millions d'années.",
      "Les peintres d'autrefois fabriquaient leurs couleurs avec des pigments naturels.",
      "Certains minéraux brillent quand on les éclaire avec une lampe spéciale.",
    ],
  },
  {
    kind: "p",
    text:
      "L'après-midi, après le pique-nique dans le jardin, nous avons peint une fresque à l'atelier. Chacun " +
      "complète ce compte rendu avec ce qu'il a préféré.",
  },
];

export interface DemoClassWork {
  uai: string;
  classId: string;
  teacherId: string;
  /** The class's pupils in the demo's order, with their names. */
  pupils: { id: string; firstName: string; lastName: string }[];
  teacher: { firstName: string; lastName: string };
  wallId: string;
  documentId: string;
  /** One id per post-it (drawn from the demo's seeded sequence: a rebuild gives the same wall). */
  postitIds: string[];
  now: Date;
}

/** The rows of the demo wall and document, in the demo's transaction. */
export async function insertDemoClassWork(tx: Tx, w: DemoClassWork): Promise<void> {
  await tx.insert(walls).values({
    id: w.wallId,
    uai: w.uai,
    title: DEMO_WALL_TITLE,
    scope: "class",
    classId: w.classId,
    ownerId: w.teacherId,
    layout: "free",
    mode: "open",
    columns: [],
    createdAt: w.now,
    updatedAt: w.now,
  });
  await tx.insert(documents).values({
    id: w.documentId,
    uai: w.uai,
    title: DEMO_DOCUMENT_TITLE,
    ownerId: w.teacherId,
    sharing: "class",
    classId: w.classId,
    access: "write",
    text: blocksToText(readBlocks(reportDoc())),
    createdAt: w.now,
    updatedAt: w.now,
  });
}

/** The rooms' content, once the rows are committed: each room emptied (a rebuild), then given its content. */
export async function fillDemoRooms(rooms: Rooms, w: DemoClassWork): Promise<void> {
  const wallRoom = wallRoomId({ uai: w.uai, id: w.wallId });
  const docRoom = documentRoomId({ uai: w.uai, id: w.documentId });
  const wall = Y.encodeStateAsUpdate(wallDoc(w));
  const report = Y.encodeStateAsUpdate(reportDoc());
  await rooms.erase(wallRoom);
  await rooms.change(wallRoom, (doc) => Y.applyUpdate(doc, wall));
  await rooms.erase(docRoom);
  await rooms.change(docRoom, (doc) => Y.applyUpdate(doc, report));
}

function wallDoc(w: DemoClassWork): Y.Doc {
  const doc = new Y.Doc();
  const teacherName = `${w.teacher.firstName} ${w.teacher.lastName}`;
  doc.transact(() => {
    for (const [i, p] of POSTITS.entries()) {
      const pupil = p.by === "teacher" ? null : w.pupils[p.by.pupil % w.pupils.length]!;
      addPostit(doc, {
        id: w.postitIds[i]!,
        authorId: pupil ? pupil.id : w.teacherId,
        authorName: pupil ? `${pupil.firstName} ${pupil.lastName}` : teacherName,
        text: p.text,
        colour: p.colour,
        x: p.x,
        y: p.y,
        column: 0,
        approved: true,
        createdAt: new Date(w.now.getTime() + i * 60_000).toISOString(),
      });
    }
  });
  return doc;
}

function reportDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const fragment = fragmentOf(doc);
    for (const block of REPORT) {
      if (block.kind === "list") {
        const list = new Y.XmlElement("bullet_list");
        fragment.insert(fragment.length, [list]);
        for (const item of block.items) {
          const li = new Y.XmlElement("list_item");
          list.insert(list.length, [li]);
          const p = new Y.XmlElement("paragraph");
          li.insert(0, [p]);
          const text = new Y.XmlText();
          p.insert(0, [text]);
          text.insert(0, item);
        }
        continue;
      }
      const el = new Y.XmlElement(block.kind === "p" ? "paragraph" : "heading");
      fragment.insert(fragment.length, [el]);
      // Attributes and text once the element belongs to the document (Yjs reads nothing before).
      if (block.kind !== "p") el.setAttribute("level", (block.kind === "h1" ? 1 : 2) as never);
      const text = new Y.XmlText();
      el.insert(0, [text]);
      writeText(text, block.text, block.kind === "p" ? block.bold : undefined);
    }
  });
  return doc;
}

/** The text, with `bold` (a part of it) in bold as the editor marks it. */
function writeText(text: Y.XmlText, content: string, bold?: string): void {
  const at = bold ? content.indexOf(bold) : -1;
  if (!bold || at < 0) {
    text.insert(0, content);
    return;
  }
  text.insert(0, content.slice(0, at));
  text.insert(text.length, bold, { strong: {} });
  text.insert(text.length, content.slice(at + bold.length), { strong: null });
}
