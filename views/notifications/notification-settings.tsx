// 54L–54M: the user's channels for each category of notices, quiet hours, daily digest, SMS number, and this
// device's Web Push subscription (51C, the only part that needs JavaScript).
import { t, type MessageKey } from "../../src/i18n";
import {
  CATEGORIES,
  type Channel,
  type Channels,
  type DeliverySettings,
} from "../../src/services/notifications/notification-preferences";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { CheckField, ChoiceGroup, Fieldset, InputField, TimeField } from "../components/fields";

export interface NotificationSettingsView {
  preferences: Record<string, Channels>;
  settings: DeliverySettings;
  /** Channels this platform can use (SMS only with a provider, push only with a VAPID key). */
  channels: readonly Channel[];
  pushPublicKey: string | null;
  devices: number;
  digestAt: string;
  notice?: MessageKey;
  error?: MessageKey;
}

export function NotificationSettingsPage(props: { chrome: Chrome; view: NotificationSettingsView }) {
  const { view } = props;
  const sms = view.channels.includes("sms");
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("notifications.settings.title")}</h1>
      {view.notice ? <Flash kind="info" text={t(view.notice)} /> : null}
      {view.error ? <Flash kind="error" text={t(view.error)} /> : null}
      <p>{t("notifications.settings.intro")}</p>
      <form method="post" action="/compte/notifications" class="card">
        <CsrfField token={props.chrome.csrfToken} />
        <h2>{t("notifications.settings.channels")}</h2>
        {CATEGORIES.map((c) => (
          <ChoiceGroup
            type="checkbox"
            name="choix"
            idPrefix={`pref-${c.id}`}
            legend={t(`notifications.category.${c.id}` as MessageKey)}
            choices={view.channels.map((ch) => ({
              value: `${c.id}:${ch}`,
              id: `pref-${c.id}-${ch}`,
              label: t(`notifications.settings.${ch}`),
            }))}
            chosen={view.channels.filter((ch) => view.preferences[c.id]?.[ch]).map((ch) => `${c.id}:${ch}`)}
          />
        ))}
        <h2>{t("notifications.settings.delivery")}</h2>
        <Fieldset id="quiet" legend={t("notifications.settings.quiet")} hint={t("notifications.settings.quiet_hint")}>
          <div class="field-row">
            <TimeField
              id="quiet-from"
              name="calme_debut"
              label={t("notifications.settings.quiet_from")}
              value={view.settings.quietFrom ?? ""}
              describedBy="quiet-hint"
            />
            <TimeField
              id="quiet-to"
              name="calme_fin"
              label={t("notifications.settings.quiet_to")}
              value={view.settings.quietTo ?? ""}
              describedBy="quiet-hint"
            />
          </div>
        </Fieldset>
        <CheckField
          id="digest"
          name="resume"
          label={t("notifications.settings.digest", { time: view.digestAt })}
          checked={view.settings.dailyDigest}
        />
        {sms ? (
          <InputField
            type="tel"
            id="mobile"
            name="portable"
            label={t("notifications.settings.mobile")}
            hint={t("notifications.settings.mobile_hint")}
            autocomplete="tel"
            maxlength={20}
            value={view.settings.mobile ?? ""}
          />
        ) : null}
        <button type="submit" class="button-primary">
          {t("common.save")}
        </button>
      </form>
      {view.pushPublicKey ? (
        <section class="card" aria-labelledby="devices-title">
          <h2 id="devices-title">{t("notifications.devices.title")}</h2>
          <p>{t("notifications.devices.intro")}</p>
          <p>{t("notifications.devices.count", { count: view.devices })}</p>
          <div
            class="push-device"
            data-key={view.pushPublicKey}
            data-csrf={props.chrome.csrfToken}
            data-enabled={t("notifications.devices.enabled")}
            data-disabled={t("notifications.devices.disabled")}
            data-denied={t("notifications.devices.denied")}
            data-unsupported={t("notifications.devices.unsupported")}
            hidden
          >
            <button type="button" class="button-primary push-enable">
              {t("notifications.devices.enable")}
            </button>
            <button type="button" class="push-disable">
              {t("notifications.devices.disable")}
            </button>
            <p class="push-status" role="status"></p>
          </div>
          {view.devices > 0 ? (
            <PostButton
              action="/compte/notifications/appareils/oublier"
              csrfToken={props.chrome.csrfToken}
              label={t("notifications.devices.forget_all")}
            />
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}
