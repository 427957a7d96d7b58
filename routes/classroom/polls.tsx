// Polls (54D): /sondages — the list, the form, the vote and the results.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, fieldList, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { composeOptions } from "../../src/services/messaging/messages";
import {
  mayCreatePolls,
  myPolls,
  POLL_STATES,
  type PollFilter,
  pollCreator,
  pollView,
  pollVoter,
  type PollDeps,
} from "../../src/services/classroom/polls";
import { PollFormPage, PollPage, PollsPage, type PollDraft } from "../../views/classroom/polls";
import { requireUser } from "../guards";

export const pollRoutes = new Hono<AppEnv>();
pollRoutes.use("/sondages", requireUser);
pollRoutes.use("/sondages/*", requireUser);

const depsOf = (c: Context<AppEnv>): PollDeps => ({
  db: c.var.platform.db,
  now: c.var.platform.clock.now(),
  ip: c.var.ip,
  timeZone: c.var.platform.config.timeZone,
  delivery: { baseUrl: c.var.platform.config.publicUrl, timeZone: c.var.platform.config.timeZone },
});
const NOTICES: Record<string, MessageKey> = { cree: "poll.created", vote: "poll.thanks" };

pollRoutes.get("/sondages", async (c) => {
  const p = c.var.principal!;
  const asked = c.req.query("etat") as PollFilter["state"] | undefined;
  const filter: PollFilter = {
    words: (c.req.query("q") ?? "").slice(0, 100),
    state: asked && POLL_STATES.includes(asked) ? asked : "all",
  };
  const polls = await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    myPolls(tx, p, c.var.platform.clock.now(), filter),
  );
  return renderPage(
    c,
    <PollsPage
      chrome={chromeFor(c, t("poll.title"), "poll.help")}
      polls={polls}
      canCreate={mayCreatePolls(p)}
      filter={filter}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
});

async function showForm(c: Context<AppEnv>, draft: PollDraft, errors?: string[]) {
  const p = c.var.principal!;
  const options = await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    composeOptions(tx, p, c.req.query("ecole") ?? null),
  );
  if (!options || !mayCreatePolls(p)) return renderError(c, 403);
  return renderPage(
    c,
    <PollFormPage chrome={chromeFor(c, t("poll.new"), "poll.help")} options={options} draft={draft} errors={errors} />,
    errors ? 422 : 200,
  );
}

pollRoutes.get("/sondages/nouveau", (c) =>
  showForm(c, {
    question: "",
    options: "",
    multiple: false,
    anonymous: false,
    closes: "",
    recipientIds: [],
    groupKeys: [],
  }),
);

pollRoutes.post("/sondages/nouveau", async (c) => {
  const form = await readForm(c);
  const draft: PollDraft = {
    question: field(form, "question").slice(0, 1000),
    options: field(form, "choix").slice(0, 5000),
    multiple: field(form, "plusieurs") === "1",
    anonymous: field(form, "anonyme") === "1",
    closes: field(form, "fin").slice(0, 20),
    recipientIds: fieldList(form, "destinataires").slice(0, 1000),
    groupKeys: fieldList(form, "groupes").slice(0, 100),
  };
  const result = await pollCreator(depsOf(c), c.var.principal!, { ...draft, uai: field(form, "ecole") || null });
  if (result.ok) return c.redirect(`/sondages/${result.id}?fait=cree`, 303);
  if ("forbidden" in result) return renderError(c, 403);
  return showForm(c, draft, result.issues);
});

pollRoutes.get("/sondages/:id", async (c) => {
  const poll = await pollView(depsOf(c), c.var.principal!, c.req.param("id"));
  if (!poll) return renderError(c, 404);
  return renderPage(
    c,
    <PollPage
      chrome={chromeFor(c, poll.question, "poll.help")}
      poll={poll}
      timeZone={c.var.platform.config.timeZone}
      notice={NOTICES[c.req.query("fait") ?? ""]}
    />,
  );
});

pollRoutes.post("/sondages/:id/vote", async (c) => {
  const form = await readForm(c);
  const result = await pollVoter(
    depsOf(c),
    c.var.principal!,
    c.req.param("id"),
    fieldList(form, "choix")
      .slice(0, 20)
      .map((x) => Number(x)),
  );
  if (result.ok) return c.redirect(`/sondages/${c.req.param("id")}?fait=vote`, 303);
  if ("notFound" in result) return renderError(c, 404);
  const poll = await pollView(depsOf(c), c.var.principal!, c.req.param("id"));
  if (!poll) return renderError(c, 404);
  return renderPage(
    c,
    <PollPage
      chrome={chromeFor(c, poll.question, "poll.help")}
      poll={poll}
      timeZone={c.var.platform.config.timeZone}
      error={`poll.error.${result.issue}` as MessageKey}
    />,
    422,
  );
});
