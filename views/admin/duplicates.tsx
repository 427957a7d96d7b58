import { t } from "../../src/i18n";
import type { DuplicatePair } from "../../src/services/admin/duplicates";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

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
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="duplicates-caption">
          <table>
            <caption id="duplicates-caption">{t("duplicates.caption")}</caption>
            <thead>
              <tr>
                {props.showSchool ? <th scope="col">{t("duplicates.col.school")}</th> : null}
                <th scope="col">{t("duplicates.col.first")}</th>
                <th scope="col">{t("duplicates.col.second")}</th>
                <th scope="col">{t("duplicates.col.action")}</th>
              </tr>
            </thead>
            <tbody>
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
                    <form method="post" action={props.action}>
                      <CsrfField token={chrome.csrfToken} />
                      <input type="hidden" name="signalement" value={String(pair.id)} />
                      <button type="submit">{t("duplicates.dismiss")}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
