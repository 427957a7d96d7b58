// "Mes notifications" (54L–54M, 51C): channels per category, quiet hours, daily digest, SMS number, and the devices
// receiving Web Push. The form works without JavaScript; subscribing a device needs it (the browser's Push API).
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderPage } from "../../src/http/render";
import { fieldList, fieldsOf, readForm, type FormFields } from "../../src/http/forms";
import {
  notificationSettingsOf,
  saveNotificationSettings,
  type Channel,
  type SettingsInput,
} from "../../src/services/notifications/notification-preferences";
import { forgetDevices, subscribeDevice, unsubscribeDevice } from "../../src/services/notifications/push-subscriptions";
import { NotificationSettingsPage } from "../../views/notifications/notification-settings";
import { bounded, Checkbox, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const notificationSettingsRoutes = signedInRoutes("/compte/notifications");

const NOTICES: Record<string, MessageKey> = {
  "1": "notifications.settings.saved",
  oublies: "notifications.devices.disabled",
};

/** The settings form, its texts bounded above what the service accepts (it names the one at fault). */
const SettingsForm = v.object({
  calme_debut: bounded(10),
  calme_fin: bounded(10),
  resume: Checkbox,
  portable: bounded(40),
});

/** What the page's script posts to stop this device's pushes. */
const DeviceToForget = v.object({ endpoint: v.string() });

/** The channels this platform offers: the hub and e-mail always, Web Push and SMS where they are set up. */
function channelsOf(c: Context<SignedInEnv>): Channel[] {
  const { platform } = c.var;
  return ["hub", "mail", ...(platform.push ? ["push" as const] : []), ...(platform.sms ? ["sms" as const] : [])];
}

function readSettings(c: Context<SignedInEnv>, form: FormFields): SettingsInput {
  const offered = new Set(channelsOf(c));
  const f = readWith(SettingsForm, fieldsOf(form, SettingsForm));
  return {
    chosen: new Set(fieldList(form, "choix").filter((choice) => offered.has(choice.split(":")[1] as Channel))),
    quietFrom: f.calme_debut,
    quietTo: f.calme_fin,
    dailyDigest: f.resume,
    // Without an SMS provider the field is not shown: the number already given stays.
    mobile: offered.has("sms") ? f.portable : null,
  };
}

async function showSettings(c: Context<SignedInEnv>, error?: MessageKey) {
  const { platform } = c.var;
  const { preferences, settings, devices } = await notificationSettingsOf(c.var.deps, c.var.principal);
  return renderPage(
    c,
    <NotificationSettingsPage
      chrome={chromeFor(c, t("notifications.settings.title"), "help.topic.account")}
      view={{
        preferences,
        settings,
        channels: channelsOf(c),
        pushPublicKey: platform.push?.publicKey ?? null,
        devices,
        digestAt: platform.config.digestAt,
        notice: NOTICES[c.req.query("enregistre") ?? ""],
        error,
      }}
    />,
    error ? 422 : 200,
  );
}

notificationSettingsRoutes.get("/compte/notifications", (c) => showSettings(c));

notificationSettingsRoutes.post("/compte/notifications", async (c) => {
  const input = readSettings(c, await readForm(c));
  const saved = await saveNotificationSettings(c.var.deps, c.var.principal, input);
  if (!saved.ok) return showSettings(c, `notifications.settings.error.${saved.issue}`);
  return c.redirect("/compte/notifications?enregistre=1", 303);
});

/** The page's script posts the browser's PushSubscription as JSON (with the CSRF token in a header). */
notificationSettingsRoutes.post("/compte/notifications/appareils", async (c) => {
  if (!c.var.platform.push) return c.json({ error: t("notifications.devices.unsupported") }, 404);
  const body = await c.req.json().catch(() => null);
  const saved = await subscribeDevice(c.var.deps, c.var.principal, body);
  if (!saved.ok) return c.json({ error: t(`notifications.devices.error.${saved.issue}`) }, 422);
  return c.json({ message: t("notifications.devices.enabled") }, 201);
});

notificationSettingsRoutes.post("/compte/notifications/appareils/retirer", async (c) => {
  const body: unknown = await c.req.json().catch(() => null);
  if (!v.is(DeviceToForget, body)) return c.json({ error: t("notifications.devices.error.invalid") }, 422);
  await unsubscribeDevice(c.var.deps, c.var.principal, v.parse(bounded(1000), body.endpoint));
  return c.json({ message: t("notifications.devices.disabled") });
});

notificationSettingsRoutes.post("/compte/notifications/appareils/oublier", async (c) => {
  await forgetDevices(c.var.deps, c.var.principal);
  return c.redirect("/compte/notifications?enregistre=oublies", 303);
});
