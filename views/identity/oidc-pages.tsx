// F10 (issue 21): the pages the OpenID Connect provider renders itself (its errors, the logout question and its
// answer), in the hub's look and language: the hub's stylesheet and icon, French text, nothing fetched from another
// host. src/node/oidc.ts hands them to the provider (renderError, logoutSource, postLogoutSuccessSource); the
// provider's requests never reach the hub's routes, so these frames take no session and carry no hub form.
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { t } from "../../src/i18n";
import type { AssetManifest } from "../../src/assets";
import { escapeHtml } from "../../realtime/document-model";
import { Footer } from "../layout";

export interface ProviderPageContext {
  assets: AssetManifest;
  platformName: string;
}

function Frame(props: { page: ProviderPageContext; title: string; children?: Child }) {
  const { page } = props;
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} — ${page.platformName}`}</title>
        <link rel="stylesheet" href={page.assets["preau.css"]} />
        <link rel="icon" href={page.assets["favicon.svg"]} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          {t("skip.content")}
        </a>
        <header class="banner">
          <div class="banner-inner">
            <a class="brand" href="/">
              <span class="brand-name">{t("brand")}</span>
            </a>
          </div>
        </header>
        <div class="page">
          <main id="contenu" tabindex={-1}>
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </div>
        <Footer platformName={page.platformName} />
      </body>
    </html>
  );
}

async function html(node: ReturnType<typeof Frame>): Promise<string> {
  return `<!doctype html>${await node.toString()}`;
}

/** What a protocol error means for the person in front of the page; the code is kept for whoever helps them. */
function errorMessage(code: string): string {
  switch (code) {
    case "invalid_client":
    case "unauthorized_client":
      return t("oidc.error.client");
    case "invalid_redirect_uri":
      return t("oidc.error.redirect");
    case "invalid_request":
    case "invalid_request_object":
    case "unsupported_response_type":
    case "unsupported_response_mode":
    case "invalid_scope":
      return t("oidc.error.request");
    case "session_not_found":
    case "invalid_session":
      return t("oidc.error.session");
    default:
      return t("oidc.error.other");
  }
}

export function providerErrorPage(page: ProviderPageContext, error: string, description: string | undefined) {
  return html(
    <Frame page={page} title={t("oidc.error.title")}>
      <p class="lead">{errorMessage(error)}</p>
      <p class="hint">{t("oidc.error.code", { code: error.slice(0, 80) })}</p>
      {description ? (
        <details>
          <summary>{t("oidc.error.details")}</summary>
          <p>{description.slice(0, 500)}</p>
        </details>
      ) : null}
      <p>
        <a class="button" href="/">
          {t("common.back_home")}
        </a>
      </p>
    </Frame>,
  );
}

/** The provider's logout question; `form` is the provider's own (empty) form with its anti-forgery field. */
export function providerLogoutPage(page: ProviderPageContext, form: string, service: string | null) {
  return html(
    <Frame page={page} title={t("oidc.logout.title")}>
      <p class="lead">
        {service
          ? t("oidc.logout.question_service", { service, platform: page.platformName })
          : t("oidc.logout.question", { platform: page.platformName })}
      </p>
      {raw(form)}
      <p class="actions">
        <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>
          {t("oidc.logout.yes")}
        </button>{" "}
        <button type="submit" form="op.logoutForm" class="secondary">
          {t("oidc.logout.no")}
        </button>
      </p>
    </Frame>,
  );
}

export function providerLoggedOutPage(page: ProviderPageContext, service: string | null) {
  return html(
    <Frame page={page} title={t("oidc.logged_out.title")}>
      <p class="lead">{service ? t("oidc.logged_out.service", { service }) : t("oidc.logged_out.message")}</p>
      <p>
        <a class="button" href="/">
          {t("common.back_home")}
        </a>
      </p>
    </Frame>,
  );
}

/**
 * The provider's self-submitting form_post page (a service's answer, or a logout without a session) is its own
 * template, not a setting: its text is put in French and the hub's stylesheet added. The script is left as it is,
 * since the page's policy allows it by its hash.
 */
export function frenchFormPost(page: ProviderPageContext, html: string): string {
  return html
    .replace("<html>", '<html lang="fr">')
    .replace(
      '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
      `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<link rel="stylesheet" href="${escapeHtml(page.assets["preau.css"])}">`,
    )
    .replace(
      "<title>Submitting Callback</title>",
      `<title>${escapeHtml(`${t("oidc.form_post.title")} — ${page.platformName}`)}</title>`,
    )
    .replace(
      "Your browser does not support JavaScript or you've disabled it.<br/>",
      `<p>${escapeHtml(t("oidc.form_post.text"))}</p>`,
    )
    .replace(
      '<button autofocus type="submit">Continue</button>',
      `<button autofocus type="submit">${escapeHtml(t("oidc.form_post.continue"))}</button>`,
    );
}
