// Attendance (54O): /appel (the roll, the school's day, the monthly register) and /absences (parents). Parsing and
// rendering only: src/services/classroom/attendance.ts decides, src/policy/classroom.ts says who may.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldsOf, readForm, type FormFields } from "../../src/http/forms";
import {
  absenceAnnouncer,
  HALVES,
  monthlyRegister,
  parentAbsences,
  rollIndex,
  rollSheet,
  rollTaker,
  schoolDay,
  type RollInput,
} from "../../src/services/classroom/attendance";
import { tableToOds } from "../../src/formats/ods";
import { tableToCsv } from "../../src/formats/cells";
import { ParentAbsencesPage, RollClassesPage, RollPage, SchoolDayPage } from "../../views/classroom/attendance";
import { askedDay, bounded, choice, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const attendanceRoutes = signedInRoutes("/appel", "/absences");

const NOTICES: Record<string, MessageKey> = { enregistre: "attendance.saved", annonce: "attendance.announce_saved" };

const RollForm = v.object({ jour: bounded(20), demi: bounded(20) });
const Reason = bounded(1000);
const NoticeForm = v.object({ enfant: bounded(100), du: bounded(20), au: bounded(20), motif: bounded(1000) });

/** The asked half-day: one of the two, or null (the service then takes the current one). */
const halfOf = (c: Context<SignedInEnv>) => {
  const asked = c.req.query("demi");
  return asked ? choice(HALVES, asked, "matin") : null;
};

attendanceRoutes.get("/appel", async (c) => {
  const { classes, schoolDay } = await rollIndex(c.var.deps, c.var.principal);
  if (classes.length === 1 && !schoolDay) return c.redirect(`/appel/${classes[0]!.id}`, 303);
  return renderPage(
    c,
    <RollClassesPage
      chrome={chromeFor(c, t("attendance.title"), "attendance.help")}
      classes={classes}
      director={schoolDay}
    />,
  );
});

attendanceRoutes.get("/appel/ecole", async (c) => {
  const day = askedDay(c.req.query("jour"));
  if (day === false) return renderError(c, 400, "day");
  const sheet = await schoolDay(c.var.deps, c.var.principal, day);
  if (!sheet) return renderError(c, 403);
  return renderPage(
    c,
    <SchoolDayPage chrome={chromeFor(c, t("attendance.school_day"), "attendance.help")} sheet={sheet} />,
  );
});

attendanceRoutes.get("/appel/:classId/registre.csv", async (c) => {
  const month = c.req.query("mois") ?? "";
  const lines = await monthlyRegister(c.var.deps, c.var.principal, c.req.param("classId"), month);
  if (lines === null) return renderError(c, 404);
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="registre-${month}.csv"`);
  return c.body(tableToCsv(lines));
});

attendanceRoutes.get("/appel/:classId/registre.ods", async (c) => {
  const month = c.req.query("mois") ?? "";
  const lines = await monthlyRegister(c.var.deps, c.var.principal, c.req.param("classId"), month);
  if (lines === null) return renderError(c, 404);
  c.header("Content-Type", "application/vnd.oasis.opendocument.spreadsheet");
  c.header("Content-Disposition", `attachment; filename="registre-${month}.ods"`);
  return c.body(tableToOds(`Registre ${month}`, lines) as unknown as ArrayBuffer);
});

attendanceRoutes.get("/appel/:classId", async (c) => {
  const day = askedDay(c.req.query("jour"));
  if (day === false) return renderError(c, 400, "day");
  const sheet = await rollSheet(c.var.deps, c.var.principal, c.req.param("classId"), day, halfOf(c));
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

/** The roll's form: the day and half-day, and per pupil a status (`statut:<id>`) and a reason (`motif:<id>`). */
function rollInputOf(form: FormFields): RollInput {
  const f = readWith(RollForm, fieldsOf(form, RollForm));
  const marks: RollInput["marks"] = {};
  for (const [key, value] of Object.entries(form)) {
    if (!key.startsWith("statut:") || typeof value !== "string") continue;
    const pupilId = key.slice(7);
    marks[pupilId] = { status: value, reason: v.parse(Reason, field(form, `motif:${pupilId}`)) };
  }
  return { day: f.jour, half: f.demi, marks };
}

attendanceRoutes.post("/appel/:classId", async (c) => {
  const p = c.var.principal;
  const classId = c.req.param("classId");
  const input = rollInputOf(await readForm(c));
  const result = await rollTaker(c.var.deps, p, classId, input);
  if (result.ok) return c.redirect(`/appel/${classId}?jour=${input.day}&demi=${input.half}&fait=enregistre`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  const sheet = await rollSheet(c.var.deps, p, classId, null, null);
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

async function showAbsences(c: Context<SignedInEnv>, failed?: { issues: string[]; draft: ParentDraft }) {
  const view = await parentAbsences(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <ParentAbsencesPage
      chrome={chromeFor(c, t("attendance.parent_title"), "attendance.help")}
      view={view}
      notice={failed ? undefined : NOTICES[c.req.query("fait") ?? ""]}
      errors={failed?.issues}
      draft={failed?.draft}
    />,
    failed ? 422 : 200,
  );
}

type ParentDraft = { child: string; from: string; to: string; reason: string };

attendanceRoutes.get("/absences", (c) => showAbsences(c));

attendanceRoutes.post("/absences", async (c) => {
  const f = readWith(NoticeForm, fieldsOf(await readForm(c), NoticeForm));
  const draft: ParentDraft = { child: f.enfant, from: f.du, to: f.au, reason: f.motif };
  const result = await absenceAnnouncer(c.var.deps, c.var.principal, {
    childId: draft.child,
    from: draft.from,
    to: draft.to,
    reason: draft.reason,
  });
  if (result.ok) return c.redirect("/absences?fait=annonce", 303);
  return showAbsences(c, { issues: result.issues, draft });
});
