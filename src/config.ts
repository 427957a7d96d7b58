// Settings are data: read once from the environment, with defaults a fresh machine can run on.
import type { WeeklyHours } from "../db/schema/portal";
import { DEFAULT_PUSH_SERVICES } from "./services/notifications/push-subscriptions";
import type { ProfileKind } from "./services/principal";

export interface Config {
  /** Human name of the platform, shown in titles ("Préau — démonstration"). */
  platformName: string;
  /** Académie code used as the AAF external-id prefix (`<ACADEMY>-<jointure>`). */
  academyCode: string;
  /** The académie's number in ÉduConnect identity vectors ("24" for Créteil); empty: vectors of any académie. */
  academyNumber: string;
  /** The SAML proxy's public address (ÉduConnect and Arena buttons on the login page); empty: no federated login. */
  samlProxyUrl: string;
  timeZone: string;
  /** Secret for CSRF tokens and other HMACs: stable across restarts. */
  secret: string;
  cookieSecure: boolean;
  session: { lifetimeMinutes: number };
  /**
   * F5: `maxFailuresPerAccount` wrong passwords for one login from one address lock that pair for `windowMinutes`,
   * doubling with each further failure; `maxFailuresPerLogin` from all addresses together lock the login for everyone
   * (until the window passes or the director unlocks it); `maxFailuresPerIp` lock the address for every login.
   */
  loginThrottle: {
    windowMinutes: number;
    maxFailuresPerAccount: number;
    maxFailuresPerLogin: number;
    maxFailuresPerIp: number;
  };
  /** 51A: default pupil access hours; a school may override them (51A bis). */
  pupilHours: WeeklyHours;
  /** Limit on form bodies; larger requests are refused before parsing. */
  maxFormBytes: number;
  /** Longest life of a per-process cached read (sessions, home data); changes evict entries at once anyway. */
  cacheSeconds: number;
  /** 71B: messages one sender may write per hour; above, a French refusal. */
  messaging: { pupilHourly: number; adultHourly: number };
  aaf: {
    /** A complete import that would pre-delete more than this share of a school's accounts is refused. */
    maxPreDeleteShare: number;
    /** …for schools with at least this many accounts. */
    plausibilityMinAccounts: number;
    /** Pre-deleted accounts are deleted after this many days (612A). */
    deleteAfterDays: number;
    /** Days of the month the inbox folder is read (1st and 15th by default), at `inboxAt` local time. */
    inboxDays: number[];
    inboxAt: string;
    maxUploadBytes: number;
  };
  /** Sender of the platform's e-mails. */
  mailFrom: string;
  /** The hub's public address ("https://ent.example.fr"), put before links in e-mails and SMS; empty: paths only. */
  publicUrl: string;
  /** 54M: local time the daily e-mail digests leave. */
  digestAt: string;
  /** 611D: accounts holding these roles finish a password login with a code sent to their academic mailbox. */
  secondFactorRoles: ProfileKind[];
  /** 51C: push services whose endpoints devices may subscribe with ("https://*.push.services.mozilla.com"). */
  pushServices: string[];
  /** Realtime rooms (walls, documents): what one user, one room and one socket may cost the hub (issue 21). */
  realtime: RealtimeLimits;
}

export interface RealtimeLimits {
  /** Bytes one user may send to the rooms in a minute, all sockets together; above, the socket is closed (4529). */
  userBytesPerMinute: number;
  /** Bytes all the sockets of one room may send in a minute. */
  roomBytesPerMinute: number;
  /** What a wall's room may store (post-its are 500 characters at most: about 600 full ones). */
  maxWallBytes: number;
  /** What a document's room may store (pasted images included). */
  maxDocumentBytes: number;
  /** A socket whose unsent data would pass this is cut off before the frame is queued (a stalled client). */
  maxBufferedBytes: number;
  /** Sockets one session (one browser) and one user may hold open at once; the next one is refused (4429). */
  maxSocketsPerSession: number;
  maxSocketsPerUser: number;
  /** How often open sockets' tickets are checked again (session ended or expired, pupils' hours, rights). */
  recheckSeconds: number;
}

export const defaultRealtimeLimits: RealtimeLimits = {
  userBytesPerMinute: 4 * 1024 * 1024,
  roomBytesPerMinute: 16 * 1024 * 1024,
  maxWallBytes: 1024 * 1024,
  maxDocumentBytes: 8 * 1024 * 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxSocketsPerSession: 10,
  maxSocketsPerUser: 30,
  recheckSeconds: 60,
};

const weekdayUntil2030 = { from: "07:00", to: "20:30" };

export const defaultPupilHours: WeeklyHours = {
  "1": weekdayUntil2030,
  "2": weekdayUntil2030,
  "3": weekdayUntil2030,
  "4": weekdayUntil2030,
  "5": weekdayUntil2030,
  "6": { from: "08:00", to: "20:30" },
  "7": { from: "08:00", to: "20:30" },
};

export function loadConfig(env: Record<string, string | undefined>, secret: string): Config {
  return {
    platformName: env.PREAU_PLATFORM_NAME ?? "Préau",
    academyCode: (env.PREAU_ACADEMY_CODE ?? "DEMO").toUpperCase(),
    academyNumber: env.PREAU_ACADEMY_NUMBER ?? "",
    samlProxyUrl: (env.PREAU_SAML_PROXY_URL ?? "").replace(/\/+$/, ""),
    timeZone: env.PREAU_TIME_ZONE ?? "Europe/Paris",
    secret,
    cookieSecure: env.PREAU_COOKIE_SECURE !== "false",
    session: { lifetimeMinutes: numberFrom(env.PREAU_SESSION_MINUTES, 240) },
    loginThrottle: {
      windowMinutes: numberFrom(env.PREAU_LOGIN_WINDOW_MINUTES, 15),
      maxFailuresPerAccount: numberFrom(env.PREAU_LOGIN_MAX_FAILURES_ACCOUNT, 5),
      // Strangers guessing from many addresses: far above what the account's owner ever types.
      maxFailuresPerLogin: numberFrom(env.PREAU_LOGIN_MAX_FAILURES_LOGIN, 50),
      // A whole class logs in from one school address: the per-IP ceiling must allow for typos of 30 pupils.
      maxFailuresPerIp: numberFrom(env.PREAU_LOGIN_MAX_FAILURES_IP, 100),
    },
    pupilHours: env.PREAU_PUPIL_HOURS ? (JSON.parse(env.PREAU_PUPIL_HOURS) as WeeklyHours) : defaultPupilHours,
    maxFormBytes: numberFrom(env.PREAU_MAX_FORM_BYTES, 1024 * 1024),
    cacheSeconds: numberFrom(env.PREAU_CACHE_SECONDS, 60),
    messaging: {
      pupilHourly: numberFrom(env.PREAU_MESSAGES_PER_HOUR_PUPIL, 20),
      adultHourly: numberFrom(env.PREAU_MESSAGES_PER_HOUR_ADULT, 100),
    },
    aaf: {
      maxPreDeleteShare: numberFrom(env.PREAU_AAF_MAX_PREDELETE_SHARE, 0.3),
      plausibilityMinAccounts: numberFrom(env.PREAU_AAF_PLAUSIBILITY_MIN_ACCOUNTS, 10),
      deleteAfterDays: numberFrom(env.PREAU_AAF_DELETE_AFTER_DAYS, 90),
      inboxDays: (env.PREAU_AAF_INBOX_DAYS ?? "1,15")
        .split(",")
        .map((d) => Number(d.trim()))
        .filter((d) => d >= 1 && d <= 31),
      inboxAt: env.PREAU_AAF_INBOX_AT ?? "02:00",
      maxUploadBytes: numberFrom(env.PREAU_AAF_MAX_UPLOAD_BYTES, 200 * 1024 * 1024),
    },
    mailFrom: env.MAIL_FROM ?? "Préau <ne-pas-repondre@preau.invalid>",
    publicUrl: (env.PREAU_PUBLIC_URL ?? "").replace(/\/+$/, ""),
    digestAt: env.PREAU_DIGEST_AT ?? "17:30",
    // On by default wherever mail can leave (SMTP_URL); a demo without SMTP would lock its admins out.
    secondFactorRoles: (env.PREAU_ADMIN_SECOND_FACTOR ?? (env.SMTP_URL ? "academie_admin" : ""))
      .split(",")
      .map((r) => r.trim())
      .filter((r) => ["academie_admin", "municipality", "inspector", "adviser"].includes(r)) as ProfileKind[],
    pushServices: env.PREAU_PUSH_SERVICES
      ? env.PREAU_PUSH_SERVICES.split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : DEFAULT_PUSH_SERVICES,
    realtime: realtimeLimitsFrom(env),
  };
}

function realtimeLimitsFrom(env: Record<string, string | undefined>): RealtimeLimits {
  const d = defaultRealtimeLimits;
  return {
    userBytesPerMinute: numberFrom(env.PREAU_ROOM_USER_BYTES_PER_MINUTE, d.userBytesPerMinute),
    roomBytesPerMinute: numberFrom(env.PREAU_ROOM_BYTES_PER_MINUTE, d.roomBytesPerMinute),
    maxWallBytes: numberFrom(env.PREAU_ROOM_MAX_WALL_BYTES, d.maxWallBytes),
    maxDocumentBytes: numberFrom(env.PREAU_ROOM_MAX_DOCUMENT_BYTES, d.maxDocumentBytes),
    maxBufferedBytes: numberFrom(env.PREAU_ROOM_MAX_BUFFERED_BYTES, d.maxBufferedBytes),
    maxSocketsPerSession: numberFrom(env.PREAU_ROOM_SOCKETS_PER_SESSION, d.maxSocketsPerSession),
    maxSocketsPerUser: numberFrom(env.PREAU_ROOM_SOCKETS_PER_USER, d.maxSocketsPerUser),
    recheckSeconds: numberFrom(env.PREAU_ROOM_RECHECK_SECONDS, d.recheckSeconds),
  };
}

function numberFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`Paramètre numérique invalide : ${value}`);
  return n;
}
