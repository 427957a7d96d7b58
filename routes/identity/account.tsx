// "Mon compte": identity, font (51M), hidden apps (57C / 51E), password change. Notification choices:
// routes/notifications/notification-settings.tsx.
import * as v from "valibot";
import { t } from "../../src/i18n";
import { chromeFor, renderPage } from "../../src/http/render";
import { fieldList, fieldsOf, readForm } from "../../src/http/forms";
import { activeProfiles, displayName, type Principal, type ProfileKind } from "../../src/services/principal";
import { allowedApps } from "../../src/services/portal/apps";
import { accountMail, changePassword, setHiddenApps } from "../../src/services/identity/account";
import { AccountPage, type AccountView } from "../../views/identity/account";
import { bounded, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const accountRoutes = signedInRoutes("/compte");

/** 53: the profiles whose mail address is their professional one (the académie's), shown as such. */
const PROFESSIONALS: readonly ProfileKind[] = [
  "teacher",
  "director",
  "staff",
  "inspector",
  "adviser",
  "academie_admin",
];

/** The password form: the current password bounded (the new one is checked whole by the password rules). */
const PasswordForm = v.object({
  actuel: bounded(300),
  password: v.optional(v.string(), ""),
  confirm: v.optional(v.string(), ""),
});

function accountView(p: Principal, mail: string | null, extra: Partial<AccountView> = {}): AccountView {
  const kinds = activeProfiles(p);
  return {
    name: displayName(p),
    mail,
    professional: kinds.some((k) => PROFESSIONALS.includes(k)),
    login: p.login,
    profiles: kinds.map((k) => t(`profile.${k}`)),
    font: p.font,
    hideable: allowedApps(p).filter((a) => a.hideable),
    hidden: p.hiddenApps,
    hasPassword: p.hasPassword,
    ...extra,
  };
}

accountRoutes.get("/compte", async (c) => {
  const p = c.var.principal;
  return renderPage(
    c,
    <AccountPage
      chrome={chromeFor(c, t("account.title"), "help.topic.account")}
      view={accountView(p, await accountMail(c.var.deps, p), { saved: c.req.query("enregistre") === "1" })}
    />,
  );
});

accountRoutes.post("/compte/applis", async (c) => {
  const form = await readForm(c);
  await setHiddenApps(c.var.deps, c.var.principal, fieldList(form, "cacher"));
  return c.redirect("/compte?enregistre=1", 303);
});

accountRoutes.post("/compte/mot-de-passe", async (c) => {
  const p = c.var.principal;
  const form = await readForm(c);
  const f = readWith(PasswordForm, fieldsOf(form, PasswordForm));
  const result = await changePassword(c.var.deps, p, { current: f.actuel, password: f.password, confirm: f.confirm });
  if (!result.ok) {
    return renderPage(
      c,
      <AccountPage
        chrome={chromeFor(c, t("account.title"), "help.topic.account")}
        view={accountView(p, await accountMail(c.var.deps, p), { passwordError: t(`password.error.${result.issue}`) })}
      />,
      422,
    );
  }
  // The user's other sessions (another browser, a shared PC left open) have ended; this one goes on.
  return c.redirect("/compte?enregistre=1", 303);
});
