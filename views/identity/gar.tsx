// 3.11.1.1: the step between Préau and the GAR's resources — a form posting the signed assertion.
import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";

export function GarPostPage(props: {
  chrome: Chrome;
  answer?: { action: string; samlResponse: string; relayState: string | null };
  refused?: boolean;
}) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(props.refused ? "gar.refused.title" : "gar.title")}</h1>
      {props.refused || !props.answer ? (
        <p>{t("gar.refused.text")}</p>
      ) : (
        <form method="post" action={props.answer.action} class="card auto-submit">
          <input type="hidden" name="SAMLResponse" value={props.answer.samlResponse} />
          {props.answer.relayState ? <input type="hidden" name="RelayState" value={props.answer.relayState} /> : null}
          <p>{t("gar.intro")}</p>
          <button type="submit" class="button-primary">
            {t("gar.continue")}
          </button>
        </form>
      )}
    </Layout>
  );
}
