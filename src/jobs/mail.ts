// Empties the outbox: each e-mail is marked sent once the SMTP server took it; failures stay queued, are noted on
// the message, and make the job fail so that the runner retries it later.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import type { MailTransport } from "../platform";
import type { JobHandler } from "./runner";

export function mailFlush(transport: MailTransport | undefined, batch = 200): JobHandler {
  return async (_payload, { db, now, log }) => {
    if (!transport) {
      log.log("warn", "mail_not_configured", { detail: "SMTP_URL is not set: e-mails stay in the outbox" });
      return;
    }
    const pending = await withTenant(db, systemScope, async (tx) => rowsOf<{ id: string; to: string; subject: string; text: string }>(
      await tx.execute(sql`select id, "to", subject, text from outbox_mail where sent_at is null order by created_at limit ${batch}`)));
    const failures: string[] = [];
    for (const mail of pending) {
      try {
        await transport.send({ to: mail.to, subject: mail.subject, text: mail.text });
        await withTenant(db, systemScope, (tx) => tx.execute(sql`update outbox_mail set sent_at = ${now.toISOString()}, last_error = null where id = ${mail.id}`));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        failures.push(message);
        await withTenant(db, systemScope, (tx) => tx.execute(sql`update outbox_mail set last_error = ${message.slice(0, 1000)} where id = ${mail.id}`));
      }
    }
    if (failures.length) throw new Error(`${failures.length} e-mail(s) non envoyé(s) : ${failures[0]}`);
  };
}
