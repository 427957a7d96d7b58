import { describe, expect, it } from "vitest";
import { localDayAndTime, parseWeeklyHours, withinHours } from "../../src/services/access-hours";
import { defaultPupilHours } from "../../src/config";

describe("51A pupils' access hours", () => {
  it("51A default: open on a weekday before 20:30 in Paris, closed after", () => {
    expect(withinHours(defaultPupilHours, new Date("2026-11-24T20:29:00+01:00"), "Europe/Paris")).toBe(true);
    expect(withinHours(defaultPupilHours, new Date("2026-11-24T20:30:00+01:00"), "Europe/Paris")).toBe(false);
    expect(withinHours(defaultPupilHours, new Date("2026-11-24T06:59:00+01:00"), "Europe/Paris")).toBe(false);
  });

  it("51A uses the school's local time across daylight saving time", () => {
    // 18:45 UTC is 20:45 in Paris in summer (closed) but 19:45 in winter (open).
    expect(withinHours(defaultPupilHours, new Date("2026-06-16T18:45:00Z"), "Europe/Paris")).toBe(false);
    expect(withinHours(defaultPupilHours, new Date("2026-12-15T18:45:00Z"), "Europe/Paris")).toBe(true);
  });

  it("reads the local weekday, Monday = 1 … Sunday = 7", () => {
    expect(localDayAndTime(new Date("2026-11-29T23:30:00Z"), "Europe/Paris")).toEqual({ day: "1", time: "00:30" });
    expect(localDayAndTime(new Date("2026-11-29T12:00:00Z"), "Europe/Paris").day).toBe("7");
  });

  it("51A bis a closed day refuses all day", () => {
    const hours = { ...defaultPupilHours, "3": null };
    expect(withinHours(hours, new Date("2026-11-25T10:00:00+01:00"), "Europe/Paris")).toBe(false);
  });

  it("51A bis checks hours typed by a director", () => {
    const closed = { open: false, from: "", to: "" };
    const ok = parseWeeklyHours({
      "1": { open: true, from: "08:00", to: "18:00" },
      "2": closed,
      "3": closed,
      "4": closed,
      "5": closed,
      "6": closed,
      "7": closed,
    });
    expect(ok).toEqual({
      ok: true,
      hours: { "1": { from: "08:00", to: "18:00" }, "2": null, "3": null, "4": null, "5": null, "6": null, "7": null },
    });
    const bad = parseWeeklyHours({
      "1": { open: true, from: "18:00", to: "08:00" },
      "2": { open: true, from: "25:00", to: "26:00" },
      "3": { open: true, from: "<b>", to: "x" },
      "4": closed,
      "5": closed,
      "6": closed,
      "7": closed,
    });
    expect(bad).toEqual({ ok: false, badDays: ["1", "2", "3"] });
  });
});
