// The homework log (cahier de textes, 56C): /cahier, a class's week, the teacher's form, ticks, the printable week.
// Parsing and rendering only: src/services/classroom/homework.ts decides, src/policy/classroom.ts says who may.
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldsOf, readForm, safeReturnPath } from "../../src/http/forms";
import {
  classWeek,
  homeworkClasses,
  homeworkRemover,
  homeworkTicker,
  homeworkWriter,
} from "../../src/services/classroom/homework";
import { classStatistics } from "../../src/services/classroom/class-statistics";
import { ClassStatisticsPage } from "../../views/classroom/class-statistics";
import { HomeworkClassesPage, HomeworkPrintPage, HomeworkWeekPage } from "../../views/classroom/homework";
import { homeworkPreview, viewAsOf } from "../../src/services/classroom/view-as";
import { askedDay, bounded, Checkbox, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const homeworkRoutes = signedInRoutes("/cahier");

const NOTICES: Record<string, MessageKey> = { ajoute: "homework.added", retire: "homework.removed" };

/** The teacher's form, its texts bounded above the service's limits (the service names the field that is too long). */
const EntryForm = v.object({
  jour: bounded(20),
  matiere: bounded(1000),
  fait_en_classe: bounded(20_000),
  a_faire: bounded(20_000),
  pour_le: bounded(20),
  liens: bounded(5000),
});

homeworkRoutes.get("/cahier", async (c) => {
  const classes = await homeworkClasses(c.var.deps, c.var.principal);
  if (classes.length === 1) return c.redirect(`/cahier/${classes[0]!.id}`, 303);
  return renderPage(
    c,
    <HomeworkClassesPage chrome={chromeFor(c, t("homework.title"), "homework.help")} classes={classes} />,
  );
});

homeworkRoutes.get("/cahier/:classId", async (c) => {
  const voir = c.req.query("voir");
  const weekOf = askedDay(c.req.query("semaine"));
  if (weekOf === false) return renderError(c, 400, "day");
  if (voir !== undefined) {
    // 58D: the class's teacher (or the director) sees the week as a pupil or a parent does, read-only.
    const as = viewAsOf(voir);
    const week = as && (await homeworkPreview(c.var.deps, c.var.principal, c.req.param("classId"), weekOf, as));
    if (!week) return renderError(c, 404);
    return renderPage(
      c,
      <HomeworkWeekPage
        chrome={chromeFor(c, t("homework.week_title", { name: week.klass.name }), "homework.help")}
        week={week}
      />,
    );
  }
  const week = await classWeek(c.var.deps, c.var.principal, c.req.param("classId"), weekOf);
  if (!week) return renderError(c, 404);
  return renderPage(
    c,
    <HomeworkWeekPage
      chrome={chromeFor(c, t("homework.week_title", { name: week.klass.name }), "homework.help")}
      week={week}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
  );
});

/** 622E: the class's figures for its teacher (and the director). */
homeworkRoutes.get("/cahier/:classId/statistiques", async (c) => {
  const stats = await classStatistics(c.var.deps, c.var.principal, c.req.param("classId"));
  if (!stats) return renderError(c, 404);
  return renderPage(
    c,
    <ClassStatisticsPage
      chrome={chromeFor(c, t("stats.title", { name: stats.klass.name }), "homework.help")}
      stats={stats}
    />,
  );
});

homeworkRoutes.get("/cahier/:classId/imprimer", async (c) => {
  const weekOf = askedDay(c.req.query("semaine"));
  if (weekOf === false) return renderError(c, 400, "day");
  const week = await classWeek(c.var.deps, c.var.principal, c.req.param("classId"), weekOf);
  if (!week) return renderError(c, 404);
  return renderPage(
    c,
    <HomeworkPrintPage
      chrome={chromeFor(c, t("homework.week_title", { name: week.klass.name }), "homework.help")}
      week={week}
    />,
  );
});

homeworkRoutes.post("/cahier/:classId", async (c) => {
  const p = c.var.principal;
  const classId = c.req.param("classId");
  const form = await readForm(c);
  const f = readWith(EntryForm, fieldsOf(form, EntryForm));
  const draft = {
    day: f.jour,
    subject: f.matiere,
    doneInClass: f.fait_en_classe,
    toDo: f.a_faire,
    dueDate: f.pour_le,
    links: f.liens,
  };
  const result = await homeworkWriter(c.var.deps, p, classId, draft);
  if (result.ok) return c.redirect(`/cahier/${classId}?semaine=${draft.day}&fait=ajoute`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  const week = await classWeek(c.var.deps, p, classId, field(form, "semaine") || null);
  if (!week) return renderError(c, 404);
  return renderPage(
    c,
    <HomeworkWeekPage
      chrome={chromeFor(c, t("homework.week_title", { name: week.klass.name }), "homework.help")}
      week={week}
      draft={draft}
      errors={result.issues}
    />,
    422,
  );
});

homeworkRoutes.post("/cahier/entrees/:id/fait", async (c) => {
  const form = await readForm(c);
  const done = v.parse(Checkbox, field(form, "fait"));
  const classId = await homeworkTicker(c.var.deps, c.var.principal, c.req.param("id"), field(form, "eleve"), done);
  if (!classId) return renderError(c, 404);
  // The evening page ticks through here and wants its page back; any other page gets the class's week.
  const back = field(form, "retour");
  return c.redirect(
    back ? safeReturnPath(back, `/cahier/${classId}`) : `/cahier/${classId}?semaine=${c.req.query("semaine") ?? ""}`,
    303,
  );
});

homeworkRoutes.post("/cahier/entrees/:id/supprimer", async (c) => {
  const classId = await homeworkRemover(c.var.deps, c.var.principal, c.req.param("id"));
  return classId ? c.redirect(`/cahier/${classId}?fait=retire`, 303) : renderError(c, 404);
});
