// Live documents (56B): the list with search and creation; the document page — its content as read-only HTML
// (without JavaScript), replaced by the live editor (document.js) for those who may write.
import { raw } from "hono/html";
import { t, type MessageKey } from "../../src/i18n";
import type { DocumentRecord, DocumentView } from "../../src/services/collaboration/documents";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { ChoiceGroup, InputField, SelectField } from "../components/fields";

const dateFr = (d: Date) =>
  d.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });

function DocumentTitleField(props: { value: string; error: string | undefined }) {
  return (
    <InputField
      id="titre"
      label={t("document.new.name")}
      value={props.value}
      maxlength={120}
      required
      error={props.error}
    />
  );
}

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
        <InputField
          id="q"
          type="search"
          label={t("document.search")}
          value={props.query}
          maxlength={100}
          error={props.error === "document.error.search_too_long" ? t(props.error) : undefined}
        />
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
          <DocumentTitleField
            value={props.draft ?? ""}
            error={props.error?.startsWith("document.error.title") ? t(props.error) : undefined}
          />
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
            <DocumentTitleField
              value={doc.title}
              error={props.error?.startsWith("document.error.title") ? t(props.error) : undefined}
            />
            <button type="submit">{t("document.rename")}</button>
          </form>
          <form method="post" action={`/documents/${doc.id}/partage`} class="card">
            <CsrfField token={chrome.csrfToken} />
            <ChoiceGroup
              type="radio"
              name="partage"
              legend={t("document.sharing")}
              choices={(["private", "class", "staff"] as const).map((s) => ({
                value: s,
                label: t(`document.sharing.${s}`),
              }))}
              chosen={doc.sharing}
              error={props.error === "document.error.sharing_invalid" ? t(props.error) : undefined}
            />
            <SelectField
              id="classe"
              label={t("document.sharing.class_choice")}
              options={[{ value: "", label: "—" }, ...doc.classes.map((c) => ({ value: c.id, label: c.name }))]}
              chosen={doc.classId ?? ""}
              error={props.error === "document.error.class_invalid" ? t(props.error) : undefined}
            />
            <ChoiceGroup
              type="radio"
              name="droits"
              legend={t("document.access")}
              choices={(["read", "write"] as const).map((a) => ({ value: a, label: t(`document.access.${a}`) }))}
              chosen={doc.access}
              error={props.error === "document.error.access_invalid" ? t(props.error) : undefined}
            />
            <button type="submit">{t("document.sharing.submit")}</button>
          </form>
        </>
      ) : null}
      <script type="module" src={chrome.assets["document.js"]}></script>
    </Layout>
  );
}
