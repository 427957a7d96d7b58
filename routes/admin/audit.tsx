// The académie's view of the audit trail (71E), with an on-demand check of the hash chain.
import type { Context } from "hono";
import { t } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { auditTrail } from "../../src/services/audit";
import { AuditPage } from "../../views/admin/audit";
import { signedInRoutes } from "../guards";

export const auditRoutes = signedInRoutes("/admin/audit");

async function page(c: Context<SignedInEnv>, verify: boolean) {
  const trail = await auditTrail(c.var.deps, c.var.principal, verify);
  if (!trail) return renderError(c, 403);
  return renderPage(
    c,
    <AuditPage
      chrome={chromeFor(c, t("audit.title"), "help.topic.audit")}
      lines={trail.lines}
      report={trail.report}
      timeZone={c.var.deps.timeZone}
    />,
  );
}

auditRoutes.get("/admin/audit", (c) => page(c, false));
auditRoutes.post("/admin/audit/verification", (c) => page(c, true));
