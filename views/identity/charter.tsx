import { t } from "../../src/i18n";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";

export function CharterText() {
  return (
    <ol class="charter-text">
      <li>{t("charter.body.1")}</li>
      <li>{t("charter.body.2")}</li>
      <li>{t("charter.body.3")}</li>
      <li>{t("charter.body.4")}</li>
      <li>{t("charter.body.5")}</li>
    </ol>
  );
}

export function CharterPage(props: { chrome: Chrome }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("charter.title")}</h1>
      <CharterText />
    </Layout>
  );
}

export function AccessibilityPage(props: { chrome: Chrome }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("accessibility.title")}</h1>
      <p>{t("accessibility.body.1")}</p>
      <p>{t("accessibility.body.2")}</p>
      <p>{t("accessibility.body.3")}</p>
    </Layout>
  );
}
