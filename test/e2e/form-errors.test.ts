// A refused form in Debian Chromium: each field's French error stands next to it, the field is invalid and
// described by its error (what a screen reader reads on reaching it), the summary stays atop the form, and axe-core
// finds nothing on the page as the refusal shows it (WCAG 2.1 A/AA, 480 × 800).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { t } from "../../src/i18n";
import { axeViolations, hubForThisFile } from "./harness";

// The refusal is a 422 page, which Chromium logs in the console; nothing else may go wrong.
const e2e = hubForThisFile({ allow: [/^console\.error: Failed to load resource: .* status of 422 /] });

/** The field's state as the browser has it: invalid or not, and the texts its aria-describedby points at. */
const described = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((el) => ({
    invalid: el.getAttribute("aria-invalid"),
    description: (el.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? `#${id} missing`),
    // The error is in the same field block, after the control.
    next: el.nextElementSibling?.textContent ?? null,
  }));

describe("e2e a refused form shows each error next to its field", () => {
  it("54C an event without a title: the title says why, the other fields say nothing; axe on the refusal", async () => {
    const { page, problems } = await e2e.open("demo.enseignant", true);
    await page.goto(`${e2e.hub.base}/agenda/nouveau`);
    await page.getByLabel(t("agenda.field.day"), { exact: true }).fill("2026-11-30");
    await page.getByLabel(t("agenda.field.start"), { exact: true }).fill("10:00");
    await page.getByLabel(t("agenda.field.end"), { exact: true }).fill("11:00");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/agenda/nouveau") && r.request().method() === "POST"),
      page.getByRole("button", { name: t("agenda.submit") }).click(),
    ]);
    expect(response.status()).toBe(422);
    await page.waitForLoadState();
    expect(await page.getByRole("alert").innerText()).toBe(t("agenda.error.title"));
    expect(await described(page, t("agenda.field.title"))).toEqual({
      invalid: "true",
      description: [t("agenda.error.title")],
      next: t("agenda.error.title"),
    });
    expect(await described(page, t("agenda.field.place"))).toEqual({ invalid: null, description: [], next: null });
    expect(await described(page, t("agenda.field.day"))).toEqual({ invalid: null, description: [], next: null });
    // What was typed is kept.
    expect(await page.getByLabel(t("agenda.field.start"), { exact: true }).inputValue()).toBe("10:00");
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it("54H a date in the past: the day says why next to it", async () => {
    const { page, problems } = await e2e.open("demo.enseignant", true);
    await page.goto(`${e2e.hub.base}/fil/dates/nouvelle`);
    await page.getByLabel(t("feed.dates.what"), { exact: true }).fill("Kermesse");
    await page.getByLabel(t("feed.dates.when"), { exact: true }).fill("2026-01-05");
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/fil/dates/nouvelle") && r.request().method() === "POST"),
      page.getByRole("button", { name: t("feed.dates.submit") }).click(),
    ]);
    await page.waitForLoadState();
    expect(await described(page, t("feed.dates.when"))).toEqual({
      invalid: "true",
      description: [t("feed.dates.error.date_past")],
      next: t("feed.dates.error.date_past"),
    });
    expect((await described(page, t("feed.dates.what"))).invalid).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);
});
