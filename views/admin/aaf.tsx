import { t, type MessageKey } from "../../src/i18n";
import type { ImportSummary } from "../../src/services/admin/aaf";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { ScrollTable } from "../components/table";
import { CheckField, InputField } from "../components/fields";
import { dateTime } from "../components/dates";

const COUNT_KEYS = [
  "records",
  "created",
  "updated",
  "unchanged",
  "preDeleted",
  "restored",
  "detached",
  "schools",
  "classes",
  "warnings",
] as const;

function formatDate(date: Date | null, timeZone: string): string {
  return date ? dateTime(date, timeZone) : "";
}

function summary(i: ImportSummary): string {
  if (i.counts && (i.status === "applied" || i.status === "checked")) {
    return t("aaf.summary.applied", {
      created: i.counts.created,
      updated: i.counts.updated,
      preDeleted: i.counts.preDeleted,
    });
  }
  if (i.problems) return t("aaf.summary.rejected", { count: i.problems.length });
  return "";
}

export function AafPage(props: {
  chrome: Chrome;
  imports: ImportSummary[];
  timeZone: string;
  maxUploadMb: number;
  uploadError?: string;
  canUpload: boolean;
}) {
  const { chrome } = props;
  return (
    <Layout chrome={chrome} wide>
      <h1>{t("aaf.title")}</h1>
      <p>{t("aaf.intro")}</p>
      <section class="card" aria-labelledby="upload-title">
        <h2 id="upload-title">{t("aaf.upload")}</h2>
        {props.uploadError ? <Flash kind="error" text={props.uploadError} /> : null}
        {props.canUpload ? (
          <form method="post" action="/admin/annuaire/imports" enctype="multipart/form-data">
            <CsrfField token={chrome.csrfToken} />
            <InputField
              id="delivery"
              name="livraison"
              type="file"
              label={t("aaf.upload.file")}
              hint={t("aaf.upload.hint", { max: props.maxUploadMb })}
              accept=".xml,.zip,.tgz,.gz,application/zip,application/gzip,text/xml"
              required
            />
            <CheckField id="dry-run" name="a_blanc" value="oui" label={t("aaf.upload.dry_run")} />
            <button type="submit" class="button-primary">
              {t("aaf.upload.submit")}
            </button>
          </form>
        ) : (
          <p>{t("aaf.upload.error.no_storage")}</p>
        )}
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t("aaf.history")}</h2>
        {props.imports.length === 0 ? (
          <p>{t("aaf.history.none")}</p>
        ) : (
          <ScrollTable
            id="history"
            caption={t("aaf.history.caption")}
            columns={(["date", "file", "origin", "mode", "status", "summary"] as const).map((k) => t(`aaf.col.${k}`))}
          >
            {props.imports.map((i) => (
              <tr>
                <td>{formatDate(i.createdAt, props.timeZone)}</td>
                <th scope="row" class="truncate">
                  <a href={`/admin/annuaire/imports/${i.id}`}>{i.fileName}</a>
                </th>
                <td>{t(`aaf.origin.${i.origin as "cli"}`)}</td>
                <td>{i.mode ? t(`aaf.mode.${i.mode as "complete"}`) : ""}</td>
                <td>{t(`aaf.status.${i.status as "queued"}`)}</td>
                <td>{summary(i)}</td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </section>
    </Layout>
  );
}

/** The progress block; htmx replaces it every two seconds while the import runs, a link refreshes it without JS. */
export function AafProgressBlock(props: { item: ImportSummary }) {
  const { item } = props;
  const running = item.status === "queued" || item.status === "running";
  const p = item.progress;
  const label = t(`aaf.phase.${(p?.phase ?? "queued") as "queued"}`);
  return (
    <div
      id="import-progress"
      hx-get={running ? `/admin/annuaire/imports/${item.id}/avancement` : undefined}
      hx-trigger={running ? "every 2s" : undefined}
      hx-swap={running ? "outerHTML" : undefined}
    >
      <p>
        <strong>{t(`aaf.status.${item.status as "queued"}`)}</strong> — {label}
      </p>
      {running ? (
        <>
          <progress
            max={p && p.total > 0 ? p.total : undefined}
            value={p && p.total > 0 ? p.done : undefined}
            aria-label={label}
          >
            {label}
          </progress>
          <p role="status">{t("aaf.detail.records", { count: p?.done ?? 0 })}</p>
          <p>
            <a href={`/admin/annuaire/imports/${item.id}`}>{t("aaf.detail.refresh")}</a>
          </p>
        </>
      ) : null}
    </div>
  );
}

export function AafImportPage(props: { chrome: Chrome; item: ImportSummary; timeZone: string }) {
  const { item } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("aaf.detail.title", { date: formatDate(item.createdAt, props.timeZone) })}</h1>
      <p class="profile-line">
        {item.fileName} — {t(`aaf.origin.${item.origin as "cli"}`)}
        {item.mode ? ` — ${t(`aaf.mode.${item.mode as "complete"}`)}` : ""}
      </p>
      <section class="card" aria-labelledby="progress-title">
        <h2 id="progress-title">{t("aaf.detail.progress")}</h2>
        <AafProgressBlock item={item} />
      </section>
      {item.counts ? (
        <section class="card" aria-labelledby="counts-title">
          <h2 id="counts-title">{t("aaf.detail.counts")}</h2>
          <dl class="facts">
            {COUNT_KEYS.map((k) => (
              <>
                <dt>{t(`aaf.count.${k}` as MessageKey)}</dt>
                <dd>{item.counts![k]}</dd>
              </>
            ))}
          </dl>
        </section>
      ) : null}
      {item.problems?.length ? (
        <section class="card" aria-labelledby="problems-title">
          <h2 id="problems-title">{t("aaf.detail.problems")}</h2>
          <ul>
            {item.problems.map((p) => (
              <li>
                {p.file ? <code>{`${p.file}:${p.line}`}</code> : null}
                {p.file ? " — " : ""}
                {p.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a class="button" href={`/admin/annuaire/imports/${item.id}/journal`} download>
          {t("aaf.detail.log")}
        </a>{" "}
        <a href="/admin/annuaire">{t("aaf.detail.back")}</a>
      </p>
    </Layout>
  );
}
