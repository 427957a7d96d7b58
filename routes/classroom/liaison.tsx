// The liaison notebook (54E): /carnet for parents (notes, filter by child, acknowledge, answer) and for teachers and
// the director (sent notes, form, read status, printable slip). Parsing and rendering only:
// src/services/classroom/liaison.ts decides, src/policy/classroom.ts says who may.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import {
  liaisonAcknowledger,
  liaisonAudiences,
  liaisonSender,
  noteForViewer,
  parentNotebook,
  senderNotebook,
  type NoteInput,
} from "../../src/services/classroom/liaison";
import { NoteFormPage, NoteStatusPage, ParentNotebookPage, SenderNotebookPage } from "../../views/classroom/liaison";
import { liaisonPreview } from "../../src/services/classroom/view-as";
import { bounded, Checkbox, isId, readWith, searchWords } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const liaisonRoutes = signedInRoutes("/carnet");

const NOTICES: Record<string, MessageKey> = { envoye: "liaison.sent", lu: "liaison.acknowledged" };

/** 57E: the sender's list narrows by words and to notes some families have not read. */
const SentQuery = v.object({ q: searchWords(100), non_lus: Checkbox });

/** The note's form, its texts bounded above the service's limits (the service names the field that is wrong). */
const NoteForm = v.object({
  titre: bounded(1000),
  texte: bounded(20_000),
  pour: bounded(100),
  reponse: bounded(20),
  rappel: bounded(10),
});

const AckForm = v.object({ enfant: bounded(100), reponse: bounded(5000) });

async function showParent(c: Context<SignedInEnv>, error?: { noteId: string; issue: MessageKey }) {
  const asked = c.req.query("enfant");
  const child = isId(asked) ? asked : null;
  const { notes, children } = await parentNotebook(c.var.deps, c.var.principal, child);
  return renderPage(
    c,
    <ParentNotebookPage
      chrome={chromeFor(c, t("liaison.title"), "liaison.help")}
      notes={notes}
      children={children}
      child={child}
      timeZone={c.var.deps.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      error={error}
    />,
    error ? 422 : 200,
  );
}

liaisonRoutes.get("/carnet", async (c) => {
  const query = readWith(SentQuery, c.req.query());
  const filter = { words: query.q, unreadOnly: query.non_lus };
  const { notes, audiences, any } = await senderNotebook(c.var.deps, c.var.principal, filter);
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
      timeZone={c.var.deps.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      previews={previews}
      filter={filter}
    />,
  );
});

/** 58D: the notebook as a parent of the class receives it, read-only, for the class's teachers and staff and the
 *  director. */
liaisonRoutes.get("/carnet/apercu/:classId", async (c) => {
  const preview = await liaisonPreview(c.var.deps, c.var.principal, c.req.param("classId"));
  if (!preview) return renderError(c, 404);
  return renderPage(
    c,
    <ParentNotebookPage
      chrome={chromeFor(c, t("liaison.title"), "liaison.help")}
      notes={preview.notes}
      children={[]}
      child={null}
      timeZone={c.var.deps.timeZone}
      preview={preview.klass}
    />,
  );
});

async function showForm(c: Context<SignedInEnv>, draft?: NoteInput, errors?: string[]) {
  const audiences = await liaisonAudiences(c.var.deps, c.var.principal);
  if (audiences.length === 0) return renderError(c, 403);
  return renderPage(
    c,
    <NoteFormPage
      chrome={chromeFor(c, t("liaison.new"), "liaison.help")}
      audiences={audiences}
      draft={draft ?? { title: "", body: "", audience: audiences[0]!.value, replyKind: "none", remindAfter: "" }}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

liaisonRoutes.get("/carnet/nouveau", (c) => showForm(c));

liaisonRoutes.post("/carnet/nouveau", async (c) => {
  const f = readWith(NoteForm, fieldsOf(await readForm(c), NoteForm));
  const draft: NoteInput = {
    title: f.titre,
    body: f.texte,
    audience: f.pour,
    replyKind: f.reponse || "none",
    remindAfter: f.rappel,
  };
  const result = await liaisonSender(c.var.deps, c.var.principal, draft);
  if (result.ok) return c.redirect(`/carnet/${result.id}?fait=envoye`, 303);
  return showForm(c, draft, result.issues);
});

async function showNote(c: Context<SignedInEnv>, print: boolean) {
  const found = await noteForViewer(c.var.deps, c.var.principal, c.req.param("id")!);
  if (found && "status" in found)
    return renderPage(
      c,
      <NoteStatusPage
        chrome={chromeFor(c, found.status.title, "liaison.help")}
        note={found.status}
        timeZone={c.var.deps.timeZone}
        print={print}
      />,
    );
  // A parent's own note: the notebook, where it can be acknowledged (no printable slip for them).
  return found && !print ? showParent(c) : renderError(c, 404);
}

liaisonRoutes.get("/carnet/:id", (c) => showNote(c, false));
liaisonRoutes.get("/carnet/:id/coupon", (c) => showNote(c, true));

liaisonRoutes.post("/carnet/:id/lu", async (c) => {
  const f = readWith(AckForm, fieldsOf(await readForm(c), AckForm));
  const result = await liaisonAcknowledger(c.var.deps, c.var.principal, c.req.param("id"), f.enfant, f.reponse);
  if (result.ok) return c.redirect("/carnet?fait=lu", 303);
  if ("notFound" in result) return renderError(c, 404);
  return showParent(c, { noteId: c.req.param("id"), issue: `liaison.error.${result.issue}` as MessageKey });
});
