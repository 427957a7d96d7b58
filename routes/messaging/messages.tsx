// Messaging (52A–52G, 614A–B): folders, composing, reading, trash, reports, moderation, the school's rules and hours,
// the académie's blocks. Parsing and rendering only: src/services/messaging/ decides (communication rules, insult
// filter, restrictions), src/policy/messaging.ts says who moderates, suspends and blocks.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, fieldsOf, readFiles, readForm, type FormFields } from "../../src/http/forms";
import {
  attachmentFor,
  BODY_MAX,
  composition,
  draftRemover,
  draftSaver,
  mailbox,
  messageSender,
  moderatedMessage,
  moderationPage,
  moderatorHere,
  readMessage,
  recipientChoices,
  reportMessage,
  SUBJECT_MAX,
  trashMessage,
  type AttachmentInput,
  type ComposeOptions,
  type DraftError,
  type Folder,
  type MessageDraft,
  type MessageError,
} from "../../src/services/messaging/messages";
import {
  blockAdder,
  blockRemover,
  blocksPage,
  messagingHoursSaver,
  pupilSuspender,
  suspensionLifter,
  type BlockError,
  type Restriction,
} from "../../src/services/messaging/messaging-restrictions";
import { rulesPage, rulesSaver } from "../../src/services/messaging/communication-rules";
import {
  BlocksPage,
  ComposePage,
  MailboxPage,
  MessagePage,
  ModeratedMessagePage,
  ModerationPage,
  RulesPage,
} from "../../views/messaging/messages";
import { DAY_KEYS } from "../../src/services/access-hours";
import { bounded, Checkbox, Page, readWith, searchWords } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const messageRoutes = signedInRoutes("/messagerie", "/admin/messagerie");

type Ctx = Context<SignedInEnv>;

const NOTICES: Record<string, MessageKey> = {
  envoye: "message.sent",
  programme: "message.scheduled",
  bloque: "message.blocked",
  corbeille: "message.trashed",
  retabli: "message.restored",
  signale: "message.reported",
  suspendu: "message.suspend.done",
  leve: "message.suspend.lifted",
  horaires: "message.hours.saved",
  bloque_academie: "message.blocks.added",
  retire: "message.blocks.removed",
  brouillon: "message.draft.saved",
  brouillon_supprime: "message.draft.deleted",
};
const noticeOf = (c: Ctx) => NOTICES[c.req.query("fait") ?? ""];

/** A folder's query string: words searched, the page, the inbox's "unread only". */
const FolderQuery = v.object({ q: searchWords(100), page: Page, non_lus: Checkbox });

/** The compose page's query string: the school (perimeter staff), a draft to open, a reply's sender and subject. */
const ComposeQuery = v.object({
  ecole: bounded(20),
  brouillon: bounded(40),
  a: bounded(40),
  objet: bounded(SUBJECT_MAX),
});

/** The compose form's single fields, texts bounded above the service's limits (it names the field too long). */
const ComposeForm = v.object({
  objet: bounded(SUBJECT_MAX * 5),
  texte: bounded(BODY_MAX * 2),
  ecole: bounded(20),
  envoi: bounded(40),
  accuse: Checkbox,
  brouillon: bounded(40),
  action: bounded(20),
});

const SuspensionForm = v.object({ eleve: bounded(40), jours: bounded(4) });

const BlockForm = v.object({
  type: bounded(20),
  debut: bounded(20),
  fin: bounded(20),
  de: bounded(10),
  a: bounded(10),
});

// ——— Folders

async function showFolder(c: Ctx, folder: Folder, title: MessageKey) {
  const p = c.var.principal;
  const q = readWith(FolderQuery, c.req.query());
  const unread = folder === "inbox" && q.non_lus;
  const slice = await mailbox(c.var.deps, p, folder, { search: q.q, page: q.page, unreadOnly: unread });
  return renderPage(
    c,
    <MailboxPage
      chrome={chromeFor(c, t(title), "message.help")}
      folder={folder}
      slice={slice}
      search={q.q}
      unread={unread}
      notice={noticeOf(c)}
      moderator={moderatorHere(p)}
      timeZone={c.var.deps.timeZone}
    />,
  );
}

messageRoutes.get("/messagerie", (c) => showFolder(c, "inbox", "message.folder.inbox"));
messageRoutes.get("/messagerie/envoyes", (c) => showFolder(c, "sent", "message.folder.sent"));
messageRoutes.get("/messagerie/corbeille", (c) => showFolder(c, "trash", "message.folder.trash"));
messageRoutes.get("/messagerie/brouillons", (c) => showFolder(c, "drafts", "message.folder.drafts"));

messageRoutes.post("/messagerie/brouillons/:id/supprimer", async (c) => {
  const removed = await draftRemover(c.var.deps, c.var.principal, c.req.param("id"));
  return removed ? c.redirect("/messagerie/brouillons?fait=brouillon_supprime", 303) : renderError(c, 404);
});

// ——— Composing

/** What the compose page shows besides its options: the form's content and, after a refusal, what went wrong. */
interface ComposeShown {
  draft: MessageDraft;
  errors?: MessageError[];
  draftErrors?: DraftError[];
  blocked?: boolean;
  restriction?: Restriction | null;
}

function composePage(c: Ctx, options: ComposeOptions, shown: ComposeShown, status: 200 | 403 | 422 = 200) {
  return renderPage(
    c,
    <ComposePage
      chrome={chromeFor(c, t("message.compose.title"), "message.help")}
      options={options}
      moderator={moderatorHere(c.var.principal)}
      timeZone={c.var.deps.timeZone}
      {...shown}
    />,
    status,
  );
}

/** The compose page again after a refused send or draft: what the user wrote stays on it, with what went wrong. */
async function composeAgain(
  c: Ctx,
  draft: MessageDraft & { uai: string | null },
  outcome: Omit<ComposeShown, "draft">,
  status: 403 | 422,
) {
  const options = await recipientChoices(c.var.deps, c.var.principal, draft.uai);
  return options ? composePage(c, options, { draft, ...outcome }, status) : renderError(c, 403);
}

messageRoutes.get("/messagerie/nouveau", async (c) => {
  const q = readWith(ComposeQuery, c.req.query());
  // "Reply": the sender of a message the user received, preselected when the rules allow it.
  const found = await composition(c.var.deps, c.var.principal, {
    school: q.ecole,
    draftId: q.brouillon,
    replyTo: q.a,
    subject: q.objet,
  });
  if (found.kind !== "ready") return renderError(c, found.kind === "missing" ? 404 : 403);
  return composePage(c, found.options, { draft: found.draft, restriction: found.restriction });
});

/** The compose form as the user filled it in. */
function composedDraft(form: FormFields) {
  const f = readWith(ComposeForm, fieldsOf(form, ComposeForm));
  const draft = {
    subject: f.objet,
    body: f.texte,
    recipientIds: fieldList(form, "destinataires"),
    groupKeys: fieldList(form, "groupes"),
    uai: f.ecole || null,
    sendAt: f.envoi.trim(),
    receipt: f.accuse,
    draftId: f.brouillon || null,
  };
  return { draft, saveOnly: f.action === "brouillon" };
}

async function attachmentsOf(c: Ctx): Promise<AttachmentInput[]> {
  const files = await readFiles(c, "pieces");
  return Promise.all(files.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
}

messageRoutes.post("/messagerie/nouveau", async (c) => {
  const p = c.var.principal;
  const { draft, saveOnly } = composedDraft(await readForm(c));
  if (saveOnly) {
    const saved = await draftSaver(c.var.deps, p, draft);
    if (saved.ok) return c.redirect("/messagerie/brouillons?fait=brouillon", 303);
    if ("forbidden" in saved) return renderError(c, 403);
    return composeAgain(c, draft, { draftErrors: saved.errors }, 422);
  }
  const outcome = await messageSender(c.var.deps, p, { ...draft, attachments: await attachmentsOf(c) });
  switch (outcome.kind) {
    case "sent":
      return c.redirect("/messagerie/envoyes?fait=envoye", 303);
    case "scheduled":
      return c.redirect("/messagerie/envoyes?fait=programme", 303);
    case "forbidden":
      return renderError(c, 403);
    // 52C: the pupil keeps their text to rewrite it, and is told kindly; nothing was sent.
    case "blocked":
      return composeAgain(c, draft, { blocked: true }, 422);
    // 52E–52G: closed for this user now; what they wrote stays on the page.
    case "restricted":
      return composeAgain(c, draft, { restriction: outcome.restriction }, 403);
    case "invalid":
      return composeAgain(c, draft, { errors: outcome.errors }, 422);
  }
});

// ——— The school's rules (614B) and messaging hours (52F), for its director

messageRoutes.get("/messagerie/regles", async (c) => {
  const page = await rulesPage(c.var.deps, c.var.principal);
  if (!page) return renderError(c, 403);
  return renderPage(
    c,
    <RulesPage
      chrome={chromeFor(c, t("message.rules.title"), "message.help")}
      rules={page.rules}
      saved={c.req.query("fait") === "1"}
      notice={noticeOf(c)}
      hours={page.hours}
    />,
  );
});

messageRoutes.post("/messagerie/horaires", async (c) => {
  const form = await readForm(c);
  const days = Object.fromEntries(
    DAY_KEYS.map((d) => [
      d,
      { open: field(form, `ouvert-${d}`) === "1", from: field(form, `de-${d}`), to: field(form, `a-${d}`) },
    ]),
  );
  const saved = await messagingHoursSaver(c.var.deps, c.var.principal, {
    limited: field(form, "mode") === "limite",
    days,
  });
  if (saved.ok) return c.redirect("/messagerie/regles?fait=horaires", 303);
  if ("forbidden" in saved) return renderError(c, 403);
  const page = await rulesPage(c.var.deps, c.var.principal);
  if (!page) return renderError(c, 403);
  return renderPage(
    c,
    <RulesPage
      chrome={chromeFor(c, t("message.rules.title"), "message.help")}
      rules={page.rules}
      saved={false}
      hours={null}
      badDays={saved.badDays}
    />,
    422,
  );
});

messageRoutes.post("/messagerie/regles", async (c) => {
  const form = await readForm(c);
  const saved = await rulesSaver(c.var.deps, c.var.principal, new Set(fieldList(form, "regles")));
  return saved ? c.redirect("/messagerie/regles?fait=1", 303) : renderError(c, 403);
});

// ——— Moderation (52B) and suspensions (52E)

messageRoutes.post("/messagerie/suspensions", async (c) => {
  const f = readWith(SuspensionForm, fieldsOf(await readForm(c), SuspensionForm));
  const done = await pupilSuspender(c.var.deps, c.var.principal, f.eleve, Number(f.jours));
  if (done === "forbidden") return renderError(c, 403);
  return c.redirect(
    done === "done" ? "/messagerie/moderation?fait=suspendu" : "/messagerie/moderation?erreur=suspension",
    303,
  );
});

messageRoutes.post("/messagerie/suspensions/:userId/lever", async (c) => {
  const lifted = await suspensionLifter(c.var.deps, c.var.principal, c.req.param("userId"));
  return lifted ? c.redirect("/messagerie/moderation?fait=leve", 303) : renderError(c, 404);
});

messageRoutes.get("/messagerie/moderation", async (c) => {
  const page = await moderationPage(c.var.deps, c.var.principal);
  if (!page) return renderError(c, 403);
  return renderPage(
    c,
    <ModerationPage
      chrome={chromeFor(c, t("message.moderation.title"), "message.help")}
      lines={page.lines}
      timeZone={c.var.deps.timeZone}
      rulesEditor={page.rulesEditor}
      notice={noticeOf(c)}
      error={c.req.query("erreur") === "suspension"}
      pupils={page.pupils}
      suspensions={page.suspensions}
    />,
  );
});

messageRoutes.get("/messagerie/moderation/:id", async (c) => {
  const message = await moderatedMessage(c.var.deps, c.var.principal, c.req.param("id"));
  if (!message) return renderError(c, 404);
  return renderPage(
    c,
    <ModeratedMessagePage
      chrome={chromeFor(c, message.subject, "message.help")}
      message={message}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

// ——— One message

messageRoutes.get("/messagerie/:id", async (c) => {
  const p = c.var.principal;
  const message = await readMessage(c.var.deps, p, c.req.param("id"));
  if (!message) return renderError(c, 404);
  return renderPage(
    c,
    <MessagePage
      chrome={chromeFor(c, message.subject, "message.help")}
      message={message}
      notice={noticeOf(c)}
      moderator={moderatorHere(p)}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

messageRoutes.get("/messagerie/:id/pieces/:attachment", async (c) => {
  const file = await attachmentFor(c.var.deps, c.var.principal, c.req.param("id"), c.req.param("attachment"));
  if (!file) return renderError(c, 404);
  // Always a download, never rendered in the hub's origin; the name is kept readable and safe for the header.
  const ascii = file.name
    .normalize("NFKD")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  return new Response(file.data as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": file.type,
      "content-length": String(file.data.length),
      "x-content-type-options": "nosniff",
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "cache-control": "private, no-store",
    },
  });
});

messageRoutes.post("/messagerie/:id/corbeille", async (c) => {
  const restore = field(await readForm(c), "retour") === "1";
  const id = c.req.param("id");
  if (!(await trashMessage(c.var.deps, c.var.principal, id, restore))) return renderError(c, 404);
  return c.redirect(restore ? `/messagerie/${id}?fait=retabli` : "/messagerie?fait=corbeille", 303);
});

messageRoutes.post("/messagerie/:id/signaler", async (c) => {
  const id = c.req.param("id");
  if (!(await reportMessage(c.var.deps, c.var.principal, id))) return renderError(c, 404);
  return c.redirect(`/messagerie/${id}?fait=signale`, 303);
});

// ——— 52G: the académie closes sending for some profiles or everyone, once or every week

async function showBlocks(c: Ctx, errors?: BlockError[]) {
  const blocks = await blocksPage(c.var.deps, c.var.principal);
  if (!blocks) return renderError(c, 403);
  return renderPage(
    c,
    <BlocksPage
      chrome={chromeFor(c, t("message.blocks.title"), "message.help")}
      blocks={blocks}
      timeZone={c.var.deps.timeZone}
      notice={noticeOf(c)}
      errors={errors}
    />,
    errors ? 422 : 200,
  );
}

messageRoutes.get("/admin/messagerie", (c) => showBlocks(c));

messageRoutes.post("/admin/messagerie", async (c) => {
  const form = await readForm(c);
  const f = readWith(BlockForm, fieldsOf(form, BlockForm));
  const added = await blockAdder(c.var.deps, c.var.principal, {
    profiles: fieldList(form, "profils"),
    kind: f.type,
    startsAt: f.debut,
    endsAt: f.fin,
    days: fieldList(form, "jours"),
    fromTime: f.de,
    toTime: f.a,
  });
  if (added.ok) return c.redirect("/admin/messagerie?fait=bloque_academie", 303);
  return "forbidden" in added ? renderError(c, 403) : showBlocks(c, added.errors);
});

messageRoutes.post("/admin/messagerie/:id/retirer", async (c) => {
  const removed = await blockRemover(c.var.deps, c.var.principal, c.req.param("id"));
  if (removed === "forbidden") return renderError(c, 403);
  return removed === "done" ? c.redirect("/admin/messagerie?fait=retire", 303) : renderError(c, 404);
});
