// The liaison notebook (54E): the parent's notes (filter by child, acknowledge, answer), the sender's notes and
// their read/answer status, the form, and the printable slip for families without access.
import { t, type MessageKey } from "../../src/i18n";
import {
  LIMITS,
  REMINDER_HOURS,
  type AudienceChoice,
  type NoteForParent,
  type NoteForSender,
  type NoteInput,
  type SentFilter,
  type SentNote,
} from "../../src/services/classroom/liaison";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { dateTime } from "../components/dates";
import { ViewAsBanner } from "../components/view-as";
import { ScrollTable } from "../components/table";
import { CheckField, ChoiceGroup, InputField, SelectField, TextAreaField, formErrors } from "../components/fields";

function ParentNote(props: {
  chrome: Chrome;
  note: NoteForParent;
  timeZone: string;
  error?: MessageKey;
  preview?: boolean;
}) {
  const { note } = props;
  return (
    <li class="card">
      <h2 class="card-title">{note.title}</h2>
      <p class="hint">
        {t("liaison.from", { author: note.author ?? "", date: dateTime(note.createdAt, props.timeZone) })}
        {note.className ? ` — ${note.className}` : ""}
      </p>
      <p class="pre">{note.body}</p>
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      {props.preview ? <p class="hint">{t(`viewas.liaison_ack.${note.replyKind}`)}</p> : null}
      {props.preview
        ? null
        : note.children.map((child) =>
            child.read ? (
              <p>
                {t("liaison.read_for", { name: child.name })}
                {child.reply ? ` — ${t("liaison.your_answer", { answer: child.reply })}` : ""}
              </p>
            ) : (
              <form method="post" action={`/carnet/${note.id}/lu`} class="card">
                <CsrfField token={props.chrome.csrfToken} />
                <input type="hidden" name="enfant" value={child.id} />
                {note.replyKind === "yesno" ? (
                  <ChoiceGroup
                    type="radio"
                    name="reponse"
                    idPrefix={`r-${note.id}-${child.id}`}
                    legend={t("liaison.answer_for", { name: child.name })}
                    choices={(["oui", "non"] as const).map((v) => ({ value: v, label: t(`liaison.answer.${v}`) }))}
                  />
                ) : note.replyKind === "text" ? (
                  <TextAreaField
                    id={`r-${note.id}-${child.id}`}
                    name="reponse"
                    label={t("liaison.answer_for", { name: child.name })}
                    rows={3}
                    maxlength={LIMITS.reply}
                    lang="fr"
                  />
                ) : null}
                <button type="submit" class="button-primary">
                  {t("liaison.ack", { name: child.name })}
                </button>
              </form>
            ),
          )}
    </li>
  );
}

export function ParentNotebookPage(props: {
  chrome: Chrome;
  notes: NoteForParent[];
  children: { id: string; name: string }[];
  child: string | null;
  timeZone: string;
  notice?: MessageKey;
  error?: { noteId: string; issue: MessageKey };
  /** 58D: a teacher's read-only preview of what the parents of this class receive. */
  preview?: { id: string; name: string };
}) {
  const preview = props.preview;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("liaison.title")}</h1>
      {preview ? (
        <ViewAsBanner
          as="parent"
          className={preview.name}
          back="/carnet"
          detail={t("viewas.liaison_scope", { name: preview.name })}
        />
      ) : null}
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.children.length > 1 && !preview ? (
        <form method="get" action="/carnet" class="card">
          <SelectField
            id="enfant"
            label={t("liaison.filter")}
            options={[
              { value: "", label: t("liaison.all_children") },
              ...props.children.map((c) => ({ value: c.id, label: c.name })),
            ]}
            chosen={props.child ?? ""}
          />
          <button type="submit">{t("liaison.filter_submit")}</button>
        </form>
      ) : null}
      {props.notes.length === 0 ? (
        <p>{t("liaison.none")}</p>
      ) : (
        <ul class="card-list">
          {props.notes.map((n) => (
            <ParentNote
              chrome={props.chrome}
              note={n}
              timeZone={props.timeZone}
              error={props.error?.noteId === n.id ? props.error.issue : undefined}
              preview={!!preview}
            />
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function SenderNotebookPage(props: {
  chrome: Chrome;
  notes: SentNote[];
  canSend: boolean;
  timeZone: string;
  notice?: MessageKey;
  /** 58D: the classes whose parents' notebook the user may preview. */
  previews?: { id: string; name: string }[];
  filter?: SentFilter;
}) {
  const previews = props.previews ?? [];
  const filter = props.filter ?? { words: "", unreadOnly: false };
  const filtered = filter.words.trim() !== "" || filter.unreadOnly;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("liaison.title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.canSend ? (
        <p>
          <a class="button button-primary" href="/carnet/nouveau">
            {t("liaison.new")}
          </a>
        </p>
      ) : null}
      {previews.length ? (
        <p class="view-as">
          {t("viewas.liaison_classes")} :{" "}
          {previews.map((c, i) => (
            <>
              {i ? " · " : ""}
              <a href={`/carnet/apercu/${c.id}`}>{c.name}</a>
            </>
          ))}
        </p>
      ) : null}
      <form method="get" action="/carnet" class="card filters" role="search">
        <InputField type="search" id="q" label={t("liaison.filter.words")} value={filter.words} />
        <CheckField id="non_lus" label={t("liaison.filter.unread")} checked={filter.unreadOnly} />
        <button type="submit">{t("liaison.filter.submit")}</button>
      </form>
      {props.notes.length === 0 ? (
        <p>{filtered ? t("liaison.filter.none") : t("liaison.none_sent")}</p>
      ) : (
        <ul class="card-list">
          {props.notes.map((n) => (
            <li class="card">
              <a class="card-title" href={`/carnet/${n.id}`}>
                {n.title}
              </a>
              <p class="hint">
                {dateTime(n.createdAt, props.timeZone)}
                {n.className ? ` — ${n.className}` : ""} — {t("liaison.read_count", { read: n.read, total: n.total })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function NoteFormPage(props: {
  chrome: Chrome;
  audiences: AudienceChoice[];
  draft: NoteInput;
  errors?: string[];
}) {
  const errors = formErrors(props.errors, (e) => t(`liaison.error.${e}` as MessageKey));
  const { draft } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("liaison.new")}</h1>
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="post" action="/carnet/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <SelectField
          id="pour"
          label={t("liaison.field.audience")}
          options={props.audiences.map((a) => ({
            value: a.value,
            label: a.value === "ecole" ? t("liaison.audience.school") : t("liaison.audience.class", { name: a.label }),
          }))}
          chosen={draft.audience}
          error={errors.of("audience", "nobody")}
        />
        <InputField
          id="titre"
          label={t("liaison.field.title")}
          maxlength={LIMITS.title}
          required
          value={draft.title}
          error={errors.of("title")}
        />
        <TextAreaField
          id="texte"
          label={t("liaison.field.body")}
          rows={6}
          maxlength={LIMITS.body}
          lang="fr"
          value={draft.body}
          error={errors.of("body")}
        />
        <ChoiceGroup
          type="radio"
          name="reponse"
          legend={t("liaison.field.reply")}
          choices={(["none", "yesno", "text"] as const).map((k) => ({ value: k, label: t(`liaison.reply.${k}`) }))}
          chosen={draft.replyKind}
          error={errors.of("reply_kind")}
        />
        <SelectField
          id="rappel"
          label={t("liaison.field.reminder")}
          options={[
            { value: "", label: t("liaison.reminder.none") },
            ...REMINDER_HOURS.map((h) => ({ value: String(h), label: t("liaison.reminder.after", { hours: h }) })),
          ]}
          chosen={draft.remindAfter}
          error={errors.of("reminder")}
        />
        <button type="submit" class="button-primary">
          {t("liaison.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function NoteStatusPage(props: { chrome: Chrome; note: NoteForSender; timeZone: string; print?: boolean }) {
  const { note } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{note.title}</h1>
      <p class="hint">
        {dateTime(note.createdAt, props.timeZone)}
        {note.className ? ` — ${note.className}` : ""}
      </p>
      <p class="pre">{note.body}</p>
      {props.print ? (
        <section aria-labelledby="slip-title">
          <h2 id="slip-title">{t("liaison.slip")}</h2>
          <ul class="card-list">
            {[...new Set(note.lines.map((l) => l.child))].map((child) => (
              <li class="card">
                <p>{t("liaison.slip_line", { child })}</p>
                {note.replyKind === "yesno" ? (
                  <p>{t("liaison.slip_yesno")}</p>
                ) : note.replyKind === "text" ? (
                  <p>{t("liaison.slip_text")}</p>
                ) : null}
                <p>{t("liaison.slip_sign")}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <>
          <p>
            <a href={`/carnet/${note.id}/coupon`}>{t("liaison.print_slip")}</a>
          </p>
          <ScrollTable
            id="status"
            caption={t("liaison.status")}
            hiddenCaption
            columns={(["child", "parent", "read", "answer"] as const).map((k) => t(`liaison.col.${k}`))}
          >
            {note.lines.map((l) => (
              <tr>
                <td>{l.child}</td>
                <td>{l.parent}</td>
                <td>{l.read ? t("liaison.yes") : l.reminded ? t("liaison.not_read_reminded") : t("liaison.no")}</td>
                <td>{l.reply ?? ""}</td>
              </tr>
            ))}
          </ScrollTable>
        </>
      )}
    </Layout>
  );
}
