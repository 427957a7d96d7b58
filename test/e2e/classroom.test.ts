// Daily classroom life end to end in Debian Chromium, JavaScript off and on (issue 7): the homework log (56C), the
// liaison notebook (54E), the roll (54O) and polls (54D) — a teacher writes, a parent or the director sees and
// answers; axe-core finds nothing on any page, at 480 × 800.
import { describe, expect, it } from "vitest";
import { t } from "../../src/i18n";
import { hubForThisFile } from "./harness";

const e2e = hubForThisFile();
const { open, accessible } = e2e;

describe.each([false, true])("e2e daily classroom life (JavaScript %s)", (js) => {
  // Each run writes its own texts, so the two runs do not meet on the shared demo hub.
  const mark = js ? "(JS)" : "(sans JS)";

  it("56C the teacher writes the work to do; the parent " +
    "ticks it done; the teacher sees it; axe on each page", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/cahier`);
    const today = await teacher.page.locator("input[name=semaine]").inputValue();
    await teacher.page.getByLabel(t("homework.field.day")).fill(today);
    await teacher.page.getByLabel(t("homework.field.subject")).fill("Sciences");
    await teacher.page.getByLabel(t("homework.to_do")).fill(`Observer la lune ce soir ${mark}`);
    await Promise.all([
      teacher.page.waitForURL(/fait=ajoute/),
      teacher.page.getByRole("button", { name: t("homework.submit") }).click(),
    ]);
    const entry = teacher.page.locator(".homework-entry").filter({ hasText: `Observer la lune ce soir ${mark}` });
    expect(await entry.count()).toBe(1);
    await accessible(teacher.page);

    const parent = await open("demo.parent", js);
    await parent.page.goto(`${e2e.hub.base}/cahier`);
    await Promise.all([
      parent.page.waitForURL(/\/cahier\/[0-9a-f-]{36}/),
      parent.page.getByRole("link", { name: "CM1" }).first().click(),
    ]);
    await parent.page.goto(`${parent.page.url().split("?")[0]}?semaine=${today}`);
    const theirs = parent.page.locator(".homework-entry").filter({ hasText: `Observer la lune ce soir ${mark}` });
    await Promise.all([
      parent.page.waitForURL(/\/cahier\//),
      theirs.getByRole("button", { name: /Marquer fait/ }).click(),
    ]);
    await expect.poll(() => theirs.getByRole("button", { name: /Fait ✓/ }).count()).toBe(1);
    await accessible(parent.page);
    await teacher.page.reload();
    expect(await entry.getByText(/Fait par 1 élève/).count()).toBe(1);
    expect([...teacher.problems, ...parent.problems]).toEqual([]);
  }, 60_000);

  it("54E the teacher asks for an outing authorisation; the parent answers yes; the teacher sees it; axe", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/carnet/nouveau`);
    await accessible(teacher.page);
    await teacher.page.getByLabel(t("liaison.field.title")).fill(`Sortie à la ferme ${mark}`);
    await teacher.page.getByLabel(t("liaison.field.body")).fill("Départ 9 h, retour 16 h 30.");
    await teacher.page.getByLabel(t("liaison.reply.yesno")).check();
    await Promise.all([
      teacher.page.waitForURL(/fait=envoye/),
      teacher.page.getByRole("button", { name: t("liaison.submit") }).click(),
    ]);
    await accessible(teacher.page);
    const parent = await open("demo.parent", js);
    await parent.page.goto(`${e2e.hub.base}/carnet`);
    await accessible(parent.page);
    const note = parent.page
      .locator("article, li")
      .filter({ hasText: `Sortie à la ferme ${mark}` })
      .last();
    await note.getByLabel(t("liaison.answer.oui")).first().check();
    await Promise.all([
      parent.page.waitForURL(/fait=lu/),
      note
        .getByRole("button", { name: /Vu et pris connaissance/ })
        .first()
        .click(),
    ]);
    await teacher.page.reload();
    expect(await teacher.page.getByRole("cell", { name: "oui" }).count()).toBeGreaterThan(0);
    expect([...teacher.problems, ...parent.problems]).toEqual([]);
  }, 60_000);

  it("54O the teacher takes the roll with one pupil absent; the director's day shows it; axe", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/appel`);
    await teacher.page.waitForURL(/\/appel\/[0-9a-f-]{36}/);
    const half = js ? "apres-midi" : "matin";
    await teacher.page.goto(`${teacher.page.url().split("?")[0]}?jour=2026-11-24&demi=${half}`);
    await accessible(teacher.page);
    const line = teacher.page.locator("fieldset.roll-line").nth(js ? 1 : 0);
    // The roll reads "Last First", as a register does; the director's day reads "First Last".
    const firstName = (await line.locator("legend").innerText()).split(" — ")[0]!.trim().split(/\s+/).pop()!;
    await line.getByLabel(t("attendance.status.absent"), { exact: true }).check();
    await line.getByRole("textbox").fill("Rendez-vous médical");
    await Promise.all([
      teacher.page.waitForURL(/\/appel\//),
      teacher.page.getByRole("button", { name: t("attendance.save") }).click(),
    ]);
    expect(await teacher.page.getByText(t("attendance.saved")).count()).toBe(1);
    await accessible(teacher.page);
    const director = await open("demo.directeur", js);
    await director.page.goto(`${e2e.hub.base}/appel/ecole?jour=2026-11-24`);
    expect(
      await director.page.getByRole("row").filter({ hasText: "CM1" }).filter({ hasText: firstName }).count(),
    ).toBeGreaterThan(0);
    await accessible(director.page);
    expect([...teacher.problems, ...director.problems]).toEqual([]);
  }, 60_000);

  it("54D the teacher asks the parents of CM1; a parent answers once; the teacher sees the result; axe", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/sondages/nouveau`);
    await teacher.page.getByLabel(t("poll.field.question")).fill(`Quel goûter pour la fête ? ${mark}`);
    await teacher.page.getByLabel(t("poll.field.options")).fill("Crêpes\nGaufres");
    await teacher.page.getByLabel(t("poll.field.closes")).fill("2026-11-30T18:00");
    await teacher.page.getByLabel(t("message.group.parents", { name: "CM1" })).check();
    await Promise.all([
      teacher.page.waitForURL(/fait=cree/),
      teacher.page.getByRole("button", { name: t("poll.submit") }).click(),
    ]);
    const pollUrl = teacher.page.url().split("?")[0]!;
    await accessible(teacher.page);
    const parent = await open("demo.parent", js);
    await parent.page.goto(`${e2e.hub.base}/sondages?etat=to_answer`);
    await Promise.all([
      parent.page.waitForURL(/\/sondages\/[0-9a-f-]{36}$/),
      parent.page.getByRole("link", { name: `Quel goûter pour la fête ? ${mark}` }).click(),
    ]);
    await accessible(parent.page);
    await parent.page.getByLabel("Gaufres").check();
    await Promise.all([
      parent.page.waitForURL(/fait=vote/),
      parent.page.getByRole("button", { name: t("poll.vote") }).click(),
    ]);
    expect(await parent.page.getByText(t("poll.thanks")).count()).toBe(1);
    expect(await parent.page.getByRole("button", { name: t("poll.vote") }).count()).toBe(0);
    await accessible(parent.page);
    await teacher.page.goto(pollUrl);
    expect(await teacher.page.getByText(t("poll.count", { count: 1 }), { exact: false }).count()).toBe(1);
    expect([...teacher.problems, ...parent.problems]).toEqual([]);
  }, 60_000);
});
