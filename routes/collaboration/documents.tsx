// Live documents (56B): list and search, creation, the document page (read-only HTML without JavaScript, the live
// editor with it), sharing, renaming, exports (HTML, ODT).
import { contentSecurityPolicy } from "../../src/http/security";
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import {
  createDocument,
  DOCUMENT_SEARCH_MAX,
  documentsPage,
  documentView,
  exportDocument,
  renameDocument,
  saveSharing,
} from "../../src/services/collaboration/documents";
import { DocumentPage, DocumentsPage } from "../../views/collaboration/documents";
import { bounded, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const documentRoutes = signedInRoutes("/documents");

/** A title, bounded above the service's limit (the service says it is too long). */
const TitleForm = v.object({ titre: bounded(1000) });

/** Who the document is shared with (private, a class, the school's adults) and whether they may write. */
const SharingForm = v.object({ partage: bounded(20), classe: bounded(100), droits: bounded(20) });

async function list(
  c: Context<SignedInEnv>,
  extra: { error?: MessageKey; draft?: string } = {},
  status: 200 | 422 = 200,
) {
  const p = c.var.principal;
  const typed = c.req.query("q") ?? "";
  const query = readWith(bounded(DOCUMENT_SEARCH_MAX), typed);
  if (typed.length > DOCUMENT_SEARCH_MAX) {
    extra = { ...extra, error: "document.error.search_too_long" };
    status = 422;
  }
  const page = await documentsPage(c.var.deps, p, query);
  if (!page) return renderError(c, 404);
  return renderPage(
    c,
    <DocumentsPage
      chrome={chromeFor(c, t("document.list.title"), "document.help")}
      documents={page.documents}
      userId={p.userId}
      query={query}
      canCreate={page.canCreate}
      error={extra.error}
      draft={extra.draft}
    />,
    status,
  );
}

documentRoutes.get("/documents", (c) => list(c));

documentRoutes.post("/documents", async (c) => {
  const { titre } = readWith(TitleForm, fieldsOf(await readForm(c), TitleForm));
  const outcome = await createDocument(c.var.deps, c.var.principal, titre);
  if (outcome.kind === "created") return c.redirect(`/documents/${outcome.id}`, 303);
  if (outcome.kind !== "invalid") return renderError(c, outcome.kind === "forbidden" ? 403 : 404);
  return list(c, { error: `document.error.title_${outcome.error}`, draft: titre }, 422);
});

async function show(
  c: Context<SignedInEnv>,
  id: string,
  extra: { error?: MessageKey; notice?: MessageKey } = {},
  status: 200 | 422 = 200,
) {
  const found = await documentView(c.var.deps, c.var.principal, id);
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
  const f = readWith(SharingForm, fieldsOf(await readForm(c), SharingForm));
  const id = c.req.param("id");
  const outcome = await saveSharing(c.var.deps, c.var.principal, id, {
    sharing: f.partage,
    classId: f.classe,
    access: f.droits,
  });
  if (outcome === "ok") return c.redirect(`/documents/${id}?fait=partage`, 303);
  if (outcome === "forbidden" || outcome === "not_found") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return show(c, id, { error: `document.error.${outcome}` }, 422);
});

documentRoutes.post("/documents/:id/titre", async (c) => {
  const { titre } = readWith(TitleForm, fieldsOf(await readForm(c), TitleForm));
  const id = c.req.param("id");
  const outcome = await renameDocument(c.var.deps, c.var.principal, id, titre);
  if (outcome === "ok") return c.redirect(`/documents/${id}?fait=1`, 303);
  if (outcome === "forbidden" || outcome === "not_found") return renderError(c, outcome === "forbidden" ? 403 : 404);
  return show(c, id, { error: `document.error.title_${outcome}` }, 422);
});

documentRoutes.get("/documents/:id/export/:format", async (c) => {
  const found = await exportDocument(c.var.deps, c.var.principal, c.req.param("id"), c.req.param("format"));
  if (found.kind !== "ok") return renderError(c, found.kind === "forbidden" ? 403 : 404);
  const { body, contentType, fileName } = found.value;
  const asciiName = fileName.replace(/[^\x20-\x7e]/g, "_");
  return c.body(typeof body === "string" ? body : (body as Uint8Array<ArrayBuffer>), 200, {
    "Content-Type": contentType,
    "Content-Disposition": `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
});
