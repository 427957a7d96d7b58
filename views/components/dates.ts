// Dates and times as French pages show them ("24/11/2026 10:00"), in the schools' zone. One formatter per zone:
// a mailbox page formats hundreds of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateTime(date: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone });
    formatters.set(timeZone, f);
  }
  return f.format(date);
}

const dayFormatter = new Intl.DateTimeFormat("fr-FR", {
  weekday: "long",
  day: "numeric",
  month: "long",
  timeZone: "UTC",
});

/** "2026-12-08" → "mardi 8 décembre" (a calendar day, no zone involved). */
export function longDay(isoDate: string): string {
  return dayFormatter.format(new Date(`${isoDate}T12:00:00Z`));
}
