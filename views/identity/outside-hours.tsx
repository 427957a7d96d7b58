import { t } from "../../src/i18n";
import type { WeeklyHours } from "../../src/services/access-hours";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { HoursList } from "../components/hours";

/** 51A: a friendly page for a pupil outside access hours. */
export function OutsideHoursPage(props: { chrome: Chrome; hours: WeeklyHours }) {
  return (
    <Layout chrome={props.chrome}>
      <div class="resting">
        <svg class="moon" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
          <path d="M40 6a26 26 0 1 0 18 40A22 22 0 0 1 40 6z" />
        </svg>
        <h1>{t("hours.title")}</h1>
        <p class="lead">{t("hours.message")}</p>
      </div>
      <h2>{t("hours.schedule")}</h2>
      <HoursList hours={props.hours} />
    </Layout>
  );
}
