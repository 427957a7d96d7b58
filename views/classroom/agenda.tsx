// Agenda (54C): the period's entries day by day with the calendar filter, the event form and an event's page.
import { t, type MessageKey } from "../../src/i18n";
import { LIMITS, type AgendaEntry, type CalendarInfo } from "../../src/services/classroom/agenda";
import { addDays, localTime } from "../../src/time";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { longDay } from "../components/dates";

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
        <div class="field">
          <label for="calendrier">{t("agenda.filter.calendar")}</label>
          <select id="calendrier" name="calendrier">
            <option value="all" selected={period.calendar === "all"}>
              {t("agenda.all_calendars")}
            </option>
            {calendars.map((c) => (
              <option value={c.key} selected={period.calendar === c.key}>
                {names.get(c.key)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="vue">{t("agenda.filter.view")}</label>
          <select id="vue" name="vue">
            <option value="semaine" selected={period.view === "semaine"}>
              {t("agenda.view.week")}
            </option>
            <option value="mois" selected={period.view === "mois"}>
              {t("agenda.view.month")}
            </option>
          </select>
        </div>
        <div class="field">
          <label for="du">{t("agenda.filter.from")}</label>
          <input type="date" id="du" name="du" value={period.from} />
        </div>
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

export function EventFormPage(props: {
  chrome: Chrome;
  calendars: CalendarInfo[];
  draft: EventDraft;
  errors?: string[];
}) {
  const { draft } = props;
  const errors = props.errors ?? [];
  const invalid = (...names: string[]) => (errors.some((e) => names.includes(e)) ? "true" : undefined);
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("agenda.new")}</h1>
      <AgendaTabs current="agenda" />
      {errors.length ? (
        <Flash kind="error" text={errors.map((e) => t(`agenda.error.${e}` as MessageKey)).join(" ")} />
      ) : null}
      <form method="post" action="/agenda/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <div class="field">
          <label for="calendrier">{t("agenda.field.calendar")}</label>
          <select id="calendrier" name="calendrier" aria-invalid={invalid("calendar")}>
            {props.calendars
              .filter((c) => c.writable)
              .map((c) => (
                <option value={c.key} selected={draft.calendar === c.key}>
                  {calendarName(c)}
                </option>
              ))}
          </select>
        </div>
        <div class="field">
          <label for="titre">{t("agenda.field.title")}</label>
          <input id="titre" name="titre" maxlength={LIMITS.title} value={draft.title} aria-invalid={invalid("title")} />
        </div>
        <div class="field">
          <label for="jour">{t("agenda.field.day")}</label>
          <input
            type="date"
            id="jour"
            name="jour"
            value={draft.day}
            aria-invalid={invalid("day", "past", "far", "order", "long")}
          />
        </div>
        <div class="field field-check">
          <input type="checkbox" id="journee" name="journee" value="1" checked={draft.allDay} />
          <label for="journee">{t("agenda.field.all_day")}</label>
        </div>
        <div class="field">
          <label for="debut">{t("agenda.field.start")}</label>
          <input
            type="time"
            id="debut"
            name="debut"
            value={draft.start}
            aria-invalid={invalid("time", "order", "past")}
          />
        </div>
        <div class="field">
          <label for="fin">{t("agenda.field.end")}</label>
          <input type="time" id="fin" name="fin" value={draft.end} aria-invalid={invalid("time", "order")} />
        </div>
        <div class="field">
          <label for="fin_jour">{t("agenda.field.end_day")}</label>
          <input type="date" id="fin_jour" name="fin_jour" value={draft.endDay} />
        </div>
        <div class="field">
          <label for="lieu">{t("agenda.field.place")}</label>
          <input id="lieu" name="lieu" maxlength={LIMITS.place} value={draft.place} aria-invalid={invalid("place")} />
        </div>
        <div class="field">
          <label for="precisions">{t("agenda.field.details")}</label>
          <textarea id="precisions" name="precisions" rows={4} aria-invalid={invalid("details")}>
            {draft.details}
          </textarea>
        </div>
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
        <form method="post" action={`/agenda/evenements/${e.id}/supprimer`}>
          <CsrfField token={props.chrome.csrfToken} />
          <button type="submit" class="button-danger">
            {t("agenda.remove")}
          </button>
        </form>
      ) : null}
      <p>
        <a href={`/agenda?du=${day}`}>{t("agenda.back")}</a>
      </p>
    </Layout>
  );
}
