import { t } from "../../src/i18n";
import { DAY_KEYS, type WeeklyHours } from "../../src/services/access-hours";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

export interface HoursFormValue {
  open: boolean;
  from: string;
  to: string;
}

export function SettingsPage(props: {
  chrome: Chrome;
  schoolName: string;
  hours: Record<string, HoursFormValue>;
  saved?: boolean;
  badDays?: string[];
}) {
  const { chrome } = props;
  return (
    <Layout chrome={chrome}>
      <h1>{t("settings.title")}</h1>
      <p class="profile-line">{props.schoolName}</p>
      {props.saved ? <Flash kind="info" text={t("common.saved")} /> : null}
      {props.badDays?.length ? (
        <Flash
          kind="error"
          text={t("settings.hours.error", {
            days: props.badDays.map((d) => t(`day.${d as "1"}`)).join(", "),
          })}
        />
      ) : null}
      <form method="post" action="/ecole/reglages" class="card">
        <CsrfField token={chrome.csrfToken} />
        <fieldset>
          <legend>{t("settings.hours")}</legend>
          <p class="hint">{t("settings.hours.intro")}</p>
          {DAY_KEYS.map((d) => {
            const v = props.hours[d] ?? { open: false, from: "", to: "" };
            const bad = props.badDays?.includes(d);
            return (
              <div class={bad ? "hours-row hours-row-error" : "hours-row"}>
                <span class="hours-day" id={`day-${d}`}>
                  {t(`day.${d}`)}
                </span>
                <span class="field-check">
                  <input
                    type="checkbox"
                    id={`open-${d}`}
                    name={`ouvert_${d}`}
                    value="oui"
                    checked={v.open}
                    aria-describedby={`day-${d}`}
                  />
                  <label for={`open-${d}`}>{t("settings.hours.open")}</label>
                </span>
                <label for={`from-${d}`}>{t("settings.hours.from")}</label>
                <input
                  type="time"
                  id={`from-${d}`}
                  name={`de_${d}`}
                  value={v.from}
                  aria-describedby={`day-${d}`}
                  aria-invalid={bad ? "true" : undefined}
                />
                <label for={`to-${d}`}>{t("settings.hours.to")}</label>
                <input
                  type="time"
                  id={`to-${d}`}
                  name={`a_${d}`}
                  value={v.to}
                  aria-describedby={`day-${d}`}
                  aria-invalid={bad ? "true" : undefined}
                />
              </div>
            );
          })}
        </fieldset>
        <button type="submit" class="button-primary">
          {t("common.save")}
        </button>
      </form>
    </Layout>
  );
}

export function hoursToForm(hours: WeeklyHours): Record<string, HoursFormValue> {
  const out: Record<string, HoursFormValue> = {};
  for (const d of DAY_KEYS) {
    const slot = hours[d];
    out[d] = slot ? { open: true, from: slot.from, to: slot.to } : { open: false, from: "", to: "" };
  }
  return out;
}
