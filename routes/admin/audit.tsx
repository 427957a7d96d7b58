// The académie's view of the audit trail (71E), with an on-demand check of the hash chain.
import { Hono, type Context } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { can } from "../../src/policy";
import { recentAuditLines, verifyAuditChain } from "../../src/services/audit";
import { AuditPage } from "../../views/admin/audit";
import { requireUser } from "../guards";

export const auditRoutes = new Hono<AppEnv>();
auditRoutes.use("/admin/*", requireUser);

async function page(c: Context<AppEnv>, verify: boolean) {
  const p = c.var.principal!;
  if (!can(p, "audit.view", { kind: "platform" })) return renderError(c, 403);
  const { platform } = c.var;
  const report = verify ? await verifyAuditChain(platform.db) : undefined;
  const lines = await withTenant(platform.db, scopeOf(p), (tx) => recentAuditLines(tx, 100));
  return renderPage(
    c,
    <AuditPage
      chrome={chromeFor(c, t("audit.title"), "help.topic.audit")}
      lines={lines}
      report={report}
      timeZone={platform.config.timeZone}
    />,
  );
}

auditRoutes.get("/admin/audit", (c) => page(c, false));
auditRoutes.post("/admin/audit/verification", (c) => page(c, true));
