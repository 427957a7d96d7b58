// The académie's directory console (4.4): upload a delivery, follow its import, read the history and the logs.
import { Hono, type Context } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { can } from "../../src/policy";
import { createImport, importDetail, importLogText, listImports } from "../../src/services/admin/aaf";
import { AafImportPage, AafPage, AafProgressBlock } from "../../views/admin/aaf";
import { requireUser } from "../guards";

export const aafRoutes = new Hono<AppEnv>();
aafRoutes.use("/admin/annuaire", requireUser);
aafRoutes.use("/admin/annuaire/*", requireUser);
aafRoutes.use("/admin/annuaire", async (c, next) =>
  can(c.var.principal!, "aaf.manage", { kind: "platform" }) ? next() : renderError(c, 403),
);
aafRoutes.use("/admin/annuaire/*", async (c, next) =>
  can(c.var.principal!, "aaf.manage", { kind: "platform" }) ? next() : renderError(c, 403),
);

const ACCEPTED = /\.(xml|zip|tgz|tar\.gz)$/i;
/** Archives are larger than forms: the app gives this path its own body limit (config aaf.maxUploadBytes). */
export const AAF_UPLOAD_PATH = "/admin/annuaire/imports";

async function listPage(c: Context<AppEnv>, uploadError?: string, status: 200 | 400 | 413 = 200) {
  const { platform } = c.var;
  const imports = await withTenant(platform.db, scopeOf(c.var.principal!), (tx) => listImports(tx));
  return renderPage(
    c,
    <AafPage
      chrome={chromeFor(c, t("aaf.title"), "help.topic.aaf")}
      imports={imports}
      timeZone={platform.config.timeZone}
      maxUploadMb={Math.round(platform.config.aaf.maxUploadBytes / 1024 / 1024)}
      uploadError={uploadError}
      canUpload={!!platform.files}
    />,
    status,
  );
}

aafRoutes.get("/admin/annuaire", (c) => listPage(c));

aafRoutes.post(AAF_UPLOAD_PATH, async (c) => {
  const { platform } = c.var;
  const p = c.var.principal!;
  if (!platform.files) return listPage(c, t("aaf.upload.error.no_storage"), 400);
  const body = await c.req.parseBody();
  const file = body.livraison;
  if (!(file instanceof File) || file.size === 0) return listPage(c, t("aaf.upload.error.missing"), 400);
  if (!ACCEPTED.test(file.name)) return listPage(c, t("aaf.upload.error.type"), 400);
  const stored = await platform.files.save("aaf-uploads", file.name, file);
  const id = await createImport(platform.db, {
    origin: "upload",
    fileName: file.name,
    storedPath: stored,
    dryRun: body.a_blanc === "oui",
    requestedBy: p.userId,
    now: platform.clock.now(),
    ip: c.var.ip,
  });
  return c.redirect(`/admin/annuaire/imports/${id}`, 303);
});

aafRoutes.get("/admin/annuaire/imports/:id", async (c) => {
  const { platform } = c.var;
  const item = await withTenant(platform.db, scopeOf(c.var.principal!), (tx) => importDetail(tx, c.req.param("id")));
  if (!item) return renderError(c, 404);
  return renderPage(
    c,
    <AafImportPage
      chrome={chromeFor(c, t("aaf.detail.title", { date: "" }).trim(), "help.topic.aaf")}
      item={item}
      timeZone={platform.config.timeZone}
    />,
  );
});

aafRoutes.get("/admin/annuaire/imports/:id/avancement", async (c) => {
  const item = await withTenant(c.var.platform.db, scopeOf(c.var.principal!), (tx) =>
    importDetail(tx, c.req.param("id")),
  );
  if (!item) return renderError(c, 404);
  return c.html(<AafProgressBlock item={item} />);
});

aafRoutes.get("/admin/annuaire/imports/:id/journal", async (c) => {
  const { platform } = c.var;
  const id = c.req.param("id");
  const text = await withTenant(platform.db, scopeOf(c.var.principal!), async (tx) =>
    (await importDetail(tx, id)) ? importLogText(tx, id, platform.config.timeZone) : null,
  );
  if (text === null) return renderError(c, 404);
  return c.body(text, 200, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="import-aaf-${id}.log"`,
  });
});
