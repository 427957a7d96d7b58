// Attendance (54O): /appel (the roll, the school's day, the monthly register) and /absences (parents).
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  absenceAnnouncer,
  monthlyRegister,
  registerCsv,
  parentAbsences,
  rollClasses,
  rollSheet,
  rollTaker,
  schoolDay,
  type AttendanceDeps,
} from "../../src/services/classroom/attendance";
import { tableToOds } from "../../src/formats/ods";
import { ParentAbsencesPage, RollClassesPage, RollPage, SchoolDayPage } from "../../views/classroom/attendance";
import { requireUser } from "../guards";

export const attendanceRoutes = new Hono<AppEnv>();
for (const path of ["/appel", "/appel/*", "/absences"]) attendanceRoutes.use(path, requireUser);

const depsOf = (c: Context<AppEnv>): AttendanceDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
const NOTICES: Record<string, MessageKey> = { enregistre: "attendance.saved", annonce: "attendance.announce_saved" };

attendanceRoutes.get("/appel", async (c) => {
  const p = c.var.principal!;
  const classes = await withTenant(c.var.platform.db, scopeOf(p), (tx) => rollClasses(tx, p));
  const director = p.profiles.some((sp) => sp.uai === p.activeUai && sp.profile === "director");
  if (classes.length === 1 && !director) return c.redirect(`/appel/${classes[0]!.id}`, 303);
  return renderPage(
    c,
    <RollClassesPage
      chrome={chromeFor(c, t("attendance.title"), "attendance.help")}
      classes={classes}
      director={director}
    />,
  );
});

attendanceRoutes.get("/appel/ecole", async (c) => {
  const sheet = await schoolDay(depsOf(c), c.var.principal!, c.req.query("jour") ?? null);
  if (!sheet) return renderError(c, 403);
  return renderPage(
    c,
    <SchoolDayPage chrome={chromeFor(c, t("attendance.school_day"), "attendance.help")} sheet={sheet} />,
  );
});

attendanceRoutes.get("/appel/:classId/registre.csv", async (c) => {
  const lines = await monthlyRegister(depsOf(c), c.var.principal!, c.req.param("classId"), c.req.query("mois") ?? "");
  if (lines === null) return renderError(c, 404);
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="registre-${c.req.query("mois")}.csv"`);
  return c.body(registerCsv(lines));
});

attendanceRoutes.get("/appel/:classId/registre.ods", async (c) => {
  const lines = await monthlyRegister(depsOf(c), c.var.principal!, c.req.param("classId"), c.req.query("mois") ?? "");
  if (lines === null) return renderError(c, 404);
  c.header("Content-Type", "application/vnd.oasis.opendocument.spreadsheet");
  c.header("Content-Disposition", `attachment; filename="registre-${c.req.query("mois")}.ods"`);
  return c.body(tableToOds(`Registre ${c.req.query("mois")}`, lines) as unknown as ArrayBuffer);
});

attendanceRoutes.get("/appel/:classId", async (c) => {
  const sheet = await rollSheet(
    depsOf(c),
    c.var.principal!,
    c.req.param("classId"),
    c.req.query("jour") ?? null,
    c.req.query("demi") ?? null,
  );
  if (!sheet) return renderError(c, 404);
  return renderPage(
    c,
    <RollPage
      chrome={chromeFor(c, t("attendance.roll_title", { name: sheet.klass.name }), "attendance.help")}
      sheet={sheet}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
  );
});

attendanceRoutes.post("/appel/:classId", async (c) => {
  const p = c.var.principal!;
  const classId = c.req.param("classId");
  const form = await readForm(c);
  const marks: Record<string, { status: string; reason: string }> = {};
  for (const [key, value] of Object.entries(form)) {
    if (!key.startsWith("statut:") || typeof value !== "string") continue;
    const pupilId = key.slice(7);
    marks[pupilId] = { status: value, reason: field(form, `motif:${pupilId}`).slice(0, 1000) };
  }
  const input = { day: field(form, "jour"), half: field(form, "demi"), marks };
  const result = await rollTaker(depsOf(c), p, classId, input);
  if (result.ok) return c.redirect(`/appel/${classId}?jour=${input.day}&demi=${input.half}&fait=enregistre`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  const sheet = await rollSheet(depsOf(c), p, classId, null, null);
  if (!sheet) return renderError(c, 404);
  return renderPage(
    c,
    <RollPage
      chrome={chromeFor(c, t("attendance.roll_title", { name: sheet.klass.name }), "attendance.help")}
      sheet={sheet}
      errors={result.issues}
    />,
    422,
  );
});

attendanceRoutes.get("/absences", async (c) => {
  const p = c.var.principal!;
  const view = await withTenant(c.var.platform.db, scopeOf(p), (tx) => parentAbsences(tx, p));
  return renderPage(
    c,
    <ParentAbsencesPage
      chrome={chromeFor(c, t("attendance.parent_title"), "attendance.help")}
      view={view}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
  );
});

attendanceRoutes.post("/absences", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const draft = {
    child: field(form, "enfant"),
    from: field(form, "du").slice(0, 20),
    to: field(form, "au").slice(0, 20),
    reason: field(form, "motif").slice(0, 1000),
  };
  const result = await absenceAnnouncer(depsOf(c), p, {
    childId: draft.child,
    from: draft.from,
    to: draft.to,
    reason: draft.reason,
  });
  if (result.ok) return c.redirect("/absences?fait=annonce", 303);
  const view = await withTenant(c.var.platform.db, scopeOf(p), (tx) => parentAbsences(tx, p));
  return renderPage(
    c,
    <ParentAbsencesPage
      chrome={chromeFor(c, t("attendance.parent_title"), "attendance.help")}
      view={view}
      errors={result.issues}
      draft={draft}
    />,
    422,
  );
});
