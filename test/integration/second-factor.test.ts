// 611D: admins finish their login with a one-time code sent to their academic mailbox (a real SMTP server here).
// PGlite only: the mail outbox is a platform-wide queue that another file on the shared Postgres could empty.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { systemScope, withTenant } from "../../db/client";
import { createApp } from "../../src/app";
import { t } from "../../src/i18n";
import { mailFlush } from "../../src/jobs/mail";
import { silentLogger } from "../../src/log";
import { smtpTransport } from "../../src/node/mail";
import { maskedEmail, oneTimeCode } from "../../src/services/identity/second-factor";
import { TestBrowser } from "../helpers/client";
import { buildStructure, buildUser, type BuiltUser } from "../helpers/factories";
import { testPlatform } from "../helpers/platform";
import { startSmtpReceiver } from "../helpers/smtp";

describe("611D second factor for admins", () => {
  let tp: Awaited<ReturnType<typeof testPlatform>>;
  let app: Awaited<ReturnType<typeof createApp>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let academie: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    tp = await testPlatform("pglite", { secondFactorRoles: ["academie_admin"] });
    tp.platform.mail = smtpTransport(smtp.url, tp.platform.config.mailFrom);
    app = await createApp(tp.platform);
    academie = await buildStructure(tp.platform.db, "academie");
  });
  afterAll(() => smtp.close());

  async function adminWithMail(): Promise<BuiltUser & { email: string }> {
    const u = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: academie,
    });
    const email = `admin.${u.id.slice(0, 8)}@ac-test.fr`;
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`update users set academic_email = ${email} where id = ${u.id}`),
    );
    return { ...u, email };
  }
  async function codeSentTo(email: string): Promise<string> {
    await mailFlush(tp.platform.mail)({}, { db: tp.platform.db, now: tp.clock.now(), log: silentLogger });
    const mail = smtp.received.filter((m) => m.to.includes(email)).at(-1);
    return /(\d{6})/.exec(mail!.subject)![1]!;
  }
  async function passwordStep(user: BuiltUser) {
    const b = new TestBrowser(app);
    const res = await b.login(user.login, user.password);
    return { b, res };
  }

  it("611D the password alone does not open an admin's session; the code from the academic mailbox does", async () => {
    const admin = await adminWithMail();
    const { b, res } = await passwordStep(admin);
    expect(res.location).toBe("/login/code");
    expect((await b.get("/")).location).toBe("/login");
    const page = await b.get("/login/code");
    expect(page.text).toContain(maskedEmail(admin.email));
    expect(page.text).not.toContain(admin.email);
    const code = await codeSentTo(admin.email);
    const wrong = await b.post("/login/code", { code: code === "000000" ? "111111" : "000000" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain(t("login.code.wrong", { count: 4 }));
    expect((await b.post("/login/code", { code })).location).toBe("/");
    expect((await b.get("/")).status).toBe(200);
    // Used once: the same code does not open a second session.
    expect((await b.post("/login/code", { code })).location).toBe("/login?info=code_expired");
  });

  it("611D five wrong codes burn the challenge; a code also expires after 10 minutes", async () => {
    const admin = await adminWithMail();
    const { b } = await passwordStep(admin);
    await b.get("/login/code");
    const code = await codeSentTo(admin.email);
    const other = code === "123456" ? "654321" : "123456";
    for (let i = 0; i < 4; i++) expect((await b.post("/login/code", { code: other })).status).toBe(401);
    expect((await b.post("/login/code", { code: other })).location).toBe("/login?info=code_expired");
    expect((await b.post("/login/code", { code })).location).toBe("/login?info=code_expired");

    const second = await passwordStep(admin);
    await second.b.get("/login/code");
    const fresh = await codeSentTo(admin.email);
    tp.clock.advance(11 * 60_000);
    try {
      expect((await second.b.post("/login/code", { code: fresh })).location).toBe("/login?info=code_expired");
    } finally {
      tp.clock.advance(-11 * 60_000);
    }
    for (const garbage of ["", "12ab56", "1".repeat(100)]) {
      const third = await passwordStep(admin);
      await third.b.get("/login/code");
      expect((await third.b.post("/login/code", { code: garbage })).status).toBe(401);
    }
  });

  it(
    "611D an admin without an academic address is told " + "in French; other accounts log in with their password",
    async () => {
      const bare = await buildUser(tp.platform.db, tp.platform.passwords, {
        profile: "academie_admin",
        structureId: academie,
      });
      const { res } = await passwordStep(bare);
      expect(res.status).toBe(403);
      expect(res.text).toContain(t("login.error.no_academic_email"));
      const teacher = await buildUser(tp.platform.db, tp.platform.passwords, {});
      expect((await passwordStep(teacher)).res.location).toBe("/");
      expect((await new TestBrowser(app).get("/login/code")).location).toBe("/login?info=code_expired");
    },
  );

  it("611D codes are six digits, drawn evenly", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const c = oneTimeCode();
      expect(c).toMatch(/^\d{6}$/);
      seen.add(c[0]!);
    }
    expect(seen.size).toBe(10);
  });
});
