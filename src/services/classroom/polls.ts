// Polls (54D): everyone but pupils asks a question of people they may reach — the messaging rules decide, with the
// same people and class groups as a message; single or multiple choice; anonymous or not; until a closing time.
// The audience votes once; the author sees results as they come, voters once they have voted, everyone after closing.
import { sql } from "drizzle-orm";
import { containsPattern, rowsOf, type Tx } from "../../../db/client";
import { can } from "../../policy";
import { zonedToUtc } from "../../time";
import { isId, isLocalDateTime } from "../../validation";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { chosenRecipients, composeOptions, sendingSchool, type ComposeOptions } from "../messaging/messages";
import { notifyFromUserScope } from "../notifications/notifications";
import type { Principal } from "../principal";

export const LIMITS = { question: 200, option: 100, minOptions: 2, maxOptions: 10, maxDays: 90 };

/** Whether the user creates polls (poll.create). */
const mayCreate = (p: Principal) => can(p, "poll.create", { kind: "platform" });

/** The people and class groups the poll form offers (the messaging rules'), or null when the user may not create
 *  polls or has no school to ask in. */
export async function pollFormOptions(
  deps: ServiceDeps,
  p: Principal,
  requestedUai: string | null,
): Promise<ComposeOptions | null> {
  if (!mayCreate(p)) return null;
  return inTenant(deps, p, (tx) => composeOptions(tx, p, requestedUai));
}

export type PollIssue =
  | "question"
  | "options"
  | "closes"
  | "closes_past"
  | "closes_far"
  | "audience"
  | "forbidden_audience";
export interface PollInput {
  question: string;
  options: string;
  multiple: boolean;
  anonymous: boolean;
  closes: string;
  recipientIds: string[];
  groupKeys: string[];
  uai: string | null;
}

/** The question, its options and its closing time checked: what is wrong, or what to write. */
function checkPoll(
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  input: PollInput,
): { issues: PollIssue[]; question: string; options: string[]; closes: Date | null } {
  const issues: PollIssue[] = [];
  const question = input.question.trim();
  if (!question || question.length > LIMITS.question) issues.push("question");
  const options = [
    ...new Set(
      input.options
        .split(/\r?\n/)
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ];
  if (
    options.length < LIMITS.minOptions ||
    options.length > LIMITS.maxOptions ||
    options.some((o) => o.length > LIMITS.option)
  )
    issues.push("options");
  const closes = isLocalDateTime(input.closes) ? zonedToUtc(input.closes, deps.timeZone) : null;
  if (!closes || Number.isNaN(closes.getTime())) issues.push("closes");
  else if (closes.getTime() <= deps.now.getTime()) issues.push("closes_past");
  else if (closes.getTime() > deps.now.getTime() + LIMITS.maxDays * 86_400_000) issues.push("closes_far");
  return { issues, question, options, closes };
}

export async function pollCreator(
  deps: ServiceDeps,
  p: Principal,
  input: PollInput,
): Promise<{ ok: true; id: string } | { ok: false; issues: PollIssue[] } | { ok: false; forbidden: true }> {
  if (!mayCreate(p)) return { ok: false, forbidden: true };
  const { issues, question, options, closes } = checkPoll(deps, input);
  return inTenant(deps, p, async (tx) => {
    const { uai } = await sendingSchool(tx, p, input.uai);
    const target = uai ? await chosenRecipients(tx, p, uai, input.recipientIds, input.groupKeys) : null;
    if (!uai || !target) return { ok: false as const, forbidden: true as const };
    if (target.forbidden) issues.push("forbidden_audience");
    else if (target.chosen.size === 0) issues.push("audience");
    if (issues.length) return { ok: false as const, issues };
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into polls (uai, author_id, question, options, multiple, anonymous, closes_at, created_at)
      values (${uai}, ${p.userId}, ${question},
        array(select jsonb_array_elements_text(${JSON.stringify(options)}::jsonb)),
        ${input.multiple}, ${input.anonymous}, ${closes!.toISOString()}, ${deps.now.toISOString()}) returning id`),
    );
    const id = row!.id;
    const ids = [...target.chosen];
    await tx.execute(
      sql`insert into poll_audience (poll_id, user_id, uai)
        select ${id}, u, ${uai} from unnest(${`{${ids.join(",")}}`}::uuid[]) u`,
    );
    await notifyFromUserScope(
      tx,
      ids,
      { kind: "poll", title: `Sondage : ${question}`, body: "Votre avis est demandé.", link: `/sondages/${id}` },
      deps.now,
      deps.delivery,
    );
    await auditAction(tx, deps, p, {
      action: "poll.created",
      target: id,
      uai,
      details: { audience: ids.length },
    });
    return { ok: true as const, id };
  });
}

export interface PollView {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  closesAt: Date;
  open: boolean;
  mine: boolean;
  invited: boolean;
  voted: boolean;
  audience: number;
  voters: number;
  /** Shown to the author, to voters once voted, and to the audience after closing. */
  results: { option: string; count: number; names: string[] }[] | null;
}

export async function pollView(deps: ServiceDeps, p: Principal, id: string): Promise<PollView | null> {
  if (!isId(id)) return null;
  return inTenant(deps, p, async (tx) => {
    const [poll] = rowsOf<{
      id: string;
      question: string;
      options: string[];
      multiple: boolean;
      anonymous: boolean;
      closes_at: Date | string;
      author_id: string | null;
    }>(
      await tx.execute(
        sql`select id, question, options, multiple, anonymous, closes_at, author_id from polls where id = ${id}`,
      ),
    );
    if (!poll) return null;
    const [me] = rowsOf<{ voted: boolean }>(
      await tx.execute(
        sql`select voted_at is not null as voted from poll_audience where poll_id = ${id} and user_id = ${p.userId}`,
      ),
    );
    const mine = poll.author_id === p.userId;
    if (!mine && !me) return null;
    const [counts] = rowsOf<{ audience: number; voters: number }>(
      await tx.execute(sql`
      select count(*)::int as audience, count(voted_at)::int as voters from poll_audience where poll_id = ${id}`),
    );
    const closesAt = new Date(poll.closes_at);
    const open = closesAt.getTime() > deps.now.getTime();
    const showResults = mine || me?.voted || !open;
    const results = showResults ? await resultsOf(tx, id, poll) : null;
    return {
      id: poll.id,
      question: poll.question,
      options: poll.options,
      multiple: poll.multiple,
      anonymous: poll.anonymous,
      closesAt,
      open,
      mine,
      invited: !!me,
      voted: !!me?.voted,
      audience: counts!.audience,
      voters: counts!.voters,
      results,
    };
  });
}

/** Per option, how many chose it and, unless the poll is anonymous, who. */
async function resultsOf(
  tx: Tx,
  id: string,
  poll: { options: string[]; anonymous: boolean },
): Promise<NonNullable<PollView["results"]>> {
  const ballots = rowsOf<{ choices: number[]; name: string | null }>(
    await tx.execute(sql`
    select b.choices, u.first_name || ' ' || u.last_name as name
    from poll_ballots b left join users u on u.id = b.voter_id where b.poll_id = ${id}`),
  );
  return poll.options.map((option, i) => {
    const chose = ballots.filter((b) => b.choices.includes(i));
    return {
      option,
      count: chose.length,
      names: poll.anonymous ? [] : chose.map((b) => b.name ?? "").filter(Boolean),
    };
  });
}

export type VoteIssue = "closed" | "already" | "choice";

export async function pollVoter(
  deps: ServiceDeps,
  p: Principal,
  id: string,
  choices: number[],
): Promise<{ ok: true } | { ok: false; issue: VoteIssue } | { ok: false; notFound: true }> {
  if (!isId(id)) return { ok: false, notFound: true };
  return inTenant(deps, p, async (tx) => {
    const [poll] = rowsOf<{
      options: string[];
      multiple: boolean;
      anonymous: boolean;
      closes_at: Date | string;
      uai: string;
    }>(
      await tx.execute(sql`
      select p.options, p.multiple, p.anonymous, p.closes_at, p.uai
      from polls p join poll_audience a on a.poll_id = p.id and a.user_id = ${p.userId}
      where p.id = ${id}`),
    );
    if (!poll) return { ok: false as const, notFound: true as const };
    if (new Date(poll.closes_at).getTime() <= deps.now.getTime())
      return { ok: false as const, issue: "closed" as const };
    const unique = [...new Set(choices)];
    if (
      unique.length === 0 ||
      unique.some((c) => !Number.isInteger(c) || c < 0 || c >= poll.options.length) ||
      (!poll.multiple && unique.length > 1)
    ) {
      return { ok: false as const, issue: "choice" as const };
    }
    // Once: the first vote marks the voter; a second one finds the mark and changes nothing.
    const marked = rowsOf(
      await tx.execute(sql`update poll_audience set voted_at = ${deps.now.toISOString()}
      where poll_id = ${id} and user_id = ${p.userId} and voted_at is null returning user_id`),
    );
    if (marked.length === 0) return { ok: false as const, issue: "already" as const };
    await tx.execute(sql`insert into poll_ballots (poll_id, uai, choices, voter_id)
      values (${id}, ${poll.uai}, ${`{${unique.join(",")}}`}::int[], ${poll.anonymous ? null : p.userId})`);
    return { ok: true as const };
  });
}

export interface PollLine {
  id: string;
  question: string;
  closesAt: Date;
  open: boolean;
  mine: boolean;
  voted: boolean;
}

/** 57E: the list narrows by words of the question and by state (open, closed, awaiting my answer). */
export interface PollFilter {
  words: string;
  state: "all" | "open" | "closed" | "to_answer";
}
export const POLL_STATES = ["all", "to_answer", "open", "closed"] as const satisfies readonly PollFilter["state"][];

/** The user's polls as filtered, and whether they may create one. */
export async function pollList(
  deps: ServiceDeps,
  p: Principal,
  filter: PollFilter,
): Promise<{ polls: PollLine[]; canCreate: boolean }> {
  const polls = await inTenant(deps, p, (tx) => myPolls(tx, p, deps.now, filter));
  return { polls, canCreate: mayCreate(p) };
}

async function myPolls(
  tx: Tx,
  p: Principal,
  now: Date,
  filter: PollFilter = { words: "", state: "all" },
): Promise<PollLine[]> {
  const words = filter.words.trim().slice(0, 100);
  const at = now.toISOString();
  const rows = rowsOf<{ id: string; question: string; closes_at: Date | string; mine: boolean; voted: boolean }>(
    await tx.execute(sql`
    select p.id, p.question, p.closes_at, p.author_id = ${p.userId} as mine,
      coalesce((select a.voted_at is not null from poll_audience a
        where a.poll_id = p.id and a.user_id = ${p.userId}), false) as voted
    from polls p
    where (p.author_id = ${p.userId}
        or exists (select 1 from poll_audience a where a.poll_id = p.id and a.user_id = ${p.userId}))
      ${words ? sql`and p.question ilike ${containsPattern(words)}` : sql``}
      ${
        filter.state === "open"
          ? sql`and p.closes_at > ${at}`
          : filter.state === "closed"
            ? sql`and p.closes_at <= ${at}`
            : sql``
      }
      ${
        filter.state === "to_answer"
          ? sql`and p.closes_at > ${at} and exists (select 1 from poll_audience a where a.poll_id = p.id
        and a.user_id = ${p.userId} and a.voted_at is null)`
          : sql``
      }
    order by p.created_at desc limit 100`),
  );
  return rows.map((r) => ({
    id: r.id,
    question: r.question,
    closesAt: new Date(r.closes_at),
    open: new Date(r.closes_at).getTime() > now.getTime(),
    mine: r.mine,
    voted: r.voted,
  }));
}
