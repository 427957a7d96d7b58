// Connectors (3.11.1.3, 510B): the public list of native connectors, the admin page, and the CAS server's pages
// (consent for category 5, unknown or closed service, refusal).
import { t, type MessageKey } from "../../src/i18n";
import { CONSENTABLE } from "../../src/services/identity/attribute-release";
import type { Connector, ConnectorInput } from "../../src/services/identity/connectors";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

const categoryText = (c: number) => t(`connector.category.${c}` as MessageKey);

export function PublicConnectorsPage(props: { chrome: Chrome; connectors: Connector[] }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("connector.public.title")}</h1>
      <p>{t("connector.public.intro")}</p>
      {props.connectors.length === 0 ? (
        <p>{t("connector.public.none")}</p>
      ) : (
        <ul class="card-list">
          {props.connectors.map((c) => (
            <li class="card">
              <h2 class="card-title">{c.name}</h2>
              {c.description ? <p>{c.description}</p> : null}
              <p class="hint">
                {t("connector.category", { n: c.category })} — {categoryText(c.category)}
              </p>
              {c.category === 5 ? (
                <p class="hint">
                  {t("connector.asks", {
                    list: c.requestedAttributes.map((a) => t(`connector.attribute.${a}` as MessageKey)).join(", "),
                  })}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export const EMPTY_CONNECTOR: ConnectorInput = {
  name: "",
  slug: "",
  description: "",
  protocol: "cas",
  launchUrl: "",
  serviceUrls: "",
  category: "3",
  identifier: "opaque",
  requestedAttributes: [],
  native: false,
  allSchools: false,
  schools: "",
};

export function ConnectorsAdminPage(props: {
  chrome: Chrome;
  connectors: Connector[];
  academie: boolean;
  draft: ConnectorInput;
  errors?: string[];
  notice?: MessageKey;
  /** OIDC client secrets by slug, for the connectors' managers. */
  secrets?: Record<string, string>;
}) {
  const { draft } = props;
  const errors = props.errors ?? [];
  const bad = (...keys: string[]) => (keys.some((k) => errors.includes(k)) ? "true" : undefined);
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("connector.admin.title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.length ? (
        <Flash kind="error" text={errors.map((e) => t(`connector.error.${e}` as MessageKey)).join(" ")} />
      ) : null}
      <p>{t("connector.admin.intro")}</p>
      {props.connectors.length === 0 ? (
        <p>{t("connector.admin.none")}</p>
      ) : (
        <ul class="card-list">
          {props.connectors.map((c) => (
            <li class="card">
              <h2 class="card-title">
                {c.name} <span class="hint">({c.slug})</span>
              </h2>
              <p>
                {t("connector.category", { n: c.category })} — {categoryText(c.category)}.{" "}
                {t(c.enabled ? "connector.state.on" : "connector.state.off")}{" "}
                {c.allSchools ? t("connector.schools.all") : t("connector.schools.count", { count: c.schools.length })}
              </p>
              {props.secrets?.[c.slug] ? (
                <p class="hint">{t("connector.oidc.secret", { slug: c.slug, secret: props.secrets[c.slug]! })}</p>
              ) : null}
              <form
                method="post"
                action={`/admin/connecteurs/${c.slug}/${c.enabled ? "desactiver" : "activer"}`}
                class="inline-form"
              >
                <CsrfField token={props.chrome.csrfToken} />
                <button type="submit">
                  {t(c.enabled ? "connector.disable" : "connector.enable", { name: c.name })}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action="/admin/connecteurs" class="card" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <h2>{t("connector.admin.new")}</h2>
        <div class="field">
          <label for="nom">{t("connector.field.name")}</label>
          <input id="nom" name="nom" maxlength={80} value={draft.name} aria-invalid={bad("name")} />
        </div>
        <div class="field">
          <label for="identifiant">{t("connector.field.slug")}</label>
          <input
            id="identifiant"
            name="identifiant"
            maxlength={40}
            value={draft.slug}
            aria-invalid={bad("slug", "slug_taken")}
          />
        </div>
        <div class="field">
          <label for="description">{t("connector.field.description")}</label>
          <input id="description" name="description" maxlength={300} value={draft.description} />
        </div>
        <fieldset>
          <legend>{t("connector.field.protocol")}</legend>
          {(["cas", "oidc", "link"] as const).map((k) => (
            <div class="field field-check">
              <input type="radio" id={`protocole-${k}`} name="protocole" value={k} checked={draft.protocol === k} />
              <label for={`protocole-${k}`}>{t(`connector.protocol.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="adresse">{t("connector.field.launch_url")}</label>
          <input
            id="adresse"
            name="adresse"
            type="url"
            maxlength={500}
            value={draft.launchUrl}
            aria-invalid={bad("launch_url")}
          />
        </div>
        <div class="field">
          <label for="services">{t("connector.field.service_urls")}</label>
          <p class="hint" id="services-aide">
            {t("connector.field.service_urls_hint")}
          </p>
          <textarea
            id="services"
            name="services"
            rows={3}
            aria-describedby="services-aide"
            aria-invalid={bad("service_urls")}
          >
            {draft.serviceUrls}
          </textarea>
        </div>
        <fieldset>
          <legend>{t("connector.field.category")}</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <div class="field field-check">
              <input
                type="radio"
                id={`categorie-${n}`}
                name="categorie"
                value={String(n)}
                checked={draft.category === String(n)}
              />
              <label for={`categorie-${n}`}>
                {t("connector.category", { n })} — {categoryText(n)}
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("connector.field.identifier")}</legend>
          {(["opaque", "ent"] as const).map((k) => (
            <div class="field field-check">
              <input type="radio" id={`ident-${k}`} name="ident" value={k} checked={draft.identifier === k} />
              <label for={`ident-${k}`}>{t(`connector.identifier.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("connector.field.attributes")}</legend>
          {CONSENTABLE.map((a) => (
            <div class="field field-check">
              <input
                type="checkbox"
                id={`attribut-${a}`}
                name="attributs"
                value={a}
                checked={draft.requestedAttributes.includes(a)}
              />
              <label for={`attribut-${a}`}>{t(`connector.attribute.${a}`)}</label>
            </div>
          ))}
        </fieldset>
        {props.academie ? (
          <>
            <div class="field field-check">
              <input type="checkbox" id="natif" name="natif" value="1" checked={draft.native} />
              <label for="natif">{t("connector.field.native")}</label>
            </div>
            <div class="field field-check">
              <input type="checkbox" id="partout" name="partout" value="1" checked={draft.allSchools} />
              <label for="partout">{t("connector.field.all_schools")}</label>
            </div>
          </>
        ) : null}
        <div class="field">
          <label for="ecoles">{t("connector.field.schools")}</label>
          <textarea id="ecoles" name="ecoles" rows={3} aria-invalid={bad("schools", "schools_outside")}>
            {draft.schools}
          </textarea>
        </div>
        <button type="submit" class="button-primary">
          {t("connector.admin.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function ConsentPage(props: {
  chrome: Chrome;
  connector: Connector;
  action: string;
  hidden: Record<string, string>;
}) {
  const c = props.connector;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("connector.consent.title", { name: c.name })}</h1>
      <p>{t("connector.consent.intro", { name: c.name })}</p>
      <ul>
        {c.requestedAttributes.map((a) => (
          <li>{t(`connector.attribute.${a}` as MessageKey)}</li>
        ))}
      </ul>
      <p>{t("connector.consent.later")}</p>
      <form method="post" action={props.action} class="card">
        <CsrfField token={props.chrome.csrfToken} />
        {Object.entries(props.hidden).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <div class="actions">
          <button type="submit" name="choix" value="accepter" class="button-primary">
            {t("connector.consent.accept")}
          </button>
          <button type="submit" name="choix" value="refuser">
            {t("connector.consent.refuse")}
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function CasMessagePage(props: { chrome: Chrome; title: MessageKey; text: string }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(props.title)}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/">{t("connector.back_home")}</a>
      </p>
    </Layout>
  );
}
