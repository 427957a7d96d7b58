// End-to-end harness: the real hub (Node platform, Node HTTP server, its own fresh PGlite with the demo platform)
// on a random port, and one Debian Chromium (or the browser PREAU_CHROMIUM names) driven by playwright-core. Never
// downloads a browser.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
  type Response,
} from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { createPgliteDatabase } from "../../db/pglite";
import type { DatabaseHandle } from "../../db/client";
import { migratePgliteDatabase } from "../../src/node/migrate";
import { createNodePlatform } from "../../src/node/platform";
import { startServer } from "../../src/node/server";
import { buildDemo, DEMO_PASSWORD } from "../../src/demo/demo";
import type { Logger } from "../../src/log";
import type { Platform } from "../../src/platform";
import { chromiumMissingError, chromiumPath, missingChromium } from "../helpers/chromium";
import { TestClock } from "../helpers/clock";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches the browser of the e2e tests; without it, fails with the one line that says how to install it. */
export async function launchChromium(): Promise<Browser> {
  const missing = missingChromium();
  if (missing) throw chromiumMissingError(missing);
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/** 731C: the smallest screen the tender names. */
export const SMALL_SCREEN = { width: 480, height: 800 };

export interface Hub {
  base: string;
  clock: TestClock;
  platform: Platform;
  handle: DatabaseHandle;
  browser: Browser;
  /** Errors the server logged (an unhandled exception is a 500 page for the user). */
  serverErrors: string[];
  stop(): Promise<void>;
}

/**
 * Starts the hub on 127.0.0.1 with its own in-memory database holding the demo platform and its own data folder
 * (files, blobs, rooms, keys), and launches Chromium. Nothing is shared with another test file or with ./data.
 */
export async function startHub(): Promise<Hub> {
  // Its own database: the demo uses fixed UAIs that the other test files (sharing the worker's PGlite) must not see.
  const handle = await createPgliteDatabase();
  await migratePgliteDatabase(handle);
  const clock = new TestClock();
  const serverErrors: string[] = [];
  const log: Logger = {
    log(level, event, fields) {
      if (level === "error") serverErrors.push(`${event} ${JSON.stringify(fields)}`);
    },
  };
  // Without DATA_DIR the hub would write its keys, files and blobs into the repository's ./data, shared by every
  // e2e file (and two hubs starting at once could read each other's half-written keys).
  const dataDir = mkdtempSync(join(tmpdir(), "preau-e2e-"));
  const { platform } = await createNodePlatform({
    env: {
      DATA_DIR: dataDir,
      PREAU_SECRET: "e2e-secret-that-is-long-enough-for-hmac-sha256",
      PREAU_PLATFORM_NAME: "Préau",
    },
    database: handle,
    clock,
    log,
  });
  await buildDemo(platform.db, platform.passwords, clock.now(), platform.rooms);
  const server = await startServer(platform, 0, "127.0.0.1");
  const browser = await launchChromium();
  return {
    base: `http://127.0.0.1:${server.port}`,
    clock,
    platform,
    handle,
    browser,
    serverErrors,
    async stop() {
      await browser.close().catch(() => undefined);
      await server.stop();
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newContext(hub: Hub, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await hub.browser.newContext({
    viewport: SMALL_SCREEN,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    ...options,
  });
  // A missing element fails its step with a clear message well before the test's own timeout.
  context.setDefaultTimeout(8_000);
  return context;
}

/**
 * Records what a user with the console open would see go wrong: script errors, console errors and warnings,
 * CSP violations, sub-resources (scripts, styles, fonts, icons) that fail or answer an error.
 */
export function watch(page: Page, allow: RegExp[] = []): { problems: string[] } {
  const problems: string[] = [];
  const add = (line: string) => {
    if (!allow.some((r) => r.test(line))) problems.push(line);
  };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") add(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => add(`pageerror: ${e.message}`));
  // A request the browser itself cancels because the page moved on (a favicon still loading when a form is sent) is
  // not a failure of the page; every other failure is.
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    if (
      why === "net::ERR_ABORTED" &&
      r.resourceType() !== "document" &&
      r.resourceType() !== "stylesheet" &&
      r.resourceType() !== "script"
    )
      return;
    add(`request failed: ${r.url()} ${why}`);
  });
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) add(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { problems };
}

/** CSP violations reported to the page itself (read back after the page has run). */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__cspViolations.push(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`,
      );
    });
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ["(recorder missing)"],
  );
}

/** Fills the login form as a user does (by its labels), submits it and waits for the page it leads to. */
export async function logIn(page: Page, hub: Hub, login: string, password = DEMO_PASSWORD): Promise<void> {
  if (!page.url().startsWith(`${hub.base}/login`)) await page.goto(`${hub.base}/login`);
  await page.getByLabel("Identifiant", { exact: true }).fill(login);
  await page.getByLabel("Mot de passe", { exact: true }).fill(password);
  await Promise.all([
    // The POST either redirects (home, activation) or answers the login page again with the error.
    page.waitForNavigation({ waitUntil: "load" }),
    page.getByRole("button", { name: "Se connecter", exact: true }).click(),
  ]);
}

/** Opens the banner's menu where it is folded (a small screen); where the banner shows everything, nothing to do. */
export async function openMenu(page: Page): Promise<void> {
  const toggle = page.getByRole("banner").locator("details.menu > summary");
  if ((await toggle.count()) === 0 || !(await toggle.isVisible())) return;
  if (!(await toggle.evaluate((s) => (s.parentElement as HTMLDetailsElement).open))) await toggle.click();
}

/** Clicks "Se déconnecter" in the banner (opening its menu on a small screen) and waits for the login page. */
export async function logOut(page: Page): Promise<void> {
  await openMenu(page);
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/login", { waitUntil: "load" }),
    page.getByRole("banner").getByRole("button", { name: "Se déconnecter", exact: true }).click(),
  ]);
}

/** Waits for the next HTML document answered at `path` (after redirects) and gives its response. */
export function nextDocument(page: Page, hub: Hub, path: string): Promise<Response> {
  return page.waitForResponse(
    (r) =>
      r.url() === `${hub.base}${path}` && r.request().resourceType() === "document" && r.request().method() === "GET",
  );
}

export async function gzippedSize(response: Response): Promise<number> {
  return gzipSync(await response.body()).length;
}

/**
 * axe-core on the page as rendered, WCAG 2.0/2.1 A and AA rules; one readable line per failing node.
 * Only in a context with JavaScript enabled: axe.run waits on timers, which never fire where scripts are off.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // page.evaluate runs through the DevTools protocol, outside the page's CSP: the CSP stays as strict as in production.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{
            violations: {
              id: string;
              help: string;
              nodes: { target: string[]; failureSummary?: string }[];
            }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.flatMap((v) =>
      v.nodes.map(
        (n) => `${v.id} (${v.help}) at ${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`,
      ),
    );
  }, AXE_TAGS);
  return violations;
}

/** 731C: nothing wider than the viewport (no horizontal scroll bar). */
export async function expectNoHorizontalScroll(page: Page, width = SMALL_SCREEN.width): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${page.url()} is ${scrollWidth}px wide on a ${width}px screen`).toBeLessThanOrEqual(width);
}

/** Describes the focused element: id, class, text. */
export function focused(
  page: Page,
): Promise<{ id: string; className: string; text: string; tag: string; inMain: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return {
      id: el?.id ?? "",
      className: typeof el?.className === "string" ? el.className : "",
      tag: el?.tagName.toLowerCase() ?? "",
      text: (el?.textContent ?? "").trim().replace(/\s+/g, " "),
      inMain: !!el?.closest("main"),
    };
  });
}

export interface Browsing {
  /** A signed-in page in its own context, JavaScript on or off, with what goes wrong recorded. */
  open(login: string, js?: boolean): Promise<{ page: Page; problems: string[] }>;
  /** axe-core runs in the page: the page's URL is checked again in a JavaScript-enabled page of the same user (one
   *  heading, no horizontal scroll, no axe violation, no CSP violation). */
  accessible(page: Page): Promise<void>;
  close(): Promise<void>;
}

/** The signed-in pages of one test file (the hub is started in its beforeAll, hence the getter). */
export function browsing(
  hub: () => Hub,
  options: { js?: boolean; viewport?: { width: number; height: number }; allow?: RegExp[] } = {},
): Browsing {
  const contexts: BrowserContext[] = [];
  const owners = new Map<Page, string>();
  const checkers = new Map<string, Promise<Page>>();
  async function open(login: string, js = options.js ?? false) {
    const context = await newContext(hub(), { javaScriptEnabled: js, viewport: options.viewport ?? SMALL_SCREEN });
    contexts.push(context);
    await recordCspViolations(context);
    const page = await context.newPage();
    const { problems } = watch(page, options.allow);
    await logIn(page, hub(), login);
    owners.set(page, login);
    return { page, problems };
  }
  async function accessible(page: Page) {
    const who = owners.get(page)!;
    let checker = checkers.get(who);
    if (!checker) {
      checker = open(who, true).then((o) => o.page);
      checkers.set(who, checker);
    }
    const p = await checker;
    await p.goto(page.url());
    expect(await p.locator("h1").count()).toBe(1);
    await expectNoHorizontalScroll(p);
    expect(await axeViolations(p), page.url()).toEqual([]);
    expect(await cspViolations(p)).toEqual([]);
  }
  async function close() {
    for (const c of contexts) await c.close().catch(() => undefined);
  }
  return { open, accessible, close };
}

/** A test file's hub and signed-in pages: started before its tests, stopped (contexts first) after them. */
export function hubForThisFile(options: Parameters<typeof browsing>[1] = {}): Browsing & { readonly hub: Hub } {
  let hub: Hub | undefined;
  const pages = browsing(() => hub!, options);
  beforeAll(async () => {
    hub = await startHub();
  }, 120_000);
  afterAll(async () => {
    await pages.close();
    await hub?.stop();
  });
  return {
    ...pages,
    get hub() {
      return hub!;
    },
  };
}
