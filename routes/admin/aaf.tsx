// The académie's directory console (4.4): upload a delivery, follow its import, read the history and the logs.
// Parsing and rendering only: src/services/admin/aaf.ts decides, src/policy/directory.ts (aaf.manage) says who may.
import type { Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { can } from "../../src/policy";
import { importDetail, importLogText, listImports, queueUpload } from "../../src/services/admin/aaf";
import { AafImportPage, AafPage, AafProgressBlock } from "../../views/admin/aaf";
import { signedInRoutes } from "../guards";

export const aafRoutes = signedInRoutes("/admin/annuaire");
for (const path of ["/admin/annuaire", "/admin/annuaire/*"]) {
  aafRoutes.use(path, async (c, next) =>
    can(c.var.principal, "aaf.manage", { kind: "platform" }) ? next() : renderError(c, 403),
  );
}

/** Archives are larger than forms: the app gives this path its own body limit (config aaf.maxUploadBytes). */
export const AAF_UPLOAD_PATH = "/admin/annuaire/imports";

const UPLOAD_ERRORS: Record<"no_storage" | "missing" | "type", MessageKey> = {
  no_storage: "aaf.upload.error.no_storage",
  missing: "aaf.upload.error.missing",
  type: "aaf.upload.error.type",
};

async function listPage(c: Context<SignedInEnv>, uploadError?: string, status: 200 | 400 | 413 = 200) {
  const { deps } = c.var;
  const imports = await listImports(deps, c.var.principal);
  if (!imports) return renderError(c, 403);
  return renderPage(
    c,
    <AafPage
      chrome={chromeFor(c, t("aaf.title"), "help.topic.aaf")}
      imports={imports}
      timeZone={deps.timeZone}
      maxUploadMb={Math.round(deps.config.aaf.maxUploadBytes / 1024 / 1024)}
      uploadError={uploadError}
      canUpload={!!deps.files}
    />,
    status,
  );
}

aafRoutes.get("/admin/annuaire", (c) => listPage(c));

aafRoutes.post(AAF_UPLOAD_PATH, async (c) => {
  const body = await c.req.parseBody();
  const file = body.livraison instanceof File ? body.livraison : null;
  const result = await queueUpload(c.var.deps, c.var.principal, file, body.a_blanc === "oui");
  if (result.ok) return c.redirect(`/admin/annuaire/imports/${result.importId}`, 303);
  if ("forbidden" in result) return renderError(c, 403);
  return listPage(c, t(UPLOAD_ERRORS[result.error]), 400);
});

aafRoutes.get("/admin/annuaire/imports/:id", async (c) => {
  const item = await importDetail(c.var.deps, c.var.principal, c.req.param("id"));
  if (!item) return renderError(c, 404);
  return renderPage(
    c,
    <AafImportPage
      chrome={chromeFor(c, t("aaf.detail.title", { date: "" }).trim(), "help.topic.aaf")}
      item={item}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

aafRoutes.get("/admin/annuaire/imports/:id/avancement", async (c) => {
  const item = await importDetail(c.var.deps, c.var.principal, c.req.param("id"));
  if (!item) return renderError(c, 404);
  return c.html(<AafProgressBlock item={item} />);
});

aafRoutes.get("/admin/annuaire/imports/:id/journal", async (c) => {
  const id = c.req.param("id");
  const text = await importLogText(c.var.deps, c.var.principal, id);
  if (text === null) return renderError(c, 404);
  return c.body(text, 200, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="import-aaf-${id}.log"`,
  });
});
