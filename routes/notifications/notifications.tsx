// The user's notifications in the hub.
import { Hono } from "hono";
import { t } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { withTenant } from "../../db/client";
import { scopeOf } from "../../src/services/principal";
import { markAllRead, myNotifications } from "../../src/services/notifications/notifications";
import { NotificationsPage } from "../../views/notifications/notifications";
import { requireUser } from "../guards";

export const notificationRoutes = new Hono<AppEnv>();
notificationRoutes.use("/notifications", requireUser);
notificationRoutes.use("/notifications/*", requireUser);

notificationRoutes.get("/notifications", async (c) => {
  const p = c.var.principal!;
  const notices = await withTenant(c.var.platform.db, scopeOf(p), (tx) => myNotifications(tx, p.userId));
  return renderPage(
    c,
    <NotificationsPage
      chrome={chromeFor(c, t("notifications.title"), "help.topic.notifications")}
      notices={notices}
      timeZone={c.var.platform.config.timeZone}
    />,
  );
});

notificationRoutes.post("/notifications/lues", async (c) => {
  const p = c.var.principal!;
  await withTenant(c.var.platform.db, scopeOf(p), (tx) => markAllRead(tx, p.userId, c.var.platform.clock.now()));
  return c.redirect("/notifications", 303);
});
