import { t } from "../../src/i18n";
import type { NoticeLine } from "../../src/services/notifications/notifications";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { PostButton } from "../components/csrf";
import { dateTime } from "../components/dates";

export function NotificationsPage(props: { chrome: Chrome; notices: NoticeLine[]; timeZone: string }) {
  const unread = props.notices.some((n) => !n.read);
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("notifications.title")}</h1>
      {unread ? (
        <PostButton
          action="/notifications/lues"
          csrfToken={props.chrome.csrfToken}
          label={t("notifications.mark_read")}
        />
      ) : null}
      {props.notices.length === 0 ? (
        <p>{t("notifications.none")}</p>
      ) : (
        <ul class="cards notices">
          {props.notices.map((n) => (
            <li class={n.read ? "card" : "card notice-unread"}>
              <h2 class="card-title">{n.title}</h2>
              <p class="hint">
                {dateTime(n.createdAt, props.timeZone)}
                {n.read ? "" : ` — ${t("notifications.unread")}`}
              </p>
              <p class="notice-body">{n.body}</p>
              {n.link ? (
                <p>
                  <a href={n.link}>{t("notifications.open")}</a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
