// The Hono application, the same on every runtime: createApp(platform).
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { compress } from "hono/compress";
import type { Platform } from "./platform";
import { errorFields } from "./log";
import type { AppEnv } from "./http/env";
import { csrfTokens } from "./auth/csrf";
import { csrfProtection, nulRefusal, securityHeaders } from "./http/security";
import { sessionLoader } from "./http/session";
import { activationGate, pupilHoursGate } from "./http/gates";
import { renderError } from "./http/render";
import { ReadCache } from "./services/read-cache";
import { serviceDeps } from "./services/context";
import { authRoutes } from "../routes/identity/auth";
import { portalRoutes } from "../routes/portal/portal";
import { accountRoutes } from "../routes/identity/account";
import { directoryRoutes } from "../routes/directory/directory";
import { settingsRoutes } from "../routes/admin/settings";
import { auditRoutes } from "../routes/admin/audit";
import { AAF_UPLOAD_PATH, aafRoutes } from "../routes/admin/aaf";
import { duplicateRoutes } from "../routes/admin/duplicates";
import { notificationRoutes } from "../routes/notifications/notifications";
import { notificationSettingsRoutes } from "../routes/notifications/notification-settings";
import { pwaRoutes } from "../routes/portal/pwa";
import { newsFeedRoutes } from "../routes/messaging/news-feed";
import { connectorRoutes } from "../routes/identity/connectors";
import { casRoutes } from "../routes/identity/cas";
import { ssoRoutes } from "../routes/identity/sso";
import { garRoutes } from "../routes/identity/gar";
import { oidcRoutes } from "../routes/identity/oidc";
import { homeworkRoutes } from "../routes/classroom/homework";
import { viewAsRoutes } from "../routes/classroom/view-as";
import { eveningRoutes } from "../routes/classroom/evening";
import { liaisonRoutes } from "../routes/classroom/liaison";
import { attendanceRoutes } from "../routes/classroom/attendance";
import { pollRoutes } from "../routes/classroom/polls";
import { agendaRoutes } from "../routes/classroom/agenda";
import { healthRoutes } from "../routes/portal/health";
import { wallRoutes } from "../routes/collaboration/walls";
import { messageRoutes } from "../routes/messaging/messages";
import { documentRoutes } from "../routes/collaboration/documents";
import { roomRoutes } from "../routes/collaboration/rooms";
import { recheckTickets } from "./services/collaboration/rooms";

export interface AppOptions {
  /** The runtime's static file handler for /static/* (Node serves public/; Workers have their own). */
  staticFiles?: MiddlewareHandler;
}

export async function createApp(platform: Platform, options: AppOptions = {}): Promise<Hono<AppEnv>> {
  const csrf = await csrfTokens(platform.config.secret);
  // Without a change feed no entry could be dropped on time: no cache at all then.
  const cache = new ReadCache(platform.changes ? platform.config.cacheSeconds * 1000 : 0);
  platform.changes?.subscribe((key) => cache.invalidate(key));
  // Open room sockets are re-checked against the database every minute (issue 21 F3).
  platform.rooms?.recheckWith?.((entries) => recheckTickets(serviceDeps(platform, null), entries));
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header("x-request-id")?.slice(0, 64) || crypto.randomUUID();
    c.set("platform", platform);
    c.set("csrf", csrf);
    c.set("cache", cache);
    c.set("requestId", requestId);
    const ip = platform.clientIp((name) => c.req.header(name), c.env);
    c.set("ip", ip);
    c.set("deps", serviceDeps(platform, ip));
    await next();
    c.res.headers.set("X-Request-Id", requestId);
    platform.log.log("info", "request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: c.var.principal?.userId ?? null,
    });
  });
  if (options.staticFiles) app.use("/static/*", options.staticFiles);
  // Probes answer before sessions and CSRF: they must stay cheap and work without cookies.
  app.route("/", healthRoutes);
  // The OIDC provider answers its own protocol (its own CSRF and cookies), before the hub's middleware.
  if (platform.oidc) app.all("/oidc/*", (c) => platform.oidc!.handle(c.env));
  // Security headers wrap compression: the compressor builds a new response from the handler's, and on Node's fast
  // Response headers added to the old one after it was built were lost (every compressed page went without CSP).
  app.use("*", securityHeaders);
  app.use("*", compress());
  // The web app's manifest and service worker: public, before sessions and gates (a pupil outside hours gets them too).
  app.route("/", pwaRoutes);
  const limitForm = bodyLimit({ maxSize: platform.config.maxFormBytes, onError: (c) => renderError(c, 413) });
  // Archives are larger than forms: the upload path has its own ceiling, checked before anything reads the body.
  const limitUpload = bodyLimit({ maxSize: platform.config.aaf.maxUploadBytes, onError: (c) => renderError(c, 413) });
  // Only requests that carry a body: reading GET's (absent) body would build a full Request object each time.
  // A message with its attachments (3 × 5 Mio) is larger than a form, smaller than an archive.
  const limitMessage = bodyLimit({ maxSize: 16 * 1024 * 1024, onError: (c) => renderError(c, 413) });
  app.use("*", (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD"
      ? next()
      : c.req.path === AAF_UPLOAD_PATH
        ? limitUpload(c, next)
        : c.req.path === "/messagerie/nouveau"
          ? limitMessage(c, next)
          : limitForm(c, next),
  );
  // Before anything reads the request's text (the session's lookup, the CSRF check's audit line, the routes).
  app.use("*", nulRefusal);
  app.use("*", sessionLoader);
  app.use("*", csrfProtection());
  app.use("*", async (c, next) => {
    await next();
    // Read your writes: the redirect that follows a change must not be served from a cache the change
    // has not reached yet. The barrier returns once this process has heard every change committed so far.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") await platform.changes?.barrier();
  });
  app.use("*", activationGate);
  app.use("*", pupilHoursGate);

  app.route("/", authRoutes);
  app.route("/", portalRoutes);
  app.route("/", accountRoutes);
  app.route("/", directoryRoutes);
  app.route("/", settingsRoutes);
  app.route("/", auditRoutes);
  app.route("/", aafRoutes);
  app.route("/", duplicateRoutes);
  app.route("/", notificationRoutes);
  app.route("/", notificationSettingsRoutes);
  app.route("/", newsFeedRoutes);
  app.route("/", connectorRoutes);
  app.route("/", casRoutes);
  app.route("/", ssoRoutes);
  app.route("/", garRoutes);
  app.route("/", oidcRoutes);
  app.route("/", homeworkRoutes);
  app.route("/", eveningRoutes);
  app.route("/", liaisonRoutes);
  app.route("/", viewAsRoutes);
  app.route("/", attendanceRoutes);
  app.route("/", pollRoutes);
  app.route("/", agendaRoutes);

  app.route("/", wallRoutes);
  app.route("/", messageRoutes);
  app.route("/", documentRoutes);
  app.route("/", roomRoutes);

  app.notFound((c) => renderError(c, 404));
  app.onError((err, c) => {
    const reference = c.var.requestId ?? crypto.randomUUID();
    // The error and the failed query named, never the values (errorFields): a request's text stays out of logs.
    platform.log.log("error", "unhandled_error", { requestId: reference, path: c.req.path, ...errorFields(err) });
    return renderError(c, 500, undefined, reference);
  });
  return app;
}
