// 611D, 3.2.2: the pages of an admin's second factor and of a parent choosing among accounts, in Chromium
// without JavaScript, at 480 px, with axe (731C) — on a hub with a real SMTP server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { sql } from "drizzle-orm";
import { systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { mailFlush } from "../../src/jobs/mail";
import { silentLogger } from "../../src/log";
import { smtpTransport } from "../../src/node/mail";
import { startServer } from "../../src/node/server";
import { signHandoff } from "../../src/auth/sso-handoff";
import { buildSchoolWithClass, buildStructure, buildUser } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";
import { startSmtpReceiver } from "../helpers/smtp";
import { axeViolations, expectNoHorizontalScroll, launchChromium, SMALL_SCREEN } from "./harness";

describe("e2e: second factor and account choice pages", () => {
  let tp: Awaited<ReturnType<typeof testPlatform>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let browser: Browser;
  let base: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    tp = await testPlatform("pglite", { secondFactorRoles: ["academie_admin"], cookieSecure: false });
    tp.platform.mail = smtpTransport(smtp.url, tp.platform.config.mailFrom);
    const server = await startServer(tp.platform, 0, "127.0.0.1");
    base = `http://127.0.0.1:${server.port}`;
    stop = server.stop;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stop?.();
    await smtp?.close();
  });

  it("611D the code page works without JavaScript and passes axe; the right code opens the session", async () => {
    const academie = await buildStructure(tp.platform.db, "academie");
    const admin = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: academie,
    });
    // An address of its own: the worker's database outlives this file (vitest isolate: false).
    const email = `admin.e2e.${Math.random().toString(36).slice(2, 8)}@ac-test.fr`;
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`update users set academic_email = ${email} where id = ${admin.id}`),
    );
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: SMALL_SCREEN });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel(t("login.login")).fill(admin.login);
    await page.getByLabel(t("login.password")).fill(admin.password);
    await Promise.all([
      page.waitForURL(`${base}/login/code`),
      page.getByRole("button", { name: t("login.submit") }).click(),
    ]);
    await mailFlush(tp.platform.mail)({}, { db: tp.platform.db, now: tp.clock.now(), log: silentLogger });
    const code = /(\d{6})/.exec(smtp.received.find((m) => m.to.includes(email))!.subject)![1]!;
    const checker = await (
      await browser.newContext({ viewport: SMALL_SCREEN, storageState: await context.storageState() })
    ).newPage();
    await checker.goto(`${base}/login/code`);
    expect(await axeViolations(checker)).toEqual([]);
    await expectNoHorizontalScroll(checker);
    await page.getByLabel(t("login.code.label")).fill(code);
    await Promise.all([
      page.waitForURL(`${base}/`),
      page.getByRole("button", { name: t("login.code.submit") }).click(),
    ]);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/^Bonjour/);
    await context.close();
  });

  it("3.2.2 a parent with two accounts chooses one, without JavaScript; axe on the page", async () => {
    const a = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const b = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const tag = Math.random().toString(36).slice(2, 8);
    await withTenant(tp.platform.db, systemScope, async (tx) => {
      await tx.execute(sql`update users set external_id = ${`TEST-pa-${tag}`} where id = ${a.parent.id}`);
      await tx.execute(sql`update users set external_id = ${`TEST-pb-${tag}`} where id = ${b.parent.id}`);
    });
    const token = await signHandoff(tp.platform.config.secret, {
      guichet: "educonnect",
      jti: `j-${tag}`,
      assertionId: `a-${tag}`,
      expiresAt: tp.clock.now().getTime() + 60_000,
      nameId: "n",
      sessionIndex: null,
      refIds: [`{AAF}24|x|pa-${tag}`, `{AAF}24|x|pb-${tag}`],
      eduConnectId: null,
      email: null,
    });
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: SMALL_SCREEN });
    const page = await context.newPage();
    await page.goto(`${base}/sso/arrivee?jeton=${encodeURIComponent(token)}`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(t("sso.choose.title"));
    // The handoff is spent: axe runs on the same HTML in a page with JavaScript (at the hub's address, for its styles).
    const js = await (await browser.newContext({ viewport: SMALL_SCREEN })).newPage();
    await js.goto(`${base}/aide`);
    await js.setContent(await page.content(), { waitUntil: "load" });
    expect(await axeViolations(js)).toEqual([]);
    await expectNoHorizontalScroll(js);
    await page.getByLabel(new RegExp(b.school.name)).check();
    await Promise.all([
      page.waitForURL(`${base}/`),
      page.getByRole("button", { name: t("sso.choose.submit") }).click(),
    ]);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/^Bonjour/);
    await context.close();
  });
});
