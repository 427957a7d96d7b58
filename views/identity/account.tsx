import { t } from "../../src/i18n";
import type { AppDefinition } from "../../src/services/portal/apps";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { ChoiceGroup, InputField } from "../components/fields";
import { NewPasswordFields } from "./activation";

export interface AccountView {
  name: string;
  login: string | null;
  profiles: string[];
  /** 53: the address Préau writes to (the directory's), if any, and whether it is a professional one. */
  mail: string | null;
  professional: boolean;
  font: "standard" | "dyslexic";
  hideable: AppDefinition[];
  hidden: string[];
  hasPassword: boolean;
  saved?: boolean;
  passwordError?: string;
}

export function AccountPage(props: { chrome: Chrome; view: AccountView }) {
  const { view, chrome } = props;
  return (
    <Layout chrome={chrome}>
      <h1>{t("account.title")}</h1>
      {view.saved ? <Flash kind="info" text={t("common.saved")} /> : null}
      <section class="card" aria-labelledby="identity-title">
        <h2 id="identity-title">{t("account.identity")}</h2>
        <dl class="facts">
          <dt>{t("account.name")}</dt>
          <dd>{view.name}</dd>
          {view.login ? (
            <>
              <dt>{t("account.login")}</dt>
              <dd>{view.login}</dd>
            </>
          ) : null}
          <dt>{t("person.profiles")}</dt>
          <dd>{view.profiles.join(", ")}</dd>
          <dt>{t(view.professional ? "account.mail.professional" : "account.mail")}</dt>
          <dd>{view.mail ?? t("account.mail.none")}</dd>
        </dl>
        <p class="hint">{t(view.professional ? "account.mail.professional_hint" : "account.mail.hint")}</p>
      </section>
      <section class="card" aria-labelledby="font-title">
        <h2 id="font-title">{t("account.font")}</h2>
        <form method="post" action="/preferences/police">
          <CsrfField token={chrome.csrfToken} />
          <input type="hidden" name="retour" value="/compte" />
          <ChoiceGroup
            type="radio"
            name="police"
            idPrefix="font"
            legend={t("account.font")}
            legendClass="visually-hidden"
            choices={[
              { value: "standard", label: t("account.font.standard") },
              { value: "dyslexic", label: t("account.font.dyslexic"), labelClass: "sample-dyslexic" },
            ]}
            chosen={view.font}
          />
          <button type="submit">{t("common.save")}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="apps-title">
        <h2 id="apps-title">{t("account.apps")}</h2>
        {view.hideable.length === 0 ? (
          <p>{t("account.apps.none")}</p>
        ) : (
          <form method="post" action="/compte/applis">
            <CsrfField token={chrome.csrfToken} />
            <ChoiceGroup
              type="checkbox"
              name="cacher"
              idPrefix="hide"
              legend={t("account.apps.intro")}
              choices={view.hideable.map((app) => ({ value: app.id, label: t(app.name) }))}
              chosen={view.hidden}
            />
            <button type="submit">{t("common.save")}</button>
          </form>
        )}
      </section>
      <section class="card" aria-labelledby="password-title">
        <h2 id="password-title">{t("account.password")}</h2>
        {!view.hasPassword ? (
          <p>{t("account.password.federated")}</p>
        ) : (
          <form method="post" action="/compte/mot-de-passe" class="form-narrow">
            <CsrfField token={chrome.csrfToken} />
            {view.passwordError ? <Flash kind="error" text={view.passwordError} /> : null}
            <InputField
              id="current"
              name="actuel"
              type="password"
              label={t("account.password.current")}
              autocomplete="current-password"
              required
            />
            <NewPasswordFields
              id="new-password"
              label={t("account.password.new")}
              confirmLabel={t("account.password.confirm")}
            />
            <button type="submit">{t("account.password.submit")}</button>
          </form>
        )}
      </section>
      <p class="card">
        <a href="/compte/notifications">{t("notifications.settings.link")}</a>
      </p>
    </Layout>
  );
}
