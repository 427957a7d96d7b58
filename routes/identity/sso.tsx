// 3.2.2, 4.4: where the SAML proxy hands users to the hub after ÉduConnect or Arena.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { clearCookie, writeCookie } from "../../src/http/cookies";
import { field, readForm } from "../../src/http/forms";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { readHandoff, readIdpLogout, signIdpLogoutDone } from "../../src/auth/sso-handoff";
import {
  endFederatedSessions,
  federatedArrival,
  openFederatedSession,
  type FederatedOutcome,
} from "../../src/services/identity/federated-login";
import { ChooseAccountPage, SsoProblemPage } from "../../views/identity/sso";
import type { Context } from "hono";

export const ssoRoutes = new Hono<AppEnv>();

/** A parent may take a few minutes to choose which account to open: the spent handoff stays readable that long. */
const CHOICE_MINUTES = 10;

function answer(c: Context<AppEnv>, outcome: FederatedOutcome, token: string) {
  const chrome = (title: Parameters<typeof t>[0]) => chromeFor(c, t(title), "help.topic.login");
  switch (outcome.kind) {
    case "session":
      writeCookie(c, "session", outcome.token, c.var.platform.config.session.lifetimeMinutes * 60);
      writeCookie(c, "csrf", c.var.csrf.newNonce());
      return c.redirect(outcome.mustActivate ? "/activation" : "/", 303);
    case "choose":
      return renderPage(
        c,
        <ChooseAccountPage chrome={chrome("sso.choose.title")} candidates={outcome.candidates} token={token} />,
      );
    case "unknown":
      return renderPage(
        c,
        <SsoProblemPage chrome={chrome("sso.unknown.title")} title="sso.unknown.title" text="sso.unknown.text" />,
        403,
      );
    case "invalid":
      return renderPage(
        c,
        <SsoProblemPage chrome={chrome("sso.invalid.title")} title="sso.invalid.title" text="sso.invalid.text" />,
        400,
      );
  }
}

ssoRoutes.get("/sso/arrivee", async (c) => {
  const { platform } = c.var;
  const token = (c.req.query("jeton") ?? "").slice(0, 20_000);
  const outcome = await federatedArrival(
    { db: platform.db, config: platform.config, now: platform.clock.now(), ip: c.var.ip },
    token,
  );
  return answer(c, outcome, token);
});

ssoRoutes.post("/sso/choix", async (c) => {
  const { platform } = c.var;
  const now = platform.clock.now();
  const form = await readForm(c);
  const token = field(form, "jeton").slice(0, 20_000);
  const handoff = await readHandoff(platform.config.secret, token, new Date(now.getTime() - CHOICE_MINUTES * 60_000));
  // Chosen once: the page cannot be posted again to open a second session.
  const first = handoff
    ? await withTenant(
        platform.db,
        systemScope,
        async (tx) =>
          rowsOf(
            await tx.execute(sql`
    insert into sso_seen (key, seen_at) values (${`choice:${handoff.jti}`}, ${now.toISOString()}) on conflict do nothing returning key`),
          ).length === 1,
      )
    : false;
  if (!handoff || !first) return answer(c, { kind: "invalid" }, "");
  const outcome = await openFederatedSession(
    { db: platform.db, config: platform.config, now, ip: c.var.ip },
    handoff,
    field(form, "compte"),
  );
  return answer(c, outcome, token);
});

/** Single logout started by the identity provider: every hub session opened by that IdP session ends. */
ssoRoutes.get("/sso/deconnexion", async (c) => {
  const { platform } = c.var;
  const now = platform.clock.now();
  const request = await readIdpLogout(platform.config.secret, c.req.query("jeton") ?? "", now);
  if (!request || !platform.config.samlProxyUrl) return answer(c, { kind: "invalid" }, "");
  const ended = await endFederatedSessions(platform.db, request, now, c.var.ip);
  if (c.var.principal && ended.includes(c.var.principal.sessionId)) clearCookie(c, "session");
  const done = await signIdpLogoutDone(
    platform.config.secret,
    { guichet: request.guichet, requestId: request.requestId, relayState: request.relayState },
    now,
  );
  return c.redirect(
    `${platform.config.samlProxyUrl}/saml/${request.guichet}/slo-fait?jeton=${encodeURIComponent(done)}`,
    303,
  );
});
