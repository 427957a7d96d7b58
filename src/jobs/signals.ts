// Sends the Web Push messages (51C) and SMS (54N) queued by notifyUsers. Each row is claimed (its time pushed past a
// lease) so that two runners never send it twice; a failure is retried later with a growing delay, and after the
// last attempt the row is marked failed and reported: in the log, and to the user for an SMS (their number may be
// wrong).
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";
import type { PushTransport, SmsGateway } from "../platform";
import { notifyUsers } from "../services/notifications/notifications";
import { enqueue, type JobHandler } from "./runner";

export interface SignalOptions {
  batch?: number;
  maxAttempts?: number;
  leaseMs?: number;
}

interface SignalRow {
  id: string;
  channel: "push" | "sms";
  user_id: string;
  address: string | null;
  title: string;
  body: string;
  link: string | null;
  attempts: number;
}

/** Minutes before the next attempt: 1, 4, 9, 16… */
const retryDelayMs = (attempts: number) => attempts * attempts * 60_000;

export function signalsFlush(
  transports: { push?: PushTransport; sms?: SmsGateway },
  options: SignalOptions = {},
): JobHandler {
  const maxAttempts = options.maxAttempts ?? 5;
  const channels = [...(transports.push ? ["push"] : []), ...(transports.sms ? ["sms"] : [])];
  return async (_payload, { db, now, log }) => {
    if (channels.length === 0) return;
    const due = await withTenant(db, systemScope, async (tx) =>
      rowsOf<SignalRow>(
        await tx.execute(sql`
      update outbox_signals
      set attempts = attempts + 1,
        not_before = ${new Date(now.getTime() + (options.leaseMs ?? 10 * 60_000)).toISOString()}
      where id in (
        select id from outbox_signals
        where sent_at is null and failed_at is null and channel in ${channels} and not_before <= ${now.toISOString()}
        order by not_before limit ${options.batch ?? 200} for update skip locked)
      returning id, channel, user_id, address, title, body, link, attempts`),
      ),
    );
    for (const row of due) {
      try {
        if (row.channel === "push") await sendPush(db, transports.push!, row);
        else await transports.sms!.send({ to: row.address ?? "", text: row.body, reference: row.id });
        await withTenant(db, systemScope, (tx) =>
          tx.execute(sql`
          update outbox_signals set sent_at = ${now.toISOString()}, last_error = null where id = ${row.id}`),
        );
      } catch (err) {
        await recordFailure(db, row, err instanceof Error ? err.message : String(err), now, maxAttempts, log);
      }
    }
    await scheduleNextFlush(db, now, channels);
  };
}

/** Every device the user subscribed; subscriptions the push service has dropped are forgotten. */
async function sendPush(db: Database, push: PushTransport, row: SignalRow): Promise<void> {
  const subscriptions = await withTenant(db, systemScope, async (tx) =>
    rowsOf<{ endpoint: string; p256dh: string; auth: string }>(
      await tx.execute(sql`select endpoint, p256dh, auth from push_subscriptions where user_id = ${row.user_id}`),
    ),
  );
  const payload = JSON.stringify({ title: row.title, body: row.body, link: row.link });
  const errors: string[] = [];
  for (const s of subscriptions) {
    try {
      const { gone } = await push.send(s, payload);
      if (gone)
        await withTenant(db, systemScope, (tx) =>
          tx.execute(sql`delete from push_subscriptions where endpoint = ${s.endpoint}`),
        );
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (errors.length) throw new Error(errors[0]);
}

async function recordFailure(
  db: Database,
  row: SignalRow,
  message: string,
  now: Date,
  maxAttempts: number,
  log: { log(level: "warn" | "error", event: string, data: Record<string, unknown>): void },
): Promise<void> {
  const final = row.attempts >= maxAttempts;
  log.log(final ? "error" : "warn", "signal_failed", {
    id: row.id,
    channel: row.channel,
    attempt: row.attempts,
    error: message,
  });
  await withTenant(db, systemScope, async (tx) => {
    await tx.execute(sql`update outbox_signals set last_error = ${message.slice(0, 1000)},
      failed_at = ${final ? now.toISOString() : null},
      not_before = ${new Date(now.getTime() + retryDelayMs(row.attempts)).toISOString()}
      where id = ${row.id}`);
    if (final && row.channel === "sms") {
      await notifyUsers(
        tx,
        [row.user_id],
        {
          kind: "sms.failed",
          title: "Un SMS n'a pas pu être envoyé",
          body:
            `Le SMS « ${row.title} » n'a pas pu être remis au ${maskedNumber(row.address)} ` +
            `après ${row.attempts} essais. ` +
            "Vérifiez votre numéro de téléphone portable dans « Mes notifications ».",
          link: "/compte/notifications",
        },
        now,
      );
    }
  });
}

/** "+33612345678" → "06 •• •• •• 78": enough to recognise one's number in a notice. */
export function maskedNumber(e164: string | null): string {
  const national = e164?.startsWith("+33") ? `0${e164.slice(3)}` : (e164 ?? "");
  return national.length === 10 ? `${national.slice(0, 2)} •• •• •• ${national.slice(8)}` : "numéro inconnu";
}

/** Rows waiting for a retry or for the end of quiet hours get a flush at their time. */
async function scheduleNextFlush(db: Database, now: Date, channels: string[]): Promise<void> {
  await withTenant(db, systemScope, async (tx) => {
    const [next] = rowsOf<{ at: Date | string | null }>(
      await tx.execute(sql`
      select min(not_before) as at from outbox_signals
      where sent_at is null and failed_at is null and channel in ${channels}`),
    );
    if (!next?.at) return;
    const at = new Date(next.at);
    await enqueue(tx, "signals.flush", {}, now, { runAt: at, dedupeKey: `signals.flush@${at.toISOString()}` });
  });
}

/** The SMS provider adapter: one JSON POST per SMS to the configured URL, with a bearer token. Its `reference` (the
 *  outbox row) lets a provider drop a retried duplicate. Works on every runtime (fetch). */
export function httpSmsGateway(settings: {
  url: string;
  token?: string;
  sender: string;
  timeoutMs?: number;
}): SmsGateway {
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(settings.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
          },
          body: JSON.stringify({
            sender: settings.sender,
            to: message.to,
            text: message.text,
            reference: message.reference,
          }),
          signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new Error(`Passerelle SMS injoignable : ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!response.ok)
        throw new Error(`Passerelle SMS : HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    },
  };
}
