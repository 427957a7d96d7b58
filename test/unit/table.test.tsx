// The scrolling data table: a focusable region named by the table's caption, headers as column headers.
import { describe, expect, it } from "vitest";
import { ScrollTable } from "../../views/components/table";

const html = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());

describe("ScrollTable", () => {
  it("is a focusable region named by its caption, with one column header each and the rows given", async () => {
    const page = await html(
      <ScrollTable id="audit" caption="Journal" columns={["N°", null, "Action"]}>
        <tr>
          <td>1</td>
          <td>login</td>
        </tr>
      </ScrollTable>,
    );
    expect(page).toMatch(/^<div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-caption">/);
    expect(page).toContain('<caption id="audit-caption">Journal</caption>');
    expect([...page.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual(["N°", "Action"]);
    expect(page).toContain("<tbody><tr><td>1</td><td>login</td></tr></tbody>");
  });

  it("hides a caption the page's heading already says, and escapes it", async () => {
    const page = await html(<ScrollTable id="b" caption="<Boîte>" hiddenCaption columns={[]} children={null} />);
    expect(page).toContain('<caption id="b-caption" class="visually-hidden">&lt;Boîte&gt;</caption>');
  });
});
