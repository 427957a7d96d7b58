// Classes, people and schools, as each profile may see them. No SQL and no decision here: services answer.
import { Hono, type Context } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldList, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { can } from "../../src/policy";
import {
  classPage,
  perimeterSchools,
  personCard,
  schoolPage,
  visibleClasses,
  type Found,
} from "../../src/services/directory/directory";
import { classAppSettings, saveClassAppSettings } from "../../src/services/admin/school-settings";
import { HIDEABLE_APPS } from "../../src/services/portal/apps";
import { ClassesPage, ClassPageView, PersonPage } from "../../views/directory/classes";
import { SchoolPageView, SchoolsPage } from "../../views/directory/schools";
import { requireUser } from "../guards";

export const directoryRoutes = new Hono<AppEnv>();
for (const path of ["/classes", "/classes/*", "/personnes/*", "/ecole", "/ecoles", "/ecoles/*"])
  directoryRoutes.use(path, requireUser);

function notFoundOrForbidden<T>(c: Context<AppEnv>, found: Found<T>) {
  return renderError(c, found.kind === "forbidden" ? 403 : 404);
}

directoryRoutes.get("/classes", async (c) => {
  const p = c.var.principal!;
  const classes = await withTenant(c.var.platform.db, scopeOf(p), (tx) => visibleClasses(tx, p));
  return renderPage(
    c,
    <ClassesPage chrome={chromeFor(c, t("classes.title"), "help.topic.classes")} classes={classes} />,
  );
});

directoryRoutes.get("/classes/:id", async (c) => {
  const p = c.var.principal!;
  const result = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    const found = await classPage(tx, p, c.req.param("id"));
    if (found.kind !== "ok" || !found.value.canConfigureApps) return { found, settings: null };
    return { found, settings: await classAppSettings(tx, found.value.id) };
  });
  if (result.found.kind !== "ok") return notFoundOrForbidden(c, result.found);
  const view = result.found.value;
  const apps = result.settings
    ? { hideable: HIDEABLE_APPS, settings: result.settings, saved: c.req.query("enregistre") === "1" }
    : undefined;
  return renderPage(
    c,
    <ClassPageView
      chrome={chromeFor(c, t("class.title", { name: view.name }), "help.topic.class")}
      view={view}
      apps={apps}
    />,
  );
});

/** 57D: the class's teachers choose which apps the class's pupils and parents see by default. */
directoryRoutes.post("/classes/:id/applis", async (c) => {
  const { platform } = c.var;
  const form = await readForm(c);
  const id = c.req.param("id");
  const outcome = await saveClassAppSettings(
    { db: platform.db, now: platform.clock.now(), ip: c.var.ip },
    c.var.principal!,
    id,
    { hiddenForPupils: fieldList(form, "eleves"), hiddenForParents: fieldList(form, "parents") },
  );
  if (outcome !== "ok") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return c.redirect(`/classes/${id}?enregistre=1`, 303);
});

directoryRoutes.get("/personnes/:id", async (c) => {
  const p = c.var.principal!;
  const found = await withTenant(c.var.platform.db, scopeOf(p), (tx) => personCard(tx, p, c.req.param("id")));
  if (found.kind !== "ok") return notFoundOrForbidden(c, found);
  const name = `${found.value.firstName} ${found.value.lastName}`;
  return renderPage(
    c,
    <PersonPage chrome={chromeFor(c, t("person.title", { name }), "help.topic.person")} view={found.value} />,
  );
});

directoryRoutes.get("/ecole", async (c) => {
  const p = c.var.principal!;
  if (!p.activeUai) return renderError(c, 404);
  return c.redirect(`/ecoles/${p.activeUai}`, 303);
});

directoryRoutes.get("/ecoles", async (c) => {
  const p = c.var.principal!;
  if (!can(p, "school.viewStructureStats", { kind: "platform" })) return renderError(c, 403);
  const schools = await withTenant(c.var.platform.db, scopeOf(p), (tx) => perimeterSchools(tx));
  return renderPage(
    c,
    <SchoolsPage chrome={chromeFor(c, t("schools.title"), "help.topic.schools")} schools={schools} />,
  );
});

directoryRoutes.get("/ecoles/:uai", async (c) => {
  const p = c.var.principal!;
  const found = await withTenant(c.var.platform.db, scopeOf(p), (tx) => schoolPage(tx, p, c.req.param("uai")));
  if (found.kind !== "ok") return notFoundOrForbidden(c, found);
  return renderPage(
    c,
    <SchoolPageView
      chrome={chromeFor(c, t("school.title", { name: found.value.name }), "help.topic.school")}
      view={found.value}
    />,
  );
});
