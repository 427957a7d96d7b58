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
                  <fieldset>
                    <legend>{t("liaison.answer_for", { name: child.name })}</legend>
                    {(["oui", "non"] as const).map((v) => (
                      <div class="field field-check">
                        <input type="radio" id={`r-${note.id}-${child.id}-${v}`} name="reponse" value={v} />
                        <label for={`r-${note.id}-${child.id}-${v}`}>{t(`liaison.answer.${v}`)}</label>
                      </div>
                    ))}
                  </fieldset>
                ) : note.replyKind === "text" ? (
                  <div class="field">
                    <label for={`r-${note.id}-${child.id}`}>{t("liaison.answer_for", { name: child.name })}</label>
                    <textarea
                      id={`r-${note.id}-${child.id}`}
                      name="reponse"
                      rows={3}
                      maxlength={LIMITS.reply}
                      lang="fr"
                    ></textarea>
                  </div>
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
          <label for="enfant">{t("liaison.filter")}</label>
          <select id="enfant" name="enfant">
            <option value="">{t("liaison.all_children")}</option>
            {props.children.map((c) => (
              <option value={c.id} selected={c.id === props.child}>
                {c.name}
              </option>
            ))}
          </select>
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
        <div class="field">
          <label for="q">{t("liaison.filter.words")}</label>
          <input type="search" id="q" name="q" value={filter.words} />
        </div>
        <div class="field field-check">
          <input type="checkbox" id="non_lus" name="non_lus" value="1" checked={filter.unreadOnly} />
          <label for="non_lus">{t("liaison.filter.unread")}</label>
        </div>
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
  const errors = props.errors ?? [];
  const { draft } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("liaison.new")}</h1>
      {errors.length ? (
        <Flash kind="error" text={errors.map((e) => t(`liaison.error.${e}` as MessageKey)).join(" ")} />
      ) : null}
      <form method="post" action="/carnet/nouveau" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <div class="field">
          <label for="pour">{t("liaison.field.audience")}</label>
          <select id="pour" name="pour">
            {props.audiences.map((a) => (
              <option value={a.value} selected={a.value === draft.audience}>
                {a.value === "ecole" ? t("liaison.audience.school") : t("liaison.audience.class", { name: a.label })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="titre">{t("liaison.field.title")}</label>
          <input
            id="titre"
            name="titre"
            maxlength={LIMITS.title}
            required
            value={draft.title}
            aria-invalid={errors.includes("title") ? "true" : undefined}
          />
        </div>
        <div class="field">
          <label for="texte">{t("liaison.field.body")}</label>
          <textarea
            id="texte"
            name="texte"
            rows={6}
            maxlength={LIMITS.body}
            lang="fr"
            aria-invalid={errors.includes("body") ? "true" : undefined}
          >
            {draft.body}
          </textarea>
        </div>
        <fieldset>
          <legend>{t("liaison.field.reply")}</legend>
          {(["none", "yesno", "text"] as const).map((k) => (
            <div class="field field-check">
              <input type="radio" id={`reponse-${k}`} name="reponse" value={k} checked={draft.replyKind === k} />
              <label for={`reponse-${k}`}>{t(`liaison.reply.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="rappel">{t("liaison.field.reminder")}</label>
          <select id="rappel" name="rappel">
            <option value="" selected={draft.remindAfter === ""}>
              {t("liaison.reminder.none")}
            </option>
            {REMINDER_HOURS.map((h) => (
              <option value={String(h)} selected={draft.remindAfter === String(h)}>
                {t("liaison.reminder.after", { hours: h })}
              </option>
            ))}
          </select>
        </div>
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
          <div class="table-scroll" role="region" aria-label={t("liaison.status")} tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("liaison.col.child")}</th>
                  <th scope="col">{t("liaison.col.parent")}</th>
                  <th scope="col">{t("liaison.col.read")}</th>
                  <th scope="col">{t("liaison.col.answer")}</th>
                </tr>
              </thead>
              <tbody>
                {note.lines.map((l) => (
                  <tr>
                    <td>{l.child}</td>
                    <td>{l.parent}</td>
                    <td>{l.read ? t("liaison.yes") : l.reminded ? t("liaison.not_read_reminded") : t("liaison.no")}</td>
                    <td>{l.reply ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
