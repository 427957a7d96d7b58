// 58D "voir comme un élève / un parent": the class's preview hub (/classes/:classId/apercu?voir=eleve|parent) and a
// wall of the class opened read-only. Parsing and rendering only: src/services/classroom/view-as.ts decides (write
// access to the class, else 404). GET only: there is nothing to post.
import { t } from "../../src/i18n";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { classPreview, viewAsOf, wallPreview } from "../../src/services/classroom/view-as";
import { ClassPreviewPage, WallPreviewPage } from "../../views/classroom/view-as";
import { signedInRoutes } from "../guards";

export const viewAsRoutes = signedInRoutes("/classes");

viewAsRoutes.get("/classes/:classId/apercu", async (c) => {
  const as = viewAsOf(c.req.query("voir") ?? "");
  const preview = as && (await classPreview(c.var.deps, c.var.principal, c.req.param("classId"), as));
  if (!preview) return renderError(c, 404);
  return renderPage(
    c,
    <ClassPreviewPage
      chrome={chromeFor(c, t("viewas.hub_title", { name: preview.klass.name }), "help.topic.class")}
      preview={preview}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

viewAsRoutes.get("/classes/:classId/apercu/murs/:wallId", async (c) => {
  // Only a pupil sees walls: a parent's view of a wall does not exist.
  if (viewAsOf(c.req.query("voir") ?? "") !== "pupil") return renderError(c, 404);
  const preview = await wallPreview(c.var.deps, c.var.principal, c.req.param("classId"), c.req.param("wallId"));
  if (!preview) return renderError(c, 404);
  return renderPage(
    c,
    <WallPreviewPage
      chrome={chromeFor(c, t("viewas.wall_title", { title: preview.wall.title }), "help.topic.class")}
      preview={preview}
    />,
  );
});
