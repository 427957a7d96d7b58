// Booking (54C): the offers list with the teacher's form to open slots, an offer's page (the teacher's table of who
// booked; the parent's choice of a slot, or their booking and its cancellation), and the subscription page.
import { t, type MessageKey } from "../../src/i18n";
import { LIMITS, type OfferLine, type OfferView } from "../../src/services/classroom/booking";
import type { CalendarInfo } from "../../src/services/classroom/agenda";
import { localTime } from "../../src/time";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime, longDay } from "../components/dates";
import { ChoiceGroup, InputField, NumberField, SelectField, formErrors } from "../components/fields";
import { AgendaTabs, EventFields, calendarName } from "./agenda";

const slotText = (s: { startsAt: Date; endsAt: Date }, timeZone: string) => {
  const start = localTime(s.startsAt, timeZone);
  return `${longDay(start.date)}, ${t("agenda.hours", { start: start.time, end: localTime(s.endsAt, timeZone).time })}`;
};

export interface OfferDraft {
  classId: string;
  kind: "meeting" | "outing";
  title: string;
  place: string;
  details: string;
  day: string;
  start: string;
  end: string;
  minutes: string;
  companions: string;
}

export function OffersPage(props: {
  chrome: Chrome;
  offers: OfferLine[];
  classes: CalendarInfo[];
  draft: OfferDraft;
  timeZone: string;
  errors?: string[];
  notice?: MessageKey;
}) {
  const { draft } = props;
  const errors = formErrors(props.errors, (e) => t(`agenda.error.${e}` as MessageKey));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("agenda.offer.title")}</h1>
      <AgendaTabs current="offers" />
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.offers.length === 0 ? (
        <p>{t("agenda.offer.none")}</p>
      ) : (
        <ul class="card-list">
          {props.offers.map((o) => (
            <li class="card">
              <a class="card-title" href={`/agenda/creneaux/${o.id}`}>
                {o.title}
              </a>
              <p class="hint">
                {t("agenda.calendar.class", { name: o.className })} —{" "}
                {t("agenda.offer.first", { date: dateTime(o.firstStart, props.timeZone) })}
                {" — "}
                {o.booked ? t("agenda.offer.booked_mine") : t("agenda.offer.free", { free: o.free })}
              </p>
            </li>
          ))}
        </ul>
      )}
      {props.classes.length ? (
        <section aria-labelledby="new-offer">
          <h2 id="new-offer">{t("agenda.offer.new")}</h2>
          {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
          <form method="post" action="/agenda/creneaux" class="card" novalidate>
            <CsrfField token={props.chrome.csrfToken} />
            <SelectField
              id="classe"
              label={t("agenda.offer.class")}
              options={props.classes.map((c) => ({ value: c.classId!, label: calendarName(c) }))}
              chosen={draft.classId}
            />
            <ChoiceGroup
              type="radio"
              name="sorte"
              legend={t("agenda.offer.kind")}
              choices={[
                { value: "meeting", id: "sorte-rdv", label: t("agenda.offer.kind.meeting") },
                { value: "outing", id: "sorte-sortie", label: t("agenda.offer.kind.outing") },
              ]}
              chosen={draft.kind}
            />
            <EventFields
              draft={draft}
              errors={errors}
              dayCodes={["day", "past", "far"]}
              afterTimes={
                <>
                  <NumberField
                    id="duree"
                    label={t("agenda.offer.minutes")}
                    min={LIMITS.minMinutes}
                    max={LIMITS.maxMinutes}
                    value={draft.minutes}
                    error={errors.of("duration")}
                  />
                  <NumberField
                    id="places"
                    label={t("agenda.offer.companions")}
                    min={1}
                    max={LIMITS.maxCompanions}
                    value={draft.companions}
                    error={errors.of("capacity")}
                  />
                </>
              }
            />
            <button type="submit" class="button-primary">
              {t("agenda.offer.submit")}
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export function OfferPage(props: {
  chrome: Chrome;
  offer: OfferView;
  now: Date;
  timeZone: string;
  notice?: MessageKey;
  error?: MessageKey;
}) {
  const { offer, timeZone } = props;
  const future = offer.slots.filter((s) => s.startsAt.getTime() > props.now.getTime());
  const free = future.filter((s) => s.taken < s.capacity);
  return (
    <Layout chrome={props.chrome}>
      <h1>{offer.title}</h1>
      <AgendaTabs current="offers" />
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      <p class="hint">
        {t("agenda.offer.by", { name: offer.author ?? "", className: offer.className })}
        {offer.place ? ` — ${offer.place}` : ""}
      </p>
      {offer.details ? <p class="pre">{offer.details}</p> : null}
      {offer.writer ? (
        <table class="slots">
          <caption class="visually-hidden">{offer.title}</caption>
          <thead>
            <tr>
              <th scope="col">{t("agenda.offer.slot")}</th>
              <th scope="col">{t("agenda.offer.places")}</th>
              <th scope="col">{t("agenda.offer.who")}</th>
            </tr>
          </thead>
          <tbody>
            {offer.slots.map((s) => (
              <tr>
                <td>{slotText(s, timeZone)}</td>
                <td>{t("agenda.offer.taken", { taken: s.taken, capacity: s.capacity })}</td>
                <td>
                  {s.bookings.map((b) => (
                    <div>
                      {t("agenda.offer.for_child", { parent: b.parent, child: b.child })}
                      {s.startsAt.getTime() > props.now.getTime() ? (
                        <PostButton
                          action={`/agenda/reservations/${b.id}/annuler`}
                          csrfToken={props.chrome.csrfToken}
                          class="inline-form"
                          buttonName={t("agenda.offer.cancel_for", { name: b.parent })}
                          label={t("agenda.offer.cancel")}
                        />
                      ) : null}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : offer.mine ? (
        <div class="card">
          <p>
            {t("agenda.offer.yours", {
              when: slotText(offer.slots.find((s) => s.id === offer.mine!.slotId)!, timeZone),
              child: offer.mine.child,
            })}
          </p>
          {offer.mine.startsAt.getTime() > props.now.getTime() ? (
            <PostButton
              action={`/agenda/reservations/${offer.mine.id}/annuler`}
              csrfToken={props.chrome.csrfToken}
              label={t("agenda.offer.cancel")}
            />
          ) : null}
        </div>
      ) : free.length === 0 ? (
        <p>{t("agenda.offer.no_free")}</p>
      ) : (
        <form method="post" action={`/agenda/creneaux/${offer.id}/reserver`} class="card">
          <CsrfField token={props.chrome.csrfToken} />
          <ChoiceGroup
            type="radio"
            name="creneau"
            legend={t("agenda.offer.choose")}
            choices={future.map((s, i) => ({
              value: s.id,
              id: `creneau-${i}`,
              disabled: s.taken >= s.capacity,
              label: `${slotText(s, timeZone)}${
                s.taken >= s.capacity
                  ? ` — ${t("agenda.offer.full")}`
                  : offer.kind === "outing"
                    ? ` — ${t("agenda.offer.free", { free: s.capacity - s.taken })}`
                    : ""
              }`,
            }))}
          />
          {offer.children.length === 1 ? (
            <input type="hidden" name="enfant" value={offer.children[0]!.id} />
          ) : (
            <SelectField
              id="enfant"
              label={t("agenda.offer.child")}
              options={offer.children.map((c) => ({ value: c.id, label: c.name }))}
            />
          )}
          <button type="submit" class="button-primary">
            {t("agenda.offer.book")}
          </button>
        </form>
      )}
    </Layout>
  );
}

export function FeedsPage(props: {
  chrome: Chrome;
  calendars: CalendarInfo[];
  feeds: Map<string, string>;
  baseUrl: string;
  notice?: MessageKey;
}) {
  const rows: { key: string; name: string }[] = [
    { key: "all", name: t("agenda.all_calendars") },
    ...props.calendars.map((c) => ({ key: c.key, name: calendarName(c) })),
  ];
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("agenda.feed.title")}</h1>
      <AgendaTabs current="feeds" />
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <p>{t("agenda.feed.intro")}</p>
      <ul class="card-list">
        {rows.map((r, i) => {
          const token = props.feeds.get(r.key);
          return (
            <li class="card">
              <h2 class="card-title">{r.name}</h2>
              <p>
                <a href={`/agenda/export.ics?calendrier=${encodeURIComponent(r.key)}`} download>
                  {t("agenda.feed.download")}
                </a>
              </p>
              {token ? (
                <>
                  <InputField
                    id={`adresse-${i}`}
                    label={t("agenda.feed.address", { name: r.name })}
                    readonly
                    value={`${props.baseUrl}/ical/${token}.ics`}
                  />
                  <PostButton
                    action="/agenda/abonnements/revoquer"
                    csrfToken={props.chrome.csrfToken}
                    fields={{ calendrier: r.key }}
                    label={t("agenda.feed.revoke")}
                  />
                </>
              ) : (
                <PostButton
                  action="/agenda/abonnements"
                  csrfToken={props.chrome.csrfToken}
                  fields={{ calendrier: r.key }}
                  label={t("agenda.feed.open")}
                />
              )}
            </li>
          );
        })}
      </ul>
    </Layout>
  );
}
