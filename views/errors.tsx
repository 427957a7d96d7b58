import { t } from "../src/i18n";
import type { Chrome } from "./chrome";
import { Layout } from "./layout";

export type ErrorStatus = 400 | 403 | 404 | 413 | 500;

export function ErrorPage(props: { chrome: Chrome; status: ErrorStatus; reference?: string; message?: string }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t(`error.${props.status}.title`)}</h1>
      <p class="lead">{props.message ?? t(`error.${props.status}.message`)}</p>
      {props.reference ? <p class="hint">{t("error.reference", { id: props.reference })}</p> : null}
      <p>
        <a class="button" href="/">
          {t("common.back_home")}
        </a>
      </p>
    </Layout>
  );
}
