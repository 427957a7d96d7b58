// 54L–54M: the user's channels for each category of notices.
import { t, type MessageKey } from "../../src/i18n";
import { CATEGORIES, type Channels } from "../../src/services/notification-preferences";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";

export function NotificationSettingsPage(props: { chrome: Chrome; preferences: Record<string, Channels>; saved: boolean }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("notifications.settings.title")}</h1>
      {props.saved ? <Flash kind="info" text={t("notifications.settings.saved")} /> : null}
      <p>{t("notifications.settings.intro")}</p>
      <form method="post" action="/compte/notifications" class="card">
        <CsrfField token={props.chrome.csrfToken} />
        {CATEGORIES.map((c) => (
          <fieldset>
            <legend>{t(`notifications.category.${c.id}` as MessageKey)}</legend>
            {(["hub", "mail"] as const).map((ch) => (
              <div class="field field-check">
                <input type="checkbox" id={`pref-${c.id}-${ch}`} name="choix" value={`${c.id}:${ch}`} checked={props.preferences[c.id]?.[ch]} />
                <label for={`pref-${c.id}-${ch}`}>{t(`notifications.settings.${ch}`)}</label>
              </div>
            ))}
          </fieldset>
        ))}
        <button type="submit" class="button-primary">{t("common.save")}</button>
      </form>
    </Layout>
  );
}
