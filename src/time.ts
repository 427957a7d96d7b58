// Local time of a zone (the schools' Europe/Paris by default), for hours, schedules and forms. An Intl formatter
// costs far more to build than to use, and some of these run on every pupil request: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const ISO_DAYS: Record<string, string> = { Mon: "1", Tue: "2", Wed: "3", Thu: "4", Fri: "5", Sat: "6", Sun: "7" };

export interface LocalTime {
  /** "YYYY-MM-DD" */
  date: string;
  dayOfMonth: number;
  /** ISO weekday, "1" (Monday) to "7" (Sunday). */
  weekday: string;
  /** "HH:MM" */
  time: string;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    dayOfMonth: Number(get("day")),
    weekday: ISO_DAYS[get("weekday")] ?? "1",
    time: `${get("hour")}:${get("minute")}`,
  };
}

/** "2026-12-01T08:00" read in the zone → the instant. */
export function zonedToUtc(local: string, timeZone: string): Date {
  const guess = new Date(`${local}:00Z`);
  const shown = localTime(guess, timeZone);
  const offset = new Date(`${shown.date}T${shown.time}:00Z`).getTime() - guess.getTime();
  return new Date(guess.getTime() - offset);
}

/** "YYYY-MM-DD" plus `days` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** When a daily local window ["HH:MM", "HH:MM") holds `instant` — it may cross midnight (21:00–07:00) — the instant it
 *  ends; otherwise null. */
export function endOfDailyWindow(instant: Date, from: string, to: string, timeZone: string): Date | null {
  const { date, time } = localTime(instant, timeZone);
  const inside = from < to ? time >= from && time < to : time >= from || time < to;
  if (!inside) return null;
  return zonedToUtc(`${time < to ? date : addDays(date, 1)}T${to}`, timeZone);
}
