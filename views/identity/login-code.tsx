// 611D: the second step of an admin's login, the code received in the academic mailbox.
import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { InputField } from "../components/fields";

export function LoginCodePage(props: { chrome: Chrome; address: string; error?: string }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("login.code.title")}</h1>
      <p>{t("login.code.intro", { address: props.address })}</p>
      {props.error ? <Flash kind="error" text={props.error} /> : null}
      <form method="post" action="/login/code" class="card form-narrow" novalidate>
        <CsrfField token={props.chrome.csrfToken} />
        <InputField
          id="code"
          label={t("login.code.label")}
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
          pattern="[0-9]{6}"
          required
          error={props.error}
        />
        <button type="submit" class="button-primary">
          {t("login.code.submit")}
        </button>
      </form>
      <p>
        <a href="/login">{t("login.code.restart")}</a>
      </p>
    </Layout>
  );
}
