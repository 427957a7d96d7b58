// "Mon compte": identity, font (51M), hidden apps (57C / 51E), password change. Notification choices: routes/notifications/notification-settings.tsx.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { field, fieldList, readForm } from "../../src/http/forms";
import { activeProfiles, displayName, type Principal } from "../../src/services/principal";
import { allowedApps } from "../../src/services/portal/apps";
import { changePassword, setHiddenApps } from "../../src/services/identity/account";
import { AccountPage, type AccountView } from "../../views/identity/account";
import { requireUser } from "../guards";

export const accountRoutes = new Hono<AppEnv>();
accountRoutes.use("/compte", requireUser);
accountRoutes.use("/compte/*", requireUser);

function accountView(p: Principal, extra: Partial<AccountView> = {}): AccountView {
  return {
    name: displayName(p),
    login: p.login,
    profiles: activeProfiles(p).map((k) => t(`profile.${k}`)),
    font: p.font,
    hideable: allowedApps(p).filter((a) => a.hideable),
    hidden: p.hiddenApps,
    hasPassword: p.hasPassword,
    ...extra,
  };
}

accountRoutes.get("/compte", (c) => {
  const p = c.var.principal!;
  return renderPage(
    c,
    <AccountPage
      chrome={chromeFor(c, t("account.title"), "help.topic.account")}
      view={accountView(p, { saved: c.req.query("enregistre") === "1" })}
    />,
  );
});

accountRoutes.post("/compte/applis", async (c) => {
  const { platform } = c.var;
  const form = await readForm(c);
  await setHiddenApps(
    { db: platform.db, now: platform.clock.now(), ip: c.var.ip, passwords: platform.passwords },
    c.var.principal!,
    fieldList(form, "cacher"),
  );
  return c.redirect("/compte?enregistre=1", 303);
});

accountRoutes.post("/compte/mot-de-passe", async (c) => {
  const { platform } = c.var;
  const p = c.var.principal!;
  const form = await readForm(c);
  const result = await changePassword(
    { db: platform.db, now: platform.clock.now(), ip: c.var.ip, passwords: platform.passwords },
    p,
    {
      current: field(form, "actuel").slice(0, 300),
      password: field(form, "password"),
      confirm: field(form, "confirm"),
    },
  );
  if (!result.ok) {
    return renderPage(
      c,
      <AccountPage
        chrome={chromeFor(c, t("account.title"), "help.topic.account")}
        view={accountView(p, { passwordError: t(`password.error.${result.issue}`) })}
      />,
      422,
    );
  }
  // The user's other sessions (another browser, a shared PC left open) have ended; this one goes on.
  return c.redirect("/compte?enregistre=1", 303);
});
