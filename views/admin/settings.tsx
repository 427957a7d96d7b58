import { t } from "../../src/i18n";
import { DAY_KEYS, type WeeklyHours } from "../../src/services/access-hours";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { HOURS_NAMES, WeekHoursFields, type DayHoursValue } from "../components/hours";

export type HoursFormValue = DayHoursValue;

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
          <WeekHoursFields
            value={(d) => props.hours[d] ?? { open: false, from: "", to: "" }}
            control={(d, part) => ({ id: `${part}-${d}`, name: `${HOURS_NAMES[part]}_${d}` })}
            openValue="oui"
            badDays={props.badDays}
          />
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
