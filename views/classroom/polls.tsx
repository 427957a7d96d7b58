// Polls (54D): the list, the form (audience chosen as for a message), the vote and the results.
import { t, type MessageKey } from "../../src/i18n";
import type { ComposeOptions } from "../../src/services/messaging/messages";
import { LIMITS, POLL_STATES, type PollFilter, type PollLine, type PollView } from "../../src/services/classroom/polls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime } from "../components/dates";

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
        <div class="field">
          <label for="q">{t("poll.filter.words")}</label>
          <input type="search" id="q" name="q" value={props.filter.words} />
        </div>
        <div class="field">
          <label for="etat">{t("poll.filter.state")}</label>
          <select id="etat" name="etat">
            {POLL_STATES.map((s) => (
              <option value={s} selected={props.filter.state === s}>
                {t(`poll.filter.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
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
  const errors = props.errors ?? [];
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("poll.new")}</h1>
      {errors.length ? (
        <Flash kind="error" text={errors.map((e) => t(`poll.error.${e}` as MessageKey)).join(" ")} />
      ) : null}
      <form method="post" action="/sondages/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <input type="hidden" name="ecole" value={options.uai} />
        <div class="field">
          <label for="question">{t("poll.field.question")}</label>
          <input
            id="question"
            name="question"
            maxlength={LIMITS.question}
            value={draft.question}
            aria-invalid={errors.includes("question") ? "true" : undefined}
          />
        </div>
        <div class="field">
          <label for="choix">{t("poll.field.options")}</label>
          <textarea id="choix" name="choix" rows={4} aria-invalid={errors.includes("options") ? "true" : undefined}>
            {draft.options}
          </textarea>
        </div>
        <div class="field field-check">
          <input type="checkbox" id="plusieurs" name="plusieurs" value="1" checked={draft.multiple} />
          <label for="plusieurs">{t("poll.field.multiple")}</label>
        </div>
        <div class="field field-check">
          <input type="checkbox" id="anonyme" name="anonyme" value="1" checked={draft.anonymous} />
          <label for="anonyme">{t("poll.field.anonymous")}</label>
        </div>
        <div class="field">
          <label for="fin">{t("poll.field.closes")}</label>
          <input
            type="datetime-local"
            id="fin"
            name="fin"
            value={draft.closes}
            aria-invalid={errors.some((e) => e.startsWith("closes")) ? "true" : undefined}
          />
        </div>
        <fieldset>
          <legend>{t("poll.field.audience")}</legend>
          {options.groups.map((g, i) => (
            <div class="field field-check">
              <input
                type="checkbox"
                id={`groupe-${i}`}
                name="groupes"
                value={g.key}
                checked={draft.groupKeys.includes(g.key)}
              />
              <label for={`groupe-${i}`}>
                {t(`message.group.${g.label.kind}` as MessageKey, { name: g.label.className })}
              </label>
            </div>
          ))}
          {options.contacts.map((c, i) => (
            <div class="field field-check">
              <input
                type="checkbox"
                id={`dest-${i}`}
                name="destinataires"
                value={c.id}
                checked={draft.recipientIds.includes(c.id)}
              />
              <label for={`dest-${i}`}>
                {c.firstName} {c.lastName}
              </label>
            </div>
          ))}
        </fieldset>
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
          <fieldset>
            <legend>{poll.multiple ? t("poll.choose_many") : t("poll.choose_one")}</legend>
            {poll.options.map((o, i) => (
              <div class="field field-check">
                <input type={poll.multiple ? "checkbox" : "radio"} id={`opt-${i}`} name="choix" value={String(i)} />
                <label for={`opt-${i}`}>{o}</label>
              </div>
            ))}
          </fieldset>
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
