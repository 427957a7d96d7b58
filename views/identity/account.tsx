import { t } from "../../src/i18n";
import type { AppDefinition } from "../../src/services/portal/apps";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

export interface AccountView {
  name: string;
  login: string | null;
  profiles: string[];
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
        </dl>
      </section>
      <section class="card" aria-labelledby="font-title">
        <h2 id="font-title">{t("account.font")}</h2>
        <form method="post" action="/preferences/police">
          <CsrfField token={chrome.csrfToken} />
          <input type="hidden" name="retour" value="/compte" />
          <fieldset>
            <legend class="visually-hidden">{t("account.font")}</legend>
            <div class="field field-check">
              <input
                type="radio"
                id="font-standard"
                name="police"
                value="standard"
                checked={view.font === "standard"}
              />
              <label for="font-standard">{t("account.font.standard")}</label>
            </div>
            <div class="field field-check">
              <input
                type="radio"
                id="font-dyslexic"
                name="police"
                value="dyslexic"
                checked={view.font === "dyslexic"}
              />
              <label for="font-dyslexic" class="sample-dyslexic">
                {t("account.font.dyslexic")}
              </label>
            </div>
          </fieldset>
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
            <fieldset>
              <legend>{t("account.apps.intro")}</legend>
              {view.hideable.map((app) => (
                <div class="field field-check">
                  <input
                    type="checkbox"
                    id={`hide-${app.id}`}
                    name="cacher"
                    value={app.id}
                    checked={view.hidden.includes(app.id)}
                  />
                  <label for={`hide-${app.id}`}>{t(app.name)}</label>
                </div>
              ))}
            </fieldset>
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
            <div class="field">
              <label for="current">{t("account.password.current")}</label>
              <input id="current" name="actuel" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
              <label for="new-password">{t("account.password.new")}</label>
              <input
                id="new-password"
                name="password"
                type="password"
                autocomplete="new-password"
                required
                aria-describedby="rules"
              />
              <p class="hint" id="rules">
                {t("activation.password_rules")}
              </p>
            </div>
            <div class="field">
              <label for="confirm">{t("account.password.confirm")}</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
            </div>
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
