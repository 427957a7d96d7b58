import { t } from "../../src/i18n";
import type { PerimeterSchool, SchoolPage } from "../../src/services/directory/directory";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { ClassList } from "./classes";
import { ScrollTable } from "../components/table";

export function SchoolPageView(props: { chrome: Chrome; view: SchoolPage }) {
  const { view } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("school.title", { name: view.name })}</h1>
      <p class="profile-line">
        {t("school.uai", { uai: view.uai })}
        {view.city ? ` — ${view.city}` : ""}
      </p>
      <section aria-labelledby="structures-title">
        <h2 id="structures-title">{t("school.structures")}</h2>
        <ul>
          {view.structures.map((s) => (
            <li>
              {t(`structure.${s.kind as "academie"}`)} : {s.name}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="school-classes-title">
        <h2 id="school-classes-title">{t("school.classes")}</h2>
        <ClassList classes={view.classes} />
      </section>
      <section aria-labelledby="school-staff-title">
        <h2 id="school-staff-title">{t("school.staff")}</h2>
        <ul class="people">
          {view.staff.map((s) => (
            <li>
              <a href={`/personnes/${s.id}`}>
                {s.firstName} {s.lastName}
              </a>{" "}
              — {t(`profile.${s.profile}`)}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export function SchoolsPage(props: { chrome: Chrome; schools: PerimeterSchool[] }) {
  return (
    <Layout chrome={props.chrome} wide>
      <h1>{t("schools.title")}</h1>
      <p>{t("schools.intro")}</p>
      <ScrollTable
        id="schools"
        caption={t("schools.caption")}
        columns={(["school", "city", "classes", "pupils", "accounts", "active"] as const).map((k) =>
          t(`schools.col.${k}`),
        )}
      >
        {props.schools.map((s) => (
          <tr>
            <th scope="row">
              <a href={`/ecoles/${s.uai}`}>{s.name}</a>
            </th>
            <td>{s.city ?? ""}</td>
            <td>{s.classes}</td>
            <td>{s.pupils}</td>
            <td>{s.accounts}</td>
            <td>{s.activeAccounts}</td>
          </tr>
        ))}
      </ScrollTable>
    </Layout>
  );
}
