// Messaging pages (52A–52D): folders, composing, reading, and the moderators' view of blocked and reported messages.
import { t, type MessageKey } from "../../src/i18n";
import { RELATIONS, SENDER_PROFILES, mayBeAllowed, type RuleTable } from "../../src/services/communication-rules";
import type { ComposeOptions, Folder, MailboxLine, MessageError, MessageView, ModeratedMessage, ModerationLine } from "../../src/services/messages";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

const FOLDERS: { folder: Folder; path: string; label: MessageKey }[] = [
  { folder: "inbox", path: "/messagerie", label: "message.folder.inbox" },
  { folder: "sent", path: "/messagerie/envoyes", label: "message.folder.sent" },
  { folder: "trash", path: "/messagerie/corbeille", label: "message.folder.trash" },
];

function when(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone }).format(date);
}

function FolderNav(props: { current: Folder | null; moderator: boolean }) {
  return (
    <nav aria-label={t("message.folders")} class="card">
      <p><a href="/messagerie/nouveau" class="button-primary">{t("message.new")}</a></p>
      <ul class="inline-list">
        {FOLDERS.map((f) => <li><a href={f.path} aria-current={props.current === f.folder ? "page" : undefined}>{t(f.label)}</a></li>)}
        {props.moderator ? <li><a href="/messagerie/moderation">{t("message.moderation.link")}</a></li> : null}
      </ul>
    </nav>
  );
}

export function MailboxPage(props: { chrome: Chrome; folder: Folder; lines: MailboxLine[]; search: string; notice?: MessageKey;
  moderator: boolean; timeZone: string }) {
  const f = FOLDERS.find((x) => x.folder === props.folder)!;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(f.label)}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <FolderNav current={props.folder} moderator={props.moderator} />
      <form method="get" action={f.path} role="search" class="card">
        <label for="q">{t("message.search")}</label>
        <input id="q" name="q" type="search" value={props.search} maxlength={100} />
        <button type="submit">{t("message.search.submit")}</button>
      </form>
      {props.lines.length === 0 ? <p>{t("message.empty")}</p> : (
        <div class="table-scroll" role="region" aria-label={t(f.label)} tabindex={0}>
          <table>
            <thead><tr>
              <th scope="col">{t("message.col.subject")}</th>
              <th scope="col">{t(props.folder === "sent" ? "message.col.to" : "message.col.from")}</th>
              <th scope="col">{t("message.col.date")}</th>
            </tr></thead>
            <tbody>
              {props.lines.map((l) => (
                <tr class={l.read ? undefined : "unread"}>
                  <td><a href={`/messagerie/${l.id}`}>{l.read ? l.subject : <strong>{l.subject}</strong>}</a>
                    {l.read ? null : <span class="hint"> ({t("message.unread")})</span>}</td>
                  <td>{l.who}</td>
                  <td>{when(l.at, props.timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface MessageDraft { subject: string; body: string; recipientIds: string[]; groupKeys: string[] }

export function ComposePage(props: { chrome: Chrome; options: ComposeOptions; draft?: MessageDraft; errors?: MessageError[]; moderator: boolean;
  blocked?: boolean }) {
  const draft = props.draft ?? { subject: "", body: "", recipientIds: [], groupKeys: [] };
  const errors = props.errors ?? [];
  const has = (e: MessageError) => errors.includes(e);
  const recipientErrors = errors.filter((e) => e.startsWith("recipients_"));
  const { contacts, groups } = props.options;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.compose.title")}</h1>
      {errors.length ? <Flash kind="error" text={t("message.error.form")} /> : null}
      {props.blocked ? <Flash kind="error" text={t("message.blocked")} /> : null}
      <FolderNav current={null} moderator={props.moderator} />
      {props.options.schools.length > 1 ? (
        <form method="get" action="/messagerie/nouveau" class="card">
          <label for="ecole-choix">{t("message.compose.school")}</label>
          <select id="ecole-choix" name="ecole">
            {props.options.schools.map((sc) => <option value={sc.uai} selected={sc.uai === props.options.uai}>{sc.name}</option>)}
          </select>
          <button type="submit">{t("message.compose.school_submit")}</button>
        </form>
      ) : null}
      {contacts.length === 0 ? <p>{t("message.compose.nobody")}</p> : (
        <form method="post" action="/messagerie/nouveau" class="card" novalidate>
          <CsrfField token={props.chrome.csrfToken} />
          <input type="hidden" name="ecole" value={props.options.uai} />
          {groups.length ? (
            <fieldset aria-describedby={recipientErrors.length ? "err-recipients" : undefined}>
              <legend>{t("message.compose.groups")}</legend>
              {groups.map((g, i) => (
                <div class="field field-check">
                  <input type="checkbox" id={`groupe-${i}`} name="groupes" value={g.key} checked={draft.groupKeys.includes(g.key)} />
                  <label for={`groupe-${i}`}>{t(`message.group.${g.label.kind}`, { name: g.label.className })}</label>
                </div>
              ))}
            </fieldset>
          ) : null}
          <fieldset aria-describedby={recipientErrors.length ? "err-recipients" : undefined}>
            <legend>{t("message.compose.people")}</legend>
            {contacts.map((c, i) => (
              <div class="field field-check">
                <input type="checkbox" id={`dest-${i}`} name="destinataires" value={c.id} checked={draft.recipientIds.includes(c.id)} />
                <label for={`dest-${i}`}>{c.firstName} {c.lastName}
                  {c.profiles.length ? <span class="hint"> — {c.profiles.map((k) => t(`profile.${k}` as MessageKey)).join(", ")}</span> : null}</label>
              </div>
            ))}
          </fieldset>
          {recipientErrors.length ? <p class="field-error" id="err-recipients">{recipientErrors.map((e) => t(`message.error.${e}`)).join(" ")}</p> : null}
          <div class="field">
            <label for="objet">{t("message.compose.subject")}</label>
            <input id="objet" name="objet" value={draft.subject} maxlength={200} required
              aria-invalid={has("subject_missing") || has("subject_long") ? "true" : undefined}
              aria-describedby={has("subject_missing") || has("subject_long") ? "err-subject" : undefined} />
            {has("subject_missing") || has("subject_long")
              ? <p class="field-error" id="err-subject">{t(has("subject_missing") ? "message.error.subject_missing" : "message.error.subject_long")}</p> : null}
          </div>
          <div class="field">
            <label for="texte">{t("message.compose.body")}</label>
            <textarea id="texte" name="texte" rows={10} spellcheck={true} lang="fr"
              aria-invalid={has("body_missing") || has("body_long") ? "true" : undefined}
              aria-describedby={has("body_missing") || has("body_long") ? "err-body" : undefined}>{draft.body}</textarea>
            {has("body_missing") || has("body_long")
              ? <p class="field-error" id="err-body">{t(has("body_missing") ? "message.error.body_missing" : "message.error.body_long")}</p> : null}
          </div>
          <button type="submit" class="button-primary">{t("message.compose.submit")}</button>
        </form>
      )}
    </Layout>
  );
}

export function MessagePage(props: { chrome: Chrome; message: MessageView; notice?: MessageKey; moderator: boolean; timeZone: string }) {
  const m = props.message;
  const csrf = <CsrfField token={props.chrome.csrfToken} />;
  return (
    <Layout chrome={props.chrome}>
      <h1>{m.subject}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      <FolderNav current={null} moderator={props.moderator} />
      <article class="card">
        <p>{t("message.from", { name: m.sender.name })} — <time datetime={m.at.toISOString()}>{when(m.at, props.timeZone)}</time></p>
        {m.mine ? (
          <ul aria-label={t("message.col.to")}>
            {m.recipients.map((r) => <li>{r.name} <span class="hint">({t(r.read ? "message.read_by" : "message.not_read")})</span></li>)}
          </ul>
        ) : <p>{t("message.to", { names: m.recipients.map((r) => r.name).join(", ") })}</p>}
        <div class="message-body">{m.body.split("\n").map((line) => <p>{line}</p>)}</div>
      </article>
      <div class="card">
        <form method="post" action={`/messagerie/${m.id}/corbeille`}>
          {csrf}
          <input type="hidden" name="retour" value={m.inTrash ? "1" : "0"} />
          <button type="submit">{t(m.inTrash ? "message.restore" : "message.trash")}</button>
        </form>
        {m.mine ? null : (
          <p><a href={`/messagerie/nouveau?a=${m.sender.id}&objet=${encodeURIComponent(`Re : ${m.subject}`.slice(0, 200))}`}>{t("message.reply")}</a></p>
        )}
        {m.mine ? null : m.reported ? <p>{t("message.report.done")}</p> : (
          <form method="post" action={`/messagerie/${m.id}/signaler`}>
            {csrf}
            <button type="submit">{t("message.report")}</button>
          </form>
        )}
      </div>
    </Layout>
  );
}

export function ModerationPage(props: { chrome: Chrome; lines: ModerationLine[]; timeZone: string; rulesEditor: boolean }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("message.moderation.title")}</h1>
      <FolderNav current={null} moderator={true} />
      {props.rulesEditor ? <p><a href="/messagerie/regles">{t("message.rules.link")}</a></p> : null}
      {props.lines.length === 0 ? <p>{t("message.moderation.none")}</p> : (
        <ul class="card-list">
          {props.lines.map((l) => (
            <li class="card">
              <a href={`/messagerie/moderation/${l.id}`}>{l.subject}</a>
              <span class="hint"> — {l.sender}, {when(l.at, props.timeZone)} · {l.kind === "blocked"
                ? t("message.moderation.blocked") : t("message.moderation.reported", { count: l.reports })}</span>
            </li>
          ))}
        </ul>
      )}
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
        <p>{t("message.moderation.sent_at", { name: m.sender, date: when(m.at, props.timeZone) })}</p>
        <p>{m.recipients.length ? t("message.moderation.recipients", { names: m.recipients.join(", ") }) : t("message.moderation.no_recipient")}</p>
        {m.state === "blocked" ? <p><strong>{t("message.moderation.words", { words: m.words.join(", ") })}</strong></p> : null}
        <div class="message-body">{m.body.split("\n").map((line) => <p>{line}</p>)}</div>
      </article>
      {m.reports.length ? (
        <section class="card" aria-labelledby="signalements">
          <h2 id="signalements">{t("message.moderation.reports")}</h2>
          <ul>{m.reports.map((r) => <li>{t("message.moderation.report_line", { name: r.by, date: when(r.at, props.timeZone) })}</li>)}</ul>
        </section>
      ) : null}
    </Layout>
  );
}

export function RulesPage(props: { chrome: Chrome; rules: RuleTable; saved: boolean }) {
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
                <input type="checkbox" id={`regle-${from}-${r}`} name="regles" value={`${from}:${r}`} checked={props.rules[from].has(r)} />
                <label for={`regle-${from}-${r}`}>{t(`message.relation.${r}`)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button-primary">{t("common.save")}</button>
      </form>
    </Layout>
  );
}
