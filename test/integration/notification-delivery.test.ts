// 54L–54N, 51B–51C: notices leave the hub as each user chose — e-mail to a real SMTP server, Web Push to a real HTTP
// push service (decrypted here with the subscription's private key), SMS to a real HTTP provider — after quiet
// hours, in a daily digest, retried on failure and reported when they finally fail.
// PGlite only: the outboxes are platform-wide queues, and another file running at the same time on the shared
// Postgres database would empty them into its own receivers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createECDH, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import webpush from "web-push";
// @ts-expect-error http_ece ships no types: the reference implementation of RFC 8188, used here to decrypt.
import ece from "http_ece";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { createApp } from "../../src/app";
import { t } from "../../src/i18n";
import { runDueJobs } from "../../src/jobs/runner";
import { mailDigest, mailFlush } from "../../src/jobs/mail";
import { httpSmsGateway, maskedNumber, signalsFlush } from "../../src/jobs/signals";
import { silentLogger } from "../../src/log";
import { smtpTransport } from "../../src/node/mail";
import { webPushTransport } from "../../src/node/push";
import { frenchMobile } from "../../src/services/notifications/notification-preferences";
import { pushServiceAllowed } from "../../src/services/notifications/push-subscriptions";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildUser, type BuiltUser } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";
import { startSmtpReceiver } from "../helpers/smtp";
import { startHttpReceiver } from "../helpers/http-receiver";

describe("notification delivery (54L–54N, 51C)", () => {
  let tp: Awaited<ReturnType<typeof testPlatform>>;
  let app: Awaited<ReturnType<typeof createApp>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let pushService: Awaited<ReturnType<typeof startHttpReceiver>>;
  let smsProvider: Awaited<ReturnType<typeof startHttpReceiver>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    pushService = await startHttpReceiver();
    smsProvider = await startHttpReceiver();
    tp = await testPlatform("pglite");
    tp.platform.mail = smtpTransport(smtp.url, tp.platform.config.mailFrom);
    tp.platform.push = webPushTransport(webpush.generateVAPIDKeys(), "mailto:preau@tests.invalid");
    tp.platform.sms = httpSmsGateway({ url: `${smsProvider.url}/sms`, token: "jeton-du-fournisseur", sender: "Preau" });
    app = await createApp(tp.platform);
    s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
  });
  afterAll(async () => {
    await smtp.close();
    await pushService.close();
    await smsProvider.close();
  });

  const runJobs = () =>
    runDueJobs(
      tp.platform.db,
      {
        "mail.flush": mailFlush(tp.platform.mail),
        "mail.digest": mailDigest(),
        "signals.flush": signalsFlush({ push: tp.platform.push, sms: tp.platform.sms }),
      },
      () => tp.clock.now(),
      process.env.PREAU_TEST_LOG ? { log: (l, e, d) => console.error(l, e, d) } : silentLogger,
    );

  async function as(user: BuiltUser) {
    const b = new TestBrowser(app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function teacherWithEmail(): Promise<BuiltUser & { email: string }> {
    const u = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "teacher",
      uai: s.school.uai,
      classId: s.classId,
    });
    const email = `enseignant.${u.id.slice(0, 8)}@ac-test.fr`;
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`update users set academic_email = ${email} where id = ${u.id}`),
    );
    return { ...u, email };
  }
  async function choose(user: BuiltUser, choices: string[], settings: Record<string, string> = {}) {
    const b = await as(user);
    await b.get("/compte/notifications");
    const res = await b.post("/compte/notifications", {
      choix: choices,
      calme_debut: "",
      calme_fin: "",
      portable: "",
      ...settings,
    });
    expect(res.status).toBe(303);
    return b;
  }
  async function sendFromDirector(to: string, subject: string) {
    const b = await as(s.director);
    await b.get("/messagerie/nouveau");
    const res = await b.post("/messagerie/nouveau", {
      ecole: s.school.uai,
      destinataires: to,
      objet: subject,
      texte: "Bonjour, voici une information.",
    });
    expect(res.status).toBe(303);
  }
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

  it("54M a new message's e-mail reaches a real SMTP server with a link to the hub", async () => {
    const teacher = await teacherWithEmail();
    await choose(teacher, ["messages:hub", "messages:mail"]);
    tp.clock.set("2026-12-01T10:00:00+01:00");
    await sendFromDirector(teacher.id, "Conseil des maîtres");
    await runJobs();
    const [mail] = mailsTo(teacher.email);
    expect(mail?.subject).toMatch(/^Nouveau message de /);
    expect(mail?.text).toContain("Conseil des maîtres");
    expect(mail?.text).toMatch(/https:\/\/preau\.test\/messagerie\/[0-9a-f-]{36}/);
  });

  it("54M quiet hours hold e-mails until they end, then they leave once", async () => {
    const teacher = await teacherWithEmail();
    await choose(teacher, ["messages:hub", "messages:mail"], { calme_debut: "20:00", calme_fin: "07:30" });
    tp.clock.set("2026-12-02T21:15:00+01:00");
    await sendFromDirector(teacher.id, "Sortie de demain");
    await runJobs();
    expect(mailsTo(teacher.email)).toHaveLength(0);
    tp.clock.set("2026-12-03T07:29:00+01:00");
    await runJobs();
    expect(mailsTo(teacher.email)).toHaveLength(0);
    tp.clock.set("2026-12-03T07:31:00+01:00");
    await runJobs();
    await runJobs();
    expect(mailsTo(teacher.email).map((m) => m.text)).toEqual([expect.stringContaining("Sortie de demain")]);
    // The notice itself was in the hub at once.
    const b = await as(teacher);
    expect((await b.get("/notifications")).text).toContain("Sortie de demain");
  });

  it("54M a daily digest gathers the day's e-mails into one", async () => {
    const teacher = await teacherWithEmail();
    await choose(teacher, ["messages:hub", "messages:mail"], { resume: "1" });
    tp.clock.set("2026-12-04T09:00:00+01:00");
    await sendFromDirector(teacher.id, "Premier sujet");
    await sendFromDirector(teacher.id, "Second sujet");
    await runJobs();
    expect(mailsTo(teacher.email)).toHaveLength(0);
    await mailDigest()({}, { db: tp.platform.db, now: tp.clock.now(), log: silentLogger });
    await runJobs();
    await mailDigest()({}, { db: tp.platform.db, now: tp.clock.now(), log: silentLogger });
    await runJobs();
    const mails = mailsTo(teacher.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("[Préau] Votre résumé du jour (2)");
    expect(mails[0]!.text).toContain("Premier sujet");
    expect(mails[0]!.text).toContain("Second sujet");
  });

  it("51C a device subscribes through the page's script and receives the notice, encrypted for it alone", async () => {
    const teacher = await teacherWithEmail();
    const b = await choose(teacher, ["messages:hub", "messages:push"]);
    const page = await b.get("/compte/notifications");
    expect(page.html).toContain(`data-key="${tp.platform.push!.publicKey}"`);
    const device = createECDH("prime256v1");
    device.generateKeys();
    const auth = randomBytes(16);
    const subscription = {
      endpoint: `${pushService.url}/abonnement/${teacher.id}`,
      keys: { p256dh: device.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
    };
    const res = await b.postJson("/compte/notifications/appareils", subscription);
    expect(res.status).toBe(201);
    tp.clock.set("2026-12-05T10:00:00+01:00");
    await sendFromDirector(teacher.id, "Réunion de rentrée");
    await runJobs();
    const request = pushService.received.find((r) => r.path === `/abonnement/${teacher.id}`);
    expect(request?.headers["content-encoding"]).toBe("aes128gcm");
    expect(request?.headers.authorization).toMatch(/^vapid t=.+, k=/);
    const payload = JSON.parse(
      ece
        .decrypt(request!.body, { version: "aes128gcm", privateKey: device, authSecret: auth.toString("base64url") })
        .toString(),
    );
    expect(payload).toMatchObject({
      title: expect.stringMatching(/^Nouveau message de /),
      body: "Réunion de rentrée",
      link: expect.stringMatching(/^\/messagerie\//),
    });
  });

  it("51C a subscription the push service says is gone is forgotten; a refused push is retried", async () => {
    const teacher = await teacherWithEmail();
    const b = await choose(teacher, ["messages:hub", "messages:push"]);
    const device = createECDH("prime256v1");
    device.generateKeys();
    const endpoint = `${pushService.url}/perime/${teacher.id}`;
    await b.postJson("/compte/notifications/appareils", {
      endpoint,
      keys: { p256dh: device.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") },
    });
    let calls = 0;
    pushService.answerWith((r) => (r.path.startsWith("/perime/") ? (++calls === 1 ? 503 : 410) : 201));
    tp.clock.set("2026-12-06T10:00:00+01:00");
    await sendFromDirector(teacher.id, "Photo de classe");
    await runJobs();
    expect(calls).toBe(1);
    tp.clock.set("2026-12-06T10:02:00+01:00");
    await runJobs();
    expect(calls).toBe(2);
    pushService.answerWith(() => 201);
    const left = await withTenant(
      tp.platform.db,
      systemScope,
      async (tx) => rowsOf(await tx.execute(sql`select 1 from push_subscriptions where endpoint = ${endpoint}`)).length,
    );
    expect(left).toBe(0);
  });

  it(
    "51C subscriptions from unknown push services or with " + "broken keys are refused in French and nothing is stored",
    async () => {
      const teacher = await teacherWithEmail();
      const b = await as(teacher);
      await b.get("/compte/notifications");
      const keys = {
        p256dh: createECDH("prime256v1").generateKeys().toString("base64url"),
        auth: randomBytes(16).toString("base64url"),
      };
      const foreign = await b.postJson("/compte/notifications/appareils", {
        endpoint: "https://collecteur.example.com/x",
        keys,
      });
      expect(foreign.status).toBe(422);
      expect(JSON.parse(foreign.html).error).toBe(t("notifications.devices.error.service"));
      const broken = await b.postJson("/compte/notifications/appareils", {
        endpoint: "https://fcm.googleapis.com/fcm/send/x",
        keys: { p256dh: "abc", auth: "def" },
      });
      expect(broken.status).toBe(422);
      expect(JSON.parse(broken.html).error).toBe(t("notifications.devices.error.invalid"));
      const garbage = await b.postJson("/compte/notifications/appareils", "pas un abonnement");
      expect(garbage.status).toBe(422);
      const noToken = await new TestBrowser(app).postJson("/compte/notifications/appareils", {
        endpoint: "https://fcm.googleapis.com/x",
        keys,
      });
      expect([302, 303, 403]).toContain(noToken.status);
      const count = await withTenant(
        tp.platform.db,
        systemScope,
        async (tx) =>
          rowsOf(await tx.execute(sql`select 1 from push_subscriptions where user_id = ${teacher.id}`)).length,
      );
      expect(count).toBe(0);
      expect(
        pushServiceAllowed(new URL("https://updates.push.services.mozilla.com/wpush/v2/x"), [
          "https://*.push.services.mozilla.com",
        ]),
      ).toBe(true);
      expect(
        pushServiceAllowed(new URL("https://evil-push.services.mozilla.com.example/x"), [
          "https://*.push.services.mozilla.com",
        ]),
      ).toBe(false);
      expect(pushServiceAllowed(new URL("http://fcm.googleapis.com/x"), ["https://fcm.googleapis.com"])).toBe(false);
    },
  );

  it(
    "54N an SMS reaches the provider over HTTP with its " +
      "reference; failures are retried, then reported to the user",
    async () => {
      const parent = await buildUser(tp.platform.db, tp.platform.passwords, { profile: "parent", uai: s.school.uai });
      await choose(parent, ["messages:hub", "messages:sms", "delivery:hub"], { portable: "06 12 34 56 78" });
      let attempts = 0;
      smsProvider.answerWith(() => (++attempts <= 2 ? 500 : 200));
      tp.clock.set("2026-12-07T10:00:00+01:00");
      await sendFromDirector(parent.id, "École fermée demain");
      await runJobs();
      expect(attempts).toBe(1);
      tp.clock.set("2026-12-07T10:01:30+01:00");
      await runJobs();
      expect(attempts).toBe(2);
      tp.clock.set("2026-12-07T10:06:00+01:00");
      await runJobs();
      expect(attempts).toBe(3);
      const sent = smsProvider.received.at(-1)!;
      expect(sent.headers.authorization).toBe("Bearer jeton-du-fournisseur");
      const body = JSON.parse(sent.body.toString());
      expect(body).toMatchObject({ sender: "Preau", to: "+33612345678" });
      expect(body.text).toContain("École fermée demain");
      expect(body.text.length).toBeLessThanOrEqual(320);
      expect(body.reference).toMatch(/^[0-9a-f-]{36}$/);
      // Every attempt carried the same reference: the provider can drop a duplicate.
      expect(new Set(smsProvider.received.slice(-3).map((r) => JSON.parse(r.body.toString()).reference)).size).toBe(1);

      smsProvider.answerWith(() => 503);
      tp.clock.set("2026-12-08T10:00:00+01:00");
      await sendFromDirector(parent.id, "Rappel");
      for (let i = 0; i < 8; i++) {
        await runJobs();
        tp.clock.advance(30 * 60_000);
      }
      smsProvider.answerWith(() => 200);
      const [row] = await withTenant(tp.platform.db, systemScope, async (tx) =>
        rowsOf<{ attempts: number; failed: boolean }>(
          await tx.execute(sql`
      select attempts, failed_at is not null as failed from outbox_signals where user_id = ${parent.id} and title like
      'Nouveau message%'
      order by created_at desc limit 1`),
        ),
      );
      expect(row).toEqual({ attempts: 5, failed: true });
      const b = await as(parent);
      const notices = (await b.get("/notifications")).text;
      expect(notices).toContain("Un SMS n'a pas pu être envoyé");
      expect(notices).toContain("06 •• •• •• 78");
    },
  );

  it("54M bad settings get a French message and change nothing", async () => {
    const parent = await buildUser(tp.platform.db, tp.platform.passwords, { profile: "parent", uai: s.school.uai });
    const b = await as(parent);
    await b.get("/compte/notifications");
    for (const [fields, issue] of [
      [{ calme_debut: "20:00", calme_fin: "" }, "quiet_incomplete"],
      [{ calme_debut: "25:00", calme_fin: "07:00" }, "quiet_time"],
      [{ calme_debut: "08:00", calme_fin: "08:00" }, "quiet_same"],
      [{ portable: "01 23 45 67 89" }, "mobile"],
      [{ portable: "06 12" }, "mobile"],
    ] as const) {
      const res = await b.post("/compte/notifications", {
        choix: ["messages:sms"],
        portable: "",
        ...fields,
        ...("calme_debut" in fields ? {} : { calme_debut: "", calme_fin: "" }),
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain(t(`notifications.settings.error.${issue}`));
    }
    const saved = await withTenant(
      tp.platform.db,
      systemScope,
      async (tx) =>
        rowsOf(
          await tx.execute(sql`
      select 1 from notification_settings where user_id = ${parent.id} union all select 1 from notification_preferences
      where user_id = ${parent.id}`),
        ).length,
    );
    expect(saved).toBe(0);
    expect(frenchMobile("+33 7 12 34 56 78")).toBe("+33712345678");
    expect(frenchMobile("0033612345678")).toBe("+33612345678");
    expect(maskedNumber("+33612345678")).toBe("06 •• •• •• 78");
  });

  it("51B the installable app: manifest and service worker at the root, linked from every page", async () => {
    const b = new TestBrowser(app);
    const manifest = await b.get("/manifest.webmanifest");
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("content-type")).toContain("application/manifest+json");
    expect(JSON.parse(manifest.html)).toMatchObject({ lang: "fr", start_url: "/", display: "standalone" });
    const worker = await b.get("/sw.js");
    expect(worker.headers.get("content-type")).toContain("javascript");
    expect(worker.html).toContain("showNotification");
    expect((await b.get("/login")).html).toContain('rel="manifest" href="/manifest.webmanifest"');
  });
});
