// A table as an OpenDocument spreadsheet (.ods) — what LibreOffice and the school's spreadsheet open natively: a
// stored zip with the mimetype first, the manifest and content.xml (one sheet, one row per line). Portable. Cells
// are string cells, and neutralised as CSV's are (src/formats/cells.ts): a copy to another sheet keeps them text.
import { storedZip } from "./odt";
import { spreadsheetText } from "./cells";

const esc = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function tableToOds(sheetName: string, rows: readonly (readonly string[])[]): Uint8Array {
  const enc = new TextEncoder();
  const cells = rows
    .map(
      (row) =>
        `<table:table-row>${row
          .map(
            (v) =>
              `<table:table-cell office:value-type="string"><text:p>${esc(spreadsheetText(v))}</text:p></table:table-` +
              `cell>`,
          )
          .join("")}</table:table-row>`,
    )
    .join("");
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"' +
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"' +
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">\n' +
    `<office:body><office:spreadsheet><table:table table:name="${esc(sheetName.slice(0, 31))}">${cells}</table:table>` +
    "</office:spreadsheet></office:body></office:document-content>";
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`;
  return storedZip([
    { name: "mimetype", data: enc.encode("application/vnd.oasis.opendocument.spreadsheet") },
    { name: "META-INF/manifest.xml", data: enc.encode(manifest) },
    { name: "content.xml", data: enc.encode(content) },
  ]);
}
