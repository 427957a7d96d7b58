// "Mes notifications" (54L–54M, 51C): channels per category, quiet hours, daily digest, SMS number, and the devices
// receiving Web Push. The form works without JavaScript; subscribing a device needs it (the browser's Push API).
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { field, fieldList, readForm } from "../../src/http/forms";
import { scopeOf } from "../../src/services/principal";
import { systemScope, withTenant } from "../../db/client";
import {
  myPreferences,
  mySettings,
  parseSettings,
  savePreferences,
  saveSettings,
  type Channel,
  type DeliverySettings,
} from "../../src/services/notifications/notification-preferences";
import {
  deviceCount,
  forgetDevices,
  parseSubscription,
  removeSubscription,
  saveSubscription,
} from "../../src/services/notifications/push-subscriptions";
import { NotificationSettingsPage } from "../../views/notifications/notification-settings";
import { requireUser } from "../guards";

export const notificationSettingsRoutes = new Hono<AppEnv>();
notificationSettingsRoutes.use("/compte/notifications", requireUser);
notificationSettingsRoutes.use("/compte/notifications/*", requireUser);

const NOTICES: Record<string, MessageKey> = {
  "1": "notifications.settings.saved",
  oublies: "notifications.devices.disabled",
};

function channelsOf(c: Context<AppEnv>): Channel[] {
  const { platform } = c.var;
  return ["hub", "mail", ...(platform.push ? ["push" as const] : []), ...(platform.sms ? ["sms" as const] : [])];
}

async function showSettings(
  c: Context<AppEnv>,
  extra: { error?: MessageKey; settings?: DeliverySettings } = {},
  status: 200 | 422 = 200,
) {
  const p = c.var.principal!;
  const { platform } = c.var;
  const { preferences, settings, devices } = await withTenant(platform.db, scopeOf(p), async (tx) => ({
    preferences: await myPreferences(tx, p.userId),
    settings: await mySettings(tx, p.userId),
    devices: await deviceCount(tx, p.userId),
  }));
  return renderPage(
    c,
    <NotificationSettingsPage
      chrome={chromeFor(c, t("notifications.settings.title"), "help.topic.account")}
      view={{
        preferences,
        settings: extra.settings ?? settings,
        channels: channelsOf(c),
        pushPublicKey: platform.push?.publicKey ?? null,
        devices,
        digestAt: platform.config.digestAt,
        notice: NOTICES[c.req.query("enregistre") ?? ""],
        error: extra.error,
      }}
    />,
    status,
  );
}

notificationSettingsRoutes.get("/compte/notifications", (c) => showSettings(c));

notificationSettingsRoutes.post("/compte/notifications", async (c) => {
  const p = c.var.principal!;
  const form = await readForm(c);
  const offered = new Set(channelsOf(c));
  const chosen = new Set(fieldList(form, "choix").filter((v) => offered.has(v.split(":")[1] as Channel)));
  const before = await withTenant(c.var.platform.db, scopeOf(p), (tx) => mySettings(tx, p.userId));
  const parsed = parseSettings({
    quietFrom: field(form, "calme_debut").slice(0, 10),
    quietTo: field(form, "calme_fin").slice(0, 10),
    dailyDigest: field(form, "resume") === "1",
    // Without an SMS provider the field is not shown: the number already given stays.
    mobile: offered.has("sms") ? field(form, "portable").slice(0, 40) : (before.mobile ?? ""),
  });
  if (!parsed.ok) return showSettings(c, { error: `notifications.settings.error.${parsed.issue}` }, 422);
  await withTenant(c.var.platform.db, scopeOf(p), async (tx) => {
    await savePreferences(tx, p.userId, chosen);
    await saveSettings(tx, p.userId, parsed.settings);
  });
  return c.redirect("/compte/notifications?enregistre=1", 303);
});

/** The page's script posts the browser's PushSubscription as JSON (with the CSRF token in a header). */
notificationSettingsRoutes.post("/compte/notifications/appareils", async (c) => {
  const { platform } = c.var;
  const p = c.var.principal!;
  if (!platform.push) return c.json({ error: t("notifications.devices.unsupported") }, 404);
  const body = await c.req.json().catch(() => null);
  const parsed = parseSubscription(body, platform.config.pushServices);
  if (!parsed.ok) return c.json({ error: t(`notifications.devices.error.${parsed.issue}`) }, 422);
  await withTenant(platform.db, systemScope, (tx) =>
    saveSubscription(tx, p.userId, parsed.subscription, platform.clock.now()),
  );
  return c.json({ message: t("notifications.devices.enabled") }, 201);
});

notificationSettingsRoutes.post("/compte/notifications/appareils/retirer", async (c) => {
  const p = c.var.principal!;
  const body = (await c.req.json().catch(() => null)) as { endpoint?: unknown } | null;
  if (!body || typeof body.endpoint !== "string")
    return c.json({ error: t("notifications.devices.error.invalid") }, 422);
  await withTenant(c.var.platform.db, scopeOf(p), (tx) =>
    removeSubscription(tx, p.userId, String(body.endpoint).slice(0, 1000)),
  );
  return c.json({ message: t("notifications.devices.disabled") });
});

notificationSettingsRoutes.post("/compte/notifications/appareils/oublier", async (c) => {
  const p = c.var.principal!;
  await withTenant(c.var.platform.db, scopeOf(p), (tx) => forgetDevices(tx, p.userId));
  return c.redirect("/compte/notifications?enregistre=oublies", 303);
});
