// 54B and 56B end to end in Debian Chromium against the real hub: two pages edit one wall and one document and see
// each other live; the no-JavaScript wall form reaches a live page; axe-core finds nothing on wall and document pages.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { t } from "../../src/i18n";
import { axeViolations, cspViolations, hubForThisFile } from "./harness";

// A favicon still loading when a form submit navigates away is aborted by the browser: not a fault of the page.
const e2e = hubForThisFile({
  js: true,
  viewport: { width: 1280, height: 900 },
  allow: [/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/],
});
const { open } = e2e;

const live = (page: Page) => page.getByRole("status").filter({ hasText: t("wall.live") });

describe("e2e 54B walls and 56B documents in Chromium", () => {
  let wallUrl = "";

  it(
    "54B a teacher creates a wall; teacher and pupil " + "pages see each other's post-its live; axe finds nothing",
    async () => {
      const teacher = await open("demo.enseignant");
      await teacher.page.goto(`${e2e.hub.base}/murs`);
      await teacher.page.getByLabel(t("wall.new.name")).fill("Nos questions sur les volcans");
      await teacher.page.getByLabel(t("wall.mode.open")).check();
      await Promise.all([
        teacher.page.waitForURL(/\/murs\/[0-9a-f-]{36}$/),
        teacher.page.getByRole("button", { name: t("wall.new.submit") }).click(),
      ]);
      wallUrl = teacher.page.url();
      await expect.poll(() => live(teacher.page).count()).toBe(1);

      const pupil = await open("demo.eleve");
      await pupil.page.goto(wallUrl);
      await expect.poll(() => live(pupil.page).count()).toBe(1);
      await pupil.page.getByLabel(t("wall.postit.text")).first().fill("Pourquoi la lave est rouge ?");
      await pupil.page.getByRole("button", { name: t("wall.postit.add") }).click();
      // No click, no reload on the teacher's page.
      await teacher.page.getByText("Pourquoi la lave est rouge ?").waitFor();
      await teacher.page.getByLabel(t("wall.postit.text")).first().fill("Bonne question !");
      await teacher.page.getByRole("button", { name: t("wall.postit.add") }).click();
      await pupil.page.getByText("Bonne question !").waitFor();
      // Presence: each sees the other's name.
      await expect.poll(() => teacher.page.locator(".presence").textContent()).toMatch(/Ici en ce moment : .+/);
      // Move a post-it with the keyboard: the other page sees the new place.
      const move = pupil.page.getByRole("button", { name: new RegExp(`^${t("wall.postit.move")} : Pourquoi`) });
      const before = await teacher.page
        .locator(".postit", { hasText: "Pourquoi la lave" })
        .evaluate((e) => (e as HTMLElement).style.left);
      await move.focus();
      await pupil.page.keyboard.press("ArrowRight");
      await pupil.page.keyboard.press("ArrowRight");
      await expect
        .poll(() =>
          teacher.page
            .locator(".postit", { hasText: "Pourquoi la lave" })
            .evaluate((e) => (e as HTMLElement).style.left),
        )
        .toBe(`${parseInt(before, 10) + 40}px`);
      for (const p of [teacher.page, pupil.page]) {
        expect(await axeViolations(p)).toEqual([]);
        expect(await cspViolations(p)).toEqual([]);
      }
      expect([...teacher.problems, ...pupil.problems]).toEqual([]);
    },
  );

  it(
    "54B without JavaScript: the wall is HTML, the plain " + "form adds a post-it that a live page shows at once",
    async () => {
      const teacher = await open("demo.enseignant");
      await teacher.page.goto(wallUrl);
      await expect.poll(() => live(teacher.page).count()).toBe(1);
      const pupil = await open("demo.eleve", false);
      await pupil.page.goto(wallUrl);
      await expect(pupil.page.getByText("Pourquoi la lave est rouge ?")).toBeDefined();
      expect(await pupil.page.getByRole("link", { name: t("wall.refresh") }).count()).toBe(1);
      await pupil.page.getByLabel(t("wall.postit.text")).last().fill("Écrit sans JavaScript");
      await pupil.page.getByLabel(t("wall.postit.colour")).last().selectOption("rose");
      await Promise.all([
        pupil.page.waitForURL(/fait=ajoute/),
        pupil.page.getByRole("button", { name: t("wall.postit.add") }).click(),
      ]);
      expect(
        await pupil.page
          .getByRole("status")
          .filter({ hasText: t("wall.postit.added") })
          .count(),
      ).toBe(1);
      await teacher.page.getByText("Écrit sans JavaScript").waitFor();
      expect(await pupil.page.locator(".postit-text", { hasText: "Écrit sans JavaScript" }).count()).toBe(1);
    },
  );

  it("56B two pages edit one document and see each other; spell check on; axe finds nothing", async () => {
    const teacher = await open("demo.enseignant");
    await teacher.page.goto(`${e2e.hub.base}/documents`);
    await teacher.page.getByLabel(t("document.new.name")).fill("Compte rendu de sortie");
    await Promise.all([
      teacher.page.waitForURL(/\/documents\/[0-9a-f-]{36}$/),
      teacher.page.getByRole("button", { name: t("document.new.submit") }).click(),
    ]);
    const docUrl = teacher.page.url();
    await teacher.page.getByLabel(t("document.sharing.class")).check();
    await teacher.page.getByLabel(t("document.sharing.class_choice"), { exact: true }).selectOption({ index: 1 });
    await teacher.page.getByLabel(t("document.access.write")).check();
    await Promise.all([
      teacher.page.waitForURL(/fait=partage/),
      teacher.page.getByRole("button", { name: t("document.sharing.submit") }).click(),
    ]);
    const editor = (p: Page) => p.getByRole("textbox", { name: t("document.edit") });
    await editor(teacher.page).waitFor();
    expect(await editor(teacher.page).getAttribute("spellcheck")).toBe("true");
    expect(await editor(teacher.page).getAttribute("lang")).toBe("fr");
    await editor(teacher.page).click();
    await teacher.page.getByRole("button", { name: t("document.toolbar.h1"), exact: true }).click();
    await teacher.page.keyboard.type("Au musée");
    await teacher.page.keyboard.press("Enter");
    await teacher.page.keyboard.type("Nous avons vu des fossiles.");

    const pupil = await open("demo.eleve");
    await pupil.page.goto(docUrl);
    await editor(pupil.page).waitFor();
    await pupil.page.getByText("Nous avons vu des fossiles.").waitFor();
    await editor(pupil.page).click();
    await pupil.page.keyboard.press("Control+End");
    await pupil.page.keyboard.press("Enter");
    await pupil.page.getByRole("button", { name: t("document.toolbar.bold"), exact: true }).click();
    await pupil.page.keyboard.type("Le squelette était énorme !");
    await teacher.page.locator(".document-prose strong", { hasText: "Le squelette était énorme !" }).waitFor();
    expect(await teacher.page.locator(".document-prose h1", { hasText: "Au musée" }).count()).toBe(1);
    for (const p of [teacher.page, pupil.page]) {
      expect(await axeViolations(p)).toEqual([]);
      expect(await cspViolations(p)).toEqual([]);
    }
    expect([...teacher.problems, ...pupil.problems]).toEqual([]);
    // Without JavaScript the same document is read-only HTML from the room.
    const reader = await open("demo.eleve", false);
    await reader.page.goto(docUrl);
    expect(await reader.page.locator(".document-html strong", { hasText: "Le squelette était énorme !" }).count()).toBe(
      1,
    );
  });
});
