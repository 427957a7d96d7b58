// Issue 21, "first impressions", in Debian Chromium on a 480×800 phone: the banner folds into one menu (with and
// without JavaScript, from the keyboard), the demo wall shows its post-its with an "add" button in sight, a click on
// the canvas puts a post-it there and a drag moves it (checked in the room's Yjs state), axe finds nothing.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { t } from "../../src/i18n";
import { DEMO_SCHOOLS } from "../../src/demo/demo";
import { DEMO_DOCUMENT_TITLE, DEMO_WALL_TITLE } from "../../src/demo/demo-class-work";
import { readPostits } from "../../realtime/wall-model";
import { wallRoomId } from "../../src/services/collaboration/walls";
import {
  axeViolations,
  cspViolations,
  expectNoHorizontalScroll,
  focused,
  hubForThisFile,
  SMALL_SCREEN,
} from "./harness";

const e2e = hubForThisFile({ allow: [/favicon\.[0-9a-f]+\.svg net::ERR_ABORTED/] });
const BANNER_MAX = 120;

const banner = (page: Page) => page.getByRole("banner");
const toggle = (page: Page) => banner(page).locator("summary", { hasText: t("nav.menu") });
const bannerHeight = async (page: Page) => (await banner(page).boundingBox())!.height;

/** The demo wall's page, reached as a user does: "Murs collaboratifs", then the wall's link. */
async function openDemoWall(page: Page): Promise<string> {
  await page.goto(`${e2e.hub.base}/murs`);
  await Promise.all([
    page.waitForURL(/\/murs\/[0-9a-f-]{36}$/),
    page.getByRole("main").getByRole("link", { name: DEMO_WALL_TITLE }).click(),
  ]);
  return new URL(page.url()).pathname.split("/").pop()!;
}

const roomPostits = (wallId: string) =>
  e2e.hub.platform.rooms!.read(wallRoomId({ uai: DEMO_SCHOOLS[0]!.uai, id: wallId }), readPostits);

describe("e2e issue 21: the banner on a 480×800 phone", () => {
  for (const js of [false, true]) {
    const mode = js ? "with JavaScript" : "without JavaScript";
    for (const login of ["demo.parent", "demo.enseignant", "demo.eleve"]) {
      it(
        `${login}: the banner is at most ${BANNER_MAX} ` + `px tall, its links and tools in one menu (${mode})`,
        async () => {
          const { page, problems } = await e2e.open(login, js);
          expect(page.viewportSize()).toEqual(SMALL_SCREEN);
          const height = await bannerHeight(page);
          expect(height, `banner ${height}px`).toBeLessThanOrEqual(BANNER_MAX);
          // Folded: the menu's content is out of sight until it is opened; opening it does not grow the banner.
          const logout = banner(page).getByRole("button", { name: t("nav.logout"), exact: true });
          const nav = page.getByRole("navigation", { name: t("nav.main") });
          expect(await logout.isVisible()).toBe(false);
          expect(await nav.isVisible()).toBe(false);
          await toggle(page).click();
          expect(await logout.isVisible()).toBe(true);
          expect(await nav.getByRole("link", { name: /^Compte de / }).isVisible()).toBe(true);
          expect(
            await banner(page)
              .getByRole("button", { name: t("font.switch_to_dyslexic") })
              .isVisible(),
          ).toBe(true);
          expect(await bannerHeight(page)).toBe(height);
          // The school switch of a parent with children in two schools is in the menu too.
          if (login === "demo.parent")
            expect(await banner(page).getByLabel(t("nav.school_switch")).isVisible()).toBe(true);
          await expectNoHorizontalScroll(page);
          if (js) {
            expect(await axeViolations(page)).toEqual([]);
            expect(await cspViolations(page)).toEqual([]);
          }
          expect(problems).toEqual([]);
        },
      );
    }

    it(`the menu opens and works from the keyboard (${mode})`, async () => {
      const { page, problems } = await e2e.open("demo.parent", js);
      // Skip link, brand, then the menu's button.
      for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
      expect((await focused(page)).text).toBe(t("nav.menu"));
      const focusRing = await toggle(page).evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(focusRing).not.toBe("none");
      await page.keyboard.press("Enter");
      const first = page
        .getByRole("navigation", { name: t("nav.main") })
        .getByRole("link")
        .first();
      expect(await first.isVisible()).toBe(true);
      await page.keyboard.press("Tab");
      expect((await focused(page)).text).toBe(t("nav.home"));
      if (js) {
        // Escape closes it and gives the focus back to its button.
        await page.keyboard.press("Escape");
        expect(await first.isVisible()).toBe(false);
        expect((await focused(page)).text).toBe(t("nav.menu"));
      } else {
        await page.keyboard.press("Shift+Tab");
        await page.keyboard.press("Space");
        expect(await first.isVisible()).toBe(false);
      }
      expect(problems).toEqual([]);
    });
  }

  it("before login too, the font switch and read-aloud are in the menu; the banner stays short", async () => {
    const context = await e2e.hub.browser.newContext({
      viewport: SMALL_SCREEN,
      locale: "fr-FR",
      javaScriptEnabled: false,
    });
    try {
      const page = await context.newPage();
      await page.goto(`${e2e.hub.base}/login`);
      expect(await bannerHeight(page)).toBeLessThanOrEqual(BANNER_MAX);
      await toggle(page).click();
      expect(await page.getByRole("button", { name: t("font.switch_to_dyslexic"), exact: true }).isVisible()).toBe(
        true,
      );
    } finally {
      await context.close();
    }
  });

  it("on a wide screen everything is in the banner, no menu button", async () => {
    const { page } = await e2e.open("demo.parent", true);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await toggle(page).isVisible()).toBe(false);
    expect(
      await banner(page)
        .getByRole("button", { name: t("nav.logout"), exact: true })
        .isVisible(),
    ).toBe(true);
    expect(await page.getByRole("navigation", { name: t("nav.main") }).isVisible()).toBe(true);
    expect(await banner(page).getByLabel(t("nav.school_switch")).isVisible()).toBe(true);
    expect(await bannerHeight(page)).toBeLessThanOrEqual(BANNER_MAX);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("e2e issue 21: the demo wall on a 480×800 phone", () => {
  it("without JavaScript: the post-its are there, the add button is in sight and leads to the plain form", async () => {
    const { page, problems } = await e2e.open("demo.eleve", false);
    await openDemoWall(page);
    expect(await page.locator(".postit").count()).toBeGreaterThanOrEqual(8);
    const add = page.getByRole("link", { name: t("wall.postit.new") });
    const box = (await add.boundingBox())!;
    expect(box.y + box.height, "the add button is above the fold").toBeLessThanOrEqual(SMALL_SCREEN.height);
    await add.click();
    expect(new URL(page.url()).hash).toBe("#wall-add");
    const heading = (await page.getByRole("heading", { name: t("wall.postit.new"), level: 2 }).boundingBox())!;
    expect(heading.y).toBeGreaterThanOrEqual(0);
    expect(heading.y).toBeLessThan(SMALL_SCREEN.height);
    expect(problems).toEqual([]);
  });

  it(
    "with JavaScript: the add button is in sight; a click " +
      "on the canvas puts a post-it right there; a drag moves it",
    async () => {
      const { page, problems } = await e2e.open("demo.eleve", true);
      const wallId = await openDemoWall(page);
      await page.locator(".wall-viewport").waitFor();
      expect(await page.locator(".wall-canvas .postit").count()).toBeGreaterThanOrEqual(8);
      const add = page.getByRole("button", { name: t("wall.postit.new") });
      const addBox = (await add.boundingBox())!;
      expect(addBox.y + addBox.height, "the add button is above the fold").toBeLessThanOrEqual(SMALL_SCREEN.height);

      // The button opens a new post-it on the visible part of the canvas, its text box focused; Annuler closes it.
      await add.click();
      const draftText = page.getByRole("group", { name: t("wall.add.draft") }).getByLabel(t("wall.postit.text"));
      expect(await draftText.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await axeViolations(page), "with a new post-it open").toEqual([]);
      await page.getByRole("button", { name: t("wall.add.cancel") }).click();
      expect(await draftText.count()).toBe(0);

      // An empty part of the canvas (the demo's post-its are near its top left), then a tap there.
      const viewport = page.locator(".wall-viewport");
      await viewport.evaluate((el) => el.scrollTo(1200, 900));
      await viewport.scrollIntoViewIfNeeded();
      const vp = (await viewport.boundingBox())!;
      const click = { x: vp.x + 90, y: vp.y + 60 };
      const canvas = (await page.locator(".wall-canvas").boundingBox())!;
      const expected = { x: Math.round(click.x - canvas.x), y: Math.round(click.y - canvas.y) };
      await page.mouse.click(click.x, click.y);
      await draftText.fill("Le musée de nuit, ce serait génial !");
      await page
        .getByRole("group", { name: t("wall.add.draft") })
        .getByLabel(t("wall.postit.colour"))
        .selectOption("vert");
      await page
        .getByRole("button", { name: t("wall.postit.add") })
        .first()
        .click();
      await expect
        .poll(async () => (await roomPostits(wallId)).find((p) => p.text.startsWith("Le musée de nuit")))
        .toBeTruthy();
      const added = (await roomPostits(wallId)).find((p) => p.text.startsWith("Le musée de nuit"))!;
      expect(Math.abs(added.x - expected.x), `x ${added.x} for ${expected.x}`).toBeLessThanOrEqual(1);
      expect(Math.abs(added.y - expected.y), `y ${added.y} for ${expected.y}`).toBeLessThanOrEqual(1);
      expect(added).toMatchObject({ colour: "vert", authorName: "Léa Martin", approved: true });
      const node = page.locator(".postit", { hasText: "Le musée de nuit" });
      expect(await node.count()).toBe(1);
      const nodeBox = (await node.boundingBox())!;
      expect(Math.abs(nodeBox.x - click.x)).toBeLessThanOrEqual(1);

      // A mouse drag by the post-it's text moves it by as much.
      const grab = page.locator(".postit-text", { hasText: "Le musée de nuit" });
      const from = (await grab.boundingBox())!;
      await page.mouse.move(from.x + 10, from.y + 5);
      await page.mouse.down();
      await page.mouse.move(from.x + 60, from.y + 35, { steps: 5 });
      await page.mouse.move(from.x + 110, from.y + 45, { steps: 5 });
      await page.mouse.up();
      await expect.poll(async () => (await roomPostits(wallId)).find((p) => p.id === added.id)!.x).toBe(added.x + 100);
      expect((await roomPostits(wallId)).find((p) => p.id === added.id)!.y).toBe(added.y + 40);

      // Another pupil's post-it does not move under this pupil's mouse.
      const other = page.locator(".postit", { hasNotText: "Léa Martin" }).first();
      expect(await other.evaluate((el) => el.classList.contains("postit-draggable"))).toBe(false);

      expect(await axeViolations(page)).toEqual([]);
      expect(await cspViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
    },
  );

  it("the demo report is in the documents, readable at once", async () => {
    const { page, problems } = await e2e.open("demo.eleve", false);
    await page.goto(`${e2e.hub.base}/documents`);
    await Promise.all([
      page.waitForURL(/\/documents\/[0-9a-f-]{36}$/),
      page.getByRole("main").getByRole("link", { name: DEMO_DOCUMENT_TITLE }).click(),
    ]);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(DEMO_DOCUMENT_TITLE);
    // The content's own headings come under the page's (h1 of the editor is h2 here).
    expect(await page.locator(".document-html h2").innerText()).toBe("Notre sortie au musée d'histoire naturelle");
    expect(await page.locator(".document-html p").count()).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  });
});
