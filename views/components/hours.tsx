import { t } from "../../src/i18n";
import { DAY_KEYS, type WeeklyHours } from "../../src/services/access-hours";

export function HoursList(props: { hours: WeeklyHours }) {
  return (
    <ul class="hours">
      {DAY_KEYS.map((d) => {
        const slot = props.hours[d];
        return (
          <li>
            <strong>{t(`day.${d}`)}</strong> :{" "}
            {slot ? t("hours.range", { from: slot.from, to: slot.to }) : t("hours.closed")}
          </li>
        );
      })}
    </ul>
  );
}
