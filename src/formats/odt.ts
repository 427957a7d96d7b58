// Export of a live document (56B) as an OpenDocument text (.odt): a zip (stored, no compression) holding the
// mimetype first, the manifest, styles and content. Portable (no node: module), so it runs on Workers too.
import { escapeHtml as esc, type Block, type Inline } from "../../realtime/document-model";

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive with stored (uncompressed) entries, in the given order. */
export function storedZip(files: { name: string; data: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const f of files) {
    const name = enc.encode(f.name);
    const crc = crc32(f.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, 0x0800, true);
    local.setUint16(8, 0, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, f.data.length, true);
    local.setUint32(22, f.data.length, true);
    local.setUint16(26, name.length, true);
    const header = new DataView(new ArrayBuffer(46));
    header.setUint32(0, 0x02014b50, true);
    header.setUint16(4, 20, true);
    header.setUint16(6, 20, true);
    header.setUint16(8, 0x0800, true);
    header.setUint32(16, crc, true);
    header.setUint32(20, f.data.length, true);
    header.setUint32(24, f.data.length, true);
    header.setUint16(28, name.length, true);
    header.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), name, f.data);
    central.push(new Uint8Array(header.buffer), name);
    offset += 30 + name.length + f.data.length;
  }
  const centralSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, files.length, true);
  end.setUint16(10, files.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function documentToOdt(title: string, blocks: Block[]): Uint8Array {
  const enc = new TextEncoder();
  const pictures: { name: string; data: Uint8Array; type: string }[] = [];
  const span = (parts: Inline[]) =>
    parts
      .map((p) => {
        if ("br" in p) return "<text:line-break/>";
        let x = esc(p.text).replace(/ {2,}/g, (m) => ` <text:s text:c="${m.length - 1}"/>`);
        const style = p.bold && p.italic ? "BI" : p.bold ? "B" : p.italic ? "I" : null;
        if (style) x = `<text:span text:style-name="${style}">${x}</text:span>`;
        if (p.href) x = `<text:a xlink:type="simple" xlink:href="${esc(p.href)}">${x}</text:a>`;
        return x;
      })
      .join("");
  const body = (bs: Block[]): string =>
    bs
      .map((b) => {
        switch (b.type) {
          case "paragraph":
            return `<text:p text:style-name="Standard">${span(b.inline)}</text:p>`;
          case "heading":
            return (
              `<text:h text:style-name="Heading_20_${b.level}" text:outline-level="${b.level}">` +
              `${span(b.inline)}</text:h>`
            );
          case "list":
            return (
              `<text:list text:style-name="${b.ordered ? "LN" : "LB"}">` +
              `${b.items.map((i) => `<text:list-item>${body(i)}</text:list-item>`).join("")}</text:list>`
            );
          case "quote":
            return body(b.blocks);
          case "rule":
            return `<text:p text:style-name="Standard">―――</text:p>`;
          case "image": {
            const m = /^data:image\/(png|jpeg|gif|webp);base64,(.*)$/.exec(b.src);
            if (!m) return "";
            const name = `Pictures/image${pictures.length + 1}.${m[1] === "jpeg" ? "jpg" : m[1]}`;
            pictures.push({ name, data: base64Bytes(m[2]!), type: `image/${m[1]}` });
            return (
              '<text:p text:style-name="Standard">' +
              `<draw:frame draw:name="${esc(name)}" text:anchor-type="as-char" svg:width="12cm" svg:height="8cm">` +
              `<draw:image xlink:href="${name}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>` +
              `<svg:desc>${esc(b.alt)}</svg:desc></draw:frame></text:p>`
            );
          }
        }
      })
      .join("");
  const ns =
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ' +
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" ' +
    'xmlns:xlink="http://www.w3.org/1999/xlink" ' +
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"';
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-content ${ns} office:version="1.3"><office:automatic-styles>\n` +
    '<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>\n' +
    '<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>\n' +
    '<style:style style:name="BI" style:family="text">' +
    '<style:text-properties fo:font-weight="bold" fo:font-style="italic"/></style:style>\n' +
    '<text:list-style style:name="LB"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>' +
    "</text:list-style>\n" +
    '<text:list-style style:name="LN">' +
    '<text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/></text:list-style>\n' +
    "</office:automatic-styles><office:body><office:text>" +
    `<text:h text:style-name="Title" text:outline-level="1">${esc(title)}</text:h>${body(blocks)}</office:text>` +
    "</office:body></office:document-content>";
  const styles =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-styles ${ns} office:version="1.3"><office:styles>\n` +
    '<style:style style:name="Standard" style:family="paragraph"><style:text-properties fo:font-size="12pt"/>' +
    "</style:style>\n" +
    '<style:style style:name="Title" style:family="paragraph">' +
    '<style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>\n' +
    '<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph">' +
    '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>\n' +
    '<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph">' +
    '<style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>\n' +
    '<style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph">' +
    '<style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>\n' +
    "</office:styles></office:document-styles>";
  const meta =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<office:document-meta ${ns} office:version="1.3"><office:meta><dc:title>${esc(title)}</dc:title>` +
    "<meta:generator>Préau</meta:generator></office:meta></office:document-meta>";
  const pictureEntries = pictures
    .map((p) => `<manifest:file-entry manifest:full-path="${p.name}" manifest:media-type="${p.type}"/>`)
    .join("\n");
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
${pictureEntries}
</manifest:manifest>`;
  return storedZip([
    { name: "mimetype", data: enc.encode("application/vnd.oasis.opendocument.text") },
    { name: "META-INF/manifest.xml", data: enc.encode(manifest) },
    { name: "content.xml", data: enc.encode(content) },
    { name: "styles.xml", data: enc.encode(styles) },
    { name: "meta.xml", data: enc.encode(meta) },
    ...pictures.map((p) => ({ name: p.name, data: p.data })),
  ]);
}
