import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { InputField } from "../components/fields";

export interface LoginView {
  login: string;
  error?: string;
  fieldErrors?: { login?: string; password?: string };
  info?: string;
  /** Where to go once logged in (a service asking the CAS server, a page opened while logged out). */
  returnTo?: string;
}

export function LoginPage(props: { chrome: Chrome; view: LoginView; samlProxyUrl?: string }) {
  const { view } = props;
  const fe = view.fieldErrors ?? {};
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("login.title")}</h1>
      <p>{t("login.intro")}</p>
      {view.info ? <Flash kind="info" text={view.info} /> : null}
      {view.error ? <Flash kind="error" text={view.error} /> : null}
      {props.samlProxyUrl ? (
        <section class="card form-narrow" aria-labelledby="federated-title">
          <h2 id="federated-title">{t("login.federated.title")}</h2>
          <p>
            <a class="button button-primary" href={`${props.samlProxyUrl}/saml/educonnect/login`}>
              {t("login.federated.educonnect")}
            </a>
          </p>
          <p>
            <a class="button" href={`${props.samlProxyUrl}/saml/arena/login`}>
              {t("login.federated.arena")}
            </a>
          </p>
        </section>
      ) : null}
      {props.samlProxyUrl ? <h2>{t("login.local.title")}</h2> : null}
      <form method="post" action="/login" class="card form-narrow" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        {view.returnTo && view.returnTo !== "/" ? <input type="hidden" name="retour" value={view.returnTo} /> : null}
        <InputField
          id="login"
          type="text"
          label={t("login.login")}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          value={view.login}
          error={fe.login}
        />
        <InputField
          id="password"
          type="password"
          label={t("login.password")}
          autocomplete="current-password"
          required
          error={fe.password}
        />
        <button type="submit" class="button-primary">
          {t("login.submit")}
        </button>
      </form>
      <p class="hint">{t("login.federated_hint")}</p>
    </Layout>
  );
}
