// Empties the outbox: each e-mail is marked sent once the SMTP server took it; failures stay queued, are noted on
// the message, and make the job fail so that the runner retries it later.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import type { MailTransport } from "../platform";
import { outboxMail } from "../../db/schema";
import { enqueue, type JobHandler } from "./runner";

export function mailFlush(transport: MailTransport | undefined, batch = 200): JobHandler {
  return async (_payload, { db, now, log }) => {
    if (!transport) {
      log.log("warn", "mail_not_configured", { detail: "SMTP_URL is not set: e-mails stay in the outbox" });
      return;
    }
    const pending = await withTenant(db, systemScope, async (tx) =>
      rowsOf<{ id: string; to: string; subject: string; text: string }>(
        await tx.execute(sql`select id, "to", subject, text from outbox_mail
        where sent_at is null and digest_user_id is null and (not_before is null or not_before <= ${now.toISOString()})
        order by created_at limit ${batch}`),
      ),
    );
    const failures: string[] = [];
    for (const mail of pending) {
      try {
        await transport.send({ to: mail.to, subject: mail.subject, text: mail.text });
        await withTenant(db, systemScope, (tx) =>
          tx.execute(
            sql`update outbox_mail set sent_at = ${now.toISOString()}, last_error = null where id = ${mail.id}`,
          ),
        );
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push(message);
        await withTenant(db, systemScope, (tx) =>
          tx.execute(sql`update outbox_mail set last_error = ${message.slice(0, 1000)} where id = ${mail.id}`),
        );
      }
    }
    if (failures.length) throw new Error(`${failures.length} e-mail(s) non envoyé(s) : ${failures[0]}`);
  };
}

/**
 * 54M: once a day, the e-mails kept for each user's digest become one e-mail listing them (newest last), queued like
 * any other. The kept rows are marked sent with it, in the same transaction: a digest is never sent twice.
 */
export function mailDigest(): JobHandler {
  return async (_payload, { db, now }) => {
    await withTenant(db, systemScope, async (tx) => {
      const kept = rowsOf<{ id: string; digest_user_id: string; to: string; subject: string; text: string }>(
        await tx.execute(sql`
        select id, digest_user_id, "to", subject, text from outbox_mail
        where sent_at is null and digest_user_id is not null
        order by digest_user_id, created_at for update skip locked`),
      );
      const byUser = new Map<string, typeof kept>();
      for (const row of kept) byUser.set(row.digest_user_id, [...(byUser.get(row.digest_user_id) ?? []), row]);
      for (const rows of byUser.values()) {
        const text = [
          `Voici les ${rows.length} notification(s) de Préau depuis votre dernier résumé.`,
          ...rows.map((r, i) => `${i + 1}. ${r.subject}\n${r.text}`),
          "Vous recevez ce résumé une fois par jour ; vous pouvez changer ce choix dans « Mes notifications ».",
        ].join("\n\n");
        await tx.insert(outboxMail).values({
          to: rows[0]!.to,
          subject: `[Préau] Votre résumé du jour (${rows.length})`,
          text,
          meta: { kind: "digest", count: rows.length },
          createdAt: now,
        });
        await tx.execute(
          sql`update outbox_mail set sent_at = ${now.toISOString()}
          where id = any(${`{${rows.map((r) => r.id).join(",")}}`}::uuid[])`,
        );
      }
      if (byUser.size > 0) await enqueue(tx, "mail.flush", {}, now);
    });
  };
}
