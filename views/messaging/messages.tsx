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
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime } from "../components/dates";
import { ScrollTable } from "../components/table";
import { HOURS_NAMES, WeekHoursFields } from "../components/hours";
import {
  CheckField,
  ChoiceGroup,
  DateField,
  Fieldset,
  InputField,
  SelectField,
  TextAreaField,
  TimeField,
  formErrors,
  type FormErrors,
} from "../components/fields";

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
        <InputField id="q" type="search" label={t("message.search")} value={props.search} maxlength={100} />
        {props.folder === "inbox" ? (
          <CheckField id="non-lus" name="non_lus" label={t("message.filter.unread")} checked={props.unread} />
        ) : null}
        <button type="submit">{t("message.search.submit")}</button>
      </form>
      {lines.length === 0 ? (
        <p>{t(props.slice.page > 1 ? "message.page.past_end" : "message.empty")}</p>
      ) : (
        <ScrollTable
          id="mailbox"
          caption={t(f.label)}
          hiddenCaption
          columns={[
            t("message.col.subject"),
            t(
              props.folder === "drafts"
                ? "message.col.recipients"
                : props.folder === "sent"
                  ? "message.col.to"
                  : "message.col.from",
            ),
            t("message.col.date"),
          ]}
        >
          {lines.map((l) => (
            <tr class={l.read ? undefined : "unread"}>
              <td>
                <a href={props.folder === "drafts" ? `/messagerie/nouveau?brouillon=${l.id}` : `/messagerie/${l.id}`}>
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
        </ScrollTable>
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

/** The compose form's field errors, each next to its field. */
function composeErrors(errors: MessageError[]) {
  return formErrors(errors, (e) => t(`message.error.${e as MessageError}`));
}

/** Perimeter staff (municipality) choose the school they write in. */
function SchoolChoice(props: { options: ComposeOptions }) {
  if (props.options.schools.length <= 1) return null;
  return (
    <form method="get" action="/messagerie/nouveau" class="card">
      <SelectField
        id="ecole-choix"
        name="ecole"
        label={t("message.compose.school")}
        options={props.options.schools.map((sc) => ({ value: sc.uai, label: sc.name }))}
        chosen={props.options.uai}
      />
      <button type="submit">{t("message.compose.school_submit")}</button>
    </form>
  );
}

/**
 * 614A: the class groups and the people the rules let the user write to (a message's or a poll's audience); the
 * error, after both, describes both (a poll puts both in its own fieldset, which holds the error).
 */
export function RecipientFields(props: {
  options: Pick<ComposeOptions, "contacts" | "groups">;
  draft: { groupKeys: string[]; recipientIds: string[] };
  error?: string | undefined;
}) {
  const { contacts, groups } = props.options;
  const { draft } = props;
  return (
    <>
      {groups.length ? (
        <ChoiceGroup
          type="checkbox"
          name="groupes"
          idPrefix="groupe"
          legend={t("message.compose.groups")}
          choices={groups.map((g, i) => ({
            value: g.key,
            id: `groupe-${i}`,
            label: t(`message.group.${g.label.kind}`, { name: g.label.className }),
          }))}
          chosen={draft.groupKeys}
          describedBy={props.error ? "destinataires-error" : undefined}
        />
      ) : null}
      <ChoiceGroup
        type="checkbox"
        name="destinataires"
        legend={t("message.compose.people")}
        choices={contacts.map((c, i) => ({
          value: c.id,
          id: `dest-${i}`,
          label: (
            <>
              {c.firstName} {c.lastName}
              {c.profiles.length ? (
                <span class="hint"> — {c.profiles.map((k) => t(`profile.${k}` as MessageKey)).join(", ")}</span>
              ) : null}
            </>
          ),
        }))}
        chosen={draft.recipientIds}
        error={props.error}
      />
    </>
  );
}

/** 54F a later send time, 54G a read receipt. */
function SendOptions(props: { draft: MessageDraft; errors: FormErrors }) {
  return (
    <fieldset>
      <legend>{t("message.compose.options")}</legend>
      <DateField
        withTime
        id="envoi"
        label={t("message.compose.send_at")}
        value={props.draft.sendAt ?? ""}
        error={props.errors.of("send_at_past", "send_at_far", "send_at_invalid")}
      />
      <CheckField id="accuse" label={t("message.compose.receipt")} checked={props.draft.receipt === true} />
    </fieldset>
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
  errors: FormErrors;
  draftErrors?: DraftError[];
}) {
  const { draft, errors } = props;
  return (
    <form method="post" action="/messagerie/nouveau" class="card" enctype="multipart/form-data" novalidate>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="ecole" value={props.options.uai} />
      <RecipientFields
        options={props.options}
        draft={draft}
        error={errors.of("recipients_missing", "recipients_forbidden", "recipients_too_many")}
      />
      <InputField
        id="objet"
        label={t("message.compose.subject")}
        value={draft.subject}
        maxlength={200}
        required
        error={errors.of("subject_missing", "subject_long")}
      />
      <TextAreaField
        id="texte"
        label={t("message.compose.body")}
        rows={10}
        spellcheck={true}
        lang="fr"
        value={draft.body}
        error={errors.of("body_missing", "body_long")}
      />
      <SendOptions draft={draft} errors={errors} />
      <InputField
        type="file"
        id="pieces"
        label={t("message.compose.attachments")}
        multiple
        accept={Object.keys(ATTACHMENT_TYPES)
          .map((e) => `.${e}`)
          .join(",")}
        hint={t("message.compose.attachments_hint", {
          count: ATTACHMENTS_MAX,
          size: ATTACHMENT_MAX_BYTES / 1024 / 1024,
        })}
        error={errors.of("attachment_count", "attachment_type", "attachment_size", "attachment_storage")}
      />
      {errors.list.includes("rate_limited") ? <p class="field-error">{t("message.error.rate_limited")}</p> : null}
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
        <PostButton
          action={`/messagerie/brouillons/${draft.draftId}/supprimer`}
          csrfToken={props.chrome.csrfToken}
          label={t("message.draft.delete")}
        />
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
        <PostButton
          action={`/messagerie/${m.id}/corbeille`}
          csrfToken={props.chrome.csrfToken}
          fields={{ retour: m.inTrash ? "1" : "0" }}
          label={t(m.inTrash ? "message.restore" : "message.trash")}
        />
        {m.mine ? null : (
          <p>
            <a
              href={
                `/messagerie/nouveau?a=${m.sender.id}&objet` +
                `=${encodeURIComponent(`Re : ${m.subject}`.slice(0, 200))}`
              }
            >
              {t("message.reply")}
            </a>
          </p>
        )}
        {m.mine ? null : m.reported ? (
          <p>{t("message.report.done")}</p>
        ) : (
          <PostButton
            action={`/messagerie/${m.id}/signaler`}
            csrfToken={props.chrome.csrfToken}
            label={t("message.report")}
          />
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
        {SENDER_PROFILES.map((from) => {
          const relations = RELATIONS.filter((r) => mayBeAllowed(from, r));
          return (
            <ChoiceGroup
              type="checkbox"
              name="regles"
              idPrefix={`regle-${from}`}
              legend={t("message.rules.from", { profile: t(`profile.${from}`).toLowerCase() })}
              choices={relations.map((r) => ({
                value: `${from}:${r}`,
                id: `regle-${from}-${r}`,
                label: t(`message.relation.${r}`),
              }))}
              chosen={relations.filter((r) => props.rules[from].has(r)).map((r) => `${from}:${r}`)}
            />
          );
        })}
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
          <SelectField
            id="eleve"
            label={t("message.suspend.pupil")}
            options={props.pupils.map((x) => ({ value: x.id, label: x.name }))}
          />
          <SelectField
            id="jours"
            label={t("message.suspend.days")}
            options={SUSPENSION_DAYS.map((d) => ({
              value: String(d),
              label: t("message.suspend.day_count", { count: d }),
            }))}
          />
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
              <PostButton
                action={`/messagerie/suspensions/${s.userId}/lever`}
                csrfToken={props.csrfToken}
                class="inline-form"
                label={t("message.suspend.lift", { name: s.name })}
              />
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
      <form method="post" action="/messagerie/horaires">
        <CsrfField token={props.csrfToken} />
        <ChoiceGroup
          type="radio"
          name="mode"
          idPrefix="horaires"
          legend={t("message.hours.title")}
          choices={[
            { value: "toujours", label: t("message.hours.always") },
            { value: "limite", label: t("message.hours.limited") },
          ]}
          chosen={limited ? "limite" : "toujours"}
        />
        <Fieldset
          id="heures"
          legend={t("message.hours.days")}
          error={
            props.badDays?.length
              ? t("message.hours.error", {
                  days: props.badDays.map((d) => t(`day.${d}` as MessageKey).toLowerCase()).join(", "),
                })
              : undefined
          }
        >
          <WeekHoursFields
            value={(d) => ({
              open: !limited ? Number(d) <= 5 : slot(d) !== null,
              from: slot(d)?.from ?? "08:00",
              to: slot(d)?.to ?? "18:00",
            })}
            control={(d, part) => {
              const id = `${HOURS_NAMES[part]}-${d}`;
              return { id, name: id };
            }}
            openValue="1"
            badDays={props.badDays}
          />
        </Fieldset>
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
  const errors = formErrors(props.errors, (e) => t(`message.blocks.error.${e as BlockError}`));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.blocks.title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <p>{t("message.blocks.intro")}</p>
      {props.blocks.length === 0 ? (
        <p>{t("message.blocks.none")}</p>
      ) : (
        <ul class="card-list">
          {props.blocks.map((b) => (
            <li class="card">
              {describe(b)}
              <PostButton
                action={`/admin/messagerie/${b.id}/retirer`}
                csrfToken={props.chrome.csrfToken}
                class="inline-form"
                label={t("message.blocks.remove")}
              />
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/admin/messagerie" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <h2>{t("message.blocks.new")}</h2>
        <ChoiceGroup
          type="checkbox"
          name="profils"
          idPrefix="profil"
          legend={t("message.blocks.profiles")}
          choices={BLOCKABLE_PROFILES.map((k) => ({ value: k, label: t(`profile.${k}` as MessageKey) }))}
          error={errors.of("profiles")}
        />
        <ChoiceGroup
          type="radio"
          name="type"
          legend={t("message.blocks.kind")}
          choices={(["once", "weekly"] as const).map((k) => ({ value: k, label: t(`message.blocks.kind.${k}`) }))}
          chosen="once"
          error={errors.of("kind")}
        />
        <div class="field-row">
          <DateField withTime id="debut" label={t("message.blocks.starts")} error={errors.of("period")} />
          <DateField withTime id="fin" label={t("message.blocks.ends")} error={errors.of("period")} />
        </div>
        <ChoiceGroup
          type="checkbox"
          name="jours"
          idPrefix="jour"
          legend={t("message.blocks.days")}
          choices={DAY_KEYS.map((d) => ({ value: d, label: t(`day.${d}` as MessageKey) }))}
          error={errors.of("days")}
        />
        <div class="field-row">
          <TimeField id="de" label={t("message.blocks.from")} error={errors.of("times")} />
          <TimeField id="a" label={t("message.blocks.to")} error={errors.of("times")} />
        </div>
        <button type="submit" class="button-primary">
          {t("message.blocks.submit")}
        </button>
      </form>
    </Layout>
  );
}
