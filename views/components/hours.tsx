import { t } from "../../src/i18n";
import { DAY_KEYS, type WeeklyHours } from "../../src/services/access-hours";

type DayKey = keyof WeeklyHours;

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

/** The start of the names the routes read for each day: `ouvert_1`, `de_1`, `a_1` (or with a hyphen). */
export const HOURS_NAMES = { open: "ouvert", from: "de", to: "a" } as const;

export interface DayHoursValue {
  open: boolean;
  from: string;
  to: string;
}

/**
 * A weekly timetable in a form (the pupils' access hours, the messaging hours): a row a day, whose name describes
 * its three controls — open that day, from, to. `control` gives each control the id and name its route reads;
 * `openValue` is what a ticked day sends. A bad day's row stands out and its times are aria-invalid.
 */
export function WeekHoursFields(props: {
  value: (day: DayKey) => DayHoursValue;
  control: (day: DayKey, part: "open" | "from" | "to") => { id: string; name: string };
  openValue: string;
  badDays?: readonly string[] | undefined;
}) {
  return (
    <>
      {DAY_KEYS.map((d) => {
        const v = props.value(d);
        const bad = props.badDays?.includes(d);
        const dayId = `day-${d}`;
        const [open, from, to] = (["open", "from", "to"] as const).map((part) => props.control(d, part)) as [
          { id: string; name: string },
          { id: string; name: string },
          { id: string; name: string },
        ];
        const time = (c: { id: string; name: string }, value: string) => (
          <input
            type="time"
            id={c.id}
            name={c.name}
            value={value}
            aria-describedby={dayId}
            aria-invalid={bad ? "true" : undefined}
          />
        );
        return (
          <div class={bad ? "hours-row hours-row-error" : "hours-row"}>
            <span class="hours-day" id={dayId}>
              {t(`day.${d}`)}
            </span>
            <span class="field-check">
              <input
                type="checkbox"
                id={open.id}
                name={open.name}
                value={props.openValue}
                checked={v.open}
                aria-describedby={dayId}
              />
              <label for={open.id}>{t("hours.open")}</label>
            </span>
            <label for={from.id}>{t("hours.from")}</label>
            {time(from, v.from)}
            <label for={to.id}>{t("hours.to")}</label>
            {time(to, v.to)}
          </div>
        );
      })}
    </>
  );
}
