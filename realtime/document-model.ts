// A live document's content inside its room (56B): the Y.XmlFragment "prosemirror" that y-prosemirror binds the
// editor to. Read on the server for the read-only HTML view, the search text and the exports. Only the nodes and
// marks of the editor's schema are rendered; anything else a client might write is dropped.
import * as Y from "yjs";

export const FRAGMENT = "prosemirror";

export function fragmentOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(FRAGMENT);
}

/** A neutral tree of the content, rendered to HTML and ODT alike. */
export type Block =
  | { type: "paragraph"; inline: Inline[] }
  | { type: "heading"; level: 1 | 2 | 3; inline: Inline[] }
  | { type: "list"; ordered: boolean; items: Block[][] }
  | { type: "image"; src: string; alt: string }
  | { type: "quote"; blocks: Block[] }
  | { type: "rule" };

export type Inline = { text: string; bold: boolean; italic: boolean; href: string | null } | { br: true };

const SAFE_HREF = /^(https?:|mailto:)/i;
/** Pasted images (55F) are data URLs of raster types only (no SVG: it could carry script). */
const SAFE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

function inlineOf(node: Y.XmlElement | Y.XmlText): Inline[] {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]).flatMap((d) => {
      if (typeof d.insert !== "string") return [];
      const a = d.attributes ?? {};
      const link = Object.entries(a).find(([k]) => k === "link" || k.startsWith("link--"))?.[1] as
        | { href?: unknown }
        | undefined;
      const href = link && typeof link.href === "string" && SAFE_HREF.test(link.href) ? link.href : null;
      const has = (name: string) => Object.keys(a).some((k) => k === name || k.startsWith(`${name}--`));
      return [{ text: d.insert, bold: has("strong"), italic: has("em"), href }];
    });
  }
  if (node.nodeName === "hard_break") return [{ br: true }];
  return [];
}

function inlineChildren(el: Y.XmlElement): Inline[] {
  return el.toArray().flatMap((c) => inlineOf(c as Y.XmlElement | Y.XmlText));
}

function blockOf(el: Y.XmlElement | Y.XmlText): Block[] {
  if (!(el instanceof Y.XmlElement)) return [];
  switch (el.nodeName) {
    case "paragraph":
      return [{ type: "paragraph", inline: inlineChildren(el) }];
    case "heading": {
      const level = Number(el.getAttribute("level"));
      return [{ type: "heading", level: level === 2 ? 2 : level === 3 ? 3 : 1, inline: inlineChildren(el) }];
    }
    case "bullet_list":
    case "ordered_list":
      return [
        {
          type: "list",
          ordered: el.nodeName === "ordered_list",
          items: el
            .toArray()
            .filter((li): li is Y.XmlElement => li instanceof Y.XmlElement && li.nodeName === "list_item")
            .map((li) => li.toArray().flatMap((c) => blockOf(c as Y.XmlElement))),
        },
      ];
    case "image": {
      const src = String(el.getAttribute("src") ?? "");
      return SAFE_IMAGE.test(src)
        ? [{ type: "image", src, alt: String(el.getAttribute("alt") ?? "").slice(0, 300) }]
        : [];
    }
    case "blockquote":
      return [{ type: "quote", blocks: el.toArray().flatMap((c) => blockOf(c as Y.XmlElement)) }];
    case "horizontal_rule":
      return [{ type: "rule" }];
    default:
      // Unknown nodes keep their text, as a paragraph.
      return [
        {
          type: "paragraph",
          inline: [{ text: el.toString().replace(/<[^>]*>/g, ""), bold: false, italic: false, href: null }],
        },
      ];
  }
}

export function readBlocks(doc: Y.Doc): Block[] {
  return fragmentOf(doc)
    .toArray()
    .flatMap((c) => blockOf(c as Y.XmlElement));
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function inlineHtml(parts: Inline[]): string {
  return parts
    .map((p) => {
      if ("br" in p) return "<br>";
      let h = escapeHtml(p.text);
      if (p.bold) h = `<strong>${h}</strong>`;
      if (p.italic) h = `<em>${h}</em>`;
      if (p.href) h = `<a href="${escapeHtml(p.href)}" rel="noopener noreferrer">${h}</a>`;
      return h;
    })
    .join("");
}

/** The content as safe HTML (only the schema's elements, escaped text, checked URLs). */
export function blocksToHtml(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case "paragraph":
          return `<p>${inlineHtml(b.inline)}</p>`;
        case "heading":
          return `<h${b.level + 1}>${inlineHtml(b.inline)}</h${b.level + 1}>`;
        case "list": {
          const tag = b.ordered ? "ol" : "ul";
          return `<${tag}>${b.items.map((i) => `<li>${blocksToHtml(i)}</li>`).join("")}</${tag}>`;
        }
        case "image":
          return `<img src="${b.src}" alt="${escapeHtml(b.alt)}">`;
        case "quote":
          return `<blockquote>${blocksToHtml(b.blocks)}</blockquote>`;
        case "rule":
          return "<hr>";
      }
    })
    .join("\n");
}

/** Plain text, for search (derived on save). */
export function blocksToText(blocks: Block[]): string {
  const lines: string[] = [];
  const walk = (bs: Block[]) => {
    for (const b of bs) {
      if (b.type === "paragraph" || b.type === "heading")
        lines.push(b.inline.map((i) => ("br" in i ? "\n" : i.text)).join(""));
      else if (b.type === "list") for (const item of b.items) walk(item);
      else if (b.type === "quote") walk(b.blocks);
      else if (b.type === "image" && b.alt) lines.push(b.alt);
    }
  };
  walk(blocks);
  return lines.join("\n").trim();
}
