// 3.11.1.1: the GAR's single sign-on. The GAR sends its AuthnRequest here; a signed-in user (not a parent: the GAR
// serves pupils and staff) goes on with a signed assertion posted to the GAR — by a button, or at once with
// JavaScript.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { can } from "../../src/policy";
import { auditAlone } from "../../src/services/audit";
import { GarPostPage } from "../../views/identity/gar";
import { contentSecurityPolicy } from "../../src/http/security";

export const garRoutes = new Hono<AppEnv>();

garRoutes.get("/gar/metadata", (c) => {
  const gar = c.var.platform.gar;
  if (!gar) return renderError(c, 404);
  c.header("Content-Type", "application/samlmetadata+xml; charset=utf-8");
  return c.body(gar.metadata());
});

garRoutes.get("/gar/sso", async (c) => {
  const { platform, deps, principal: p } = c.var;
  if (!platform.gar) return renderError(c, 404);
  const raw = new URL(c.req.url).search.slice(1);
  if (!p) return c.redirect(`/login?retour=${encodeURIComponent(`/gar/sso?${raw}`)}`, 303);
  if (!can(p, "gar.use", { kind: "platform" })) {
    return renderPage(c, <GarPostPage chrome={chromeFor(c, t("gar.refused.title"), "connector.help")} refused />, 403);
  }
  const octetString = raw
    .split("&")
    .filter((part) => !part.startsWith("Signature="))
    .join("&");
  try {
    const answer = await platform.gar.respond(c.req.query(), octetString, { id: p.userId });
    await auditAlone(deps.db, { at: deps.now, actorId: p.userId, action: "gar.sso", uai: p.activeUai, ip: deps.ip });
    // This page's one form goes to the GAR: the only other place a form of the hub may post to.
    c.header("Content-Security-Policy", contentSecurityPolicy([new URL(answer.action).origin]));
    return renderPage(c, <GarPostPage chrome={chromeFor(c, t("gar.title"), "connector.help")} answer={answer} />);
  } catch (err) {
    platform.log.log("warn", "gar_request_refused", { error: err instanceof Error ? err.message : String(err) });
    return renderError(c, 403);
  }
});
