import { t } from "../../src/i18n";
import type { AuditLine, ChainReport } from "../../src/services/audit";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { ScrollTable } from "../components/table";

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
      <PostButton action="/admin/audit/verification" csrfToken={chrome.csrfToken} label={t("audit.verify")} />
      <ScrollTable
        id="audit"
        caption={t("audit.caption")}
        columns={(["seq", "at", "actor", "action", "target", "uai", "ip"] as const).map((k) => t(`audit.col.${k}`))}
      >
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
      </ScrollTable>
    </Layout>
  );
}
