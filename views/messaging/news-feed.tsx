// The news feed (54H–54J): urgent announcements, important dates, birthdays and app events; the forms to add a date
// or send an urgent announcement; and the entry block the home page shows.
import { t, type MessageKey } from "../../src/i18n";
import type {
  AnnouncementLine,
  AudienceOption,
  BirthdayLine,
  DateLine,
  Feed,
  FeedRights,
  MyAnnouncement,
} from "../../src/services/messaging/news-feed";
import { ANNOUNCEMENT_PROFILES, LIMITS } from "../../src/services/messaging/news-feed";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime, longDay } from "../components/dates";
import { ChoiceGroup, DateField, InputField, SelectField, TextAreaField, formErrors } from "../components/fields";

function UrgentCard(props: { a: AnnouncementLine; chrome: Chrome; timeZone: string; returnTo: string }) {
  const { a } = props;
  return (
    <li class="card urgent-card">
      <h3 class="card-title">{a.title}</h3>
      <p class="urgent-body">{a.body}</p>
      <p class="hint">{t("feed.urgent.signed", { author: a.signedAs, date: dateTime(a.createdAt, props.timeZone) })}</p>
      {a.seen ? null : (
        <PostButton
          action={`/fil/annonces/${a.id}/lu`}
          csrfToken={props.chrome.csrfToken}
          fields={{ retour: props.returnTo }}
          buttonClass="button-primary"
          label={t("feed.urgent.ack")}
        />
      )}
    </li>
  );
}

function dateWhere(d: DateLine): string {
  return d.className ? t("feed.dates.for_class", { class: d.className, school: d.schoolName }) : d.schoolName;
}

function Birthdays(props: { birthdays: BirthdayLine[] }) {
  return (
    <ul class="feed-list">
      {props.birthdays.map((b) => (
        <li>
          {b.me
            ? b.today
              ? t("feed.birthdays.mine_today")
              : t("feed.birthdays.mine", { day: longDay(b.day) })
            : t(b.today ? "feed.birthdays.today" : "feed.birthdays.on", {
                name: `${b.firstName} ${b.lastInitial}.`,
                class: b.className,
                day: longDay(b.day),
              })}
        </li>
      ))}
    </ul>
  );
}

/** 54J: at entry (and atop the feed), before anything else, the urgent announcements the user has not read yet. */
export function UrgentAtEntry(props: {
  chrome: Chrome;
  urgent: AnnouncementLine[];
  timeZone: string;
  /** Where acknowledging one comes back to. */
  returnTo?: string;
}) {
  if (props.urgent.length === 0) return null;
  return (
    <section aria-labelledby="urgent-title" class="urgent">
      <h2 id="urgent-title">{t("feed.urgent.title")}</h2>
      <ul class="cards">
        {props.urgent.map((a) => (
          <UrgentCard a={a} chrome={props.chrome} timeZone={props.timeZone} returnTo={props.returnTo ?? "/"} />
        ))}
      </ul>
    </section>
  );
}

function DatesList(props: { dates: DateLine[] }) {
  return (
    <ul class="feed-list">
      {props.dates.map((d) => (
        <li>
          <strong>{longDay(d.onDate)}</strong> — {d.title} <span class="hint">({dateWhere(d)})</span>
        </li>
      ))}
    </ul>
  );
}

/** The home page's glance at the feed, below the apps: the next dates and today's birthdays. */
export function FeedSummary(props: { feed: Omit<Feed, "events" | "urgent"> }) {
  const { feed } = props;
  return (
    <section aria-labelledby="feed-title">
      <h2 id="feed-title">{t("feed.title")}</h2>
      {feed.dates.length === 0 && feed.birthdays.length === 0 ? (
        <p>{t("feed.entry.empty")}</p>
      ) : (
        <>
          {feed.birthdays.length ? <Birthdays birthdays={feed.birthdays} /> : null}
          {feed.dates.length ? <DatesList dates={feed.dates} /> : null}
        </>
      )}
      <p>
        <a href="/fil">{t("feed.entry.all")}</a>
      </p>
    </section>
  );
}

export interface FeedPageView {
  feed: Feed;
  timeZone: string;
  rights: FeedRights;
  mine: { dates: DateLine[]; announcements: MyAnnouncement[] };
  notice?: MessageKey;
  now: Date;
}

export function FeedPage(props: { chrome: Chrome; view: FeedPageView }) {
  const { feed, timeZone, rights, mine } = props.view;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("feed.title")}</h1>
      {props.view.notice ? <Flash kind="info" text={t(props.view.notice)} /> : null}
      {rights.dates || rights.announcements ? (
        <p class="actions">
          {rights.dates ? (
            <a class="button" href="/fil/dates/nouvelle">
              {t("feed.dates.new")}
            </a>
          ) : null}
          {rights.announcements ? (
            <a class="button" href="/fil/annonces/nouvelle">
              {t("feed.urgent.new")}
            </a>
          ) : null}
        </p>
      ) : null}
      <UrgentAtEntry chrome={props.chrome} urgent={feed.urgent} timeZone={timeZone} returnTo="/fil" />
      <section aria-labelledby="dates-title">
        <h2 id="dates-title">{t("feed.dates.title")}</h2>
        {feed.dates.length === 0 ? <p>{t("feed.dates.none")}</p> : <DatesList dates={feed.dates} />}
      </section>
      <section aria-labelledby="birthdays-title">
        <h2 id="birthdays-title">{t("feed.birthdays.title")}</h2>
        {feed.birthdays.length === 0 ? <p>{t("feed.birthdays.none")}</p> : <Birthdays birthdays={feed.birthdays} />}
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">{t("feed.events.title")}</h2>
        {feed.events.length === 0 ? (
          <p>{t("feed.events.none")}</p>
        ) : (
          <ul class="feed-list">
            {feed.events.map((e) => (
              <li>
                <span class="hint">{dateTime(e.createdAt, timeZone)}</span> —{" "}
                {e.link ? <a href={e.link}>{e.title}</a> : e.title}
                {e.body ? <> : {e.body}</> : null}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/notifications">{t("feed.events.all")}</a>
        </p>
      </section>
      {mine.dates.length > 0 ? (
        <section aria-labelledby="my-dates-title">
          <h2 id="my-dates-title">{t("feed.dates.mine")}</h2>
          <ul class="card-list">
            {mine.dates.map((d) => (
              <li class="card">
                <strong>{longDay(d.onDate)}</strong> — {d.title}
                <PostButton
                  action={`/fil/dates/${d.batchId}/supprimer`}
                  csrfToken={props.chrome.csrfToken}
                  class="inline-form"
                  label={t("feed.dates.remove", { title: d.title })}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {mine.announcements.length > 0 ? (
        <section aria-labelledby="my-urgent-title">
          <h2 id="my-urgent-title">{t("feed.urgent.mine")}</h2>
          <ul class="card-list">
            {mine.announcements.map((a) => (
              <li class="card">
                <strong>{a.title}</strong>
                <p class="hint">
                  {t(a.withdrawn ? "feed.urgent.withdrawn_line" : "feed.urgent.line", {
                    date: dateTime(a.createdAt, timeZone),
                    until: dateTime(a.endsAt, timeZone),
                    schools: a.schools,
                    reads: a.reads,
                  })}
                </p>
                {a.withdrawn || a.endsAt.getTime() <= props.view.now.getTime() ? null : (
                  <PostButton
                    action={`/fil/annonces/${a.id}/retirer`}
                    csrfToken={props.chrome.csrfToken}
                    class="inline-form"
                    label={t("feed.urgent.withdraw", { title: a.title })}
                  />
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

function audienceLabel(o: AudienceOption): string {
  if (o.kind === "perimeter") return t("feed.audience.perimeter");
  if (o.kind === "academie") return t("feed.audience.academie");
  if (o.kind === "class") return t("feed.audience.class", { name: o.label });
  return t("feed.audience.school", { name: o.label });
}

function AudienceSelect(props: { options: AudienceOption[]; chosen: string; error: string | undefined }) {
  return (
    <SelectField
      id="audience"
      label={t("feed.audience")}
      options={props.options.map((o) => ({ value: o.value, label: audienceLabel(o) }))}
      chosen={props.chosen}
      error={props.error}
    />
  );
}

/** The subject both forms ask first. */
function TitleField(props: { label: string; value: string; error: string | undefined }) {
  return (
    <InputField
      id="titre"
      label={props.label}
      maxlength={LIMITS.title}
      required
      value={props.value}
      error={props.error}
    />
  );
}

export function DateFormPage(props: {
  chrome: Chrome;
  options: AudienceOption[];
  draft: { title: string; date: string; audience: string };
  errors?: string[];
}) {
  const errors = formErrors(props.errors, (e) => t(`feed.dates.error.${e}` as MessageKey));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("feed.dates.new")}</h1>
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="post" action="/fil/dates/nouvelle" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <TitleField label={t("feed.dates.what")} value={props.draft.title} error={errors.of("title")} />
        <DateField
          id="date"
          label={t("feed.dates.when")}
          required
          value={props.draft.date}
          error={errors.of("date", "date_past", "date_far")}
        />
        <AudienceSelect options={props.options} chosen={props.draft.audience} error={errors.of("audience")} />
        <button type="submit" class="button-primary">
          {t("feed.dates.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function AnnouncementFormPage(props: {
  chrome: Chrome;
  options: AudienceOption[];
  pupilsAllowed: boolean;
  draft: { title: string; body: string; profiles: string[]; until: string; audience: string };
  errors?: string[];
}) {
  const errors = formErrors(props.errors, (e) => t(`feed.urgent.error.${e}` as MessageKey));
  const { draft } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("feed.urgent.new")}</h1>
      <p>{t("feed.urgent.intro")}</p>
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="post" action="/fil/annonces/nouvelle" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <TitleField label={t("feed.urgent.subject")} value={draft.title} error={errors.of("title")} />
        <TextAreaField
          id="texte"
          label={t("feed.urgent.text")}
          rows={6}
          maxlength={LIMITS.body}
          required
          lang="fr"
          value={draft.body}
          error={errors.of("body")}
        />
        <ChoiceGroup
          type="checkbox"
          name="profils"
          idPrefix="profil"
          legend={t("feed.urgent.profiles")}
          choices={ANNOUNCEMENT_PROFILES.filter((k) => k !== "pupil" || props.pupilsAllowed).map((k) => ({
            value: k,
            label: t(`feed.profile.${k}` as MessageKey),
          }))}
          chosen={draft.profiles}
          error={errors.of("profiles", "pupils_forbidden")}
        />
        <DateField
          id="jusqua"
          label={t("feed.urgent.until")}
          required
          value={draft.until}
          error={errors.of("until", "until_past", "until_far")}
        />
        <AudienceSelect options={props.options} chosen={draft.audience} error={errors.of("audience")} />
        <button type="submit" class="button-primary">
          {t("feed.urgent.submit")}
        </button>
      </form>
    </Layout>
  );
}
