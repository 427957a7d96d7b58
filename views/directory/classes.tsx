import { t } from "../../src/i18n";
import type { ClassPage, ClassSummary, PersonCard, RosterEntry } from "../../src/services/directory/directory";
import type { AppDefinition } from "../../src/services/portal/apps";
import type { ClassAppSettings } from "../../src/services/admin/school-settings";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { ChoiceGroup } from "../components/fields";
import { ViewAsSwitch } from "../components/view-as";

export function ClassList(props: { classes: ClassSummary[]; showSchool?: boolean }) {
  return (
    <ul class="cards">
      {props.classes.map((c) => (
        <li class="card">
          <a class="card-title" href={`/classes/${c.id}`}>
            {c.name}
          </a>
          <p>
            {props.showSchool ? `${c.schoolName} — ` : ""}
            {t("classes.pupils", { count: c.pupilCount })}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function ClassesPage(props: { chrome: Chrome; classes: ClassSummary[] }) {
  const schools = new Set(props.classes.map((c) => c.uai));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("classes.title")}</h1>
      {props.classes.length === 0 ? (
        <p>{t("classes.none")}</p>
      ) : (
        <ClassList classes={props.classes} showSchool={schools.size > 1} />
      )}
    </Layout>
  );
}

function People(props: { people: RosterEntry[] }) {
  return (
    <ul class="people">
      {props.people.map((person) => (
        <li>
          <a href={`/personnes/${person.id}`}>
            {person.firstName} {person.lastName}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function ClassPageView(props: {
  chrome: Chrome;
  view: ClassPage;
  apps?: { hideable: AppDefinition[]; settings: ClassAppSettings; saved: boolean };
}) {
  const { view, chrome, apps } = props;
  return (
    <Layout chrome={chrome}>
      <h1>{t("class.title", { name: view.name })}</h1>
      <p class="profile-line">
        {view.schoolName} — {t("class.school_year", { year: view.schoolYear })}
      </p>
      {view.canPreview ? <ViewAsSwitch base={`/classes/${view.id}/apercu`} /> : null}
      <section aria-labelledby="teachers-title">
        <h2 id="teachers-title">{t("class.teachers")}</h2>
        {view.teachers.length ? <People people={view.teachers} /> : <p>{t("common.none")}</p>}
      </section>
      {view.staff.length ? (
        <section aria-labelledby="staff-title">
          <h2 id="staff-title">{t("class.staff")}</h2>
          <People people={view.staff} />
        </section>
      ) : null}
      <section aria-labelledby="pupils-title">
        <h2 id="pupils-title">
          {t("class.pupils")} ({view.pupils.length})
        </h2>
        <People people={view.pupils} />
      </section>
      {apps ? (
        <section class="card" aria-labelledby="class-apps-title">
          <h2 id="class-apps-title">{t("class.apps")}</h2>
          {apps.saved ? <Flash kind="info" text={t("common.saved")} /> : null}
          <form method="post" action={`/classes/${view.id}/applis`}>
            <CsrfField token={chrome.csrfToken} />
            <p>{t("class.apps.intro")}</p>
            {(
              [
                ["eleves", "pupils", "class.apps.hidden_for_pupils", apps.settings.hiddenForPupils],
                ["parents", "parents", "class.apps.hidden_for_parents", apps.settings.hiddenForParents],
              ] as const
            ).map(([name, prefix, legend, hidden]) => (
              <ChoiceGroup
                type="checkbox"
                name={name}
                idPrefix={prefix}
                legend={t(legend)}
                choices={apps.hideable.map((app) => ({ value: app.id, label: t(app.name) }))}
                chosen={hidden}
              />
            ))}
            <button type="submit">{t("common.save")}</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export function PersonPage(props: { chrome: Chrome; view: PersonCard; unlocked?: boolean }) {
  const { view } = props;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("person.title", { name: `${view.firstName} ${view.lastName}` })}</h1>
      {props.unlocked ? <Flash kind="info" text={t("person.login.unlocked")} /> : null}
      <dl class="facts card">
        <dt>{t("person.school")}</dt>
        <dd>{view.schoolName}</dd>
        <dt>{t("person.profiles")}</dt>
        <dd>{view.profiles.map((k) => t(`profile.${k}`)).join(", ")}</dd>
        {view.classes.length ? (
          <>
            <dt>{t("person.classes")}</dt>
            <dd>
              {view.classes.map((c, i) => (
                <>
                  {i > 0 ? ", " : ""}
                  <a href={`/classes/${c.id}`}>{c.name}</a>
                </>
              ))}
            </dd>
          </>
        ) : null}
        {view.source ? (
          <>
            <dt>{t("person.source")}</dt>
            <dd>{t(`source.${view.source as "aaf"}`)}</dd>
          </>
        ) : null}
        {view.state ? (
          <>
            <dt>{t("person.state")}</dt>
            <dd>{t(`state.${view.state as "active"}`)}</dd>
          </>
        ) : null}
        {view.loginLocked === null ? null : (
          <>
            <dt>{t("person.login")}</dt>
            <dd>
              {view.loginLocked ? (
                <>
                  {t("person.login.locked")}
                  <form method="post" action={`/personnes/${view.id}/deverrouiller`}>
                    <CsrfField token={props.chrome.csrfToken} />
                    <button type="submit">{t("person.login.unlock")}</button>
                  </form>
                </>
              ) : (
                t("person.login.open")
              )}
            </dd>
          </>
        )}
      </dl>
    </Layout>
  );
}
