// Messaging end to end in Debian Chromium with JavaScript off (52A–52D, 614A): a teacher writes to the parents of
// CM1, a parent reads and answers, a pupil's insult is stopped; axe-core finds nothing on any messaging page.
import { describe, expect, it } from "vitest";
import { t } from "../../src/i18n";
import { axeViolations, hubForThisFile } from "./harness";

const e2e = hubForThisFile();
const { open, accessible } = e2e;

describe("e2e messaging without JavaScript", () => {
  it(
    "614A a teacher writes to the parents of CM1 as a group; the parent reads it and may answer; 54G the teacher " +
      "sees it read; 731C axe on every page",
    async () => {
      const teacher = await open("demo.enseignant");
      await teacher.page.goto(`${e2e.hub.base}/messagerie/nouveau`);
      await accessible(teacher.page);
      await teacher.page.getByLabel(t("message.group.parents", { name: "CM1" })).check();
      await teacher.page.getByLabel(t("message.compose.subject")).fill("Réunion de rentrée");
      await teacher.page.getByLabel(t("message.compose.body")).fill("Bonjour,\nla réunion a lieu jeudi à 18 h.");
      await teacher.page.getByLabel(t("message.compose.receipt")).check();
      await Promise.all([
        teacher.page.waitForURL(/\/messagerie\/envoyes/),
        teacher.page.getByRole("button", { name: t("message.compose.submit") }).click(),
      ]);
      expect(await teacher.page.getByText(t("message.sent")).count()).toBe(1);
      expect(await teacher.page.getByRole("link", { name: "Réunion de rentrée" }).count()).toBe(1);
      await accessible(teacher.page);

      const parent = await open("demo.parent");
      await parent.page.goto(`${e2e.hub.base}/messagerie`);
      await accessible(parent.page);
      await Promise.all([
        parent.page.waitForURL(/\/messagerie\/[0-9a-f-]{36}$/),
        parent.page.getByRole("link", { name: "Réunion de rentrée" }).click(),
      ]);
      expect(await parent.page.getByText("la réunion a lieu jeudi à 18 h.").count()).toBe(1);
      await Promise.all([
        parent.page.waitForURL(/\/messagerie\/nouveau\?/),
        parent.page.getByRole("link", { name: t("message.reply") }).click(),
      ]);
      expect(await parent.page.getByLabel(t("message.compose.subject")).inputValue()).toBe("Re : Réunion de rentrée");
      expect(await parent.page.locator("input[name=destinataires]:checked").count()).toBe(1);
      await parent.page.goBack();
      await accessible(parent.page);

      await teacher.page.goto(`${e2e.hub.base}/messagerie/envoyes`);
      await Promise.all([
        teacher.page.waitForURL(/\/messagerie\/[0-9a-f-]{36}$/),
        teacher.page.getByRole("link", { name: "Réunion de rentrée" }).click(),
      ]);
      expect(await teacher.page.getByText(t("message.read_by"), { exact: false }).count()).toBeGreaterThan(0);
      expect(teacher.problems).toEqual([]);
      expect(parent.problems).toEqual([]);
    },
  );

  it("52C a pupil's insult is stopped with a kind message; the teacher sees it among blocked messages", async () => {
    const pupil = await open("demo.eleve");
    await pupil.page.goto(`${e2e.hub.base}/messagerie/nouveau`);
    await accessible(pupil.page);
    await pupil.page.locator("input[name=destinataires]").first().check();
    await pupil.page.getByLabel(t("message.compose.subject")).fill("Cour");
    await pupil.page.getByLabel(t("message.compose.body")).fill("t'es une p.u.t.e");
    await Promise.all([
      pupil.page.waitForLoadState(),
      pupil.page.getByRole("button", { name: t("message.compose.submit") }).click(),
    ]);
    expect(await pupil.page.getByText(t("message.blocked")).count()).toBe(1);
    await accessible(pupil.page);

    const teacher = await open("demo.enseignant");
    await teacher.page.goto(`${e2e.hub.base}/messagerie/moderation`);
    await accessible(teacher.page);
    const director = await open("demo.directeur");
    await director.page.goto(`${e2e.hub.base}/messagerie/regles`);
    expect(await director.page.getByRole("heading", { level: 1 }).innerText()).toBe(t("message.rules.title"));
    await accessible(director.page);
    await Promise.all([
      teacher.page.waitForURL(/\/messagerie\/moderation\/[0-9a-f-]{36}$/),
      teacher.page.getByRole("link", { name: "Cour" }).click(),
    ]);
    expect(await teacher.page.getByText(t("message.moderation.words", { words: "pute" })).count()).toBe(1);
    await accessible(teacher.page);
    expect(pupil.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });
});

describe("e2e news feed and notifications", () => {
  it(
    "54J the town hall's urgent message meets a parent at entry and is marked read, without JavaScript; 54H a " +
      "teacher's class date shows in the feed",
    async () => {
      const mairie = await open("demo.mairie");
      await mairie.page.goto(`${e2e.hub.base}/fil/annonces/nouvelle`);
      await accessible(mairie.page);
      expect(await mairie.page.getByLabel(t("feed.profile.pupil")).count()).toBe(0);
      await mairie.page.getByLabel(t("feed.urgent.subject")).fill("Cantine fermée vendredi");
      await mairie.page.getByLabel(t("feed.urgent.text")).fill("Une panne de chauffage ferme la cantine vendredi.");
      await mairie.page.getByLabel(t("feed.profile.parent")).check();
      const until = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
      await mairie.page.getByLabel(t("feed.urgent.until")).fill(until);
      await Promise.all([
        mairie.page.waitForURL(/\/fil\?fait=urgent$/),
        mairie.page.getByRole("button", { name: t("feed.urgent.submit") }).click(),
      ]);
      expect(await mairie.page.getByText(t("feed.urgent.sent")).count()).toBe(1);
      await accessible(mairie.page);

      const teacher = await open("demo.enseignant");
      await teacher.page.goto(`${e2e.hub.base}/fil/dates/nouvelle`);
      await teacher.page.getByLabel(t("feed.dates.what")).fill("Spectacle de fin d'année");
      await teacher.page
        .getByLabel(t("feed.dates.when"))
        .fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
      await Promise.all([
        teacher.page.waitForURL(/\/fil\?fait=date$/),
        teacher.page.getByRole("button", { name: t("feed.dates.submit") }).click(),
      ]);
      expect(await teacher.page.getByText("Spectacle de fin d'année").count()).toBeGreaterThan(0);

      const parent = await open("demo.parent");
      const urgent = parent.page.getByRole("region", { name: t("feed.urgent.title") });
      expect(await urgent.getByText("Cantine fermée vendredi").count()).toBe(1);
      await accessible(parent.page);
      await Promise.all([
        parent.page.waitForURL(`${e2e.hub.base}/`),
        urgent
          .getByRole("button", { name: t("feed.urgent.ack") })
          .first()
          .click(),
      ]);
      expect(await parent.page.getByRole("region", { name: t("feed.urgent.title") }).count()).toBe(0);
      await parent.page.getByRole("link", { name: t("feed.entry.all") }).click();
      await parent.page.waitForURL(`${e2e.hub.base}/fil`);
      expect(await parent.page.getByText("Spectacle de fin d'année").count()).toBe(1);
      expect(mairie.problems).toEqual([]);
      expect(parent.problems).toEqual([]);
    },
  );

  it(
    "51B–51C with JavaScript the service worker takes the whole hub and the device switch appears; without, the " +
      "page says nothing false",
    async () => {
      const withJs = await open("demo.enseignant", true);
      await withJs.page.goto(`${e2e.hub.base}/compte/notifications`);
      const scope = await withJs.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(`${e2e.hub.base}/`);
      await withJs.page.locator(".push-device").waitFor({ state: "visible" });
      expect(await withJs.page.getByRole("button", { name: t("notifications.devices.enable") }).isVisible()).toBe(true);
      expect(await axeViolations(withJs.page)).toEqual([]);
      const withoutJs = await open("demo.enseignant");
      await withoutJs.page.goto(`${e2e.hub.base}/compte/notifications`);
      expect(await withoutJs.page.getByRole("button", { name: t("notifications.devices.enable") }).isVisible()).toBe(
        false,
      );
      expect(withJs.problems).toEqual([]);
    },
  );
});

describe("e2e connectors", () => {
  it(
    "3.11.1.3 the académie creates a category-5 connector without JavaScript; a pupil sees its tile and the consent " +
      "page; 731C axe",
    async () => {
      const admin = await open("demo.academie");
      await admin.page.goto(`${e2e.hub.base}/admin/connecteurs`);
      await admin.page.getByLabel(t("connector.field.name")).fill("Atelier d'écriture");
      await admin.page.getByLabel(t("connector.field.slug")).fill("atelier-e2e");
      await admin.page.getByLabel(t("connector.field.launch_url")).fill("https://atelier.example.fr/");
      await admin.page.getByLabel(t("connector.field.service_urls")).fill("https://atelier.example.fr/cas");
      await admin.page.getByLabel(`${t("connector.category", { n: 5 })} — ${t("connector.category.5")}`).check();
      await admin.page.getByLabel(t("connector.attribute.first_name")).check();
      await admin.page.getByLabel(t("connector.field.all_schools")).check();
      await Promise.all([
        admin.page.waitForURL(/fait=cree/),
        admin.page.getByRole("button", { name: t("connector.admin.submit") }).click(),
      ]);
      await accessible(admin.page);

      const pupil = await open("demo.eleve");
      expect(await pupil.page.getByRole("link", { name: /Atelier d'écriture/ }).count()).toBe(1);
      await pupil.page.goto(`${e2e.hub.base}/services/atelier-e2e/consentement?retour=/`);
      expect(await pupil.page.getByText(t("connector.attribute.first_name")).count()).toBe(1);
      await accessible(pupil.page);
      await Promise.all([
        pupil.page.waitForLoadState(),
        pupil.page.getByRole("button", { name: t("connector.consent.refuse") }).click(),
      ]);
      expect(await pupil.page.getByRole("heading", { level: 1 }).innerText()).toBe(t("connector.refused.title"));
      expect(admin.problems).toEqual([]);
      expect(pupil.problems).toEqual([]);
    },
  );
});
