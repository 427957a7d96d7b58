// Agenda (54C): the period's entries day by day with the calendar filter, the event form and an event's page.
import { t, type MessageKey } from "../../src/i18n";
import { LIMITS, type AgendaEntry, type CalendarInfo } from "../../src/services/classroom/agenda";
import { addDays, localTime } from "../../src/time";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { longDay } from "../components/dates";
import {
  CheckField,
  DateField,
  InputField,
  SelectField,
  TextAreaField,
  TimeField,
  formErrors,
  type FormErrors,
} from "../components/fields";
import type { Child } from "hono/jsx";

export function calendarName(c: CalendarInfo): string {
  if (c.kind === "personal") return t("agenda.personal");
  return t(c.kind === "class" ? "agenda.calendar.class" : "agenda.calendar.school", { name: c.name });
}

export function AgendaTabs(props: { current: "agenda" | "offers" | "feeds" }) {
  const tab = (id: typeof props.current, href: string, label: MessageKey) => (
    <li>
      <a href={href} aria-current={props.current === id ? "page" : undefined}>
        {t(label)}
      </a>
    </li>
  );
  return (
    <nav aria-label={t("agenda.title")}>
      <ul class="tabs">
        {tab("agenda", "/agenda", "agenda.title")}
        {tab("offers", "/agenda/creneaux", "agenda.bookings")}
        {tab("feeds", "/agenda/abonnements", "agenda.subscriptions")}
      </ul>
    </nav>
  );
}

export interface AgendaPeriod {
  from: string;
  days: number;
  view: "semaine" | "mois";
  calendar: string;
}

const query = (p: AgendaPeriod, from: string) =>
  `/agenda?du=${from}&vue=${p.view}&calendrier=${encodeURIComponent(p.calendar)}`;

function When(props: { e: AgendaEntry; day: string; timeZone: string }) {
  const { e } = props;
  if (e.allDay)
    return (
      <>
        {e.firstDay === e.lastDay
          ? t("agenda.all_day")
          : t("agenda.days", { from: longDay(e.firstDay), to: longDay(e.lastDay) })}
      </>
    );
  return (
    <>
      {t("agenda.hours", {
        start: localTime(e.startsAt, props.timeZone).time,
        end: localTime(e.endsAt, props.timeZone).time,
      })}
    </>
  );
}

export function AgendaPage(props: {
  chrome: Chrome;
  calendars: CalendarInfo[];
  entries: AgendaEntry[];
  period: AgendaPeriod;
  today: string;
  timeZone: string;
  notice?: MessageKey;
}) {
  const { period, calendars } = props;
  const names = new Map(calendars.map((c) => [c.key, calendarName(c)]));
  const last = addDays(period.from, period.days - 1);
  const days = Array.from({ length: period.days }, (_, i) => addDays(period.from, i));
  const byDay = days
    .map((day) => ({
      day,
      entries: props.entries.filter((e) =>
        e.allDay ? e.firstDay <= day && e.lastDay >= day : localTime(e.startsAt, props.timeZone).date === day,
      ),
    }))
    .filter((d) => d.entries.length > 0);
  const canWrite = calendars.some((c) => c.writable);
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("agenda.title")}</h1>
      <AgendaTabs current="agenda" />
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {canWrite ? (
        <p>
          <a class="button button-primary" href="/agenda/nouveau">
            {t("agenda.new")}
          </a>
        </p>
      ) : null}
      <form method="get" action="/agenda" class="card filters">
        <SelectField
          id="calendrier"
          label={t("agenda.filter.calendar")}
          options={[
            { value: "all", label: t("agenda.all_calendars") },
            ...calendars.map((c) => ({ value: c.key, label: names.get(c.key) })),
          ]}
          chosen={period.calendar}
        />
        <SelectField
          id="vue"
          label={t("agenda.filter.view")}
          options={[
            { value: "semaine", label: t("agenda.view.week") },
            { value: "mois", label: t("agenda.view.month") },
          ]}
          chosen={period.view}
        />
        <DateField id="du" label={t("agenda.filter.from")} value={period.from} />
        <button type="submit">{t("agenda.filter")}</button>
      </form>
      <nav aria-label={t("agenda.period", { from: longDay(period.from), to: longDay(last) })} class="pager">
        <a href={query(period, addDays(period.from, -period.days))}>{t("agenda.previous")}</a>
        <a href={query(period, props.today)}>{t("agenda.today")}</a>
        <a href={query(period, addDays(period.from, period.days))}>{t("agenda.next")}</a>
      </nav>
      <p class="hint">{t("agenda.period", { from: longDay(period.from), to: longDay(last) })}</p>
      {byDay.length === 0 ? (
        <p>{t("agenda.nothing")}</p>
      ) : (
        byDay.map((d) => (
          <section aria-labelledby={`jour-${d.day}`}>
            <h2 id={`jour-${d.day}`}>
              {longDay(d.day)}
              {d.day === props.today ? ` — ${t("agenda.today")}` : ""}
            </h2>
            <ul class="card-list">
              {d.entries.map((e) => (
                <li class="card agenda-entry">
                  <p class="hint">
                    <When e={e} day={d.day} timeZone={props.timeZone} /> — {names.get(e.calendarKey) ?? ""}
                    {e.source !== "event" ? ` — ${t(`agenda.source.${e.source}` as MessageKey)}` : ""}
                  </p>
                  {e.link ? (
                    <a class="card-title" href={e.link}>
                      {e.title}
                    </a>
                  ) : (
                    <span class="card-title">{e.title}</span>
                  )}
                  {e.place ? <p>{e.place}</p> : null}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </Layout>
  );
}

export interface EventDraft {
  calendar: string;
  title: string;
  place: string;
  details: string;
  day: string;
  endDay: string;
  start: string;
  end: string;
  allDay: boolean;
}

/**
 * What an event and a booking offer both ask: the title, the day, the start and end times, the place and details;
 * each form adds its own fields after the day and after the times.
 */
export function EventFields(props: {
  draft: Pick<EventDraft, "title" | "day" | "start" | "end" | "place" | "details">;
  errors: FormErrors;
  /** The error codes that mark the day (an event spans days; an offer's slots hold in one). */
  dayCodes: string[];
  afterDay?: Child;
  afterTimes?: Child;
}) {
  const { draft, errors } = props;
  return (
    <>
      <InputField
        id="titre"
        label={t("agenda.field.title")}
        maxlength={LIMITS.title}
        value={draft.title}
        error={errors.of("title")}
      />
      <DateField id="jour" label={t("agenda.field.day")} value={draft.day} error={errors.of(...props.dayCodes)} />
      {props.afterDay}
      <div class="field-row">
        <TimeField
          id="debut"
          label={t("agenda.field.start")}
          value={draft.start}
          error={errors.of("time", "order", "past", "slots")}
        />
        <TimeField
          id="fin"
          label={t("agenda.field.end")}
          value={draft.end}
          error={errors.of("time", "order", "slots")}
        />
      </div>
      {props.afterTimes}
      <InputField
        id="lieu"
        label={t("agenda.field.place")}
        maxlength={LIMITS.place}
        value={draft.place}
        error={errors.of("place")}
      />
      <TextAreaField
        id="precisions"
        label={t("agenda.field.details")}
        rows={4}
        value={draft.details}
        error={errors.of("details")}
      />
    </>
  );
}

export function EventFormPage(props: {
  chrome: Chrome;
  calendars: CalendarInfo[];
  draft: EventDraft;
  errors?: string[];
}) {
  const { draft } = props;
  const errors = formErrors(props.errors, (e) => t(`agenda.error.${e}` as MessageKey));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("agenda.new")}</h1>
      <AgendaTabs current="agenda" />
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="post" action="/agenda/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <SelectField
          id="calendrier"
          label={t("agenda.field.calendar")}
          options={props.calendars.filter((c) => c.writable).map((c) => ({ value: c.key, label: calendarName(c) }))}
          chosen={draft.calendar}
          error={errors.of("calendar")}
        />
        <EventFields
          draft={draft}
          errors={errors}
          dayCodes={["day", "past", "far", "order", "long"]}
          afterDay={<CheckField id="journee" label={t("agenda.field.all_day")} checked={draft.allDay} />}
          afterTimes={<DateField id="fin_jour" label={t("agenda.field.end_day")} value={draft.endDay} />}
        />
        <button type="submit" class="button-primary">
          {t("agenda.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function EventPage(props: {
  chrome: Chrome;
  entry: AgendaEntry;
  calendar: CalendarInfo;
  timeZone: string;
  notice?: MessageKey;
}) {
  const { entry: e } = props;
  const day = e.allDay ? e.firstDay : localTime(e.startsAt, props.timeZone).date;
  return (
    <Layout chrome={props.chrome}>
      <h1>{e.title}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <dl class="facts">
        <dt>{t("agenda.when")}</dt>
        <dd>
          {longDay(day)}, <When e={e} day={day} timeZone={props.timeZone} />
        </dd>
        <dt>{t("agenda.in_calendar")}</dt>
        <dd>{calendarName(props.calendar)}</dd>
        {e.place ? (
          <>
            <dt>{t("agenda.where")}</dt>
            <dd>{e.place}</dd>
          </>
        ) : null}
      </dl>
      {e.details ? <p class="pre">{e.details}</p> : null}
      {e.deletable ? (
        <PostButton
          action={`/agenda/evenements/${e.id}/supprimer`}
          csrfToken={props.chrome.csrfToken}
          buttonClass="button-danger"
          label={t("agenda.remove")}
        />
      ) : null}
      <p>
        <a href={`/agenda?du=${day}`}>{t("agenda.back")}</a>
      </p>
    </Layout>
  );
}
