// Messaging (52A–52D, 614A): folders, composing, reading, trash, reports, moderation. Parsing and rendering only;
// src/services/messaging/messages.ts decides (communication rules, insult filter, who moderates).
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, readFiles, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import {
  attachmentFor,
  composeOptions,
  draftOf,
  draftRemover,
  draftSaver,
  mailbox,
  messageSender,
  moderatedMessage,
  moderates,
  moderationQueue,
  readMessage,
  reportMessage,
  trashMessage,
  type Folder,
  type MessageDeps,
} from "../../src/services/messaging/messages";
import type { BlockError } from "../../src/services/messaging/messaging-restrictions";
import {
  BlocksPage,
  ComposePage,
  MailboxPage,
  MessagePage,
  ModeratedMessagePage,
  ModerationPage,
  RulesPage,
} from "../../views/messaging/messages";
import { reachableContacts, saveSchoolRules, schoolRules } from "../../src/services/messaging/communication-rules";
import {
  addBlock,
  academieBlocks,
  currentSuspensions,
  liftSuspension,
  mayBlockMessaging,
  maySuspend,
  messagingHoursOf,
  messagingRestriction,
  parseBlock,
  removeBlock,
  saveMessagingHours,
  suspendMessaging,
} from "../../src/services/messaging/messaging-restrictions";
import { DAY_KEYS, parseWeeklyHours } from "../../src/services/access-hours";
import { zonedToUtc } from "../../src/time";
import { can } from "../../src/policy";
import { audit } from "../../src/services/audit";
import { requireUser } from "../guards";

export const messageRoutes = new Hono<AppEnv>();
messageRoutes.use("/messagerie", requireUser);
messageRoutes.use("/messagerie/*", requireUser);

const depsOf = (c: Context<AppEnv>): MessageDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
  blobs: c.var.platform.blobs,
  hourly: { pupil: c.var.platform.config.messaging.pupilHourly, other: c.var.platform.config.messaging.adultHourly },
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
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
const isModerator = (c: Context<AppEnv>) => {
  const p = c.var.principal!;
  return p.activeUai !== null && moderates(p, p.activeUai);
};

async function showFolder(c: Context<AppEnv>, folder: Folder, title: MessageKey) {
  const p = c.var.principal!;
  const search = (c.req.query("q") ?? "").slice(0, 100);
  const page = Number(c.req.query("page") ?? "1");
  const unread = folder === "inbox" && c.req.query("non_lus") === "1";
  const slice = await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    mailbox(tx, p, folder, search, c.var.platform.clock.now(), page, unread),
  );
  return renderPage(
    c,
    <MailboxPage
      chrome={chromeFor(c, t(title), "message.help")}
      folder={folder}
      slice={slice}
      search={search}
      unread={unread}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      moderator={isModerator(c)}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
}

messageRoutes.get("/messagerie", (c) => showFolder(c, "inbox", "message.folder.inbox"));
messageRoutes.get("/messagerie/envoyes", (c) => showFolder(c, "sent", "message.folder.sent"));
messageRoutes.get("/messagerie/corbeille", (c) => showFolder(c, "trash", "message.folder.trash"));
messageRoutes.get("/messagerie/brouillons", (c) => showFolder(c, "drafts", "message.folder.drafts"));

messageRoutes.post("/messagerie/brouillons/:id/supprimer", async (c) => {
  const removed = await draftRemover(depsOf(c), c.var.principal!, c.req.param("id"));
  return removed ? c.redirect("/messagerie/brouillons?fait=brouillon_supprime", 303) : renderError(c, 404);
});

messageRoutes.get("/messagerie/nouveau", async (c) => {
  const p = c.var.principal!;
  const draftId = c.req.query("brouillon");
  const found = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    const saved = draftId ? await draftOf(tx, p, draftId) : null;
    const o = await composeOptions(tx, p, saved?.uai ?? c.req.query("ecole") ?? null);
    return {
      saved,
      options: o,
      restriction: o
        ? await messagingRestriction(tx, p, o.uai, c.var.platform.clock.now(), c.var.platform.config.timeZone)
        : null,
    };
  });
  const { options, restriction, saved } = found;
  if (!options || (draftId && !saved)) return renderError(c, draftId && options ? 404 : 403);
  // "Reply": the sender of a message the user received, preselected when the rules allow it.
  const to = c.req.query("a") ?? "";
  const draft = saved
    ? {
        subject: saved.subject,
        body: saved.body,
        groupKeys: saved.fields.groupKeys,
        recipientIds: saved.fields.recipientIds,
        sendAt: saved.fields.sendAt,
        receipt: saved.fields.receipt,
        draftId: saved.id,
      }
    : {
        subject: (c.req.query("objet") ?? "").slice(0, 200),
        body: "",
        groupKeys: [],
        recipientIds: options.contacts.some((x) => x.id === to) ? [to] : [],
      };
  return renderPage(
    c,
    <ComposePage
      chrome={chromeFor(c, t("message.compose.title"), "message.help")}
      options={options}
      draft={draft}
      moderator={isModerator(c)}
      restriction={restriction}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
});

messageRoutes.post("/messagerie/nouveau", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const sendAtText = field(form, "envoi").trim();
  const draft = {
    subject: field(form, "objet"),
    body: field(form, "texte"),
    recipientIds: fieldList(form, "destinataires"),
    groupKeys: fieldList(form, "groupes"),
    uai: field(form, "ecole") || null,
    sendAt: sendAtText,
    receipt: field(form, "accuse") === "1",
    draftId: field(form, "brouillon") || null,
  };
  if (field(form, "action") === "brouillon") {
    const saved = await draftSaver(depsOf(c), p, draft);
    if (saved.ok) return c.redirect("/messagerie/brouillons?fait=brouillon", 303);
    if ("forbidden" in saved) return renderError(c, 403);
    const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => composeOptions(tx, p, draft.uai));
    if (!options) return renderError(c, 403);
    return renderPage(
      c,
      <ComposePage
        chrome={chromeFor(c, t("message.compose.title"), "message.help")}
        options={options}
        draft={draft}
        draftErrors={saved.errors}
        moderator={isModerator(c)}
        timeZone={c.var.platform.config.timeZone}
      />,
      422,
    );
  }
  const sendAt = sendAtText
    ? /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(sendAtText)
      ? zonedToUtc(sendAtText, c.var.platform.config.timeZone)
      : new Date(Number.NaN)
    : null;
  const outcome =
    sendAt && Number.isNaN(sendAt.getTime())
      ? { kind: "invalid" as const, errors: ["send_at_invalid" as const] }
      : await messageSender(depsOf(c), p, {
          ...draft,
          sendAt,
          attachments: await Promise.all(
            (await readFiles(c, "pieces")).map(async (f) => ({
              name: f.name,
              data: new Uint8Array(await f.arrayBuffer()),
            })),
          ),
        });
  if (outcome.kind === "sent") return c.redirect("/messagerie/envoyes?fait=envoye", 303);
  if (outcome.kind === "scheduled") return c.redirect("/messagerie/envoyes?fait=programme", 303);
  if (outcome.kind === "forbidden") return renderError(c, 403);
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) => composeOptions(tx, p, draft.uai));
  if (!options) return renderError(c, 403);
  // 52C: the pupil keeps their text to rewrite it, and is told kindly; nothing was sent.
  if (outcome.kind === "blocked") {
    return renderPage(
      c,
      <ComposePage
        chrome={chromeFor(c, t("message.compose.title"), "message.help")}
        options={options}
        draft={draft}
        moderator={false}
        blocked
        timeZone={c.var.platform.config.timeZone}
      />,
      422,
    );
  }
  // 52E–52G: closed for this user now; what they wrote stays on the page.
  if (outcome.kind === "restricted") {
    return renderPage(
      c,
      <ComposePage
        chrome={chromeFor(c, t("message.compose.title"), "message.help")}
        options={options}
        draft={draft}
        moderator={isModerator(c)}
        restriction={outcome.restriction}
        timeZone={c.var.platform.config.timeZone}
      />,
      403,
    );
  }
  return renderPage(
    c,
    <ComposePage
      chrome={chromeFor(c, t("message.compose.title"), "message.help")}
      options={options}
      draft={draft}
      errors={outcome.errors}
      moderator={isModerator(c)}
      timeZone={c.var.platform.config.timeZone}
    />,
    422,
  );
});

// 614B: the school's director sets who may write to whom in the school.
function rulesSchool(c: Context<AppEnv>): string | null {
  const p = c.var.principal!;
  return p.activeUai && can(p, "school.configure", { kind: "school", uai: p.activeUai }) ? p.activeUai : null;
}

messageRoutes.get("/messagerie/regles", async (c) => {
  const uai = rulesSchool(c);
  if (!uai) return renderError(c, 403);
  const { rules, hours } = await withTenant(c.var.platform.db, scopeOf(c.var.principal!), async (tx) => ({
    rules: await schoolRules(tx, uai),
    hours: await messagingHoursOf(tx, uai),
  }));
  return renderPage(
    c,
    <RulesPage
      chrome={chromeFor(c, t("message.rules.title"), "message.help")}
      rules={rules}
      saved={c.req.query("fait") === "1"}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      hours={hours}
    />,
  );
});

// 52F: the director opens sending to pupils and families at set hours, or at any time.
messageRoutes.post("/messagerie/horaires", async (c) => {
  const uai = rulesSchool(c);
  if (!uai) return renderError(c, 403);
  const p = c.var.principal!;
  const form = await readForm(c);
  const input = Object.fromEntries(
    DAY_KEYS.map((d) => [
      d,
      { open: field(form, `ouvert-${d}`) === "1", from: field(form, `de-${d}`), to: field(form, `a-${d}`) },
    ]),
  );
  const parsed = field(form, "mode") === "limite" ? parseWeeklyHours(input) : { ok: true as const, hours: null };
  const now = c.var.platform.clock.now();
  if (!parsed.ok) {
    const rules = await withTenant(c.var.platform.db, scopeOf(p), (tx) => schoolRules(tx, uai));
    return renderPage(
      c,
      <RulesPage
        chrome={chromeFor(c, t("message.rules.title"), "message.help")}
        rules={rules}
        saved={false}
        hours={null}
        badDays={parsed.badDays}
      />,
      422,
    );
  }
  await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    await saveMessagingHours(tx, uai, parsed.hours);
    await audit(tx, {
      at: now,
      actorId: p.userId,
      action: "messaging_hours.saved",
      target: uai,
      uai,
      ip: c.var.ip,
      details: { hours: parsed.hours },
    });
  });
  return c.redirect("/messagerie/regles?fait=horaires", 303);
});

// 52E: a teacher (their pupils) or the director (the school's) suspends a pupil's messaging for a set number of days.
messageRoutes.post("/messagerie/suspensions", async (c) => {
  const p = c.var.principal!;
  if (!isModerator(c)) return renderError(c, 403);
  const form = await readForm(c);
  const pupilId = field(form, "eleve");
  const days = Number(field(form, "jours"));
  const now = c.var.platform.clock.now();
  const done =
    /^[0-9a-f-]{36}$/.test(pupilId) &&
    (await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
      if (!(await suspendMessaging(tx, p, p.activeUai!, pupilId, days, now))) return false;
      await audit(tx, {
        at: now,
        actorId: p.userId,
        action: "messaging.suspended",
        target: pupilId,
        uai: p.activeUai,
        ip: c.var.ip,
        details: { days },
      });
      return true;
    }));
  return c.redirect(done ? "/messagerie/moderation?fait=suspendu" : "/messagerie/moderation?erreur=suspension", 303);
});

messageRoutes.post("/messagerie/suspensions/:userId/lever", async (c) => {
  const p = c.var.principal!;
  const pupilId = c.req.param("userId");
  if (!isModerator(c) || !/^[0-9a-f-]{36}$/.test(pupilId)) return renderError(c, 404);
  const now = c.var.platform.clock.now();
  const done = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    if (!(await liftSuspension(tx, p, p.activeUai!, pupilId))) return false;
    await audit(tx, {
      at: now,
      actorId: p.userId,
      action: "messaging.suspension_lifted",
      target: pupilId,
      uai: p.activeUai,
      ip: c.var.ip,
    });
    return true;
  });
  return done ? c.redirect("/messagerie/moderation?fait=leve", 303) : renderError(c, 404);
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
    await audit(tx, {
      at: now,
      actorId: p.userId,
      action: "communication_rules.saved",
      target: uai,
      uai,
      ip: c.var.ip,
      details: { allowed: [...chosen].sort() },
    });
  });
  return c.redirect("/messagerie/regles?fait=1", 303);
});

messageRoutes.get("/messagerie/moderation", async (c) => {
  const p = c.var.principal!;
  if (!isModerator(c)) return renderError(c, 403);
  const uai = p.activeUai!;
  const now = c.var.platform.clock.now();
  const { lines, pupils, suspensions } = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    const contacts = await reachableContacts(tx, p, uai);
    const candidates = contacts.filter((x) => x.profiles.includes("pupil"));
    const allowed = [];
    for (const x of candidates)
      if (await maySuspend(tx, p, uai, x.id)) allowed.push({ id: x.id, name: `${x.firstName} ${x.lastName}` });
    return {
      lines: await moderationQueue(tx, p, uai),
      pupils: allowed,
      suspensions: await currentSuspensions(tx, p, uai, now),
    };
  });
  return renderPage(
    c,
    <ModerationPage
      chrome={chromeFor(c, t("message.moderation.title"), "message.help")}
      lines={lines}
      timeZone={c.var.platform.config.timeZone}
      rulesEditor={rulesSchool(c) !== null}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      error={c.req.query("erreur") === "suspension"}
      pupils={pupils}
      suspensions={suspensions}
    />,
  );
});

messageRoutes.get("/messagerie/moderation/:id", async (c) => {
  const p = c.var.principal!;
  const message = await withTenant(c.var.platform.db, scopeOf(p), (tx) => moderatedMessage(tx, p, c.req.param("id")));
  if (!message) return renderError(c, 404);
  return renderPage(
    c,
    <ModeratedMessagePage
      chrome={chromeFor(c, message.subject, "message.help")}
      message={message}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
});

messageRoutes.get("/messagerie/:id", async (c) => {
  const p = c.var.principal!;
  const message = await readMessage(depsOf(c), p, c.req.param("id"));
  if (!message) return renderError(c, 404);
  return renderPage(
    c,
    <MessagePage
      chrome={chromeFor(c, message.subject, "message.help")}
      message={message}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      moderator={isModerator(c)}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
});

messageRoutes.get("/messagerie/:id/pieces/:attachment", async (c) => {
  const file = await attachmentFor(depsOf(c), c.var.principal!, c.req.param("id"), c.req.param("attachment"));
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

// 52G: the académie closes sending for some profiles or everyone, once or every week.
messageRoutes.use("/admin/messagerie", requireUser);
messageRoutes.use("/admin/messagerie/*", requireUser);

async function showBlocks(c: Context<AppEnv>, extra: { errors?: BlockError[] } = {}, status: 200 | 422 = 200) {
  const blocks = await withTenant(c.var.platform.db, scopeOf(c.var.principal!), (tx) => academieBlocks(tx));
  return renderPage(
    c,
    <BlocksPage
      chrome={chromeFor(c, t("message.blocks.title"), "message.help")}
      blocks={blocks}
      timeZone={c.var.platform.config.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
      errors={extra.errors}
    />,
    status,
  );
}

messageRoutes.get("/admin/messagerie", (c) =>
  mayBlockMessaging(c.var.principal!) ? showBlocks(c) : renderError(c, 403),
);

messageRoutes.post("/admin/messagerie", async (c) => {
  const p = c.var.principal!;
  if (!mayBlockMessaging(p)) return renderError(c, 403);
  const form = await readForm(c);
  const parsed = parseBlock(
    {
      profiles: fieldList(form, "profils"),
      kind: field(form, "type"),
      startsAt: field(form, "debut"),
      endsAt: field(form, "fin"),
      days: fieldList(form, "jours"),
      fromTime: field(form, "de"),
      toTime: field(form, "a"),
    },
    c.var.platform.config.timeZone,
  );
  if (!parsed.ok) return showBlocks(c, { errors: parsed.errors }, 422);
  const now = c.var.platform.clock.now();
  await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    const id = await addBlock(tx, p, parsed.value, now);
    await audit(tx, {
      at: now,
      actorId: p.userId,
      action: "messaging.blocked",
      target: id,
      ip: c.var.ip,
      details: { profiles: parsed.value.profiles, kind: parsed.value.kind },
    });
  });
  return c.redirect("/admin/messagerie?fait=bloque_academie", 303);
});

messageRoutes.post("/admin/messagerie/:id/retirer", async (c) => {
  const p = c.var.principal!;
  if (!mayBlockMessaging(p)) return renderError(c, 403);
  const now = c.var.platform.clock.now();
  const id = c.req.param("id");
  const done = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    if (!(await removeBlock(tx, id))) return false;
    await audit(tx, { at: now, actorId: p.userId, action: "messaging.unblocked", target: id, ip: c.var.ip });
    return true;
  });
  return done ? c.redirect("/admin/messagerie?fait=retire", 303) : renderError(c, 404);
});
