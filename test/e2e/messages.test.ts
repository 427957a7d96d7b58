// Messaging end to end in Debian Chromium with JavaScript off (52A–52D, 614A): a teacher writes to the parents of
// CM1, a parent reads and answers, a pupil's insult is stopped; axe-core finds nothing on any messaging page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { t } from "../../src/i18n";
import { axeViolations, cspViolations, expectNoHorizontalScroll, logIn, newContext, recordCspViolations, SMALL_SCREEN, startHub, watch, type Hub } from "./harness";

let hub: Hub;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  hub = await startHub();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await hub?.stop();
});

async function open(login: string): Promise<{ page: Page; problems: string[] }> {
  const context = await newContext(hub, { javaScriptEnabled: false, viewport: SMALL_SCREEN });
  contexts.push(context);
  await recordCspViolations(context);
  const page = await context.newPage();
  const { problems } = watch(page);
  await logIn(page, hub, login);
  return { page, problems };
}

async function accessible(page: Page) {
  expect(await page.locator("h1").count()).toBe(1);
  await expectNoHorizontalScroll(page);
  expect(await axeViolations(page)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
}

describe("e2e messaging without JavaScript", () => {
  it("52G a teacher writes to the parents of CM1; the parent reads it and answers; 731C axe on every page", async () => {
    const teacher = await open("demo.enseignant");
    await teacher.page.goto(`${hub.base}/messagerie/nouveau`);
    await accessible(teacher.page);
    await teacher.page.getByLabel(t("message.group.parents", { name: "CM1" })).check();
    await teacher.page.getByLabel(t("message.compose.subject")).fill("Réunion de rentrée");
    await teacher.page.getByLabel(t("message.compose.body")).fill("Bonjour,\nla réunion a lieu jeudi à 18 h.");
    await Promise.all([teacher.page.waitForURL(/\/messagerie\/envoyes/), teacher.page.getByRole("button", { name: t("message.compose.submit") }).click()]);
    expect(await teacher.page.getByText(t("message.sent")).count()).toBe(1);
    expect(await teacher.page.getByRole("link", { name: "Réunion de rentrée" }).count()).toBe(1);
    await accessible(teacher.page);

    const parent = await open("demo.parent");
    await parent.page.goto(`${hub.base}/messagerie`);
    await accessible(parent.page);
    await Promise.all([parent.page.waitForURL(/\/messagerie\/[0-9a-f-]{36}$/), parent.page.getByRole("link", { name: "Réunion de rentrée" }).click()]);
    expect(await parent.page.getByText("la réunion a lieu jeudi à 18 h.").count()).toBe(1);
    await accessible(parent.page);

    await teacher.page.goto(`${hub.base}/messagerie/envoyes`);
    await Promise.all([teacher.page.waitForURL(/\/messagerie\/[0-9a-f-]{36}$/), teacher.page.getByRole("link", { name: "Réunion de rentrée" }).click()]);
    expect(await teacher.page.getByText(t("message.read_by"), { exact: false }).count()).toBeGreaterThan(0);
    expect(teacher.problems).toEqual([]);
    expect(parent.problems).toEqual([]);
  });

  it("52C a pupil's insult is stopped with a kind message; the teacher sees it among blocked messages", async () => {
    const pupil = await open("demo.eleve");
    await pupil.page.goto(`${hub.base}/messagerie/nouveau`);
    await accessible(pupil.page);
    await pupil.page.locator("input[name=destinataires]").first().check();
    await pupil.page.getByLabel(t("message.compose.subject")).fill("Cour");
    await pupil.page.getByLabel(t("message.compose.body")).fill("t'es une p.u.t.e");
    await Promise.all([pupil.page.waitForLoadState(), pupil.page.getByRole("button", { name: t("message.compose.submit") }).click()]);
    expect(await pupil.page.getByText(t("message.blocked")).count()).toBe(1);
    await accessible(pupil.page);

    const teacher = await open("demo.enseignant");
    await teacher.page.goto(`${hub.base}/messagerie/moderation`);
    await accessible(teacher.page);
    await Promise.all([teacher.page.waitForURL(/\/messagerie\/moderation\/[0-9a-f-]{36}$/), teacher.page.getByRole("link", { name: "Cour" }).click()]);
    expect(await teacher.page.getByText(t("message.moderation.words", { words: "pute" })).count()).toBe(1);
    await accessible(teacher.page);
    expect(pupil.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });
});
