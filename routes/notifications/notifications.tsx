// The user's notifications in the hub.
import { t } from "../../src/i18n";
import { chromeFor, renderPage } from "../../src/http/render";
import { markAllRead, noticesOf } from "../../src/services/notifications/notifications";
import { NotificationsPage } from "../../views/notifications/notifications";
import { signedInRoutes } from "../guards";

export const notificationRoutes = signedInRoutes("/notifications");

notificationRoutes.get("/notifications", async (c) => {
  const notices = await noticesOf(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <NotificationsPage
      chrome={chromeFor(c, t("notifications.title"), "help.topic.notifications")}
      notices={notices}
      timeZone={c.var.deps.timeZone}
    />,
  );
});

notificationRoutes.post("/notifications/lues", async (c) => {
  await markAllRead(c.var.deps, c.var.principal);
  return c.redirect("/notifications", 303);
});
