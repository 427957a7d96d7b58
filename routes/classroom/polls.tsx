// Polls (54D): /sondages — the list, the form, the vote and the results. Parsing and rendering only:
// src/services/classroom/polls.ts decides, src/policy/classroom.ts says who may.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldList, fieldsOf, readForm } from "../../src/http/forms";
import {
  POLL_STATES,
  pollCreator,
  pollFormOptions,
  pollList,
  pollView,
  pollVoter,
} from "../../src/services/classroom/polls";
import { PollFormPage, PollPage, PollsPage, type PollDraft } from "../../views/classroom/polls";
import { bounded, boundedList, Checkbox, choice, readWith, searchWords } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const pollRoutes = signedInRoutes("/sondages");

const NOTICES: Record<string, MessageKey> = { cree: "poll.created", vote: "poll.thanks" };

/** The poll's form, its texts bounded above the service's limits (the service names the field that is wrong). */
const PollForm = v.object({
  question: bounded(1000),
  choix: bounded(5000),
  plusieurs: Checkbox,
  anonyme: Checkbox,
  fin: bounded(20),
  ecole: bounded(20),
});

pollRoutes.get("/sondages", async (c) => {
  const filter = {
    words: v.parse(searchWords(100), c.req.query("q")),
    state: choice(POLL_STATES, c.req.query("etat"), "all"),
  };
  const { polls, canCreate } = await pollList(c.var.deps, c.var.principal, filter);
  return renderPage(
    c,
    <PollsPage
      chrome={chromeFor(c, t("poll.title"), "poll.help")}
      polls={polls}
      canCreate={canCreate}
      filter={filter}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

async function showForm(c: Context<SignedInEnv>, draft: PollDraft, errors?: string[]) {
  const options = await pollFormOptions(c.var.deps, c.var.principal, c.req.query("ecole") ?? null);
  if (!options) return renderError(c, 403);
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
  const f = readWith(PollForm, fieldsOf(form, PollForm));
  const draft: PollDraft = {
    question: f.question,
    options: f.choix,
    multiple: f.plusieurs,
    anonymous: f.anonyme,
    closes: f.fin,
    recipientIds: boundedList(fieldList(form, "destinataires"), 1000),
    groupKeys: boundedList(fieldList(form, "groupes"), 100),
  };
  const result = await pollCreator(c.var.deps, c.var.principal, { ...draft, uai: f.ecole || null });
  if (result.ok) return c.redirect(`/sondages/${result.id}?fait=cree`, 303);
  if ("forbidden" in result) return renderError(c, 403);
  return showForm(c, draft, result.issues);
});

async function showPoll(c: Context<SignedInEnv>, error?: MessageKey) {
  const poll = await pollView(c.var.deps, c.var.principal, c.req.param("id")!);
  if (!poll) return renderError(c, 404);
  return renderPage(
    c,
    <PollPage
      chrome={chromeFor(c, poll.question, "poll.help")}
      poll={poll}
      timeZone={c.var.deps.timeZone}
      notice={error ? undefined : NOTICES[c.req.query("fait") ?? ""]}
      error={error}
    />,
    error ? 422 : 200,
  );
}

pollRoutes.get("/sondages/:id", (c) => showPoll(c));

pollRoutes.post("/sondages/:id/vote", async (c) => {
  const form = await readForm(c);
  const choices = boundedList(fieldList(form, "choix"), 20).map((x) => Number(x));
  const result = await pollVoter(c.var.deps, c.var.principal, c.req.param("id"), choices);
  if (result.ok) return c.redirect(`/sondages/${c.req.param("id")}?fait=vote`, 303);
  if ("notFound" in result) return renderError(c, 404);
  return showPoll(c, `poll.error.${result.issue}` as MessageKey);
});
