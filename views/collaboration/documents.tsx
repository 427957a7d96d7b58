// Live documents (56B): the list with search and creation; the document page — its content as read-only HTML
// (without JavaScript), replaced by the live editor (document.js) for those who may write.
import { raw } from "hono/html";
import { t, type MessageKey } from "../../src/i18n";
import type { DocumentRecord, DocumentView } from "../../src/services/collaboration/documents";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

const dateFr = (d: Date) =>
  d.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });

export function DocumentsPage(props: {
  chrome: Chrome;
  documents: DocumentRecord[];
  userId: string;
  query: string;
  canCreate: boolean;
  error?: MessageKey;
  draft?: string;
}) {
  const { chrome } = props;
  const mine = props.documents.filter((d) => d.ownerId === props.userId);
  const shared = props.documents.filter((d) => d.ownerId !== props.userId);
  const item = (d: DocumentRecord) => (
    <li class="card">
      <a href={`/documents/${d.id}`}>{d.title}</a>
      <span class="hint"> — {t("document.list.updated", { date: dateFr(d.updatedAt) })}</span>
    </li>
  );
  return (
    <Layout chrome={chrome}>
      <h1>{t("document.list.title")}</h1>
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      <form method="get" action="/documents" class="card" role="search">
        <div class="field">
          <label for="q">{t("document.search")}</label>
          <input id="q" name="q" type="search" value={props.query} maxlength={100} />
        </div>
        <button type="submit">{t("document.search.submit")}</button>
      </form>
      {props.query && props.documents.length === 0 ? <p>{t("document.search.none", { q: props.query })}</p> : null}
      <h2>{t("document.list.mine")}</h2>
      {mine.length ? <ul class="card-list">{mine.map(item)}</ul> : <p>{t("document.list.none")}</p>}
      {shared.length ? (
        <>
          <h2>{t("document.list.shared")}</h2>
          <ul class="card-list">{shared.map(item)}</ul>
        </>
      ) : null}
      {props.canCreate ? (
        <form method="post" action="/documents" class="card">
          <CsrfField token={chrome.csrfToken} />
          <h2>{t("document.new.title")}</h2>
          <div class="field">
            <label for="titre">{t("document.new.name")}</label>
            <input
              id="titre"
              name="titre"
              value={props.draft ?? ""}
              maxlength={120}
              required
              aria-invalid={props.error?.startsWith("document.error.title") ? "true" : undefined}
            />
          </div>
          <button type="submit" class="button-primary">
            {t("document.new.submit")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function DocumentPage(props: { chrome: Chrome; doc: DocumentView; error?: MessageKey; notice?: MessageKey }) {
  const { chrome, doc } = props;
  const strings = Object.fromEntries(
    (
      [
        "document.toolbar",
        "document.toolbar.bold",
        "document.toolbar.italic",
        "document.toolbar.h1",
        "document.toolbar.h2",
        "document.toolbar.paragraph",
        "document.toolbar.bullets",
        "document.toolbar.numbers",
        "document.toolbar.link",
        "document.toolbar.link_prompt",
        "document.toolbar.image",
        "document.live",
        "wall.offline",
        "wall.presence",
        "document.edit",
        "document.spellcheck",
      ] as const
    ).map((k) => [k, t(k)]),
  );
  return (
    <Layout chrome={chrome} wide>
      <link rel="stylesheet" href={chrome.assets["realtime.css"]} />
      <h1>{doc.title}</h1>
      <p class="profile-line">{t("document.owner", { name: doc.ownerName ?? "—" })}</p>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      {doc.canEdit ? null : <p class="hint">{t("document.view_only")}</p>}
      <div
        id="document"
        class="document"
        data-room={doc.roomId}
        data-can-edit={doc.canEdit ? "1" : "0"}
        data-t={JSON.stringify(strings)}
      >
        <p class="wall-status" role="status"></p>
        <section class="document-body" aria-labelledby="document-content-title">
          <h2 id="document-content-title" class="visually-hidden">
            {t("document.content")}
          </h2>
          <div class="document-html">{doc.html ? raw(doc.html) : <p>{t("document.empty")}</p>}</div>
        </section>
      </div>
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">{t("document.export")}</h2>
        <ul>
          <li>
            <a href={`/documents/${doc.id}/export/html`} download>
              {t("document.export.html")}
            </a>
          </li>
          <li>
            <a href={`/documents/${doc.id}/export/odt`} download>
              {t("document.export.odt")}
            </a>
          </li>
        </ul>
      </section>
      {doc.canManage ? (
        <>
          <form method="post" action={`/documents/${doc.id}/titre`} class="card">
            <CsrfField token={chrome.csrfToken} />
            <div class="field">
              <label for="titre">{t("document.new.name")}</label>
              <input id="titre" name="titre" value={doc.title} maxlength={120} required />
            </div>
            <button type="submit">{t("document.rename")}</button>
          </form>
          <form method="post" action={`/documents/${doc.id}/partage`} class="card">
            <CsrfField token={chrome.csrfToken} />
            <fieldset>
              <legend>{t("document.sharing")}</legend>
              {(["private", "class", "staff"] as const).map((s) => (
                <div class="field field-check">
                  <input type="radio" id={`partage-${s}`} name="partage" value={s} checked={doc.sharing === s} />
                  <label for={`partage-${s}`}>{t(`document.sharing.${s}`)}</label>
                </div>
              ))}
            </fieldset>
            <div class="field">
              <label for="classe">{t("document.sharing.class_choice")}</label>
              <select id="classe" name="classe">
                <option value="">—</option>
                {doc.classes.map((c) => (
                  <option value={c.id} selected={doc.classId === c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend>{t("document.access")}</legend>
              {(["read", "write"] as const).map((a) => (
                <div class="field field-check">
                  <input type="radio" id={`droits-${a}`} name="droits" value={a} checked={doc.access === a} />
                  <label for={`droits-${a}`}>{t(`document.access.${a}`)}</label>
                </div>
              ))}
            </fieldset>
            <button type="submit">{t("document.sharing.submit")}</button>
          </form>
        </>
      ) : null}
      <script type="module" src={chrome.assets["document.js"]}></script>
    </Layout>
  );
}
