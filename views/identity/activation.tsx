import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { CheckField, InputField } from "../components/fields";
import { CharterText } from "./charter";

/** A new password (named `password`) with its rules, and its confirmation (`confirm`). */
export function NewPasswordFields(props: { id: string; label: string; confirmLabel: string }) {
  return (
    <>
      <InputField
        id={props.id}
        name="password"
        type="password"
        label={props.label}
        hint={t("activation.password_rules")}
        autocomplete="new-password"
        required
      />
      <InputField id="confirm" type="password" label={props.confirmLabel} autocomplete="new-password" required />
    </>
  );
}

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
        <CheckField id="accept" name="charte" value="oui" required label={t("activation.charter_accept")} />
        {props.choosePassword ? (
          <fieldset>
            <legend>{t("activation.choose_password")}</legend>
            <NewPasswordFields id="password" label={t("activation.password")} confirmLabel={t("activation.confirm")} />
          </fieldset>
        ) : null}
        <button type="submit" class="button-primary">
          {t("activation.submit")}
        </button>
      </form>
    </Layout>
  );
}
