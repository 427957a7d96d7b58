import { t } from "../../src/i18n";
import type { DuplicatePair } from "../../src/services/admin/duplicates";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { ScrollTable } from "../components/table";

function Person(props: { person: DuplicatePair["a"] }) {
  const p = props.person;
  return (
    <>
      <a href={`/personnes/${p.id}`}>
        {p.firstName} {p.lastName}
      </a>
      <br />
      <span class="hint">
        {(p.profiles ?? []).map((k) => t(`profile.${k as "pupil"}`)).join(", ")}
        {p.birthDate ? ` — ${t("duplicates.born", { date: p.birthDate.split("-").reverse().join("/") })}` : ""}
        {` — ${t(`source.${p.source as "aaf"}`)}`}
      </span>
    </>
  );
}

export function DuplicatesPage(props: {
  chrome: Chrome;
  pairs: DuplicatePair[];
  action: string;
  showSchool: boolean;
  done?: boolean;
}) {
  const { chrome } = props;
  return (
    <Layout chrome={chrome} wide>
      <h1>{t("duplicates.title")}</h1>
      <p>{t("duplicates.intro")}</p>
      {props.done ? <Flash kind="info" text={t("duplicates.dismissed")} /> : null}
      {props.pairs.length === 0 ? (
        <p>{t("duplicates.none")}</p>
      ) : (
        <ScrollTable
          id="duplicates"
          caption={t("duplicates.caption")}
          columns={[
            props.showSchool ? t("duplicates.col.school") : null,
            t("duplicates.col.first"),
            t("duplicates.col.second"),
            t("duplicates.col.action"),
          ]}
        >
          {props.pairs.map((pair) => (
            <tr>
              {props.showSchool ? <td>{pair.schoolName}</td> : null}
              <td>
                <Person person={pair.a} />
              </td>
              <td>
                <Person person={pair.b} />
              </td>
              <td>
                <PostButton
                  action={props.action}
                  csrfToken={chrome.csrfToken}
                  fields={{ signalement: String(pair.id) }}
                  label={t("duplicates.dismiss")}
                />
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
    </Layout>
  );
}
