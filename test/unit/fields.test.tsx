// The form fields every view uses: label tied to its control, hint and French error next to the control, the error
// making the control aria-invalid and describing it, values escaped.
import { describe, expect, it } from "vitest";
import type { Child } from "hono/jsx";
import {
  CheckField,
  ChoiceGroup,
  DateField,
  Fieldset,
  InputField,
  SelectField,
  TextAreaField,
  TimeField,
  formErrors,
} from "../../views/components/fields";

const html = async (node: Child) => String(await (node as { toString(): string | Promise<string> }).toString());

/** The opening tag of the element with this id. */
const tagWithId = (page: string, id: string) => {
  const m = page.match(new RegExp(`<(input|textarea|select|fieldset)\\b[^>]*\\bid="${id}"[^>]*>`));
  if (!m) throw new Error(`no control #${id} in ${page}`);
  return m[0];
};

describe("fields", () => {
  it("ties the label to the control, whose name is its id unless told", async () => {
    const page = await html(<InputField id="titre" label="Titre" value="Piscine" maxlength={120} required />);
    expect(page).toContain('<label for="titre">Titre</label>');
    const input = tagWithId(page, "titre");
    expect(input).toContain('name="titre"');
    expect(input).toContain('value="Piscine"');
    expect(input).toContain('maxlength="120"');
    expect(input).toContain("required");
    expect(input).not.toContain("type=");
    const named = await html(<InputField id="fait" name="fait_en_classe" label="Fait" />);
    expect(tagWithId(named, "fait")).toContain('name="fait_en_classe"');
  });

  it("marks nothing invalid and describes nothing without an error or a hint", async () => {
    for (const node of [
      <InputField id="a" label="A" />,
      <TextAreaField id="b" label="B" rows={3} />,
      <SelectField id="c" label="C" options={[{ value: "1", label: "Un" }]} />,
      <DateField id="d" label="D" />,
    ]) {
      const page = await html(node);
      expect(page).not.toContain("aria-invalid");
      expect(page).not.toContain("aria-describedby");
      expect(page).not.toContain("field-error");
    }
  });

  it("puts the French error next to the control, which is invalid and described by it", async () => {
    const page = await html(
      <form>
        <InputField id="titre" label="Titre" error="Donnez un titre de 120 caractères au plus." />
        <InputField id="lieu" label="Lieu" />
      </form>,
    );
    const input = tagWithId(page, "titre");
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="titre-error"');
    // Right after the control, inside the same field.
    expect(page).toMatch(
      /<input[^>]*id="titre"[^>]*\/?>\s*<p class="field-error" id="titre-error">Donnez un titre de 120 caractères au plus\.<\/p>\s*<\/div>/,
    );
    expect(tagWithId(page, "lieu")).not.toContain("aria-invalid");
  });

  it("describes the control by its hint, then its error, after any shared hint", async () => {
    const page = await html(
      <TextAreaField
        id="services"
        label="Adresses"
        rows={3}
        hint="Une par ligne"
        describedBy="aide-commune"
        error="Non"
      />,
    );
    expect(page).toContain('<p class="hint" id="services-hint">Une par ligne</p>');
    const area = tagWithId(page, "services");
    expect(area).toContain('aria-describedby="aide-commune services-hint services-error"');
    expect(area).toContain('rows="3"');
  });

  it("escapes values, texts and labels", async () => {
    const page = await html(
      <form>
        <InputField id="t" label={'<b>"Titre"</b>'} value={'"><script>alert(1)</script>'} />
        <TextAreaField id="x" label="Texte" rows={2} value="</textarea><script>alert(2)</script>" />
        <SelectField id="s" label="Choix" options={[{ value: '"x"', label: "<i>un</i>" }]} chosen={'"x"'} />
        <InputField id="e" label="E" error="<img src=x onerror=alert(3)>" />
      </form>,
    );
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<b>");
    expect(page).not.toContain("<i>");
    expect(page).not.toContain("<img");
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(page).toContain("&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>");
    expect(page).toContain('<option value="&quot;x&quot;" selected="">&lt;i&gt;un&lt;/i&gt;</option>');
  });

  it("selects the chosen option only", async () => {
    const page = await html(
      <SelectField
        id="vue"
        label="Vue"
        options={[
          { value: "semaine", label: "Semaine" },
          { value: "mois", label: "Mois" },
        ]}
        chosen="mois"
      />,
    );
    expect(page).toContain('<option value="semaine">Semaine</option>');
    expect(page).toContain('<option value="mois" selected="">Mois</option>');
  });

  it("gives date and time fields their input type", async () => {
    expect(tagWithId(await html(<DateField id="jour" label="Jour" />), "jour")).toContain('type="date"');
    expect(tagWithId(await html(<DateField id="fin" label="Fin" withTime />), "fin")).toContain(
      'type="datetime-local"',
    );
    expect(tagWithId(await html(<TimeField id="debut" label="Début" />), "debut")).toContain('type="time"');
  });

  it("writes a checkbox with its label after it, valued 1 unless told", async () => {
    const page = await html(<CheckField id="journee" label="Toute la journée" checked />);
    expect(page).toMatch(
      /<div class="field field-check"><input type="checkbox" id="journee" name="journee" value="1" checked=""\/?><label for="journee">Toute la journée<\/label><\/div>/,
    );
  });

  it("groups radios under a legend, checks the chosen one and describes the group by its error", async () => {
    const page = await html(
      <ChoiceGroup
        type="radio"
        name="sorte"
        legend="Sorte"
        choices={[
          { value: "meeting", label: "Rendez-vous", id: "sorte-rdv" },
          { value: "outing", label: "Sortie" },
        ]}
        chosen="outing"
        error="Choisissez une sorte."
      />,
    );
    expect(page).toContain("<legend>Sorte</legend>");
    expect(tagWithId(page, "sorte-rdv")).not.toContain("checked");
    expect(tagWithId(page, "sorte-outing")).toContain("checked");
    expect(page).toContain('<label for="sorte-rdv">Rendez-vous</label>');
    expect(page).toMatch(/<fieldset aria-describedby="sorte-error">/);
    expect(page).toMatch(/<p class="field-error" id="sorte-error">Choisissez une sorte\.<\/p><\/fieldset>/);
    // aria-invalid is not an attribute of a group.
    expect(page).not.toContain("aria-invalid");
  });

  it("checks every chosen checkbox of a group", async () => {
    const page = await html(
      <ChoiceGroup
        type="checkbox"
        name="profils"
        idPrefix="profil"
        legend="Profils"
        choices={["parent", "teacher", "pupil"].map((k) => ({ value: k, label: k }))}
        chosen={["parent", "pupil"]}
      />,
    );
    expect(tagWithId(page, "profil-parent")).toContain("checked");
    expect(tagWithId(page, "profil-teacher")).not.toContain("checked");
    expect(tagWithId(page, "profil-pupil")).toContain("checked");
    expect(page).not.toContain("aria-describedby");
  });

  it("lets a fieldset hold other controls and a hint", async () => {
    const page = await html(
      <Fieldset id="calme" legend="Heures calmes" hint="Rien la nuit">
        <TimeField id="de" label="De" describedBy="calme-hint" />
      </Fieldset>,
    );
    expect(page).toMatch(/<fieldset aria-describedby="calme-hint"><legend>Heures calmes<\/legend><p class="hint"/);
    expect(tagWithId(page, "de")).toContain('aria-describedby="calme-hint"');
  });
});

describe("formErrors", () => {
  const message = (code: string) => `Erreur ${code}.`;

  it("sums the form's errors up and gives each field the messages of its own codes", () => {
    const errors = formErrors(["title", "order", "past"], message);
    expect(errors.summary).toBe("Erreur title. Erreur order. Erreur past.");
    expect(errors.of("title")).toBe("Erreur title.");
    expect(errors.of("day", "past", "order")).toBe("Erreur order. Erreur past.");
    expect(errors.of("place")).toBeUndefined();
  });

  it("has nothing to say without errors", () => {
    const errors = formErrors(undefined, message);
    expect(errors.summary).toBeUndefined();
    expect(errors.of("title")).toBeUndefined();
    expect(errors.list).toEqual([]);
  });
});
