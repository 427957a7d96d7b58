// Agenda and booking (54C): /agenda (the period, filtered by calendar), events, /agenda/creneaux (slots and bookings),
// /agenda/abonnements (iCalendar export and private subscription addresses) and /ical/<token>.ics for calendar apps.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { addDays, localTime, zonedToUtc } from "../../src/time";
import {
  agendaEntries,
  calendarsOf,
  eventCreator,
  eventRemover,
  eventView,
  hasAgenda,
  type AgendaDeps,
} from "../../src/services/classroom/agenda";
import {
  bookingCanceller,
  myOffers,
  offerCreator,
  offerView,
  slotBooker,
  type OfferInput,
} from "../../src/services/classroom/booking";
import { mondayOf } from "../../src/services/classroom/homework";
import {
  feedCalendar,
  feedOpener,
  feedRevoker,
  icsOf,
  myFeeds,
  selectCalendars,
} from "../../src/services/classroom/agenda-feed";
import { AgendaPage, EventFormPage, EventPage, type EventDraft } from "../../views/classroom/agenda";
import { FeedsPage, OfferPage, OffersPage, type OfferDraft } from "../../views/classroom/booking";
import { requireUser } from "../guards";

export const agendaRoutes = new Hono<AppEnv>();
agendaRoutes.use("/agenda", requireUser);
agendaRoutes.use("/agenda/*", requireUser);
// Nobody without a school life has an agenda (an inspector's or the académie's work is elsewhere).
agendaRoutes.use("/agenda/*", async (c, next) => (hasAgenda(c.var.principal!) ? next() : renderError(c, 404)));
agendaRoutes.use("/agenda", async (c, next) => (hasAgenda(c.var.principal!) ? next() : renderError(c, 404)));

const depsOf = (c: Context<AppEnv>): AgendaDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
const NOTICES: Record<string, MessageKey> = {
  cree: "agenda.created",
  supprime: "agenda.removed",
  propose: "agenda.offer.created",
  reserve: "agenda.offer.booked",
  annule: "agenda.offer.cancelled",
  abonnement: "agenda.feed.opened",
  revoque: "agenda.feed.revoked",
};
const notice = (c: Context<AppEnv>) => NOTICES[c.req.query("fait") ?? ""];
const validDay = (d: string | undefined): d is string =>
  !!d && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T12:00:00Z`));

agendaRoutes.get("/agenda", async (c) => {
  const p = c.var.principal!;
  const { timeZone } = c.var.platform.config;
  const today = localTime(c.var.platform.clock.now(), timeZone).date;
  const view = c.req.query("vue") === "mois" ? "mois" : "semaine";
  const asked = c.req.query("du");
  // A week starts on Monday; four weeks from the asked day.
  const from = view === "semaine" ? mondayOf(validDay(asked) ? asked : today) : validDay(asked) ? asked : today;
  const days = view === "semaine" ? 7 : 28;
  const { calendars, entries, calendar } = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    const calendars = await calendarsOf(tx, p);
    const key = c.req.query("calendrier") ?? "all";
    const chosen = selectCalendars(calendars, key) ?? calendars;
    const entries = await agendaEntries(
      tx,
      p,
      chosen,
      zonedToUtc(`${from}T00:00`, timeZone),
      zonedToUtc(`${addDays(from, days)}T00:00`, timeZone),
      timeZone,
    );
    return { calendars, entries, calendar: selectCalendars(calendars, key) ? key : "all" };
  });
  return renderPage(
    c,
    <AgendaPage
      chrome={chromeFor(c, t("agenda.title"), "agenda.help")}
      calendars={calendars}
      entries={entries}
      period={{ from, days, view, calendar }}
      today={today}
      timeZone={timeZone}
      notice={notice(c)}
    />,
  );
});

async function showEventForm(c: Context<AppEnv>, draft: EventDraft, errors?: string[]) {
  const p = c.var.principal!;
  const calendars = await withTenant(c.var.platform.db, scopeOf(p), (tx) => calendarsOf(tx, p));
  return renderPage(
    c,
    <EventFormPage
      chrome={chromeFor(c, t("agenda.new"), "agenda.help")}
      calendars={calendars}
      draft={draft}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

agendaRoutes.get("/agenda/nouveau", (c) => {
  const day = validDay(c.req.query("jour"))
    ? c.req.query("jour")!
    : localTime(c.var.platform.clock.now(), c.var.platform.config.timeZone).date;
  return showEventForm(c, {
    calendar: c.req.query("calendrier") ?? "personal",
    title: "",
    place: "",
    details: "",
    day,
    endDay: "",
    start: "08:30",
    end: "09:30",
    allDay: false,
  });
});

agendaRoutes.post("/agenda/nouveau", async (c) => {
  const form = await readForm(c);
  const draft: EventDraft = {
    calendar: field(form, "calendrier").slice(0, 100),
    title: field(form, "titre").slice(0, 1000),
    place: field(form, "lieu").slice(0, 1000),
    details: field(form, "precisions").slice(0, 20_000),
    day: field(form, "jour").slice(0, 20),
    endDay: field(form, "fin_jour").slice(0, 20),
    start: field(form, "debut").slice(0, 10),
    end: field(form, "fin").slice(0, 10),
    allDay: field(form, "journee") === "1",
  };
  const result = await eventCreator(depsOf(c), c.var.principal!, draft);
  if (result.ok) return c.redirect(`/agenda?du=${result.day}&fait=cree`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  return showEventForm(c, draft, result.issues);
});

agendaRoutes.get("/agenda/evenements/:id", async (c) => {
  const view = await eventView(depsOf(c), c.var.principal!, c.req.param("id"));
  if (!view) return renderError(c, 404);
  return renderPage(
    c,
    <EventPage
      chrome={chromeFor(c, view.entry.title, "agenda.help")}
      entry={view.entry}
      calendar={view.calendar}
      timeZone={c.var.platform.config.timeZone}
      notice={notice(c)}
    />,
  );
});

agendaRoutes.post("/agenda/evenements/:id/supprimer", async (c) =>
  (await eventRemover(depsOf(c), c.var.principal!, c.req.param("id")))
    ? c.redirect("/agenda?fait=supprime", 303)
    : renderError(c, 404),
);

const emptyOffer = (c: Context<AppEnv>): OfferDraft => ({
  classId: "",
  kind: "meeting",
  title: "",
  place: "",
  details: "",
  day: localTime(c.var.platform.clock.now(), c.var.platform.config.timeZone).date,
  start: "16:30",
  end: "18:30",
  minutes: "15",
  companions: "3",
});

async function showOffers(c: Context<AppEnv>, draft: OfferDraft, errors?: string[]) {
  const p = c.var.principal!;
  const { offers, classes } = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => ({
    offers: await myOffers(tx, p, c.var.platform.clock.now()),
    classes: (await calendarsOf(tx, p)).filter((cal) => cal.kind === "class" && cal.writable),
  }));
  return renderPage(
    c,
    <OffersPage
      chrome={chromeFor(c, t("agenda.offer.title"), "agenda.help")}
      offers={offers}
      classes={classes}
      draft={draft}
      timeZone={c.var.platform.config.timeZone}
      errors={errors}
      notice={notice(c)}
    />,
    errors ? 422 : 200,
  );
}

agendaRoutes.get("/agenda/creneaux", (c) => showOffers(c, emptyOffer(c)));

agendaRoutes.post("/agenda/creneaux", async (c) => {
  const form = await readForm(c);
  const draft: OfferDraft = {
    classId: field(form, "classe").slice(0, 100),
    kind: field(form, "sorte") === "outing" ? "outing" : "meeting",
    title: field(form, "titre").slice(0, 1000),
    place: field(form, "lieu").slice(0, 1000),
    details: field(form, "precisions").slice(0, 20_000),
    day: field(form, "jour").slice(0, 20),
    start: field(form, "debut").slice(0, 10),
    end: field(form, "fin").slice(0, 10),
    minutes: field(form, "duree").slice(0, 10),
    companions: field(form, "places").slice(0, 10),
  };
  const input: OfferInput = draft;
  const result = await offerCreator(depsOf(c), c.var.principal!, draft.classId, input);
  if (result.ok) return c.redirect(`/agenda/creneaux/${result.id}?fait=propose`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  return showOffers(c, draft, result.issues);
});

async function showOffer(c: Context<AppEnv>, error?: MessageKey) {
  const offer = await offerView(depsOf(c), c.var.principal!, c.req.param("id")!);
  if (!offer) return renderError(c, 404);
  return renderPage(
    c,
    <OfferPage
      chrome={chromeFor(c, offer.title, "agenda.help")}
      offer={offer}
      now={c.var.platform.clock.now()}
      timeZone={c.var.platform.config.timeZone}
      notice={notice(c)}
      error={error}
    />,
    error ? 422 : 200,
  );
}

agendaRoutes.get("/agenda/creneaux/:id", (c) => showOffer(c));

agendaRoutes.post("/agenda/creneaux/:id/reserver", async (c) => {
  const form = await readForm(c);
  const id = c.req.param("id");
  const result = await slotBooker(
    depsOf(c),
    c.var.principal!,
    id,
    field(form, "creneau").slice(0, 100),
    field(form, "enfant").slice(0, 100),
  );
  if (result.ok) return c.redirect(`/agenda/creneaux/${id}?fait=reserve`, 303);
  if ("notFound" in result) return renderError(c, 404);
  return showOffer(c, `agenda.booking.error.${result.issue}`);
});

agendaRoutes.post("/agenda/reservations/:id/annuler", async (c) => {
  const done = await bookingCanceller(depsOf(c), c.var.principal!, c.req.param("id"));
  return done ? c.redirect(`/agenda/creneaux/${done.offerId}?fait=annule`, 303) : renderError(c, 404);
});

agendaRoutes.get("/agenda/abonnements", async (c) => {
  const p = c.var.principal!;
  const { platform } = c.var;
  const { calendars, feeds } = await withTenant(platform.db, scopeOf(p), async (tx) => ({
    calendars: await calendarsOf(tx, p),
    feeds: await myFeeds(tx, p, platform.config.secret),
  }));
  return renderPage(
    c,
    <FeedsPage
      chrome={chromeFor(c, t("agenda.feed.title"), "agenda.help")}
      calendars={calendars}
      feeds={feeds}
      baseUrl={platform.config.publicUrl || new URL(c.req.url).origin}
      notice={notice(c)}
    />,
  );
});

agendaRoutes.post("/agenda/abonnements", async (c) => {
  const form = await readForm(c);
  const opened = await feedOpener(
    c.var.platform.db,
    c.var.principal!,
    field(form, "calendrier").slice(0, 100),
    c.var.platform.clock.now(),
  );
  return opened ? c.redirect("/agenda/abonnements?fait=abonnement", 303) : renderError(c, 404);
});

agendaRoutes.post("/agenda/abonnements/revoquer", async (c) => {
  const form = await readForm(c);
  await feedRevoker(c.var.platform.db, c.var.principal!, field(form, "calendrier").slice(0, 100));
  return c.redirect("/agenda/abonnements?fait=revoque", 303);
});

const ICS_HEADERS = { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, no-store" };

agendaRoutes.get("/agenda/export.ics", async (c) => {
  const p = c.var.principal!;
  const { platform } = c.var;
  const key = c.req.query("calendrier") ?? "all";
  const ics = await withTenant(platform.db, scopeOf(p), async (tx) => {
    const calendars = selectCalendars(await calendarsOf(tx, p), key);
    return calendars
      ? icsOf(tx, p, calendars, key, platform.clock.now(), platform.config.timeZone, platform.config.publicUrl)
      : null;
  });
  if (ics === null) return renderError(c, 404);
  return c.body(ics, 200, { ...ICS_HEADERS, "content-disposition": `attachment; filename="agenda.ics"` });
});

/** For calendar apps, which cannot sign in: the address itself is the key. */
agendaRoutes.get("/ical/:token", async (c) => {
  const { platform } = c.var;
  const token = c.req.param("token").replace(/\.ics$/, "");
  const ics = await feedCalendar(
    platform.db,
    platform.config.secret,
    token,
    platform.clock.now(),
    platform.config.timeZone,
    platform.config.publicUrl,
  );
  return ics === null ? c.text("Agenda introuvable ou adresse révoquée.", 404) : c.body(ics, 200, ICS_HEADERS);
});
