// The news feed (54H–54J): /fil, adding important dates, sending and withdrawing urgent announcements, and the
// "J'ai lu" of an announcement shown at entry. Parsing and rendering only: src/services/messaging/news-feed.ts decides,
// src/policy/news-feed.ts says who may.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, fieldsOf, readForm, safeReturnPath, type FormFields } from "../../src/http/forms";
import {
  announcementCreator,
  announcementForm,
  announcementWithdrawer,
  dateAudiences,
  dateCreator,
  dateRemover,
  feedPage,
  markAnnouncementSeen,
  type AnnouncementInput,
  type AnnouncementIssue,
  type DateInput,
  type DateIssue,
} from "../../src/services/messaging/news-feed";
import { AnnouncementFormPage, DateFormPage, FeedPage } from "../../views/messaging/news-feed";
import { bounded, boundedList, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const newsFeedRoutes = signedInRoutes("/fil");

const NOTICES: Record<string, MessageKey> = {
  date: "feed.dates.added",
  date_retiree: "feed.dates.removed",
  urgent: "feed.urgent.sent",
  urgent_retire: "feed.urgent.withdrawn",
};

/** The date form, its texts bounded above the service's limits (the service names the field that is too long). */
const DateForm = v.object({ titre: bounded(1000), date: bounded(20), audience: bounded(100) });
const AnnouncementForm = v.object({
  titre: bounded(1000),
  texte: bounded(10_000),
  jusqua: bounded(20),
  audience: bounded(100),
});
/** At most this many profiles ticked (there are five). */
const MAX_PROFILES = 20;

function readDate(form: FormFields): DateInput {
  const f = readWith(DateForm, fieldsOf(form, DateForm));
  return { title: f.titre, date: f.date, audience: f.audience };
}

function readAnnouncement(form: FormFields): AnnouncementInput {
  const f = readWith(AnnouncementForm, fieldsOf(form, AnnouncementForm));
  const profiles = boundedList(fieldList(form, "profils"), MAX_PROFILES);
  return { title: f.titre, body: f.texte, profiles, until: f.jusqua, audience: f.audience };
}

newsFeedRoutes.get("/fil", async (c) => {
  const { deps } = c.var;
  const page = await feedPage(deps, c.var.principal);
  return renderPage(
    c,
    <FeedPage
      chrome={chromeFor(c, t("feed.title"), "feed.help")}
      view={{ ...page, now: deps.now, timeZone: deps.timeZone, notice: NOTICES[c.req.query("fait") ?? ""] }}
    />,
  );
});

async function showDateForm(c: Context<SignedInEnv>, draft?: DateInput, errors?: DateIssue[]) {
  const options = await dateAudiences(c.var.deps, c.var.principal);
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <DateFormPage
      chrome={chromeFor(c, t("feed.dates.new"), "feed.help")}
      options={options}
      draft={draft ?? { title: "", date: "", audience: options[0]!.value }}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

newsFeedRoutes.get("/fil/dates/nouvelle", (c) => showDateForm(c));

newsFeedRoutes.post("/fil/dates/nouvelle", async (c) => {
  const draft = readDate(await readForm(c));
  const result = await dateCreator(c.var.deps, c.var.principal, draft);
  if (result.ok) return c.redirect("/fil?fait=date", 303);
  return showDateForm(c, draft, result.issues);
});

newsFeedRoutes.post("/fil/dates/:batch/supprimer", async (c) => {
  const removed = await dateRemover(c.var.deps, c.var.principal, c.req.param("batch"));
  return removed ? c.redirect("/fil?fait=date_retiree", 303) : renderError(c, 404);
});

async function showAnnouncementForm(c: Context<SignedInEnv>, draft?: AnnouncementInput, errors?: AnnouncementIssue[]) {
  const { options, pupilsAllowed } = await announcementForm(c.var.deps, c.var.principal);
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <AnnouncementFormPage
      chrome={chromeFor(c, t("feed.urgent.new"), "feed.help")}
      options={options}
      pupilsAllowed={pupilsAllowed}
      draft={draft ?? { title: "", body: "", profiles: ["parent"], until: "", audience: options[0]!.value }}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

newsFeedRoutes.get("/fil/annonces/nouvelle", (c) => showAnnouncementForm(c));

newsFeedRoutes.post("/fil/annonces/nouvelle", async (c) => {
  const draft = readAnnouncement(await readForm(c));
  const result = await announcementCreator(c.var.deps, c.var.principal, draft);
  if (result.ok) return c.redirect("/fil?fait=urgent", 303);
  return showAnnouncementForm(c, draft, result.issues);
});

newsFeedRoutes.post("/fil/annonces/:id/retirer", async (c) => {
  const done = await announcementWithdrawer(c.var.deps, c.var.principal, c.req.param("id"));
  return done ? c.redirect("/fil?fait=urgent_retire", 303) : renderError(c, 404);
});

newsFeedRoutes.post("/fil/annonces/:id/lu", async (c) => {
  const form = await readForm(c);
  await markAnnouncementSeen(c.var.deps, c.var.principal, c.req.param("id"));
  return c.redirect(safeReturnPath(field(form, "retour")), 303);
});
