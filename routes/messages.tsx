// Messaging (52A–52D, 614A): folders, composing, reading, trash, reports, moderation. Parsing and rendering only;
// src/services/messages.ts decides (communication rules, insult filter, who moderates).
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../src/i18n";
import type { AppEnv } from "../src/http/env";
import { chromeFor, renderError, renderPage } from "../src/http/render";
import { field, fieldList, readForm } from "../src/http/forms";
import { withTenant } from "../db/client";
import { scopeOf } from "../src/services/principal";
import {
  composeOptions, mailbox, messageSender, moderatedMessage, moderates, moderationQueue, readMessage, reportMessage, trashMessage,
  type Folder, type MessageDeps,
} from "../src/services/messages";
import { ComposePage, MailboxPage, MessagePage, ModeratedMessagePage, ModerationPage, RulesPage } from "../views/messages/messages";
import { saveSchoolRules, schoolRules } from "../src/services/communication-rules";
import { can } from "../src/services/policy";
import { audit } from "../src/services/audit";
import { requireUser } from "./guards";

export const messageRoutes = new Hono<AppEnv>();
messageRoutes.use("/messagerie", requireUser);
messageRoutes.use("/messagerie/*", requireUser);

const depsOf = (c: Context<AppEnv>): MessageDeps => ({ db: c.var.platform.db, now: c.var.platform.clock.now(), ip: c.var.ip });
const NOTICES: Record<string, MessageKey> = {
  envoye: "message.sent", bloque: "message.blocked", corbeille: "message.trashed", retabli: "message.restored", signale: "message.reported",
};
const isModerator = (c: Context<AppEnv>) => {
  const p = c.var.principal!;
  return p.activeUai !== null && moderates(p, p.activeUai);
};

async function showFolder(c: Context<AppEnv>, folder: Folder, title: MessageKey) {
  const p = c.var.principal!;
  const search = (c.req.query("q") ?? "").slice(0, 100);
  const lines = await withTenant(c.var.platform.db, scopeOf(p), (tx) => mailbox(tx, p, folder, search));
  return renderPage(c, <MailboxPage chrome={chromeFor(c, t(title), "message.help")} folder={folder} lines={lines} search={search}
    notice={NOTICES[c.req.query("fait") ?? ""]} moderator={isModerator(c)} timeZone={c.var.platform.config.timeZone} />);
}

messageRoutes.get("/messagerie", (c) => showFolder(c, "inbox", "message.folder.inbox"));
messageRoutes.get("/messagerie/envoyes", (c) => showFolder(c, "sent", "message.folder.sent"));
messageRoutes.get("/messagerie/corbeille", (c) => showFolder(c, "trash", "message.folder.trash"));

messageRoutes.get("/messagerie/nouveau", async (c) => {
  const p = c.var.principal!;
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => composeOptions(tx, p, c.req.query("ecole") ?? null));
  if (!options) return renderError(c, 403);
  // "Reply": the sender of a message the user received, preselected when the rules allow it.
  const to = c.req.query("a") ?? "";
  const draft = { subject: (c.req.query("objet") ?? "").slice(0, 200), body: "", groupKeys: [],
    recipientIds: options.contacts.some((x) => x.id === to) ? [to] : [] };
  return renderPage(c, <ComposePage chrome={chromeFor(c, t("message.compose.title"), "message.help")} options={options} draft={draft}
    moderator={isModerator(c)} />);
});

messageRoutes.post("/messagerie/nouveau", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const draft = { subject: field(form, "objet"), body: field(form, "texte"), recipientIds: fieldList(form, "destinataires"),
    groupKeys: fieldList(form, "groupes"), uai: field(form, "ecole") || null };
  const outcome = await messageSender(depsOf(c), p, draft);
  if (outcome.kind === "sent") return c.redirect("/messagerie/envoyes?fait=envoye", 303);
  if (outcome.kind === "forbidden") return renderError(c, 403);
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => composeOptions(tx, p, draft.uai));
  if (!options) return renderError(c, 403);
  // 52C: the pupil keeps their text to rewrite it, and is told kindly; nothing was sent.
  if (outcome.kind === "blocked") {
    return renderPage(c, <ComposePage chrome={chromeFor(c, t("message.compose.title"), "message.help")} options={options} draft={draft}
      moderator={false} blocked />, 422);
  }
  return renderPage(c, <ComposePage chrome={chromeFor(c, t("message.compose.title"), "message.help")} options={options} draft={draft}
    errors={outcome.errors} moderator={isModerator(c)} />, 422);
});

// 614B: the school's director sets who may write to whom in the school.
function rulesSchool(c: Context<AppEnv>): string | null {
  const p = c.var.principal!;
  return p.activeUai && can(p, "school.configure", { kind: "school", uai: p.activeUai }) ? p.activeUai : null;
}

messageRoutes.get("/messagerie/regles", async (c) => {
  const uai = rulesSchool(c);
  if (!uai) return renderError(c, 403);
  const rules = await withTenant(c.var.platform.db, scopeOf(c.var.principal!), (tx) => schoolRules(tx, uai));
  return renderPage(c, <RulesPage chrome={chromeFor(c, t("message.rules.title"), "message.help")} rules={rules} saved={c.req.query("fait") === "1"} />);
});

messageRoutes.post("/messagerie/regles", async (c) => {
  const uai = rulesSchool(c);
  if (!uai) return renderError(c, 403);
  const p = c.var.principal!;
  const form = await readForm(c);
  const chosen = new Set(fieldList(form, "regles"));
  const now = c.var.platform.clock.now();
  await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    await saveSchoolRules(tx, uai, chosen);
    await audit(tx, { at: now, actorId: p.userId, action: "communication_rules.saved", target: uai, uai, ip: c.var.ip,
      details: { allowed: [...chosen].sort() } });
  });
  return c.redirect("/messagerie/regles?fait=1", 303);
});

messageRoutes.get("/messagerie/moderation", async (c) => {
  const p = c.var.principal!;
  if (!isModerator(c)) return renderError(c, 403);
  const lines = await withTenant(c.var.platform.db, scopeOf(p), (tx) => moderationQueue(tx, p, p.activeUai!));
  return renderPage(c, <ModerationPage chrome={chromeFor(c, t("message.moderation.title"), "message.help")} lines={lines}
    timeZone={c.var.platform.config.timeZone} rulesEditor={rulesSchool(c) !== null} />);
});

messageRoutes.get("/messagerie/moderation/:id", async (c) => {
  const p = c.var.principal!;
  const message = await withTenant(c.var.platform.db, scopeOf(p), (tx) => moderatedMessage(tx, p, c.req.param("id")));
  if (!message) return renderError(c, 404);
  return renderPage(c, <ModeratedMessagePage chrome={chromeFor(c, message.subject, "message.help")} message={message}
    timeZone={c.var.platform.config.timeZone} />);
});

messageRoutes.get("/messagerie/:id", async (c) => {
  const p = c.var.principal!;
  const message = await readMessage(depsOf(c), p, c.req.param("id"));
  if (!message) return renderError(c, 404);
  return renderPage(c, <MessagePage chrome={chromeFor(c, message.subject, "message.help")} message={message}
    notice={NOTICES[c.req.query("fait") ?? ""]} moderator={isModerator(c)} timeZone={c.var.platform.config.timeZone} />);
});

messageRoutes.post("/messagerie/:id/corbeille", async (c) => {
  const form = await readForm(c);
  const restore = field(form, "retour") === "1";
  const id = c.req.param("id");
  if (!(await trashMessage(depsOf(c), c.var.principal!, id, restore))) return renderError(c, 404);
  return c.redirect(restore ? `/messagerie/${id}?fait=retabli` : "/messagerie?fait=corbeille", 303);
});

messageRoutes.post("/messagerie/:id/signaler", async (c) => {
  const id = c.req.param("id");
  if (!(await reportMessage(depsOf(c), c.var.principal!, id))) return renderError(c, 404);
  return c.redirect(`/messagerie/${id}?fait=signale`, 303);
});
