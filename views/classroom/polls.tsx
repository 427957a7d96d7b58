// Polls (54D): the list, the form (audience chosen as for a message), the vote and the results.
import { t, type MessageKey } from "../../src/i18n";
import type { ComposeOptions } from "../../src/services/messaging/messages";
import { LIMITS, POLL_STATES, type PollFilter, type PollLine, type PollView } from "../../src/services/classroom/polls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime } from "../components/dates";
import {
  CheckField,
  ChoiceGroup,
  DateField,
  Fieldset,
  InputField,
  SelectField,
  TextAreaField,
  formErrors,
} from "../components/fields";
import { RecipientFields } from "../messaging/messages";

export function PollsPage(props: {
  chrome: Chrome;
  polls: PollLine[];
  canCreate: boolean;
  filter: PollFilter;
  timeZone: string;
}) {
  const filtered = props.filter.words !== "" || props.filter.state !== "all";
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("poll.title")}</h1>
      {props.canCreate ? (
        <p>
          <a class="button button-primary" href="/sondages/nouveau">
            {t("poll.new")}
          </a>
        </p>
      ) : null}
      <form method="get" action="/sondages" class="card filters" role="search">
        <InputField type="search" id="q" label={t("poll.filter.words")} value={props.filter.words} />
        <SelectField
          id="etat"
          label={t("poll.filter.state")}
          options={POLL_STATES.map((s) => ({ value: s, label: t(`poll.filter.${s}` as MessageKey) }))}
          chosen={props.filter.state}
        />
        <button type="submit">{t("poll.filter.submit")}</button>
      </form>
      {props.polls.length === 0 ? (
        <p>{filtered ? t("poll.filter.none") : t("poll.none")}</p>
      ) : (
        <ul class="card-list">
          {props.polls.map((p) => (
            <li class="card">
              <a class="card-title" href={`/sondages/${p.id}`}>
                {p.question}
              </a>
              <p class="hint">
                {p.open ? t("poll.open_until", { date: dateTime(p.closesAt, props.timeZone) }) : t("poll.closed")}
                {p.mine ? ` — ${t("poll.mine")}` : p.voted ? ` — ${t("poll.voted")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface PollDraft {
  question: string;
  options: string;
  multiple: boolean;
  anonymous: boolean;
  closes: string;
  recipientIds: string[];
  groupKeys: string[];
}

export function PollFormPage(props: { chrome: Chrome; options: ComposeOptions; draft: PollDraft; errors?: string[] }) {
  const { draft, options } = props;
  const errors = formErrors(props.errors, (e) => t(`poll.error.${e}` as MessageKey));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("poll.new")}</h1>
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="post" action="/sondages/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <input type="hidden" name="ecole" value={options.uai} />
        <InputField
          id="question"
          label={t("poll.field.question")}
          maxlength={LIMITS.question}
          value={draft.question}
          error={errors.of("question")}
        />
        <TextAreaField
          id="choix"
          label={t("poll.field.options")}
          rows={4}
          value={draft.options}
          error={errors.of("options")}
        />
        <CheckField id="plusieurs" label={t("poll.field.multiple")} checked={draft.multiple} />
        <CheckField id="anonyme" label={t("poll.field.anonymous")} checked={draft.anonymous} />
        <DateField
          withTime
          id="fin"
          label={t("poll.field.closes")}
          value={draft.closes}
          error={errors.of("closes", "closes_past", "closes_far")}
        />
        <Fieldset id="audience" legend={t("poll.field.audience")} error={errors.of("audience", "forbidden_audience")}>
          <RecipientFields options={options} draft={draft} />
        </Fieldset>
        <button type="submit" class="button-primary">
          {t("poll.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function PollPage(props: {
  chrome: Chrome;
  poll: PollView;
  timeZone: string;
  notice?: MessageKey;
  error?: MessageKey;
}) {
  const { poll } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{poll.question}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      <p class="hint">
        {poll.open ? t("poll.open_until", { date: dateTime(poll.closesAt, props.timeZone) }) : t("poll.closed")}
        {" — "}
        {t("poll.participation", { voters: poll.voters, audience: poll.audience })}
        {poll.anonymous ? ` — ${t("poll.anonymous")}` : ""}
      </p>
      {poll.invited && poll.open && !poll.voted ? (
        <form method="post" action={`/sondages/${poll.id}/vote`} class="card">
          <CsrfField token={props.chrome.csrfToken} />
          <ChoiceGroup
            type={poll.multiple ? "checkbox" : "radio"}
            name="choix"
            idPrefix="opt"
            legend={poll.multiple ? t("poll.choose_many") : t("poll.choose_one")}
            choices={poll.options.map((o, i) => ({ value: String(i), label: o }))}
          />
          <button type="submit" class="button-primary">
            {t("poll.vote")}
          </button>
        </form>
      ) : null}
      {poll.results ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t("poll.results")}</h2>
          <ul>
            {poll.results.map((r) => (
              <li>
                <strong>{r.option}</strong> : {t("poll.count", { count: r.count })}
                {r.names.length ? ` (${r.names.join(", ")})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
