// Rendering helpers for routes: the page frame's data from the request, and the French error pages.
import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { raw } from "hono/html";
import { t, type MessageKey } from "../i18n";
import type { AnyEnv, AppVariables } from "./env";
import type { Chrome } from "../../views/chrome";
import { ErrorPage, type ErrorStatus } from "../../views/errors";
import { displayName, isPupilOnly } from "../services/principal";

/** The request's variables, signed-in or not, as the shared helpers read them. */
export function varsOf<E extends AnyEnv>(c: Context<E>): AppVariables {
  return c.var as unknown as AppVariables;
}

export function chromeFor<E extends AnyEnv>(c: Context<E>, title: string, helpTopic: MessageKey): Chrome {
  const vars = varsOf(c);
  const { platform, principal } = vars;
  const schools = principal
    ? [...new Map(principal.profiles.map((p) => [p.uai, { uai: p.uai, name: p.schoolName }])).values()]
    : [];
  return {
    title,
    helpTopic,
    assets: platform.assets,
    platformName: platform.config.platformName,
    csrfToken: vars.csrfToken ?? "",
    path: c.req.path,
    font: principal ? principal.font : (vars.anonymousFont ?? "standard"),
    pupilTheme: principal ? isPupilOnly(principal) : false,
    user: principal
      ? {
          name: displayName(principal),
          activeSchool: schools.find((s) => s.uai === principal.activeUai) ?? null,
          schools,
          unreadNotifications: principal.unreadNotifications,
        }
      : null,
  };
}

export function renderPage<E extends AnyEnv>(
  c: Context<E>,
  page: JSX.Element,
  status: 200 | 400 | 401 | 403 | 404 | 413 | 422 | 429 | 500 = 200,
) {
  return c.html(
    <>
      {raw("<!doctype html>")}
      {page}
    </>,
    status,
  );
}

/** Why a request was refused, when the error page says more than its status: a CSRF check, a NUL character in
 *  what was sent, a day asked that does not exist. */
export type ErrorReason = "csrf" | "nul" | "day";

const REASON_TEXTS: Record<ErrorReason, { title?: MessageKey; message: MessageKey }> = {
  csrf: { title: "csrf.title", message: "csrf.message" },
  nul: { message: "error.400.nul" },
  day: { message: "error.400.day" },
};

export function renderError<E extends AnyEnv>(
  c: Context<E>,
  status: ErrorStatus,
  reason?: ErrorReason,
  reference?: string,
) {
  const texts = reason ? REASON_TEXTS[reason] : undefined;
  const title = t(texts?.title ?? `error.${status}.title`);
  const chrome = chromeFor(c, title, "help.topic.error");
  const message = texts ? t(texts.message) : undefined;
  return renderPage(c, <ErrorPage chrome={chrome} status={status} reference={reference} message={message} />, status);
}
