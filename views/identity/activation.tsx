import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { CharterText } from "./charter";

export function ActivationPage(props: { chrome: Chrome; choosePassword: boolean; error?: string }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("activation.title")}</h1>
      <p>{t("activation.intro")}</p>
      {props.error ? <Flash kind="error" text={props.error} /> : null}
      <section class="card charter" aria-labelledby="charter-title">
        <h2 id="charter-title">{t("charter.title")}</h2>
        <CharterText />
      </section>
      <form method="post" action="/activation" class="card form-narrow">
        <CsrfField token={props.chrome.csrfToken} />
        <div class="field field-check">
          <input id="accept" name="charte" type="checkbox" value="oui" required />
          <label for="accept">{t("activation.charter_accept")}</label>
        </div>
        {props.choosePassword ? (
          <fieldset>
            <legend>{t("activation.choose_password")}</legend>
            <p class="hint" id="password-rules">
              {t("activation.password_rules")}
            </p>
            <div class="field">
              <label for="password">{t("activation.password")}</label>
              <input
                id="password"
                name="password"
                type="password"
                autocomplete="new-password"
                required
                aria-describedby="password-rules"
              />
            </div>
            <div class="field">
              <label for="confirm">{t("activation.confirm")}</label>
              <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
            </div>
          </fieldset>
        ) : null}
        <button type="submit" class="button-primary">
          {t("activation.submit")}
        </button>
      </form>
    </Layout>
  );
}
