import type { Child } from "hono/jsx";
import { t } from "../src/i18n";
import type { Chrome } from "./chrome";
import { CsrfField } from "./components/csrf";
import { Icon } from "./components/icon";

/**
 * Issue 21: the banner's links and tools in one disclosure. On a small screen it is a "Menu" button that opens a panel
 * (a native <details>: no script needed, the keyboard opens it with Enter or Space); on a wide screen the stylesheet
 * shows the panel's content in the banner itself and hides the button.
 */
function BannerMenu(props: { chrome: Chrome }) {
  const { chrome } = props;
  const user = chrome.user;
  const unread = user?.unreadNotifications ?? 0;
  return (
    <details class="menu">
      <summary class="menu-toggle">
        <Icon assets={chrome.assets} name="menu" />
        <span>{t("nav.menu")}</span>
        {unread > 0 ? (
          <span class="menu-badge">
            {String(unread)}
            <span class="visually-hidden"> {t("nav.menu.unread")}</span>
          </span>
        ) : null}
      </summary>
      <div class="menu-panel">
        {user ? (
          <nav class="main-nav" aria-label={t("nav.main")}>
            <a href="/">{t("nav.home")}</a>
            <a href="/compte">{t("nav.account_of", { name: user.name })}</a>
            <a href="/notifications">
              {unread > 0 ? t("nav.notifications_unread", { count: unread }) : t("nav.notifications")}
            </a>
          </nav>
        ) : null}
        {user && user.schools.length > 1 ? (
          <form method="post" action="/ecole/active" class="school-switch">
            <CsrfField token={chrome.csrfToken} />
            <label for="school-switch">{t("nav.school_switch")}</label>
            <select id="school-switch" name="uai">
              {user.schools.map((s) => (
                <option value={s.uai} selected={s.uai === user.activeSchool?.uai}>
                  {s.name}
                </option>
              ))}
            </select>
            <button type="submit" class="tool-button">
              {t("nav.school_switch.submit")}
            </button>
          </form>
        ) : null}
        <div class="tools">
          <form method="post" action="/preferences/police" class="tool">
            <CsrfField token={chrome.csrfToken} />
            <input type="hidden" name="retour" value={chrome.path} />
            <input type="hidden" name="police" value={chrome.font === "dyslexic" ? "standard" : "dyslexic"} />
            <button type="submit" class="tool-button">
              <Icon assets={chrome.assets} name="font" />
              <span>{chrome.font === "dyslexic" ? t("font.switch_to_standard") : t("font.switch_to_dyslexic")}</span>
            </button>
          </form>
          <button
            type="button"
            class="tool-button read-aloud"
            hidden
            data-start={t("read_aloud.start")}
            data-stop={t("read_aloud.stop")}
          >
            <Icon assets={chrome.assets} name="speaker" />
            <span>{t("read_aloud.start")}</span>
          </button>
          {user ? (
            <form method="post" action="/logout" class="tool">
              <CsrfField token={chrome.csrfToken} />
              <button type="submit" class="tool-button">
                <Icon assets={chrome.assets} name="logout" />
                <span>{t("nav.logout")}</span>
              </button>
            </form>
          ) : null}
        </div>
      </div>
    </details>
  );
}

/** The frame of every page: skip link, banner, main, contextual help (51H), footer. Works without JavaScript. */
export function Layout(props: { chrome: Chrome; children?: Child; wide?: boolean }) {
  const { chrome } = props;
  const bodyClass = [chrome.pupilTheme ? "theme-pupil" : "", chrome.font === "dyslexic" ? "font-dyslexic" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${chrome.title} — ${chrome.platformName}`}</title>
        <link rel="stylesheet" href={chrome.assets["preau.css"]} />
        <link rel="icon" href={chrome.assets["favicon.svg"]} type="image/svg+xml" />
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#1f4fa8" />
        <meta name="htmx-config" content='{"includeIndicatorCSS":false}' />
        <script defer src={chrome.assets["htmx.js"]}></script>
        <script defer src={chrome.assets["preau.js"]}></script>
      </head>
      <body class={bodyClass || undefined}>
        <a class="skip-link" href="#contenu">
          {t("skip.content")}
        </a>
        <header class="banner">
          <div class="banner-inner">
            <a class="brand" href="/">
              <span class="brand-name">{t("brand")}</span>
              {chrome.user?.activeSchool ? <span class="brand-school">{chrome.user.activeSchool.name}</span> : null}
            </a>
            <BannerMenu chrome={chrome} />
          </div>
        </header>
        <div class={props.wide ? "page page-wide" : "page"}>
          <main id="contenu" tabindex={-1}>
            {props.children}
          </main>
          <aside class="help" aria-labelledby="help-title">
            <details>
              <summary id="help-title">{t("help.panel")}</summary>
              <p>{t(chrome.helpTopic)}</p>
              <p>
                <a href="/aide">{t("help.more")}</a>
              </p>
            </details>
          </aside>
        </div>
        <Footer platformName={chrome.platformName} />
      </body>
    </html>
  );
}

/** Every page's footer: accessibility statement, charter, help, legal line. */
export function Footer(props: { platformName: string }) {
  return (
    <footer class="footer">
      <a href="/accessibilite">{t("footer.accessibility")}</a>
      <a href="/charte">{t("footer.charter")}</a>
      <a href="/aide">{t("footer.help")}</a>
      <span>{t("footer.legal", { platform: props.platformName })}</span>
    </footer>
  );
}
