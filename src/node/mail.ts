// SMTP on Node through nodemailer (the standard SMTP client for Node), configured by SMTP_URL
// (smtp://user:pass@host:587 or smtps://…) and MAIL_FROM.
import { createTransport } from "nodemailer";
import type { MailTransport } from "../platform";

export function smtpTransport(url: string, from: string): MailTransport {
  const transport = createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
