// F5 (issue 21): the login lockout holds under parallel attempts, counts the address a trusted proxy saw (never the
// client-written first X-Forwarded-For entry), keeps strangers from locking someone out of their own address, grows
// its delays, and the school's director can lift it.
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";
import { owaspScrypt, passwordHasher, type PasswordHasher } from "../../src/auth/password";
import { nativeScrypt } from "../../src/node/scrypt";
import { createApp } from "../../src/app";
import { createNodePlatform } from "../../src/node/platform";
import { DATABASE_KINDS, testDatabase } from "../helpers/db";
import { testApp, testConfig, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { purgeLoginAttempts } from "../../src/services/identity/login-throttle";
import { buildSchool, buildUser, uniqueIp } from "../helpers/factories";

async function auditOf(db: Database, login: string): Promise<{ action: string; ip: string | null; actor: string }[]> {
  return withTenant(db, systemScope, async (tx) =>
    rowsOf<{ action: string; ip: string | null; actor: string }>(
      await tx.execute(sql`
    select action, ip, coalesce(actor_id::text, '') as actor from audit_log where target = ${login} order by seq`),
    ),
  );
}

/** The hasher with a counter of real hash checks. */
function countingHasher(inner: PasswordHasher): PasswordHasher & { checks: number } {
  const counting = {
    checks: 0,
    hash: (password: string) => inner.hash(password),
    async verify(hash: string, password: string) {
      counting.checks += 1;
      return inner.verify(hash, password);
    },
  };
  return counting;
}

/**
 * A password of this file only: the factories' cache of hashes per password holds no production-strength hash
 * of it.
 */
const LIGHT = "mot-de-passe-du-verrou";

describe.each(DATABASE_KINDS)("login lockout on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  let hasher: ReturnType<typeof countingHasher>;
  beforeAll(async () => {
    tp = await testApp(kind, {
      loginThrottle: { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerLogin: 12, maxFailuresPerIp: 100 },
    });
    // A lighter scrypt than production's (the hash names its own parameters): the count is what matters here.
    hasher = countingHasher(passwordHasher(nativeScrypt, { ...owaspScrypt, ln: 12, p: 1 }));
    tp.platform.passwords = hasher;
  });
  const teacher = async () => {
    const school = await buildSchool(tp.platform.db);
    return buildUser(tp.platform.db, tp.platform.passwords, { profile: "teacher", uai: school.uai, password: LIGHT });
  };

  for (const parallel of [20, 60]) {
    it(`${parallel} wrong passwords at once get at most 5 real hash checks`, async () => {
      const user = await teacher();
      const address = uniqueIp();
      const browsers = Array.from({ length: parallel }, () => new TestBrowser(tp.app, address));
      await Promise.all(browsers.map((b) => b.get("/login")));
      hasher.checks = 0;
      const answers = await Promise.all(browsers.map((b) => b.post("/login", { login: user.login, password: "faux" })));
      expect(hasher.checks).toBeLessThanOrEqual(5);
      expect(answers.filter((a) => a.status === 401)).toHaveLength(hasher.checks);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(parallel - hasher.checks);
      expect(answers.find((a) => a.status === 429)!.html).toContain("temporairement bloqué");
      const failures = (await auditOf(tp.platform.db, user.login)).filter((l) => l.action === "login.failure");
      expect(failures).toHaveLength(hasher.checks);
      // The right password from that address waits too; from another address it opens the session.
      expect((await new TestBrowser(tp.app, address).login(user.login, user.password)).status).toBe(429);
      expect((await new TestBrowser(tp.app, uniqueIp()).login(user.login, user.password)).status).toBe(303);
    });
  }

  it("parallel attempts on many logins from one address stay within the address's ceiling", async () => {
    const address = uniqueIp();
    const logins = await Promise.all(Array.from({ length: 3 }, () => teacher()));
    const browsers = Array.from({ length: 60 }, () => new TestBrowser(tp.app, address));
    await Promise.all(browsers.map((b) => b.get("/login")));
    hasher.checks = 0;
    await Promise.all(browsers.map((b, i) => b.post("/login", { login: logins[i % 3]!.login, password: "faux" })));
    // Five per login and address: fifteen in all.
    expect(hasher.checks).toBe(15);
  });

  it("the daily purge forgets attempts older than a day and keeps the recent ones, which still lock", async () => {
    const user = await teacher();
    const ip = uniqueIp();
    const now = tp.clock.now();
    const rows = async () =>
      withTenant(tp.platform.db, systemScope, async (tx) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`select count(*)::int as n from login_attempts where login = ${user.login}`),
        ),
      ).then((r) => r[0]!.n);
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`insert into login_attempts (login, ip, at)
        select ${user.login}, ${ip}, ${new Date(now.getTime() - 25 * 3_600_000).toISOString()}::timestamptz
        from generate_series(1, 7)`),
    );
    const b = new TestBrowser(tp.app, ip);
    for (let i = 0; i < 5; i++) await b.login(user.login, "devine");
    expect(await rows()).toBe(12);
    expect(await purgeLoginAttempts(tp.platform.db, now)).toBeGreaterThanOrEqual(7);
    expect(await rows()).toBe(5);
    expect((await b.login(user.login, user.password)).status).toBe(429);
  });

  it("a stranger's wrong passwords lock the stranger out, not the user from their own address", async () => {
    const user = await teacher();
    // Two strangers, five wrong passwords each: under the login's ceiling of twelve for all addresses.
    const strangers = Array.from({ length: 2 }, () => new TestBrowser(tp.app, uniqueIp()));
    for (const s of strangers) for (let i = 0; i < 5; i++) await s.login(user.login, "devine");
    expect((await strangers[0]!.login(user.login, user.password)).status).toBe(429);
    const own = await new TestBrowser(tp.app, uniqueIp()).login(user.login, user.password);
    expect(own.status).toBe(303);
  });

  it("delays grow: after the first lockout, one more wrong password locks the address for twice as long", async () => {
    const user = await teacher();
    const b = new TestBrowser(tp.app, uniqueIp());
    const start = tp.clock.now().toISOString();
    try {
      for (let i = 0; i < 5; i++) expect((await b.login(user.login, "faux")).status).toBe(401);
      expect((await b.login(user.login, "faux")).status).toBe(429);
      tp.clock.advance(16 * 60_000);
      expect((await b.login(user.login, "faux")).status).toBe(401);
      const locked = await b.login(user.login, user.password);
      expect(locked.status).toBe(429);
      expect(locked.html).toMatch(/Réessayez dans 30 minutes/);
      tp.clock.advance(16 * 60_000);
      expect((await b.login(user.login, user.password)).status).toBe(429);
      tp.clock.advance(15 * 60_000);
      expect((await b.login(user.login, user.password)).status).toBe(303);
    } finally {
      tp.clock.set(start);
    }
  });

  it("many addresses together lock the login for everyone, until the director unlocks it (audited)", async () => {
    const school = await buildSchool(tp.platform.db);
    const person = (profile: "teacher" | "director", uai = school.uai) =>
      buildUser(tp.platform.db, tp.platform.passwords, { profile, uai, password: LIGHT });
    const s = { school, teacher: await person("teacher"), director: await person("director") };
    // Four wrong passwords from each of three addresses: no address is locked, the login is (twelve in all).
    for (let a = 0; a < 3; a++) {
      const stranger = new TestBrowser(tp.app, uniqueIp());
      for (let i = 0; i < 4; i++) expect((await stranger.login(s.teacher.login, "devine")).status).toBe(401);
    }
    const own = new TestBrowser(tp.app, uniqueIp());
    const locked = await own.login(s.teacher.login, s.teacher.password);
    expect(locked.status).toBe(429);
    expect(locked.html).toContain("temporairement bloqué");

    // The school's teachers and another school's director may not unlock; the page offers them nothing.
    const colleague = await person("teacher");
    const otherDirector = await person("director", (await buildSchool(tp.platform.db)).uai);
    for (const who of [colleague, otherDirector]) {
      const b = new TestBrowser(tp.app, uniqueIp());
      await b.login(who.login, who.password);
      const page = await b.get(`/personnes/${s.teacher.id}`);
      expect(page.html).not.toContain("/deverrouiller");
      await b.get("/");
      const refused = await b.post(`/personnes/${s.teacher.id}/deverrouiller`, {});
      expect([403, 404]).toContain(refused.status);
    }
    expect((await own.login(s.teacher.login, s.teacher.password)).status).toBe(429);

    const director = new TestBrowser(tp.app, uniqueIp());
    await director.login(s.director.login, s.director.password);
    const card = await director.get(`/personnes/${s.teacher.id}`);
    expect(card.text).toContain("Connexion bloquée");
    expect(card.html).toContain(`/personnes/${s.teacher.id}/deverrouiller`);
    const done = await director.post(`/personnes/${s.teacher.id}/deverrouiller`, {});
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/personnes/${s.teacher.id}?deverrouille=1`);
    const after = await director.get(done.location!);
    expect(after.text).toContain("La connexion de ce compte est débloquée");
    expect(after.text).not.toContain("Connexion bloquée");
    const lines = await auditOf(tp.platform.db, s.teacher.login);
    expect(lines.filter((l) => l.action === "login.unlocked").map((l) => l.actor)).toEqual([s.director.id]);
    expect((await own.login(s.teacher.login, s.teacher.password)).status).toBe(303);
  });
});

describe("client address behind a proxy", () => {
  /** The Node platform's own address rule, as a request from `socket` with these headers meets it. */
  async function hubBehind(env: Record<string, string>) {
    const { platform } = await createNodePlatform({
      env: { PREAU_SECRET: testConfig.secret, DATA_DIR: mkdtempSync(join(tmpdir(), "preau-proxy-")), ...env },
      database: await testDatabase("pglite"),
      config: { loginThrottle: testConfig.loginThrottle },
    });
    const app = await createApp(platform);
    const address = (headers: Record<string, string>, socket = "10.9.9.9") =>
      platform.clientIp((name) => headers[name], { incoming: { socket: { remoteAddress: socket } } });
    return { platform, app, address };
  }

  it("takes the right-most hop the trusted proxy wrote, never the client-written first entry", async () => {
    const one = await hubBehind({ PREAU_TRUST_PROXY: "true" });
    expect(one.address({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
    expect(one.address({ "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    expect(one.address({ "x-forwarded-for": "n'importe quoi" })).toBe("10.9.9.9");
    expect(one.address({})).toBe("10.9.9.9");
    const two = await hubBehind({ PREAU_TRUSTED_PROXIES: "2" });
    expect(two.address({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" })).toBe("198.51.100.4");
    expect(two.address({ "x-forwarded-for": "2001:db8::7, 10.0.0.2" })).toBe("2001:db8::7");
    const none = await hubBehind({});
    expect(none.address({ "x-forwarded-for": "6.6.6.6" })).toBe("10.9.9.9");
  });

  it("a forged first X-Forwarded-For entry neither escapes the lockout nor reaches the audit trail", async () => {
    const hub = await hubBehind({ PREAU_TRUST_PROXY: "true" });
    const school = await buildSchool(hub.platform.db);
    const user = await buildUser(hub.platform.db, hub.platform.passwords, { profile: "teacher", uai: school.uai });
    const real = uniqueIp();
    let cookie = "";
    let token = "";
    const send = async (path: string, init: RequestInit, forged: string) => {
      const headers = new Headers(init.headers);
      headers.set("x-forwarded-for", `${forged}, ${real}`);
      if (cookie) headers.set("cookie", cookie);
      const res = await hub.app.request(
        `http://localhost${path}`,
        { ...init, headers },
        {
          incoming: { socket: { remoteAddress: "127.0.0.1" } },
        },
      );
      const set = res.headers.getSetCookie().map((c) => c.split(";")[0]);
      if (set.length) cookie = set.join("; ");
      const html = await res.text();
      token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? token;
      return res.status;
    };
    await send("/login", {}, "1.1.1.1");
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        await send(
          "/login",
          {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ login: user.login, password: "faux", _csrf: token }).toString(),
          },
          `192.0.2.${i + 10}`,
        ),
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const ips = new Set((await auditOf(hub.platform.db, user.login)).map((l) => l.ip));
    expect([...ips]).toEqual([real]);
  });
});
