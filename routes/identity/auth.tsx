// Login, logout and first-login activation. Plain HTML forms, redirect after post.
import { Hono, type Context } from "hono";
import * as v from "valibot";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { field, fieldsOf, readForm, safeReturnPath } from "../../src/http/forms";
import { clearCookie, readCookie, writeCookie } from "../../src/http/cookies";
import { challengeAddress, checkCode, CODE_MINUTES } from "../../src/services/identity/second-factor";
import { LoginCodePage } from "../../views/identity/login-code";
import { federationOf } from "../../src/services/identity/federated-login";
import { signLogout } from "../../src/auth/sso-handoff";
import { loginWithPassword, normaliseLogin, type LoginResult } from "../../src/services/identity/login";
import { auditAlone } from "../../src/services/audit";
import { activateAccount, logout } from "../../src/services/identity/account";
import { LoginPage, type LoginView } from "../../views/identity/login";
import { ActivationPage } from "../../views/identity/activation";
import { OutsideHoursPage } from "../../views/identity/outside-hours";
import { bounded, readWith } from "../../src/validation";

export const authRoutes = new Hono<AppEnv>();

const LoginForm = v.object({
  login: v.pipe(
    v.string(),
    v.trim(),
    v.nonEmpty("login.error.empty_login"),
    v.maxLength(100, "login.error.login_too_long"),
  ),
  password: v.pipe(
    v.string(),
    v.nonEmpty("login.error.empty_password"),
    v.maxLength(200, "login.error.password_too_long"),
  ),
});

/** 611D: the code typed (six digits; the service tells a wrong one). */
const CodeForm = v.object({ code: bounded(20) });

const INFO = {
  logged_out: "login.info.logged_out",
  session_expired: "login.info.session_expired",
  password_changed: "login.info.password_changed",
  code_expired: "login.info.code_expired",
} as const;

authRoutes.get("/login", (c) => {
  const returnTo = safeReturnPath(c.req.query("retour") ?? "");
  if (c.var.principal) return c.redirect(returnTo, 303);
  const info = c.req.query("info");
  const view: LoginView = { login: "", returnTo };
  if (c.var.sessionExpired) view.info = t("login.info.session_expired");
  else if (info && info in INFO) view.info = t(INFO[info as keyof typeof INFO]);
  return renderPage(
    c,
    <LoginPage
      chrome={chromeFor(c, t("login.title"), "help.topic.login")}
      view={view}
      samlProxyUrl={c.var.platform.config.samlProxyUrl}
    />,
  );
});

authRoutes.post("/login", async (c) => {
  const form = await readForm(c);
  const typed = field(form, "login");
  const shown = { login: readWith(bounded(100), typed), returnTo: safeReturnPath(field(form, "retour")) };
  const parsed = v.safeParse(LoginForm, { login: typed, password: field(form, "password") });
  if (!parsed.success) return rejectedInput(c, parsed.issues, shown);
  const result = await loginWithPassword(c.var.deps, parsed.output.login, parsed.output.password);
  return answerLogin(c, result, shown);
});

/** What the login page shows again: the login typed (bounded) and where to go after. */
type ShownLogin = { login: string; returnTo: string };

function loginPage(c: Context<AppEnv>, view: LoginView, status: 400 | 401 | 403 | 429) {
  const chrome = chromeFor(c, t("login.title"), "help.topic.login");
  return renderPage(
    c,
    <LoginPage chrome={chrome} samlProxyUrl={c.var.platform.config.samlProxyUrl} view={view} />,
    status,
  );
}

/** An empty or too long field: its message beside it, and one audit line naming the fields. */
async function rejectedInput(c: Context<AppEnv>, issues: v.BaseIssue<unknown>[], shown: ShownLogin) {
  const { deps } = c.var;
  const fieldErrors: LoginView["fieldErrors"] = {};
  for (const issue of issues) {
    const key = issue.path?.[0]?.key as "login" | "password" | undefined;
    if (key && !fieldErrors[key]) fieldErrors[key] = t(issue.message as Parameters<typeof t>[0]);
  }
  await auditAlone(deps.db, {
    at: deps.now,
    actorId: null,
    action: "login.rejected_input",
    target: normaliseLogin(shown.login),
    ip: deps.ip,
    details: { fields: Object.keys(fieldErrors) },
  });
  return loginPage(c, { ...shown, fieldErrors }, 400);
}

function answerLogin(c: Context<AppEnv>, result: LoginResult, shown: ShownLogin) {
  const again = (error: string, status: 401 | 403 | 429) => loginPage(c, { ...shown, error }, status);
  switch (result.kind) {
    case "ok": {
      writeCookie(c, "session", result.token, c.var.platform.config.session.lifetimeMinutes * 60);
      // A new CSRF nonce with the new session: a token seen before login is worthless after it.
      writeCookie(c, "csrf", c.var.csrf.newNonce());
      return c.redirect(result.mustActivate ? "/activation" : shown.returnTo, 303);
    }
    case "invalid":
      return again(t("login.error.invalid"), 401);
    case "ip_blocked":
      return again(t("login.error.ip_blocked", { minutes: result.retryAfterMinutes }), 429);
    case "account_locked":
      return again(t("login.error.account_locked", { minutes: result.retryAfterMinutes }), 429);
    case "suspended":
      return again(t("login.error.suspended"), 403);
    case "expired":
      return again(t("login.error.expired"), 403);
    case "second_factor":
      writeCookie(c, "challenge", result.challenge, CODE_MINUTES * 60);
      return c.redirect("/login/code", 303);
    case "no_academic_email":
      return again(t("login.error.no_academic_email"), 403);
    case "outside_hours":
      return renderPage(
        c,
        <OutsideHoursPage chrome={chromeFor(c, t("hours.title"), "help.topic.hours")} hours={result.hours} />,
        403,
      );
  }
}

/** 611D: the code sent to an admin's academic mailbox. */
authRoutes.get("/login/code", async (c) => {
  const address = await challengeAddress(c.var.deps, readCookie(c, "challenge") ?? "");
  if (!address) return c.redirect("/login?info=code_expired", 303);
  return renderPage(
    c,
    <LoginCodePage chrome={chromeFor(c, t("login.code.title"), "help.topic.login")} address={address} />,
  );
});

authRoutes.post("/login/code", async (c) => {
  const { platform, deps } = c.var;
  const { code } = readWith(CodeForm, fieldsOf(await readForm(c), CodeForm));
  const token = readCookie(c, "challenge") ?? "";
  const result = await checkCode(deps, token, code);
  if (result.kind === "expired") {
    clearCookie(c, "challenge");
    return c.redirect("/login?info=code_expired", 303);
  }
  if (result.kind === "wrong") {
    const address = (await challengeAddress(deps, token)) ?? "";
    return renderPage(
      c,
      <LoginCodePage
        chrome={chromeFor(c, t("login.code.title"), "help.topic.login")}
        address={address}
        error={t("login.code.wrong", { count: result.attemptsLeft })}
      />,
      401,
    );
  }
  clearCookie(c, "challenge");
  writeCookie(c, "session", result.token, platform.config.session.lifetimeMinutes * 60);
  writeCookie(c, "csrf", c.var.csrf.newNonce());
  return c.redirect("/", 303);
});

authRoutes.post("/logout", async (c) => {
  const { platform, deps, principal } = c.var;
  // Opened through ÉduConnect or Arena: the identity provider's session ends too (single logout through the proxy).
  const federation = principal && platform.config.samlProxyUrl ? await federationOf(deps, principal.sessionId) : null;
  if (principal) await logout(deps, principal);
  clearCookie(c, "session");
  if (federation) {
    const token = await signLogout(platform.config.secret, federation, deps.now);
    return c.redirect(
      `${platform.config.samlProxyUrl}/saml/${federation.guichet}/logout?jeton=${encodeURIComponent(token)}`,
      303,
    );
  }
  return c.redirect("/login?info=logged_out", 303);
});

authRoutes.get("/activation", (c) => {
  const p = c.var.principal;
  if (!p) return c.redirect("/login", 303);
  if (p.state !== "pre_created" && p.charterAccepted) return c.redirect("/", 303);
  return renderPage(
    c,
    <ActivationPage
      chrome={chromeFor(c, t("activation.title"), "help.topic.activation")}
      choosePassword={p.hasPassword}
    />,
  );
});

authRoutes.post("/activation", async (c) => {
  const p = c.var.principal;
  if (!p) return c.redirect("/login", 303);
  // An account already activated is done here, as on the page: this form sets a password without asking the
  // current one, so it must not become a way round the account page's check (found by the hostile-input walk).
  if (p.state !== "pre_created" && p.charterAccepted) return c.redirect("/", 303);
  const form = await readForm(c);
  const result = await activateAccount(c.var.deps, p, {
    acceptCharter: field(form, "charte") === "oui",
    password: field(form, "password"),
    confirm: field(form, "confirm"),
  });
  if (!result.ok) {
    const chrome = chromeFor(c, t("activation.title"), "help.topic.activation");
    return renderPage(
      c,
      <ActivationPage chrome={chrome} choosePassword={p.hasPassword} error={t(`password.error.${result.issue}`)} />,
      422,
    );
  }
  return c.redirect("/", 303);
});
