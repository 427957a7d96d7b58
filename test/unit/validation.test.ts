// 21 F7: one strict parser for the days and times forms and query strings send — a well-formed string that names no
// real day or time is refused, as is a year Postgres or the zone arithmetic cannot hold.
import { describe, expect, it } from "vitest";
import { askedDay, isDay, isLocalDateTime, isTime } from "../../src/validation";

describe("days and times", () => {
  it("a day exists in the calendar, in the years a school writes", () => {
    for (const day of ["2026-12-14", "2028-02-29", "1900-01-01", "2999-12-31", "2026-01-31"])
      expect(isDay(day), day).toBe(true);
    for (const day of [
      "2026-13-45",
      "0000-00-00",
      "0000-01-01",
      "0001-01-01",
      "9999-12-31",
      "2026-02-30",
      "2027-02-29",
      "2026-04-31",
      "2026-00-10",
      "2026-12-00",
      "1899-12-31",
      "3000-01-01",
      "2026-1-5",
      "2026-12-14T00:00",
      " 2026-12-14",
      "",
      null,
      20261214,
    ])
      expect(isDay(day), String(day)).toBe(false);
  });

  it("a time of day is 00:00 to 23:59; a local date-time is a real day and a real time", () => {
    for (const time of ["00:00", "08:30", "23:59"]) expect(isTime(time), time).toBe(true);
    for (const time of ["24:00", "24:61", "12:60", "99:99", "-1:00", "8:30", "08:30:00", ""])
      expect(isTime(time), time).toBe(false);
    expect(isLocalDateTime("2026-12-20T18:00")).toBe(true);
    for (const when of ["2026-13-45T10:00", "2026-02-30T10:00", "0000-01-01T10:00", "2026-12-20T24:61", "2026-12-20"])
      expect(isLocalDateTime(when), when).toBe(false);
  });

  it("a day asked in a query string: none, a real one, or refused", () => {
    expect(askedDay(undefined)).toBe(null);
    expect(askedDay("")).toBe(null);
    expect(askedDay("2026-12-14")).toBe("2026-12-14");
    expect(askedDay("2026-02-30")).toBe(false);
  });
});
