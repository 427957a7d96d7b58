// The liaison notebook (54E): /carnet for parents (notes, filter by child, acknowledge, answer) and for teachers and
// the director (sent notes, form, read status, printable slip).
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { sql } from "drizzle-orm";
import { rowsOf, withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  liaisonAcknowledger,
  liaisonAudiences,
  liaisonSender,
  parentNotes,
  senderView,
  sentNotes,
  type LiaisonDeps,
  type SentFilter,
  type NoteInput,
} from "../../src/services/classroom/liaison";
import { NoteFormPage, NoteStatusPage, ParentNotebookPage, SenderNotebookPage } from "../../views/classroom/liaison";
import { liaisonPreview } from "../../src/services/classroom/view-as";
import { requireUser } from "../guards";

export const liaisonRoutes = new Hono<AppEnv>();
liaisonRoutes.use("/carnet", requireUser);
liaisonRoutes.use("/carnet/*", requireUser);

const depsOf = (c: Context<AppEnv>): LiaisonDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
const NOTICES: Record<string, MessageKey> = { envoye: "liaison.sent", lu: "liaison.acknowledged" };

async function showParent(c: Context<AppEnv>, error?: { noteId: string; issue: MessageKey }) {
  const p = c.var.principal!;
  const child = c.req.query("enfant") ?? null;
  const { notes, children } = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => ({
    notes: await parentNotes(tx, p, child),
    children: rowsOf<{ id: string; name: string }>(
      await tx.execute(sql`
      select distinct u.id, u.first_name as name from parent_links l join users u on u.id = l.child_id where l.parent_id = ${p.userId} order by 2`),
    ),
  }));
  return renderPage(
    c,
    <ParentNotebookPage
      chrome={chromeFor(c, t("liaison.title"), "liaison.help")}
      notes={notes}
      children={children}
      child={child}
      timeZone={c.var.platform.config.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      error={error}
    />,
    error ? 422 : 200,
  );
}

liaisonRoutes.get("/carnet", async (c) => {
  const p = c.var.principal!;
  const { platform } = c.var;
  const filter: SentFilter = {
    words: (c.req.query("q") ?? "").slice(0, 100),
    unreadOnly: c.req.query("non_lus") === "1",
  };
  const filtered = filter.words.trim() !== "" || filter.unreadOnly;
  const { notes, audiences, any } = await withTenant(platform.db, scopeOf(p), async (tx) => {
    const notes = await sentNotes(tx, p, filter);
    return {
      notes,
      audiences: await liaisonAudiences(tx, p),
      any: notes.length > 0 || (filtered && (await sentNotes(tx, p)).length > 0),
    };
  });
  if (audiences.length === 0 && !any) return showParent(c);
  const previews = audiences
    .filter((a) => a.value.startsWith("classe:"))
    .map((a) => ({ id: a.value.slice(7), name: a.label }));
  return renderPage(
    c,
    <SenderNotebookPage
      chrome={chromeFor(c, t("liaison.title"), "liaison.help")}
      notes={notes}
      canSend={audiences.length > 0}
      timeZone={platform.config.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      previews={previews}
      filter={filter}
    />,
  );
});

/** 58D: the notebook as a parent of the class receives it, read-only, for the class's teachers and staff and the director. */
liaisonRoutes.get("/carnet/apercu/:classId", async (c) => {
  const preview = await liaisonPreview(c.var.deps, c.var.principal!, c.req.param("classId"));
  if (!preview) return renderError(c, 404);
  return renderPage(
    c,
    <ParentNotebookPage
      chrome={chromeFor(c, t("liaison.title"), "liaison.help")}
      notes={preview.notes}
      children={[]}
      child={null}
      timeZone={c.var.platform.config.timeZone}
      preview={preview.klass}
    />,
  );
});

liaisonRoutes.get("/carnet/nouveau", async (c) => {
  const p = c.var.principal!;
  const audiences = await withTenant(c.var.platform.db, scopeOf(p), (tx) => liaisonAudiences(tx, p));
  if (audiences.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <NoteFormPage
      chrome={chromeFor(c, t("liaison.new"), "liaison.help")}
      audiences={audiences}
      draft={{ title: "", body: "", audience: audiences[0]!.value, replyKind: "none", remindAfter: "" }}
    />,
  );
});

liaisonRoutes.post("/carnet/nouveau", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const draft: NoteInput = {
    title: field(form, "titre").slice(0, 1000),
    body: field(form, "texte").slice(0, 20_000),
    audience: field(form, "pour").slice(0, 100),
    replyKind: field(form, "reponse") || "none",
    remindAfter: field(form, "rappel").slice(0, 10),
  };
  const result = await liaisonSender(depsOf(c), p, draft);
  if (result.ok) return c.redirect(`/carnet/${result.id}?fait=envoye`, 303);
  const audiences = await withTenant(c.var.platform.db, scopeOf(p), (tx) => liaisonAudiences(tx, p));
  if (audiences.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <NoteFormPage
      chrome={chromeFor(c, t("liaison.new"), "liaison.help")}
      audiences={audiences}
      draft={draft}
      errors={result.issues}
    />,
    422,
  );
});

async function showNote(c: Context<AppEnv>, print: boolean) {
  const p = c.var.principal!;
  const note = await withTenant(c.var.platform.db, scopeOf(p), (tx) => senderView(tx, p, c.req.param("id")!));
  if (note)
    return renderPage(
      c,
      <NoteStatusPage
        chrome={chromeFor(c, note.title, "liaison.help")}
        note={note}
        timeZone={c.var.platform.config.timeZone}
        print={print}
      />,
    );
  if (print) return renderError(c, 404);
  // A parent's own note: the notebook, where it can be acknowledged.
  const mine = await withTenant(c.var.platform.db, scopeOf(p), async (tx) =>
    (await parentNotes(tx, p, null)).some((n) => n.id === c.req.param("id")),
  );
  return mine ? showParent(c) : renderError(c, 404);
}

liaisonRoutes.get("/carnet/:id", (c) => showNote(c, false));
liaisonRoutes.get("/carnet/:id/coupon", (c) => showNote(c, true));

liaisonRoutes.post("/carnet/:id/lu", async (c) => {
  const form = await readForm(c);
  const result = await liaisonAcknowledger(
    depsOf(c),
    c.var.principal!,
    c.req.param("id"),
    field(form, "enfant"),
    field(form, "reponse").slice(0, 5000),
  );
  if (result.ok) return c.redirect("/carnet?fait=lu", 303);
  if ("notFound" in result) return renderError(c, 404);
  return showParent(c, { noteId: c.req.param("id"), issue: `liaison.error.${result.issue}` as MessageKey });
});
