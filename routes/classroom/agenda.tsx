// Agenda and booking (54C): /agenda (the period, filtered by calendar), events, /agenda/creneaux (slots and bookings),
// /agenda/abonnements (iCalendar export and private subscription addresses) for signed-in users, and /ical/<token>.ics
// for calendar apps, which cannot sign in (public: the address itself is the key). Parsing and rendering only:
// src/services/classroom/{agenda,booking,agenda-feed}.ts decide, src/policy/classroom.ts says who may.
import { Hono, type Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv, SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import { localTime } from "../../src/time";
import {
  AGENDA_VIEWS,
  agendaCalendars,
  agendaPeriod,
  eventCreator,
  eventRemover,
  eventView,
  hasAgenda,
} from "../../src/services/classroom/agenda";
import {
  bookingCanceller,
  OFFER_KINDS,
  offerCreator,
  offersPage,
  offerView,
  slotBooker,
} from "../../src/services/classroom/booking";
import {
  calendarExport,
  feedCalendar,
  feedOpener,
  feedRevoker,
  feedsPage,
} from "../../src/services/classroom/agenda-feed";
import { AgendaPage, EventFormPage, EventPage, type EventDraft } from "../../views/classroom/agenda";
import { FeedsPage, OfferPage, OffersPage, type OfferDraft } from "../../views/classroom/booking";
import { askedDay, bounded, Checkbox, choice, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

/** The signed-in agenda. */
const agenda = signedInRoutes("/agenda");
// Nobody without a school life has an agenda (an inspector's or the académie's work is elsewhere).
agenda.use("/agenda/*", async (c, next) => (hasAgenda(c.var.principal) ? next() : renderError(c, 404)));
agenda.use("/agenda", async (c, next) => (hasAgenda(c.var.principal) ? next() : renderError(c, 404)));

/** Subscription addresses, fetched by calendar apps without a session. */
const feeds = new Hono<AppEnv>();

export const agendaRoutes = new Hono<AppEnv>();

const NOTICES: Record<string, MessageKey> = {
  cree: "agenda.created",
  supprime: "agenda.removed",
  propose: "agenda.offer.created",
  reserve: "agenda.offer.booked",
  annule: "agenda.offer.cancelled",
  abonnement: "agenda.feed.opened",
  revoque: "agenda.feed.revoked",
};
const notice = (c: Context<SignedInEnv>) => NOTICES[c.req.query("fait") ?? ""];
const today = (c: Context<SignedInEnv>) => localTime(c.var.deps.now, c.var.deps.timeZone).date;

/** The event's form, its texts bounded above the service's limits (the service names the field that is wrong). */
const EventForm = v.object({
  calendrier: bounded(100),
  titre: bounded(1000),
  lieu: bounded(1000),
  precisions: bounded(20_000),
  jour: bounded(20),
  fin_jour: bounded(20),
  debut: bounded(10),
  fin: bounded(10),
  journee: Checkbox,
});

/** The form that opens slots (parent meetings or an outing's companions). */
const OfferForm = v.object({
  classe: bounded(100),
  sorte: bounded(20),
  titre: bounded(1000),
  lieu: bounded(1000),
  precisions: bounded(20_000),
  jour: bounded(20),
  debut: bounded(10),
  fin: bounded(10),
  duree: bounded(10),
  places: bounded(10),
});

const BookingForm = v.object({ creneau: bounded(100), enfant: bounded(100) });
const FeedForm = v.object({ calendrier: bounded(100) });

agenda.get("/agenda", async (c) => {
  const day = askedDay(c.req.query("du"));
  if (day === false) return renderError(c, 400, "day");
  const page = await agendaPeriod(c.var.deps, c.var.principal, {
    view: choice(AGENDA_VIEWS, c.req.query("vue"), "semaine"),
    day,
    calendar: c.req.query("calendrier") ?? "all",
  });
  return renderPage(
    c,
    <AgendaPage
      chrome={chromeFor(c, t("agenda.title"), "agenda.help")}
      calendars={page.calendars}
      entries={page.entries}
      period={page.period}
      today={page.today}
      timeZone={c.var.deps.timeZone}
      notice={notice(c)}
    />,
  );
});

async function showEventForm(c: Context<SignedInEnv>, draft: EventDraft, errors?: string[]) {
  const calendars = await agendaCalendars(c.var.deps, c.var.principal);
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

agenda.get("/agenda/nouveau", (c) => {
  const day = askedDay(c.req.query("jour"));
  if (day === false) return renderError(c, 400, "day");
  return showEventForm(c, {
    calendar: c.req.query("calendrier") ?? "personal",
    title: "",
    place: "",
    details: "",
    day: day ?? today(c),
    endDay: "",
    start: "08:30",
    end: "09:30",
    allDay: false,
  });
});

agenda.post("/agenda/nouveau", async (c) => {
  const f = readWith(EventForm, fieldsOf(await readForm(c), EventForm));
  const draft: EventDraft = {
    calendar: f.calendrier,
    title: f.titre,
    place: f.lieu,
    details: f.precisions,
    day: f.jour,
    endDay: f.fin_jour,
    start: f.debut,
    end: f.fin,
    allDay: f.journee,
  };
  const result = await eventCreator(c.var.deps, c.var.principal, draft);
  if (result.ok) return c.redirect(`/agenda?du=${result.day}&fait=cree`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  return showEventForm(c, draft, result.issues);
});

agenda.get("/agenda/evenements/:id", async (c) => {
  const view = await eventView(c.var.deps, c.var.principal, c.req.param("id"));
  if (!view) return renderError(c, 404);
  return renderPage(
    c,
    <EventPage
      chrome={chromeFor(c, view.entry.title, "agenda.help")}
      entry={view.entry}
      calendar={view.calendar}
      timeZone={c.var.deps.timeZone}
      notice={notice(c)}
    />,
  );
});

agenda.post("/agenda/evenements/:id/supprimer", async (c) =>
  (await eventRemover(c.var.deps, c.var.principal, c.req.param("id")))
    ? c.redirect("/agenda?fait=supprime", 303)
    : renderError(c, 404),
);

const emptyOffer = (c: Context<SignedInEnv>): OfferDraft => ({
  classId: "",
  kind: "meeting",
  title: "",
  place: "",
  details: "",
  day: today(c),
  start: "16:30",
  end: "18:30",
  minutes: "15",
  companions: "3",
});

async function showOffers(c: Context<SignedInEnv>, draft: OfferDraft, errors?: string[]) {
  const { offers, classes } = await offersPage(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <OffersPage
      chrome={chromeFor(c, t("agenda.offer.title"), "agenda.help")}
      offers={offers}
      classes={classes}
      draft={draft}
      timeZone={c.var.deps.timeZone}
      errors={errors}
      notice={notice(c)}
    />,
    errors ? 422 : 200,
  );
}

agenda.get("/agenda/creneaux", (c) => showOffers(c, emptyOffer(c)));

agenda.post("/agenda/creneaux", async (c) => {
  const f = readWith(OfferForm, fieldsOf(await readForm(c), OfferForm));
  const draft: OfferDraft = {
    classId: f.classe,
    kind: choice(OFFER_KINDS, f.sorte, "meeting"),
    title: f.titre,
    place: f.lieu,
    details: f.precisions,
    day: f.jour,
    start: f.debut,
    end: f.fin,
    minutes: f.duree,
    companions: f.places,
  };
  const result = await offerCreator(c.var.deps, c.var.principal, draft.classId, draft);
  if (result.ok) return c.redirect(`/agenda/creneaux/${result.id}?fait=propose`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  return showOffers(c, draft, result.issues);
});

async function showOffer(c: Context<SignedInEnv>, error?: MessageKey) {
  const offer = await offerView(c.var.deps, c.var.principal, c.req.param("id")!);
  if (!offer) return renderError(c, 404);
  return renderPage(
    c,
    <OfferPage
      chrome={chromeFor(c, offer.title, "agenda.help")}
      offer={offer}
      now={c.var.deps.now}
      timeZone={c.var.deps.timeZone}
      notice={notice(c)}
      error={error}
    />,
    error ? 422 : 200,
  );
}

agenda.get("/agenda/creneaux/:id", (c) => showOffer(c));

agenda.post("/agenda/creneaux/:id/reserver", async (c) => {
  const f = readWith(BookingForm, fieldsOf(await readForm(c), BookingForm));
  const id = c.req.param("id");
  const result = await slotBooker(c.var.deps, c.var.principal, id, f.creneau, f.enfant);
  if (result.ok) return c.redirect(`/agenda/creneaux/${id}?fait=reserve`, 303);
  if ("notFound" in result) return renderError(c, 404);
  return showOffer(c, `agenda.booking.error.${result.issue}`);
});

agenda.post("/agenda/reservations/:id/annuler", async (c) => {
  const done = await bookingCanceller(c.var.deps, c.var.principal, c.req.param("id"));
  return done ? c.redirect(`/agenda/creneaux/${done.offerId}?fait=annule`, 303) : renderError(c, 404);
});

agenda.get("/agenda/abonnements", async (c) => {
  const { calendars, feeds } = await feedsPage(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <FeedsPage
      chrome={chromeFor(c, t("agenda.feed.title"), "agenda.help")}
      calendars={calendars}
      feeds={feeds}
      baseUrl={c.var.deps.config.publicUrl || new URL(c.req.url).origin}
      notice={notice(c)}
    />,
  );
});

agenda.post("/agenda/abonnements", async (c) => {
  const f = readWith(FeedForm, fieldsOf(await readForm(c), FeedForm));
  const opened = await feedOpener(c.var.deps, c.var.principal, f.calendrier);
  return opened ? c.redirect("/agenda/abonnements?fait=abonnement", 303) : renderError(c, 404);
});

agenda.post("/agenda/abonnements/revoquer", async (c) => {
  const f = readWith(FeedForm, fieldsOf(await readForm(c), FeedForm));
  await feedRevoker(c.var.deps, c.var.principal, f.calendrier);
  return c.redirect("/agenda/abonnements?fait=revoque", 303);
});

const ICS_HEADERS = { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, no-store" };

agenda.get("/agenda/export.ics", async (c) => {
  const ics = await calendarExport(c.var.deps, c.var.principal, c.req.query("calendrier") ?? "all");
  if (ics === null) return renderError(c, 404);
  return c.body(ics, 200, { ...ICS_HEADERS, "content-disposition": `attachment; filename="agenda.ics"` });
});

/** For calendar apps, which cannot sign in: the address itself is the key. */
feeds.get("/ical/:token", async (c) => {
  const ics = await feedCalendar(c.var.deps, c.req.param("token").replace(/\.ics$/, ""));
  return ics === null ? c.text("Agenda introuvable ou adresse révoquée.", 404) : c.body(ics, 200, ICS_HEADERS);
});

// One router for the app to mount: the public feeds, then the signed-in agenda.
agendaRoutes.route("/", feeds);
agendaRoutes.route("/", agenda);
