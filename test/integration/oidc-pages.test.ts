// F10 (issue 21): every page a browser can get from the hub — its own and those the OIDC provider renders (errors,
// logout question, logout done, form_post) — carries the hub's security headers and references no other host: a
// school page that calls an outside company (fonts, scripts, styles) is a GDPR problem in itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectorSaver, oidcClientSecret } from "../../src/services/identity/connectors";
import { loadPrincipal } from "../../src/services/principal";
import { serviceDeps } from "../../src/services/context";
import { createOidcEndpoint, oidcPort } from "../../src/node/oidc";
import { startServer } from "../../src/node/server";
import { systemScope, withTenant } from "../../db/client";
import { buildSchoolWithClass, buildStructure, buildUser } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";
import { CookieJar, freePort } from "../helpers/http";

/** Every address a page makes the browser fetch or go to: attributes, CSS url() and @import. */
function referencedUrls(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:src|href|action|srcset|poster|data|formaction)\s*=\s*["']([^"']*)["']/gi))
    found.push(...m[1]!.split(",").map((part) => part.trim().split(/\s+/)[0]!));
  for (const m of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) found.push(m[1]!.trim());
  for (const m of text.matchAll(/@import\s+["']([^"']+)["']/gi)) found.push(m[1]!.trim());
  return found.filter(Boolean);
}

/**
 * The references to hosts other than the platform's own (a relative address stays on the hub; `own` adds the
 * platform's other hosts: its SAML proxy, where the login page's ÉduConnect and agents' buttons lead).
 */
function outsideHosts(text: string, base: string, own: readonly string[] = []): string[] {
  const hosts = new Set([new URL(base).host, ...own.map((o) => new URL(o).host)]);
  return referencedUrls(text).filter((ref) => {
    if (/^(data|mailto|tel):/i.test(ref) || ref.startsWith("#")) return false;
    const url = URL.parse(ref.replace(/&amp;/g, "&"), base);
    return url !== null && (url.protocol === "http:" || url.protocol === "https:") && !hosts.has(url.host);
  });
}

function headerProblems(res: Response): string[] {
  const h = res.headers;
  const csp = h.get("content-security-policy") ?? "";
  const problems: string[] = [];
  for (const directive of ["default-src 'self'", "font-src 'self'", "style-src 'self'", "frame-ancestors 'none'"])
    if (!csp.includes(directive)) problems.push(`CSP without ${directive}`);
  if (!/max-age=\d{7,}/.test(h.get("strict-transport-security") ?? "")) problems.push("no HSTS");
  if (h.get("x-frame-options") !== "DENY") problems.push("no X-Frame-Options");
  if (h.get("x-content-type-options") !== "nosniff") problems.push("no nosniff");
  if (h.get("referrer-policy") !== "same-origin") problems.push("no Referrer-Policy");
  return problems;
}

describe("every page on its own host, with the hub's headers (F10)", () => {
  let tp: Awaited<ReturnType<typeof testPlatform>>;
  let base: string;
  let stop: () => Promise<void>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  const tag = Math.random().toString(36).slice(2, 8);
  const RP = `https://rp-${tag}.example.fr`;
  const REDIRECT = `${RP}/callback`;
  const slug = `pages-${tag}`;
  const checked: { what: string; res: Response; body: string }[] = [];

  const check = (what: string, got: { res: Response; body: string }, opts: { html?: boolean } = {}) => {
    checked.push({ what, ...got });
    expect(headerProblems(got.res), what).toEqual([]);
    expect(outsideHosts(got.body, base, [tp.platform.config.samlProxyUrl]), what).toEqual([]);
    if (opts.html !== false) {
      expect(got.body, what).toMatch(/<html lang="fr">/);
      // The hub's own stylesheet, and it too stays on the hub.
      expect(got.body, what).toMatch(/<link rel="stylesheet" href="\/static\/[^"]+\.css"/);
    }
  };

  async function signedIn() {
    const jar = new CookieJar();
    const page = await jar.fetch(`${base}/login`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await jar.post(`${base}/login`, { login: s.teacher.login, password: s.teacher.password, _csrf: token });
    expect(res.res.status).toBe(303);
    return jar;
  }

  function authorizeUrl(params: Record<string, string> = {}) {
    const url = new URL(`${base}/oidc/auth`);
    const all: Record<string, string> = {
      client_id: slug,
      response_type: "code",
      scope: "openid",
      redirect_uri: REDIRECT,
      state: "etat",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      ...params,
    };
    for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
    return url.href;
  }

  beforeAll(async () => {
    tp = await testPlatform("pglite", { cookieSecure: false });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    tp.platform.oidc = oidcPort(
      await createOidcEndpoint(tp.platform, {
        issuer: `${base}/oidc`,
        dataDir: mkdtempSync(join(tmpdir(), "preau-oidc-pages-")),
      }),
    );
    ({ stop } = await startServer(tp.platform, port, "127.0.0.1"));
    s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const academie = await buildStructure(tp.platform.db, "academie");
    const admin = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: academie,
    });
    const p = await withTenant(tp.platform.db, systemScope, (tx) => loadPrincipal(tx, admin.id, "x", null));
    const saved = await connectorSaver(serviceDeps(tp.platform, null), p!, {
      name: "Quiz des pages",
      slug,
      description: "",
      protocol: "oidc",
      launchUrl: `${RP}/`,
      serviceUrls: REDIRECT,
      category: "3",
      identifier: "opaque",
      requestedAttributes: [],
      native: false,
      allSchools: false,
      schools: s.school.uai,
    });
    expect(saved.ok).toBe(true);
  });
  afterAll(() => stop?.());

  it("the provider's error pages: unknown client, refused redirect address, missing PKCE", async () => {
    const unknown = await new CookieJar().fetch(authorizeUrl({ client_id: "client-inconnu" }));
    expect(unknown.res.status).toBe(400);
    expect(unknown.body).toContain("Connexion au service impossible");
    expect(unknown.body).toContain("invalid_client");
    check("error: unknown client", unknown);
    const redirect = await new CookieJar().fetch(authorizeUrl({ redirect_uri: "https://evil.example.com/cb" }));
    expect(redirect.res.status).toBe(400);
    expect(redirect.body).toContain("adresse qui ne lui est pas autorisée");
    check("error: redirect address", redirect);
    const nothing = await new CookieJar().fetch(`${base}/oidc/auth`);
    expect(nothing.res.status).toBe(400);
    check("error: no parameters", nothing);
  });

  it("the provider's logout question and its answer, in French with the hub's look", async () => {
    const jar = await signedIn();
    // Without a session of its own the provider asks nothing (it posts the logout at once, French page below).
    const silent = await new CookieJar().fetch(`${base}/oidc/session/end`);
    expect(silent.res.status).toBe(200);
    expect(silent.body).toContain("Continuer");
    expect(silent.body).not.toMatch(/Continue<|Submitting/);
    check("logout without a session", silent);
    // A sign-in at the service opens the provider's session.
    expect((await jar.follow(authorizeUrl(), base)).url.startsWith(REDIRECT)).toBe(true);
    const question = await jar.fetch(`${base}/oidc/session/end?client_id=${slug}`);
    expect(question.res.status).toBe(200);
    expect(question.body).toContain("Oui, me déconnecter");
    expect(question.body).toContain("Quiz des pages");
    check("logout question", question);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.body)![1]!;
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(question.body)![1]!;
    const confirmed = await jar.post(new URL(action, base).href, { xsrf, logout: "yes" });
    expect(confirmed.res.status).toBe(303);
    check("logout confirmation", confirmed, { html: false });
    const done = await jar.fetch(new URL(confirmed.res.headers.get("location")!, base).href);
    expect(done.res.status).toBe(200);
    expect(done.body).toContain("Vous êtes déconnecté·e");
    check("logout done", done);
  });

  it("form_post: the answer page posts to the service only, its inline script allowed by hash alone", async () => {
    const jar = await signedIn();
    const got = await jar.follow(authorizeUrl({ response_mode: "form_post" }), base);
    expect(got.res.status).toBe(200);
    expect(got.body).toContain(`action="${REDIRECT}"`);
    expect(got.body).toContain('<html lang="fr">');
    expect(got.body).toContain("Continuer");
    const csp = got.res.headers.get("content-security-policy")!;
    expect(csp).toMatch(new RegExp(`form-action 'self' ${RP.replace(/\./g, "\\.")}(;|$)`));
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(headerProblems(got.res)).toEqual([]);
    // The service's own address is where the answer goes: the only outside reference allowed on that page.
    expect(outsideHosts(got.body, base)).toEqual([REDIRECT]);
  });

  it("the provider's other answers (discovery, keys, unknown paths) carry the headers too", async () => {
    for (const path of ["/oidc/.well-known/openid-configuration", "/oidc/jwks", "/oidc/pas-une-page"]) {
      const got = await new CookieJar().fetch(`${base}${path}`);
      expect(headerProblems(got.res), path).toEqual([]);
    }
    const token = await new CookieJar().post(`${base}/oidc/token`, {
      grant_type: "authorization_code",
      code: "faux",
      client_id: slug,
      client_secret: await oidcClientSecret(tp.platform.config.secret, slug),
    });
    expect(token.res.status).toBeGreaterThanOrEqual(400);
    expect(headerProblems(token.res)).toEqual([]);
  });

  it("the hub's main pages, signed out and signed in, and their stylesheets", async () => {
    const anonymous = new CookieJar();
    for (const path of ["/login", "/aide", "/accessibilite", "/charte"]) {
      const got = await anonymous.fetch(`${base}${path}`);
      expect(got.res.status, path).toBe(200);
      check(path, got);
    }
    const jar = await signedIn();
    // Walls and documents need the realtime rooms, absent here: production-headers.test.ts opens them.
    for (const path of [
      "/",
      "/compte",
      "/notifications",
      "/messagerie",
      "/fil",
      "/classes",
      `/classes/${s.classId}`,
      `/personnes/${s.pupil.id}`,
      "/cahier",
      "/carnet",
      "/agenda",
      "/sondages",
      "/appel",
      "/ce-soir",
      "/services",
    ]) {
      // Some apps send on to the user's class (the homework log, the liaison notebook): the page they land on counts.
      const got = await jar.follow(`${base}${path}`, base);
      expect(got.res.status, path).toBe(200);
      check(got.url, got);
    }
    const sheets = new Set(
      checked.flatMap((c) => [...c.body.matchAll(/href="(\/static\/[^"]+\.css)"/g)].map((m) => m[1]!)),
    );
    expect(sheets.size).toBeGreaterThan(0);
    for (const sheet of sheets) {
      const css = await new CookieJar().fetch(`${base}${sheet}`);
      expect(css.res.status).toBe(200);
      expect(outsideHosts(css.body, base), sheet).toEqual([]);
      expect(css.body).not.toMatch(/@import/);
    }
  });
});
