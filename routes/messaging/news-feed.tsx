// The news feed (54H–54J): /fil, adding important dates, sending and withdrawing urgent announcements, and the
// "J'ai lu" of an announcement shown at entry. Parsing and rendering only: src/services/messaging/news-feed.ts decides.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, readForm, safeReturnPath } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  announcementAudiences,
  announcementCreator,
  announcementWithdrawer,
  dateAudiences,
  dateCreator,
  dateRemover,
  feedAuthorRights,
  markAnnouncementSeen,
  myAnnouncements,
  myDates,
  newsFeed,
  type FeedDeps,
} from "../../src/services/messaging/news-feed";
import { AnnouncementFormPage, DateFormPage, FeedPage } from "../../views/messaging/news-feed";
import { requireUser } from "../guards";

export const newsFeedRoutes = new Hono<AppEnv>();
newsFeedRoutes.use("/fil", requireUser);
newsFeedRoutes.use("/fil/*", requireUser);

const depsOf = (c: Context<AppEnv>): FeedDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
});
const NOTICES: Record<string, MessageKey> = {
  date: "feed.dates.added",
  date_retiree: "feed.dates.removed",
  urgent: "feed.urgent.sent",
  urgent_retire: "feed.urgent.withdrawn",
};
const pupilsAllowed = (c: Context<AppEnv>) => {
  const roles = c.var.principal!.structureRoles.map((r) => r.role);
  return !(roles.includes("municipality") && !roles.includes("academie_admin") && !roles.includes("adviser"));
};

newsFeedRoutes.get("/fil", async (c) => {
  const p = c.var.principal!;
  const { platform } = c.var;
  const now = platform.clock.now();
  const rights = feedAuthorRights(p);
  const view = await withTenant(platform.db, scopeOf(p), async (tx) => ({
    feed: await newsFeed(tx, p, now, platform.config.timeZone),
    mine: {
      dates: rights.dates ? await myDates(tx, p, now, platform.config.timeZone) : [],
      announcements: rights.announcements ? await myAnnouncements(tx, p) : [],
    },
  }));
  return renderPage(
    c,
    <FeedPage
      chrome={chromeFor(c, t("feed.title"), "feed.help")}
      view={{ ...view, rights, now, timeZone: platform.config.timeZone, notice: NOTICES[c.req.query("fait") ?? ""] }}
    />,
  );
});

newsFeedRoutes.get("/fil/dates/nouvelle", async (c) => {
  const p = c.var.principal!;
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => dateAudiences(tx, p));
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <DateFormPage
      chrome={chromeFor(c, t("feed.dates.new"), "feed.help")}
      options={options}
      draft={{ title: "", date: "", audience: options[0]!.value }}
    />,
  );
});

newsFeedRoutes.post("/fil/dates/nouvelle", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const draft = {
    title: field(form, "titre").slice(0, 1000),
    date: field(form, "date").slice(0, 20),
    audience: field(form, "audience").slice(0, 100),
  };
  const result = await dateCreator(depsOf(c), p, draft);
  if (result.ok) return c.redirect("/fil?fait=date", 303);
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => dateAudiences(tx, p));
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <DateFormPage
      chrome={chromeFor(c, t("feed.dates.new"), "feed.help")}
      options={options}
      draft={draft}
      errors={result.issues}
    />,
    422,
  );
});

newsFeedRoutes.post("/fil/dates/:batch/supprimer", async (c) => {
  const removed = await dateRemover(depsOf(c), c.var.principal!, c.req.param("batch"));
  return removed ? c.redirect("/fil?fait=date_retiree", 303) : renderError(c, 404);
});

newsFeedRoutes.get("/fil/annonces/nouvelle", async (c) => {
  const p = c.var.principal!;
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => announcementAudiences(tx, p));
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <AnnouncementFormPage
      chrome={chromeFor(c, t("feed.urgent.new"), "feed.help")}
      options={options}
      pupilsAllowed={pupilsAllowed(c)}
      draft={{ title: "", body: "", profiles: ["parent"], until: "", audience: options[0]!.value }}
    />,
  );
});

newsFeedRoutes.post("/fil/annonces/nouvelle", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const draft = {
    title: field(form, "titre").slice(0, 1000),
    body: field(form, "texte").slice(0, 10_000),
    profiles: fieldList(form, "profils").slice(0, 20),
    until: field(form, "jusqua").slice(0, 20),
    audience: field(form, "audience").slice(0, 100),
  };
  const result = await announcementCreator(depsOf(c), p, draft);
  if (result.ok) return c.redirect("/fil?fait=urgent", 303);
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => announcementAudiences(tx, p));
  if (options.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <AnnouncementFormPage
      chrome={chromeFor(c, t("feed.urgent.new"), "feed.help")}
      options={options}
      pupilsAllowed={pupilsAllowed(c)}
      draft={draft}
      errors={result.issues}
    />,
    422,
  );
});

newsFeedRoutes.post("/fil/annonces/:id/retirer", async (c) => {
  const done = await announcementWithdrawer(depsOf(c), c.var.principal!, c.req.param("id"));
  return done ? c.redirect("/fil?fait=urgent_retire", 303) : renderError(c, 404);
});

newsFeedRoutes.post("/fil/annonces/:id/lu", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    markAnnouncementSeen(tx, p.userId, c.req.param("id"), c.var.platform.clock.now()),
  );
  return c.redirect(safeReturnPath(field(form, "retour")), 303);
});
