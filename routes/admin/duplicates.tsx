// 612A / 621C: possible duplicates, for a school's director (/ecole/doublons) and for the académie (all schools).
import { Hono, type Context } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { schoolsScope, withTenant } from "../../db/client";
import { scopeOf, type Principal } from "../../src/services/principal";
import { can } from "../../src/policy";
import { audit } from "../../src/services/audit";
import { dismissDuplicate, openDuplicates } from "../../src/services/admin/duplicates";
import { DuplicatesPage } from "../../views/admin/duplicates";
import { requireUser } from "../guards";

export const duplicateRoutes = new Hono<AppEnv>();
for (const path of ["/ecole/doublons", "/admin/annuaire/doublons"]) duplicateRoutes.use(path, requireUser);

/** A director reviews the school they work in now; the académie reviews every school. */
function reviewScope(p: Principal, academie: boolean) {
  if (academie) return can(p, "aaf.manage", { kind: "platform" }) ? scopeOf(p) : null;
  if (!p.activeUai || !can(p, "duplicates.review", { kind: "school", uai: p.activeUai })) return null;
  return schoolsScope(p.userId, [p.activeUai]);
}

function routesFor(path: string, academie: boolean) {
  duplicateRoutes.get(path, async (c) => {
    const scope = reviewScope(c.var.principal!, academie);
    if (!scope) return renderError(c, 403);
    const pairs = await withTenant(c.var.platform.db, scope, (tx) => openDuplicates(tx));
    return renderPage(
      c,
      <DuplicatesPage
        chrome={chromeFor(c, t("duplicates.title"), "help.topic.duplicates")}
        pairs={pairs}
        action={path}
        showSchool={academie}
        done={c.req.query("clos") === "1"}
      />,
    );
  });
  duplicateRoutes.post(path, async (c: Context<AppEnv>) => {
    const p = c.var.principal!;
    const scope = reviewScope(p, academie);
    if (!scope) return renderError(c, 403);
    const id = Number(field(await readForm(c), "signalement"));
    if (!Number.isSafeInteger(id) || id <= 0) return renderError(c, 404);
    const now = c.var.platform.clock.now();
    // Row-level security keeps a director to their own school's flags: another school's flag is simply not found.
    const done = await withTenant(c.var.platform.db, scope, async (tx) => {
      const flag = await dismissDuplicate(tx, id, p.userId, now);
      if (flag)
        await audit(tx, {
          at: now,
          actorId: p.userId,
          action: "duplicates.dismiss",
          target: String(id),
          uai: flag.uai,
          ip: c.var.ip,
        });
      return flag;
    });
    if (!done) return renderError(c, 404);
    return c.redirect(`${path}?clos=1`, 303);
  });
}

routesFor("/ecole/doublons", false);
routesFor("/admin/annuaire/doublons", true);
