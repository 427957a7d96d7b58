// Live documents (56B): list and search, creation, the document page (read-only HTML without JavaScript, the live
// editor with it), sharing, renaming, exports (HTML, ODT).
import { contentSecurityPolicy } from "../../src/http/security";
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { can } from "../../src/policy";
import {
  createDocument,
  documentView,
  exportDocument,
  renameDocument,
  saveSharing,
  visibleDocuments,
  type DocumentCtx,
} from "../../src/services/collaboration/documents";
import { DocumentPage, DocumentsPage } from "../../views/collaboration/documents";
import { requireUser } from "../guards";

export const documentRoutes = new Hono<AppEnv>();
documentRoutes.use("/documents", requireUser);
documentRoutes.use("/documents/*", requireUser);

function ctxOf(c: Context<AppEnv>): DocumentCtx | null {
  const { platform } = c.var;
  if (!platform.rooms) return null;
  return {
    db: platform.db,
    rooms: platform.rooms,
    now: platform.clock.now(),
    ip: c.var.ip,
    delivery: { baseUrl: platform.config.publicUrl, timeZone: platform.config.timeZone },
  };
}

async function list(c: Context<AppEnv>, extra: { error?: MessageKey; draft?: string } = {}, status: 200 | 422 = 200) {
  const p = c.var.principal!;
  const q = c.req.query("q") ?? "";
  if (q.length > 100) {
    extra = { ...extra, error: "document.error.search_too_long" };
    status = 422;
  }
  const docs = await withTenant(c.var.platform.db, scopeOf(p), (tx) => visibleDocuments(tx, p, q.slice(0, 100)));
  const canCreate =
    !!p.activeUai &&
    can(p, "document.create", {
      kind: "document",
      uai: p.activeUai,
      ownerId: p.userId,
      sharing: "private",
      access: "read",
      memberIds: [],
    });
  return renderPage(
    c,
    <DocumentsPage
      chrome={chromeFor(c, t("document.list.title"), "document.help")}
      documents={docs}
      userId={p.userId}
      query={q.slice(0, 100)}
      canCreate={canCreate}
      error={extra.error}
      draft={extra.draft}
    />,
    status,
  );
}

documentRoutes.get("/documents", (c) => (ctxOf(c) ? list(c) : renderError(c, 404)));

documentRoutes.post("/documents", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const title = field(await readForm(c), "titre");
  const outcome = await createDocument(ctx, c.var.principal!, title);
  if (outcome.kind === "created") return c.redirect(`/documents/${outcome.id}`, 303);
  if (outcome.kind === "forbidden") return renderError(c, 403);
  return list(c, { error: `document.error.title_${outcome.error}`, draft: title }, 422);
});

async function show(
  c: Context<AppEnv>,
  id: string,
  extra: { error?: MessageKey; notice?: MessageKey } = {},
  status: 200 | 422 = 200,
) {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const found = await documentView(ctx, c.var.principal!, id);
  if (found.kind !== "ok") return renderError(c, found.kind === "forbidden" ? 403 : 404);
  c.header("Content-Security-Policy", contentSecurityPolicy([], { styleAttributes: true }));
  const notice =
    extra.notice ??
    (c.req.query("fait") === "partage"
      ? "document.sharing.saved"
      : c.req.query("fait") === "1"
        ? "common.saved"
        : undefined);
  return renderPage(
    c,
    <DocumentPage
      chrome={chromeFor(c, found.value.title, "document.help")}
      doc={found.value}
      error={extra.error}
      notice={notice}
    />,
    status,
  );
}

documentRoutes.get("/documents/:id", (c) => show(c, c.req.param("id")));

documentRoutes.post("/documents/:id/partage", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const form = await readForm(c);
  const id = c.req.param("id");
  const outcome = await saveSharing(ctx, c.var.principal!, id, {
    sharing: field(form, "partage"),
    classId: field(form, "classe"),
    access: field(form, "droits"),
  });
  if (outcome === "ok") return c.redirect(`/documents/${id}?fait=partage`, 303);
  if (outcome === "forbidden" || outcome === "not_found") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return show(c, id, { error: `document.error.${outcome}` }, 422);
});

documentRoutes.post("/documents/:id/titre", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const id = c.req.param("id");
  const outcome = await renameDocument(ctx, c.var.principal!, id, field(await readForm(c), "titre"));
  if (outcome === "ok") return c.redirect(`/documents/${id}?fait=1`, 303);
  if (outcome === "forbidden" || outcome === "not_found") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return show(c, id, { error: `document.error.title_${outcome}` }, 422);
});

documentRoutes.get("/documents/:id/export/:format", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const found = await exportDocument(ctx, c.var.principal!, c.req.param("id"), c.req.param("format"));
  if (found.kind !== "ok") return renderError(c, found.kind === "forbidden" ? 403 : 404);
  const { body, contentType, fileName } = found.value;
  return c.body(typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>), 200, {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${fileName.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
});
