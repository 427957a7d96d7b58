import { t } from "../../src/i18n";
import type { AuditLine, ChainReport } from "../../src/services/audit";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

export function AuditPage(props: { chrome: Chrome; lines: AuditLine[]; report?: ChainReport; timeZone: string }) {
  const { chrome, report } = props;
  const format = new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "short",
    timeStyle: "medium",
    timeZone: props.timeZone,
  });
  return (
    <Layout chrome={chrome} wide>
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      {report ? (
        report.ok ? (
          <Flash kind="info" text={t("audit.verified", { rows: report.rows })} />
        ) : (
          <Flash kind="error" text={t("audit.broken", { seq: report.brokenAt })} />
        )
      ) : null}
      <form method="post" action="/admin/audit/verification">
        <CsrfField token={chrome.csrfToken} />
        <button type="submit">{t("audit.verify")}</button>
      </form>
      {/* Focusable and named: a keyboard user can scroll the table sideways on a small screen. */}
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="audit-caption">
        <table>
          <caption id="audit-caption">{t("audit.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.col.seq")}</th>
              <th scope="col">{t("audit.col.at")}</th>
              <th scope="col">{t("audit.col.actor")}</th>
              <th scope="col">{t("audit.col.action")}</th>
              <th scope="col">{t("audit.col.target")}</th>
              <th scope="col">{t("audit.col.uai")}</th>
              <th scope="col">{t("audit.col.ip")}</th>
            </tr>
          </thead>
          <tbody>
            {props.lines.map((l) => (
              <tr>
                <td>{l.seq}</td>
                <td>{format.format(l.at)}</td>
                <td>{l.actorName ?? ""}</td>
                <td>{l.action}</td>
                <td class="truncate">{l.target ?? ""}</td>
                <td>{l.uai ?? ""}</td>
                <td>{l.ip ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
