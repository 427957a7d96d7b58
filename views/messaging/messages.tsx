// Messaging pages (52A–52D): folders, composing, reading, and the moderators' view of blocked and reported messages.
import { t, type MessageKey } from "../../src/i18n";
import {
  RELATIONS,
  SENDER_PROFILES,
  mayBeAllowed,
  type RuleTable,
} from "../../src/services/messaging/communication-rules";
import {
  BLOCKABLE_PROFILES,
  SUSPENSION_DAYS,
  type AcademieBlock,
  type BlockError,
  type Restriction,
  type SuspensionLine,
  type WeeklyHours,
} from "../../src/services/messaging/messaging-restrictions";
import { DAY_KEYS } from "../../src/services/access-hours";
import { ATTACHMENTS_MAX, ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES } from "../../src/services/messaging/messages";
import type {
  ComposeOptions,
  DraftError,
  Folder,
  MailboxSlice,
  MessageDraft,
  MessageError,
  MessageView,
  ModeratedMessage,
  ModerationLine,
} from "../../src/services/messaging/messages";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime } from "../components/dates";

const FOLDERS: { folder: Folder; path: string; label: MessageKey }[] = [
  { folder: "inbox", path: "/messagerie", label: "message.folder.inbox" },
  { folder: "sent", path: "/messagerie/envoyes", label: "message.folder.sent" },
  { folder: "drafts", path: "/messagerie/brouillons", label: "message.folder.drafts" },
  { folder: "trash", path: "/messagerie/corbeille", label: "message.folder.trash" },
];

function FolderNav(props: { current: Folder | null; moderator: boolean }) {
  return (
    <nav aria-label={t("message.folders")} class="card">
      <p>
        <a href="/messagerie/nouveau" class="button-primary">
          {t("message.new")}
        </a>
      </p>
      <ul class="inline-list">
        {FOLDERS.map((f) => (
          <li>
            <a href={f.path} aria-current={props.current === f.folder ? "page" : undefined}>
              {t(f.label)}
            </a>
          </li>
        ))}
        {props.moderator ? (
          <li>
            <a href="/messagerie/moderation">{t("message.moderation.link")}</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export function MailboxPage(props: {
  chrome: Chrome;
  folder: Folder;
  slice: MailboxSlice;
  search: string;
  unread?: boolean;
  notice?: MessageKey;
  moderator: boolean;
  timeZone: string;
}) {
  const f = FOLDERS.find((x) => x.folder === props.folder)!;
  const lines = props.slice.lines;
  const pageLink = (page: number) =>
    `${f.path}?${new URLSearchParams({
      ...(props.search ? { q: props.search } : {}),
      ...(props.unread ? { non_lus: "1" } : {}),
      page: String(page),
    })}`;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(f.label)}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <FolderNav current={props.folder} moderator={props.moderator} />
      <form method="get" action={f.path} role="search" class="card">
        <label for="q">{t("message.search")}</label>
        <input id="q" name="q" type="search" value={props.search} maxlength={100} />
        {props.folder === "inbox" ? (
          <div class="field field-check">
            <input type="checkbox" id="non-lus" name="non_lus" value="1" checked={props.unread} />
            <label for="non-lus">{t("message.filter.unread")}</label>
          </div>
        ) : null}
        <button type="submit">{t("message.search.submit")}</button>
      </form>
      {lines.length === 0 ? (
        <p>{t(props.slice.page > 1 ? "message.page.past_end" : "message.empty")}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={t(f.label)} tabindex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("message.col.subject")}</th>
                <th scope="col">
                  {t(
                    props.folder === "drafts"
                      ? "message.col.recipients"
                      : props.folder === "sent"
                        ? "message.col.to"
                        : "message.col.from",
                  )}
                </th>
                <th scope="col">{t("message.col.date")}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr class={l.read ? undefined : "unread"}>
                  <td>
                    <a
                      href={props.folder === "drafts" ? `/messagerie/nouveau?brouillon=${l.id}` : `/messagerie/${l.id}`}
                    >
                      {l.read ? l.subject || t("message.draft.untitled") : <strong>{l.subject}</strong>}
                    </a>
                    {l.read ? null : <span class="hint"> ({t("message.unread")})</span>}
                    {l.scheduledFor ? (
                      <span class="hint">
                        {" "}
                        ({t("message.scheduled_for", { date: dateTime(l.scheduledFor, props.timeZone) })})
                      </span>
                    ) : null}
                  </td>
                  <td>{props.folder === "drafts" ? String(l.recipients) : l.who}</td>
                  <td>{dateTime(l.at, props.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.slice.page > 1 || props.slice.hasNext ? (
        <nav class="pager" aria-label={t("message.page.nav")}>
          {props.slice.page > 1 ? (
            <a href={pageLink(props.slice.page - 1)} rel="prev">
              {t("message.page.newer")}
            </a>
          ) : null}
          <span>{t("message.page.number", { page: props.slice.page })}</span>
          {props.slice.hasNext ? (
            <a href={pageLink(props.slice.page + 1)} rel="next">
              {t("message.page.older")}
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

type ErrorOf<P extends string> = Extract<MessageError, `${P}${string}`>;

/** The field errors of the compose form, each next to its field. */
function composeErrors(errors: MessageError[]) {
  const has = (e: MessageError) => errors.includes(e);
  return {
    has,
    recipients: errors.filter((e): e is ErrorOf<"recipients_"> => e.startsWith("recipients_")),
    attachments: errors.filter((e): e is ErrorOf<"attachment_"> => e.startsWith("attachment_")),
    sendAt: errors.find((e) => e === "send_at_past" || e === "send_at_far" || e === "send_at_invalid"),
    subject: has("subject_missing") || has("subject_long"),
    body: has("body_missing") || has("body_long"),
  };
}

type ComposeErrors = ReturnType<typeof composeErrors>;

/** Perimeter staff (municipality) choose the school they write in. */
function SchoolChoice(props: { options: ComposeOptions }) {
  if (props.options.schools.length <= 1) return null;
  return (
    <form method="get" action="/messagerie/nouveau" class="card">
      <label for="ecole-choix">{t("message.compose.school")}</label>
      <select id="ecole-choix" name="ecole">
        {props.options.schools.map((sc) => (
          <option value={sc.uai} selected={sc.uai === props.options.uai}>
            {sc.name}
          </option>
        ))}
      </select>
      <button type="submit">{t("message.compose.school_submit")}</button>
    </form>
  );
}

/** 614A: the class groups and the people the rules let the user write to. */
function RecipientFields(props: { options: ComposeOptions; draft: MessageDraft; errors: ComposeErrors }) {
  const { contacts, groups } = props.options;
  const { draft } = props;
  const describedBy = props.errors.recipients.length ? "err-recipients" : undefined;
  return (
    <>
      {groups.length ? (
        <fieldset aria-describedby={describedBy}>
          <legend>{t("message.compose.groups")}</legend>
          {groups.map((g, i) => (
            <div class="field field-check">
              <input
                type="checkbox"
                id={`groupe-${i}`}
                name="groupes"
                value={g.key}
                checked={draft.groupKeys.includes(g.key)}
              />
              <label for={`groupe-${i}`}>{t(`message.group.${g.label.kind}`, { name: g.label.className })}</label>
            </div>
          ))}
        </fieldset>
      ) : null}
      <fieldset aria-describedby={describedBy}>
        <legend>{t("message.compose.people")}</legend>
        {contacts.map((c, i) => (
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
              {c.profiles.length ? (
                <span class="hint"> — {c.profiles.map((k) => t(`profile.${k}` as MessageKey)).join(", ")}</span>
              ) : null}
            </label>
          </div>
        ))}
      </fieldset>
      {props.errors.recipients.length ? (
        <p class="field-error" id="err-recipients">
          {props.errors.recipients.map((e) => t(`message.error.${e}`)).join(" ")}
        </p>
      ) : null}
    </>
  );
}

function SubjectField(props: { draft: MessageDraft; errors: ComposeErrors }) {
  const { has, subject } = props.errors;
  return (
    <div class="field">
      <label for="objet">{t("message.compose.subject")}</label>
      <input
        id="objet"
        name="objet"
        value={props.draft.subject}
        maxlength={200}
        required
        aria-invalid={subject ? "true" : undefined}
        aria-describedby={subject ? "err-subject" : undefined}
      />
      {subject ? (
        <p class="field-error" id="err-subject">
          {t(has("subject_missing") ? "message.error.subject_missing" : "message.error.subject_long")}
        </p>
      ) : null}
    </div>
  );
}

function BodyField(props: { draft: MessageDraft; errors: ComposeErrors }) {
  const { has, body } = props.errors;
  return (
    <div class="field">
      <label for="texte">{t("message.compose.body")}</label>
      <textarea
        id="texte"
        name="texte"
        rows={10}
        spellcheck={true}
        lang="fr"
        aria-invalid={body ? "true" : undefined}
        aria-describedby={body ? "err-body" : undefined}
      >
        {props.draft.body}
      </textarea>
      {body ? (
        <p class="field-error" id="err-body">
          {t(has("body_missing") ? "message.error.body_missing" : "message.error.body_long")}
        </p>
      ) : null}
    </div>
  );
}

/** 54F a later send time, 54G a read receipt. */
function SendOptions(props: { draft: MessageDraft; errors: ComposeErrors }) {
  const { sendAt } = props.errors;
  return (
    <fieldset>
      <legend>{t("message.compose.options")}</legend>
      <div class="field">
        <label for="envoi">{t("message.compose.send_at")}</label>
        <input
          type="datetime-local"
          id="envoi"
          name="envoi"
          value={props.draft.sendAt ?? ""}
          aria-invalid={sendAt ? "true" : undefined}
          aria-describedby={sendAt ? "err-send-at" : undefined}
        />
        {sendAt ? (
          <p class="field-error" id="err-send-at">
            {t(`message.error.${sendAt}`)}
          </p>
        ) : null}
      </div>
      <div class="field field-check">
        <input type="checkbox" id="accuse" name="accuse" value="1" checked={props.draft.receipt === true} />
        <label for="accuse">{t("message.compose.receipt")}</label>
      </div>
    </fieldset>
  );
}

function AttachmentsField(props: { errors: ComposeErrors }) {
  const { attachments } = props.errors;
  return (
    <div class="field">
      <label for="pieces">{t("message.compose.attachments")}</label>
      <input
        type="file"
        id="pieces"
        name="pieces"
        multiple
        accept={Object.keys(ATTACHMENT_TYPES)
          .map((e) => `.${e}`)
          .join(",")}
        aria-describedby={attachments.length ? "aide-pieces err-pieces" : "aide-pieces"}
      />
      <p class="hint" id="aide-pieces">
        {t("message.compose.attachments_hint", {
          count: ATTACHMENTS_MAX,
          size: ATTACHMENT_MAX_BYTES / 1024 / 1024,
        })}
      </p>
      {attachments.length ? (
        <p class="field-error" id="err-pieces">
          {attachments.map((e) => t(`message.error.${e}`)).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Send, or keep as a draft. */
function ComposeActions(props: { draft: MessageDraft; draftErrors?: DraftError[] }) {
  return (
    <>
      {props.draft.draftId ? <input type="hidden" name="brouillon" value={props.draft.draftId} /> : null}
      {props.draftErrors?.length ? (
        <p class="field-error" role="alert">
          {props.draftErrors.map((e) => t(`message.error.${e}`)).join(" ")}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="button-primary">
          {t("message.compose.submit")}
        </button>
        <button type="submit" name="action" value="brouillon">
          {t("message.draft.save")}
        </button>
      </div>
      <p class="hint">{t("message.draft.hint")}</p>
    </>
  );
}

function ComposeForm(props: {
  csrfToken: string;
  options: ComposeOptions;
  draft: MessageDraft;
  errors: ComposeErrors;
  draftErrors?: DraftError[];
}) {
  const { draft, errors } = props;
  return (
    <form method="post" action="/messagerie/nouveau" class="card" enctype="multipart/form-data" novalidate>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="ecole" value={props.options.uai} />
      <RecipientFields options={props.options} draft={draft} errors={errors} />
      <SubjectField draft={draft} errors={errors} />
      <BodyField draft={draft} errors={errors} />
      <SendOptions draft={draft} errors={errors} />
      <AttachmentsField errors={errors} />
      {errors.has("rate_limited") ? <p class="field-error">{t("message.error.rate_limited")}</p> : null}
      <ComposeActions draft={draft} draftErrors={props.draftErrors} />
    </form>
  );
}

export function ComposePage(props: {
  chrome: Chrome;
  options: ComposeOptions;
  draft?: MessageDraft;
  errors?: MessageError[];
  moderator: boolean;
  draftErrors?: DraftError[];
  blocked?: boolean;
  restriction?: Restriction | null;
  timeZone: string;
}) {
  const draft = props.draft ?? { subject: "", body: "", recipientIds: [], groupKeys: [] };
  const errors = props.errors ?? [];
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.compose.title")}</h1>
      {errors.length ? <Flash kind="error" text={t("message.error.form")} /> : null}
      {props.blocked ? <Flash kind="error" text={t("message.blocked")} /> : null}
      <FolderNav current={null} moderator={props.moderator} />
      <SchoolChoice options={props.options} />
      {props.restriction ? (
        <RestrictionNotice restriction={props.restriction} timeZone={props.timeZone} />
      ) : props.options.contacts.length === 0 ? (
        <p>{t("message.compose.nobody")}</p>
      ) : (
        <ComposeForm
          csrfToken={props.chrome.csrfToken}
          options={props.options}
          draft={draft}
          errors={composeErrors(errors)}
          draftErrors={props.draftErrors}
        />
      )}
      {draft.draftId ? (
        <form method="post" action={`/messagerie/brouillons/${draft.draftId}/supprimer`}>
          <CsrfField token={props.chrome.csrfToken} />
          <button type="submit">{t("message.draft.delete")}</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function MessagePage(props: {
  chrome: Chrome;
  message: MessageView;
  notice?: MessageKey;
  moderator: boolean;
  timeZone: string;
}) {
  const m = props.message;
  const csrf = <CsrfField token={props.chrome.csrfToken} />;
  return (
    <Layout chrome={props.chrome}>
      <h1>{m.subject}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <FolderNav current={null} moderator={props.moderator} />
      <article class="card">
        <p>
          {t("message.from", { name: m.sender.name })} —{" "}
          <time datetime={m.at.toISOString()}>{dateTime(m.at, props.timeZone)}</time>
        </p>
        {m.scheduledFor ? (
          <p>
            <strong>{t("message.scheduled_for", { date: dateTime(m.scheduledFor, props.timeZone) })}</strong>
          </p>
        ) : null}
        {m.mine && m.receiptRequested ? (
          <ul aria-label={t("message.col.to")}>
            {m.recipients.map((r) => (
              <li>
                {r.name} <span class="hint">({t(r.read ? "message.read_by" : "message.not_read")})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("message.to", { names: m.recipients.map((r) => r.name).join(", ") })}</p>
        )}
        <div class="message-body">
          {m.body.split("\n").map((line) => (
            <p>{line}</p>
          ))}
        </div>
        {m.attachments.length ? (
          <ul aria-label={t("message.attachments")}>
            {m.attachments.map((a) => (
              <li>
                <a href={`/messagerie/${m.id}/pieces/${a.id}`} download>
                  {a.name}
                </a>
                <span class="hint">
                  {" "}
                  ({t("message.attachment_size", { size: Math.max(1, Math.round(a.size / 1024)) })})
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </article>
      <div class="card">
        <form method="post" action={`/messagerie/${m.id}/corbeille`}>
          {csrf}
          <input type="hidden" name="retour" value={m.inTrash ? "1" : "0"} />
          <button type="submit">{t(m.inTrash ? "message.restore" : "message.trash")}</button>
        </form>
        {m.mine ? null : (
          <p>
            <a
              href={`/messagerie/nouveau?a=${m.sender.id}&objet=${encodeURIComponent(`Re : ${m.subject}`.slice(0, 200))}`}
            >
              {t("message.reply")}
            </a>
          </p>
        )}
        {m.mine ? null : m.reported ? (
          <p>{t("message.report.done")}</p>
        ) : (
          <form method="post" action={`/messagerie/${m.id}/signaler`}>
            {csrf}
            <button type="submit">{t("message.report")}</button>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function ModerationPage(props: {
  chrome: Chrome;
  lines: ModerationLine[];
  timeZone: string;
  rulesEditor: boolean;
  notice?: MessageKey;
  error?: boolean;
  pupils: { id: string; name: string }[];
  suspensions: SuspensionLine[];
}) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.moderation.title")}</h1>
      <FolderNav current={null} moderator={true} />
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.error ? <Flash kind="error" text={t("message.suspend.error")} /> : null}
      {props.rulesEditor ? (
        <p>
          <a href="/messagerie/regles">{t("message.rules.link")}</a>
        </p>
      ) : null}
      {props.lines.length === 0 ? (
        <p>{t("message.moderation.none")}</p>
      ) : (
        <ul class="card-list">
          {props.lines.map((l) => (
            <li class="card">
              <a href={`/messagerie/moderation/${l.id}`}>{l.subject}</a>
              <span class="hint">
                {" "}
                — {l.sender}, {dateTime(l.at, props.timeZone)} ·{" "}
                {l.kind === "blocked"
                  ? t("message.moderation.blocked")
                  : t("message.moderation.reported", { count: l.reports })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <SuspensionsSection
        csrfToken={props.chrome.csrfToken}
        pupils={props.pupils}
        current={props.suspensions}
        timeZone={props.timeZone}
      />
    </Layout>
  );
}

export function ModeratedMessagePage(props: { chrome: Chrome; message: ModeratedMessage; timeZone: string }) {
  const m = props.message;
  return (
    <Layout chrome={props.chrome}>
      <h1>{m.subject}</h1>
      <FolderNav current={null} moderator={true} />
      <article class="card">
        <p>{t("message.moderation.sent_at", { name: m.sender, date: dateTime(m.at, props.timeZone) })}</p>
        <p>
          {m.recipients.length
            ? t("message.moderation.recipients", { names: m.recipients.join(", ") })
            : t("message.moderation.no_recipient")}
        </p>
        {m.state === "blocked" ? (
          <p>
            <strong>{t("message.moderation.words", { words: m.words.join(", ") })}</strong>
          </p>
        ) : null}
        <div class="message-body">
          {m.body.split("\n").map((line) => (
            <p>{line}</p>
          ))}
        </div>
      </article>
      {m.reports.length ? (
        <section class="card" aria-labelledby="signalements">
          <h2 id="signalements">{t("message.moderation.reports")}</h2>
          <ul>
            {m.reports.map((r) => (
              <li>{t("message.moderation.report_line", { name: r.by, date: dateTime(r.at, props.timeZone) })}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

export function RulesPage(props: {
  chrome: Chrome;
  rules: RuleTable;
  saved: boolean;
  notice?: MessageKey;
  hours: WeeklyHours | null;
  badDays?: string[];
}) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.rules.title")}</h1>
      {props.saved ? <Flash kind="info" text={t("message.rules.saved")} /> : null}
      <p>{t("message.rules.intro")}</p>
      <form method="post" action="/messagerie/regles" class="card">
        <CsrfField token={props.chrome.csrfToken} />
        {SENDER_PROFILES.map((from) => (
          <fieldset>
            <legend>{t("message.rules.from", { profile: t(`profile.${from}`).toLowerCase() })}</legend>
            {RELATIONS.filter((r) => mayBeAllowed(from, r)).map((r) => (
              <div class="field field-check">
                <input
                  type="checkbox"
                  id={`regle-${from}-${r}`}
                  name="regles"
                  value={`${from}:${r}`}
                  checked={props.rules[from].has(r)}
                />
                <label for={`regle-${from}-${r}`}>{t(`message.relation.${r}`)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button-primary">
          {t("common.save")}
        </button>
      </form>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <HoursSection csrfToken={props.chrome.csrfToken} hours={props.hours} badDays={props.badDays} />
    </Layout>
  );
}

export function RestrictionNotice(props: { restriction: Restriction; timeZone: string }) {
  const r = props.restriction;
  const text =
    r.kind === "suspended"
      ? t("message.restricted.suspended", { date: dateTime(r.until, props.timeZone) })
      : r.kind === "hours"
        ? t("message.restricted.hours")
        : r.until
          ? t("message.restricted.academie_until", { date: dateTime(r.until, props.timeZone) })
          : t("message.restricted.academie");
  return <Flash kind="error" text={text} />;
}

export function SuspensionsSection(props: {
  csrfToken: string;
  pupils: { id: string; name: string }[];
  current: SuspensionLine[];
  timeZone: string;
}) {
  return (
    <section class="card" aria-labelledby="suspensions">
      <h2 id="suspensions">{t("message.suspend.title")}</h2>
      {props.pupils.length ? (
        <form method="post" action="/messagerie/suspensions">
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="eleve">{t("message.suspend.pupil")}</label>
            <select id="eleve" name="eleve">
              {props.pupils.map((x) => (
                <option value={x.id}>{x.name}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="jours">{t("message.suspend.days")}</label>
            <select id="jours" name="jours">
              {SUSPENSION_DAYS.map((d) => (
                <option value={String(d)}>{t("message.suspend.day_count", { count: d })}</option>
              ))}
            </select>
          </div>
          <button type="submit">{t("message.suspend.submit")}</button>
        </form>
      ) : null}
      <h3>{t("message.suspend.current")}</h3>
      {props.current.length === 0 ? (
        <p>{t("message.suspend.none")}</p>
      ) : (
        <ul>
          {props.current.map((s) => (
            <li>
              {t("message.suspend.line", { name: s.name, date: dateTime(s.until, props.timeZone) })}
              <form method="post" action={`/messagerie/suspensions/${s.userId}/lever`} class="inline-form">
                <CsrfField token={props.csrfToken} />
                <button type="submit">{t("message.suspend.lift", { name: s.name })}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function HoursSection(props: { csrfToken: string; hours: WeeklyHours | null; badDays?: string[] }) {
  const limited = props.hours !== null;
  const slot = (d: (typeof DAY_KEYS)[number]) => props.hours?.[d] ?? null;
  return (
    <section class="card" aria-labelledby="horaires">
      <h2 id="horaires">{t("message.hours.title")}</h2>
      <p>{t("message.hours.intro")}</p>
      {props.badDays?.length ? (
        <p class="field-error">
          {t("message.hours.error", { days: props.badDays.map((d) => t(`day.${d}` as MessageKey)).join(", ") })}
        </p>
      ) : null}
      <form method="post" action="/messagerie/horaires">
        <CsrfField token={props.csrfToken} />
        <fieldset>
          <legend>{t("message.hours.title")}</legend>
          <div class="field field-check">
            <input type="radio" id="horaires-toujours" name="mode" value="toujours" checked={!limited} />
            <label for="horaires-toujours">{t("message.hours.always")}</label>
          </div>
          <div class="field field-check">
            <input type="radio" id="horaires-limite" name="mode" value="limite" checked={limited} />
            <label for="horaires-limite">{t("message.hours.limited")}</label>
          </div>
        </fieldset>
        {DAY_KEYS.map((d) => (
          <fieldset>
            <legend>{t(`day.${d}` as MessageKey)}</legend>
            <div class="field field-check">
              <input
                type="checkbox"
                id={`ouvert-${d}`}
                name={`ouvert-${d}`}
                value="1"
                checked={!limited ? Number(d) <= 5 : slot(d) !== null}
              />
              <label for={`ouvert-${d}`}>
                {t("message.hours.open", { day: t(`day.${d}` as MessageKey).toLowerCase() })}
              </label>
            </div>
            <label for={`de-${d}`}>{t("message.hours.from")}</label>
            <input type="time" id={`de-${d}`} name={`de-${d}`} value={slot(d)?.from ?? "08:00"} />
            <label for={`a-${d}`}>{t("message.hours.to")}</label>
            <input type="time" id={`a-${d}`} name={`a-${d}`} value={slot(d)?.to ?? "18:00"} />
          </fieldset>
        ))}
        <button type="submit" class="button-primary">
          {t("common.save")}
        </button>
      </form>
    </section>
  );
}

export function BlocksPage(props: {
  chrome: Chrome;
  blocks: AcademieBlock[];
  timeZone: string;
  notice?: MessageKey;
  errors?: BlockError[];
}) {
  const describe = (b: AcademieBlock) => {
    const who = b.profiles.length
      ? b.profiles.map((k) => t(`profile.${k}` as MessageKey)).join(", ")
      : t("message.blocks.everyone");
    const whenText =
      b.kind === "once"
        ? t("message.blocks.once", {
            from: dateTime(b.startsAt!, props.timeZone),
            to: dateTime(b.endsAt!, props.timeZone),
          })
        : t("message.blocks.weekly", {
            days: b.days.map((d) => t(`day.${d}` as MessageKey).toLowerCase()).join(", "),
            from: b.fromTime ?? "",
            to: b.toTime ?? "",
          });
    return `${who} — ${whenText}`;
  };
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.blocks.title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.errors?.length ? (
        <Flash kind="error" text={props.errors.map((e) => t(`message.blocks.error.${e}`)).join(" ")} />
      ) : null}
      <p>{t("message.blocks.intro")}</p>
      {props.blocks.length === 0 ? (
        <p>{t("message.blocks.none")}</p>
      ) : (
        <ul class="card-list">
          {props.blocks.map((b) => (
            <li class="card">
              {describe(b)}
              <form method="post" action={`/admin/messagerie/${b.id}/retirer`} class="inline-form">
                <CsrfField token={props.chrome.csrfToken} />
                <button type="submit">{t("message.blocks.remove")}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/admin/messagerie" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <h2>{t("message.blocks.new")}</h2>
        <fieldset>
          <legend>{t("message.blocks.profiles")}</legend>
          {BLOCKABLE_PROFILES.map((k) => (
            <div class="field field-check">
              <input type="checkbox" id={`profil-${k}`} name="profils" value={k} />
              <label for={`profil-${k}`}>{t(`profile.${k}` as MessageKey)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("message.blocks.kind")}</legend>
          {(["once", "weekly"] as const).map((k) => (
            <div class="field field-check">
              <input type="radio" id={`type-${k}`} name="type" value={k} checked={k === "once"} />
              <label for={`type-${k}`}>{t(`message.blocks.kind.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="debut">{t("message.blocks.starts")}</label>
          <input type="datetime-local" id="debut" name="debut" />
        </div>
        <div class="field">
          <label for="fin">{t("message.blocks.ends")}</label>
          <input type="datetime-local" id="fin" name="fin" />
        </div>
        <fieldset>
          <legend>{t("message.blocks.days")}</legend>
          {DAY_KEYS.map((d) => (
            <div class="field field-check">
              <input type="checkbox" id={`jour-${d}`} name="jours" value={d} />
              <label for={`jour-${d}`}>{t(`day.${d}` as MessageKey)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="de">{t("message.blocks.from")}</label>
          <input type="time" id="de" name="de" />
        </div>
        <div class="field">
          <label for="a">{t("message.blocks.to")}</label>
          <input type="time" id="a" name="a" />
        </div>
        <button type="submit" class="button-primary">
          {t("message.blocks.submit")}
        </button>
      </form>
    </Layout>
  );
}
