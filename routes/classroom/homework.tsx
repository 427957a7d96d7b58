// The homework log (cahier de textes, 56C): /cahier, a class's week, the teacher's form, ticks, the printable week.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm, safeReturnPath } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  classWeek,
  homeworkClasses,
  homeworkRemover,
  homeworkTicker,
  homeworkWriter,
  type HomeworkDeps,
} from "../../src/services/classroom/homework";
import { classStatistics } from "../../src/services/classroom/class-statistics";
import { ClassStatisticsPage } from "../../views/classroom/class-statistics";
import { HomeworkClassesPage, HomeworkPrintPage, HomeworkWeekPage } from "../../views/classroom/homework";
import { homeworkPreview, viewAsOf } from "../../src/services/classroom/view-as";
import { requireUser } from "../guards";

export const homeworkRoutes = new Hono<AppEnv>();
homeworkRoutes.use("/cahier", requireUser);
homeworkRoutes.use("/cahier/*", requireUser);

const depsOf = (c: Context<AppEnv>): HomeworkDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
const NOTICES: Record<string, MessageKey> = { ajoute: "homework.added", retire: "homework.removed" };

homeworkRoutes.get("/cahier", async (c) => {
  const p = c.var.principal!;
  const classes = await withTenant(c.var.platform.db, scopeOf(p), (tx) => homeworkClasses(tx, p));
  if (classes.length === 1) return c.redirect(`/cahier/${classes[0]!.id}`, 303);
  return renderPage(
    c,
    <HomeworkClassesPage chrome={chromeFor(c, t("homework.title"), "homework.help")} classes={classes} />,
  );
});

homeworkRoutes.get("/cahier/:classId", async (c) => {
  const voir = c.req.query("voir");
  if (voir !== undefined) {
    // 58D: the class's teacher (or the director) sees the week as a pupil or a parent does, read-only.
    const as = viewAsOf(voir);
    const week =
      as &&
      (await homeworkPreview(depsOf(c), c.var.principal!, c.req.param("classId"), c.req.query("semaine") ?? null, as));
    if (!week) return renderError(c, 404);
    return renderPage(
      c,
      <HomeworkWeekPage
        chrome={chromeFor(c, t("homework.week_title", { name: week.klass.name }), "homework.help")}
        week={week}
      />,
    );
  }
  const week = await classWeek(depsOf(c), c.var.principal!, c.req.param("classId"), c.req.query("semaine") ?? null);
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
  const stats = await classStatistics(
    { db: c.var.platform.db, now: c.var.platform.clock.now(), timeZone: c.var.platform.config.timeZone },
    c.var.principal!,
    c.req.param("classId"),
  );
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
  const week = await classWeek(depsOf(c), c.var.principal!, c.req.param("classId"), c.req.query("semaine") ?? null);
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
  const p = c.var.principal!;
  const classId = c.req.param("classId");
  const form = await readForm(c);
  const draft = {
    day: field(form, "jour").slice(0, 20),
    subject: field(form, "matiere").slice(0, 1000),
    doneInClass: field(form, "fait_en_classe").slice(0, 20_000),
    toDo: field(form, "a_faire").slice(0, 20_000),
    dueDate: field(form, "pour_le").slice(0, 20),
    links: field(form, "liens").slice(0, 5000),
  };
  const result = await homeworkWriter(depsOf(c), p, classId, draft);
  if (result.ok) return c.redirect(`/cahier/${classId}?semaine=${draft.day}&fait=ajoute`, 303);
  if ("forbidden" in result) return renderError(c, 404);
  const week = await classWeek(depsOf(c), p, classId, field(form, "semaine") || null);
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
  const classId = await homeworkTicker(
    depsOf(c),
    c.var.principal!,
    c.req.param("id"),
    field(form, "eleve"),
    field(form, "fait") === "1",
  );
  if (!classId) return renderError(c, 404);
  // The evening page ticks through here and wants its page back; any other page gets the class's week.
  const back = field(form, "retour");
  return c.redirect(
    back ? safeReturnPath(back, `/cahier/${classId}`) : `/cahier/${classId}?semaine=${c.req.query("semaine") ?? ""}`,
    303,
  );
});

homeworkRoutes.post("/cahier/entrees/:id/supprimer", async (c) => {
  const classId = await homeworkRemover(depsOf(c), c.var.principal!, c.req.param("id"));
  return classId ? c.redirect(`/cahier/${classId}?fait=retire`, 303) : renderError(c, 404);
});
