import { t } from "../../src/i18n";
import type { AppDefinition } from "../../src/services/portal/apps";
import type { Home } from "../../src/services/portal/portal";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { Icon } from "../components/icon";
import type { Feed } from "../../src/services/messaging/news-feed";
import type { Connector } from "../../src/services/identity/connectors";
import { FeedSummary, UrgentAtEntry } from "../messaging/news-feed";

export type HomeView = Home & { firstName: string };

export function Launcher(props: { chrome: Chrome; apps: AppDefinition[] }) {
  return (
    <ul class="launcher">
      {props.apps.map((app) => (
        <li>
          <a class={`tile tile-${app.colour}`} href={app.path}>
            <Icon assets={props.chrome.assets} name={app.icon} class="tile-icon" />
            <span class="tile-name">{t(app.name)}</span>
            <span class="tile-description">{t(app.description)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function HomePage(props: {
  chrome: Chrome;
  view: HomeView;
  feed?: Omit<Feed, "events">;
  timeZone?: string;
  services?: Connector[];
}) {
  const { view } = props;
  const pupil = view.mainProfile === "pupil";
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("home.hello", { name: view.firstName })}</h1>
      <p class="profile-line">{t(`profile.${view.mainProfile}`)}</p>
      {props.feed ? (
        <UrgentAtEntry chrome={props.chrome} urgent={props.feed.urgent} timeZone={props.timeZone ?? "Europe/Paris"} />
      ) : null}
      <section aria-labelledby="apps-title">
        <h2 id="apps-title">{t("home.apps")}</h2>
        <Launcher chrome={props.chrome} apps={view.apps} />
      </section>
      {props.services?.length ? (
        <section aria-labelledby="services-title">
          <h2 id="services-title">{t("connector.my_services")}</h2>
          <ul class="launcher">
            {props.services.map((c) => (
              <li>
                <a class="tile tile-teal" href={`/services/${c.slug}`}>
                  <Icon assets={props.chrome.assets} name="connector" class="tile-icon" />
                  <span class="tile-name">{c.name}</span>
                  {c.description ? <span class="tile-description">{c.description}</span> : null}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.feed ? <FeedSummary feed={props.feed} /> : null}
      {view.children.length > 0 || view.mainProfile === "parent" ? (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{t("home.my_children")}</h2>
          {view.children.length === 0 ? (
            <p>{t("home.no_children")}</p>
          ) : (
            <ul class="cards">
              {view.children.map((child) => (
                <li class="card">
                  <a href={`/personnes/${child.id}`} class="card-title">
                    {child.firstName} {child.lastName}
                  </a>
                  <p>
                    {child.classes.length > 0
                      ? child.classes
                          .map((c) => t("home.child_in", { class: c.name, school: child.schoolName }))
                          .join(", ")
                      : child.schoolName}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {view.classes.length > 0 || ["pupil", "teacher"].includes(view.mainProfile) ? (
        <section aria-labelledby="classes-title">
          <h2 id="classes-title">{pupil || view.classes.length === 1 ? t("home.my_class") : t("home.my_classes")}</h2>
          {view.classes.length === 0 ? (
            <p>{t("home.no_class")}</p>
          ) : (
            <ul class="cards">
              {view.classes.map((c) => (
                <li class="card">
                  <a href={`/classes/${c.id}`} class="card-title">
                    {c.name}
                  </a>
                  <p>
                    {c.schoolName}
                    {pupil ? "" : ` — ${t("home.pupils_count", { count: c.pupilCount })}`}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {view.perimeterSchoolCount !== null ? (
        <section aria-labelledby="perimeter-title">
          <h2 id="perimeter-title">{t("home.perimeter")}</h2>
          <ul class="cards">
            {view.structures.map((s) => (
              <li class="card">
                <span class="card-title">{s.name}</span>
                <p>{t(`structure.${s.kind as "academie"}`)}</p>
              </li>
            ))}
          </ul>
          <p>
            <a href="/ecoles">{t("home.perimeter_schools", { count: view.perimeterSchoolCount })}</a>
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
