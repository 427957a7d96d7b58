// The job runner on Node: every few seconds, queue what the schedules say is due, then run due jobs.
import type { Platform } from "../platform";
import { errorFields } from "../log";
import { queueScheduledJobs, runDueJobs, type JobHandler, type Schedule } from "../jobs/runner";
import { mailDigest, mailFlush } from "../jobs/mail";
import { signalsFlush } from "../jobs/signals";
import { purgePreDeleted } from "../services/admin/aaf";
import { deliverScheduled } from "../services/messaging/messages";
import { announcementNotifier } from "../services/messaging/news-feed";
import { liaisonReminder } from "../services/classroom/liaison";
import { agendaReminder } from "../services/classroom/booking";
import { importQueued, scanInbox } from "./aaf";
import { serviceDeps } from "../services/context";
import { purgeLoginAttempts } from "../services/identity/login-throttle";

/** Notices leave the hub with links to the public address, quiet hours read in the platform's zone. */
export const deliveryOf = (platform: Platform) => ({
  baseUrl: platform.config.publicUrl,
  timeZone: platform.config.timeZone,
});

export function jobHandlers(platform: Platform, dataDir: string): Record<string, JobHandler> {
  return {
    "mail.flush": mailFlush(platform.mail),
    "mail.digest": mailDigest(),
    "signals.flush": signalsFlush({ push: platform.push, sms: platform.sms }),
    "aaf.import": (payload) => importQueued(platform, String(payload.importId)),
    "aaf.inbox": async () => {
      await scanInbox(platform, dataDir);
    },
    "message.deliver": async (payload, { now }) => {
      await deliverScheduled(platform.db, String(payload.messageId), now, deliveryOf(platform));
    },
    "announcement.notify": async (payload, { now }) => {
      await announcementNotifier(platform.db, String(payload.announcementId), now, deliveryOf(platform));
    },
    "agenda.remind": async (payload, { now }) => {
      await agendaReminder(platform.db, String(payload.bookingId), now, deliveryOf(platform), platform.config.timeZone);
    },
    "liaison.remind": async (payload, { now }) => {
      await liaisonReminder(platform.db, String(payload.noteId), now, deliveryOf(platform));
    },
    "aaf.purge": async (_payload, { now }) => {
      await purgePreDeleted(serviceDeps(platform, null, now));
    },
    "login.purge": async (_payload, { now }) => {
      await purgeLoginAttempts(platform.db, now);
    },
  };
}

export function schedules(platform: Platform): Schedule[] {
  return [
    { kind: "aaf.inbox", daysOfMonth: platform.config.aaf.inboxDays, at: platform.config.aaf.inboxAt },
    { kind: "aaf.purge", daysOfMonth: [], at: "03:00" },
    { kind: "login.purge", daysOfMonth: [], at: "03:30" },
    { kind: "mail.digest", daysOfMonth: [], at: platform.config.digestAt },
  ];
}

export function startJobRunner(platform: Platform, dataDir: string, everyMs = 5000): { stop(): Promise<void> } {
  const handlers = jobHandlers(platform, dataDir);
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      await queueScheduledJobs(platform.db, schedules(platform), platform.clock.now(), platform.config.timeZone);
      await runDueJobs(platform.db, handlers, () => platform.clock.now(), platform.log);
    } catch (err) {
      platform.log.log("error", "job_runner_error", errorFields(err));
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(tick);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
