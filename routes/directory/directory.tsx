// Classes, people and schools, as each profile may see them. No SQL and no decision here: services answer,
// src/policy/directory.ts says who may.
import type { Context } from "hono";
import { t } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldList, readForm } from "../../src/http/forms";
import {
  classPage,
  perimeterSchools,
  personCard,
  schoolPage,
  visibleClasses,
  type Found,
  unlockPersonLogin,
} from "../../src/services/directory/directory";
import { saveClassAppSettings } from "../../src/services/admin/school-settings";
import { HIDEABLE_APPS } from "../../src/services/portal/apps";
import { ClassesPage, ClassPageView, PersonPage } from "../../views/directory/classes";
import { SchoolPageView, SchoolsPage } from "../../views/directory/schools";
import { signedInRoutes } from "../guards";

export const directoryRoutes = signedInRoutes("/classes", "/personnes", "/ecole", "/ecoles");

function notFoundOrForbidden<T>(c: Context<SignedInEnv>, found: Found<T>) {
  return renderError(c, found.kind === "forbidden" ? 403 : 404);
}

directoryRoutes.get("/classes", async (c) => {
  const classes = await visibleClasses(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <ClassesPage chrome={chromeFor(c, t("classes.title"), "help.topic.classes")} classes={classes} />,
  );
});

directoryRoutes.get("/classes/:id", async (c) => {
  const found = await classPage(c.var.deps, c.var.principal, c.req.param("id"));
  if (found.kind !== "ok") return notFoundOrForbidden(c, found);
  const { page, appSettings } = found.value;
  const apps = appSettings
    ? { hideable: HIDEABLE_APPS, settings: appSettings, saved: c.req.query("enregistre") === "1" }
    : undefined;
  return renderPage(
    c,
    <ClassPageView
      chrome={chromeFor(c, t("class.title", { name: page.name }), "help.topic.class")}
      view={page}
      apps={apps}
    />,
  );
});

/** 57D: the class's teachers choose which apps the class's pupils and parents see by default. */
directoryRoutes.post("/classes/:id/applis", async (c) => {
  const form = await readForm(c);
  const id = c.req.param("id");
  const outcome = await saveClassAppSettings(c.var.deps, c.var.principal, id, {
    hiddenForPupils: fieldList(form, "eleves"),
    hiddenForParents: fieldList(form, "parents"),
  });
  if (outcome !== "ok") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return c.redirect(`/classes/${id}?enregistre=1`, 303);
});

directoryRoutes.get("/personnes/:id", async (c) => {
  const found = await personCard(c.var.deps, c.var.principal, c.req.param("id"));
  if (found.kind !== "ok") return notFoundOrForbidden(c, found);
  const name = `${found.value.firstName} ${found.value.lastName}`;
  return renderPage(
    c,
    <PersonPage
      chrome={chromeFor(c, t("person.title", { name }), "help.topic.person")}
      view={found.value}
      unlocked={c.req.query("deverrouille") === "1"}
    />,
  );
});

/** F5: the school's director lifts a login lockout on the person's account. */
directoryRoutes.post("/personnes/:id/deverrouiller", async (c) => {
  const id = c.req.param("id");
  const outcome = await unlockPersonLogin(c.var.deps, c.var.principal, id);
  if (outcome !== "ok") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return c.redirect(`/personnes/${id}?deverrouille=1`, 303);
});

directoryRoutes.get("/ecole", async (c) => {
  const { activeUai } = c.var.principal;
  if (!activeUai) return renderError(c, 404);
  return c.redirect(`/ecoles/${activeUai}`, 303);
});

directoryRoutes.get("/ecoles", async (c) => {
  const schools = await perimeterSchools(c.var.deps, c.var.principal);
  if (!schools) return renderError(c, 403);
  return renderPage(
    c,
    <SchoolsPage chrome={chromeFor(c, t("schools.title"), "help.topic.schools")} schools={schools} />,
  );
});

directoryRoutes.get("/ecoles/:uai", async (c) => {
  const found = await schoolPage(c.var.deps, c.var.principal, c.req.param("uai"));
  if (found.kind !== "ok") return notFoundOrForbidden(c, found);
  return renderPage(
    c,
    <SchoolPageView
      chrome={chromeFor(c, t("school.title", { name: found.value.name }), "help.topic.school")}
      view={found.value}
    />,
  );
});
