// 3.2.2, 4.4: where the SAML proxy hands users to the hub after ÉduConnect or Arena.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { clearCookie, writeCookie } from "../../src/http/cookies";
import { fieldsOf, readForm } from "../../src/http/forms";
import { readIdpLogout, signIdpLogoutDone } from "../../src/auth/sso-handoff";
import {
  endFederatedSessions,
  federatedArrival,
  federatedChoice,
  type FederatedOutcome,
} from "../../src/services/identity/federated-login";
import { ChooseAccountPage, SsoProblemPage } from "../../views/identity/sso";
import { bounded, readWith } from "../../src/validation";
import * as v from "valibot";
import type { Context } from "hono";

export const ssoRoutes = new Hono<AppEnv>();

/** A handoff token (signed JSON): far below this bound. */
const Token = bounded(20_000);

/** The account chosen among the handoff's, and the handoff itself. */
const ChoiceForm = v.object({ jeton: Token, compte: bounded(100) });

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
  const token = readWith(Token, c.req.query("jeton"));
  return answer(c, await federatedArrival(c.var.deps, token), token);
});

ssoRoutes.post("/sso/choix", async (c) => {
  const f = readWith(ChoiceForm, fieldsOf(await readForm(c), ChoiceForm));
  return answer(c, await federatedChoice(c.var.deps, f.jeton, f.compte), f.jeton);
});

/** Single logout started by the identity provider: every hub session opened by that IdP session ends. */
ssoRoutes.get("/sso/deconnexion", async (c) => {
  const { platform, deps } = c.var;
  const now = deps.now;
  const request = await readIdpLogout(platform.config.secret, c.req.query("jeton") ?? "", now);
  if (!request || !platform.config.samlProxyUrl) return answer(c, { kind: "invalid" }, "");
  const ended = await endFederatedSessions(deps, request);
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
