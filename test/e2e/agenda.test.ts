// Agenda and booking end to end in Debian Chromium, JavaScript off and on (54C): a teacher adds a class event and opens
// meeting slots; a parent books one, finds it in their agenda and takes a subscription address; axe-core finds
// nothing on any agenda page, at 480 × 800.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { t } from "../../src/i18n";
import { hubForThisFile } from "./harness";

const e2e = hubForThisFile();
const { open, accessible } = e2e;

const submit = (page: Page, url: RegExp, name: string) =>
  Promise.all([page.waitForURL(url), page.getByRole("button", { name }).click()]);

describe.each([false, true])("e2e agenda and booking (JavaScript %s)", (js) => {
  // Each run its own day, so the two runs do not meet (the hub's clock is Tuesday 24 November 2026).
  const day = js ? "2026-11-27" : "2026-11-26";
  const title = js ? "Rencontres (JS)" : "Rencontres (sans JS)";

  it("54C the teacher adds a class event; axe on the agenda, the form and the event", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/agenda/nouveau`);
    await accessible(teacher.page);
    await teacher.page
      .getByLabel(t("agenda.field.calendar"))
      .selectOption({ label: t("agenda.calendar.class", { name: "CM1" }) });
    await teacher.page.getByLabel(t("agenda.field.title"), { exact: true }).fill(`Piscine ${day}`);
    await teacher.page.getByLabel(t("agenda.field.day"), { exact: true }).fill(day);
    await teacher.page.getByLabel(t("agenda.field.start"), { exact: true }).fill("14:00");
    await teacher.page.getByLabel(t("agenda.field.end"), { exact: true }).fill("15:00");
    await submit(teacher.page, /\/agenda\?du=/, t("agenda.submit"));
    expect(await teacher.page.getByText(t("agenda.created")).count()).toBe(1);
    await accessible(teacher.page);
    await Promise.all([
      teacher.page.waitForURL(/\/agenda\/evenements\//),
      teacher.page.getByRole("link", { name: `Piscine ${day}` }).click(),
    ]);
    await accessible(teacher.page);
    // A pupil of the class finds it in their week.
    const pupil = await open("demo.eleve", js);
    await pupil.page.goto(`${e2e.hub.base}/agenda?du=${day}`);
    expect(await pupil.page.getByRole("link", { name: `Piscine ${day}` }).count()).toBe(1);
    await accessible(pupil.page);
    expect([...teacher.problems, ...pupil.problems]).toEqual([]);
  }, 60_000);

  it("54C the teacher opens meeting slots; a parent books " +
    "one and finds it in their agenda; subscription address", async () => {
    const teacher = await open("demo.enseignant", js);
    await teacher.page.goto(`${e2e.hub.base}/agenda/creneaux`);
    await accessible(teacher.page);
    await teacher.page.getByLabel(t("agenda.offer.kind.meeting")).check();
    await teacher.page.getByLabel(t("agenda.field.title"), { exact: true }).fill(title);
    await teacher.page.getByLabel(t("agenda.field.day"), { exact: true }).fill(day);
    await teacher.page.getByLabel(t("agenda.field.start"), { exact: true }).fill("16:30");
    await teacher.page.getByLabel(t("agenda.field.end"), { exact: true }).fill("17:30");
    await teacher.page.getByLabel(t("agenda.offer.minutes")).fill("20");
    await submit(teacher.page, /\/agenda\/creneaux\/[0-9a-f-]{36}\?fait=propose/, t("agenda.offer.submit"));
    const offerUrl = teacher.page.url().replace(/\?.*$/, "");
    expect(await teacher.page.locator("table.slots tbody tr").count()).toBe(3);
    await accessible(teacher.page);

    const parent = await open("demo.parent", js);
    await parent.page.goto(`${e2e.hub.base}/agenda/creneaux`);
    await accessible(parent.page);
    await Promise.all([
      parent.page.waitForURL(/\/agenda\/creneaux\/[0-9a-f-]{36}$/),
      parent.page.getByRole("link", { name: title }).click(),
    ]);
    await accessible(parent.page);
    await parent.page.getByRole("radio").nth(1).check();
    await submit(parent.page, /fait=reserve/, t("agenda.offer.book"));
    expect(await parent.page.getByText(t("agenda.offer.booked")).count()).toBe(1);
    expect(await parent.page.getByRole("button", { name: t("agenda.offer.cancel") }).count()).toBe(1);
    await accessible(parent.page);
    await parent.page.goto(`${e2e.hub.base}/agenda?du=${day}`);
    expect(await parent.page.getByText(t("agenda.source.booking"), { exact: false }).count()).toBeGreaterThan(0);
    await accessible(parent.page);
    // The teacher sees who booked.
    await teacher.page.goto(offerUrl);
    expect(await teacher.page.getByText(t("agenda.offer.taken", { taken: 1, capacity: 1 })).count()).toBe(1);

    await parent.page.goto(`${e2e.hub.base}/agenda/abonnements`);
    await parent.page
      .getByRole("button", { name: t("agenda.feed.open") })
      .first()
      .click();
    await parent.page.waitForURL(/fait=abonnement/);
    const address = await parent.page
      .getByLabel(t("agenda.feed.address", { name: t("agenda.all_calendars") }))
      .inputValue();
    expect(address).toMatch(/\/ical\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{24}\.ics$/);
    await accessible(parent.page);
    // The address works without a session (a calendar app).
    const feed = await fetch(`${e2e.hub.base}${new URL(address).pathname}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain(`SUMMARY:${title}`);
    await parent.page.getByRole("button", { name: t("agenda.feed.revoke") }).click();
    await parent.page.waitForURL(/fait=revoque/);
    expect([...teacher.problems, ...parent.problems]).toEqual([]);
  }, 60_000);
});
