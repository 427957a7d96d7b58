// Connectors (3.11.1.3, 510B): the public list of native connectors, the admin page, and the CAS server's pages
// (consent for category 5, unknown or closed service, refusal).
import { t, type MessageKey } from "../../src/i18n";
import { CONSENTABLE } from "../../src/services/identity/attribute-release";
import type { Connector, ConnectorInput } from "../../src/services/identity/connectors";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { CheckField, ChoiceGroup, InputField, TextAreaField, formErrors } from "../components/fields";

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
  const errors = formErrors(props.errors, (e) => t(`connector.error.${e}` as MessageKey));
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("connector.admin.title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
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
        <InputField
          id="nom"
          label={t("connector.field.name")}
          maxlength={80}
          value={draft.name}
          error={errors.of("name")}
        />
        <InputField
          id="identifiant"
          label={t("connector.field.slug")}
          maxlength={40}
          value={draft.slug}
          error={errors.of("slug", "slug_taken")}
        />
        <InputField
          id="description"
          label={t("connector.field.description")}
          maxlength={300}
          value={draft.description}
        />
        <ChoiceGroup
          type="radio"
          name="protocole"
          legend={t("connector.field.protocol")}
          choices={(["cas", "oidc", "link"] as const).map((k) => ({ value: k, label: t(`connector.protocol.${k}`) }))}
          chosen={draft.protocol}
          error={errors.of("protocol")}
        />
        <InputField
          id="adresse"
          type="url"
          label={t("connector.field.launch_url")}
          maxlength={500}
          value={draft.launchUrl}
          error={errors.of("launch_url")}
        />
        <TextAreaField
          id="services"
          label={t("connector.field.service_urls")}
          hint={t("connector.field.service_urls_hint")}
          rows={3}
          value={draft.serviceUrls}
          error={errors.of("service_urls")}
        />
        <ChoiceGroup
          type="radio"
          name="categorie"
          legend={t("connector.field.category")}
          choices={[1, 2, 3, 4, 5].map((n) => ({
            value: String(n),
            label: `${t("connector.category", { n })} — ${categoryText(n)}`,
          }))}
          chosen={draft.category}
          error={errors.of("category", "category_link")}
        />
        <ChoiceGroup
          type="radio"
          name="ident"
          legend={t("connector.field.identifier")}
          choices={(["opaque", "ent"] as const).map((k) => ({ value: k, label: t(`connector.identifier.${k}`) }))}
          chosen={draft.identifier}
          error={errors.of("identifier")}
        />
        <ChoiceGroup
          type="checkbox"
          name="attributs"
          idPrefix="attribut"
          legend={t("connector.field.attributes")}
          choices={CONSENTABLE.map((a) => ({ value: a, label: t(`connector.attribute.${a}`) }))}
          chosen={draft.requestedAttributes}
          error={errors.of("attributes")}
        />
        {props.academie ? (
          <>
            <CheckField id="natif" label={t("connector.field.native")} checked={draft.native} />
            <CheckField id="partout" label={t("connector.field.all_schools")} checked={draft.allSchools} />
          </>
        ) : null}
        <TextAreaField
          id="ecoles"
          label={t("connector.field.schools")}
          rows={3}
          value={draft.schools}
          error={errors.of("schools", "schools_outside", "native_forbidden")}
        />
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
