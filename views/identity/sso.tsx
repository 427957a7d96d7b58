// 3.2.2: after ÉduConnect or Arena — choosing among several accounts, or the page for an identity with no account.
import { t, type MessageKey } from "../../src/i18n";
import type { Candidate } from "../../src/services/identity/federated-login";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";

export function ChooseAccountPage(props: { chrome: Chrome; candidates: Candidate[]; token: string }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("sso.choose.title")}</h1>
      <p>{t("sso.choose.intro")}</p>
      <form method="post" action="/sso/choix" class="card">
        <CsrfField token={props.chrome.csrfToken} />
        <input type="hidden" name="jeton" value={props.token} />
        <fieldset>
          <legend>{t("sso.choose.legend")}</legend>
          {props.candidates.map((c, i) => (
            <div class="field field-check">
              <input type="radio" id={`compte-${i}`} name="compte" value={c.id} checked={i === 0} />
              <label for={`compte-${i}`}>
                {c.firstName} {c.lastName} — {c.schools.join(", ") || t("sso.choose.no_school")}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button-primary">
          {t("sso.choose.submit")}
        </button>
      </form>
    </Layout>
  );
}

export function SsoProblemPage(props: { chrome: Chrome; title: MessageKey; text: MessageKey }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(props.title)}</h1>
      <p>{t(props.text)}</p>
      <p>
        <a href="/login">{t("sso.back_to_login")}</a>
      </p>
    </Layout>
  );
}
