// F9 (issue 21): a flood of refused forms (no CSRF token, another site's origin) cannot grow the hash-chained audit
// trail or hold its lock: refusals are folded into at most one line per address and minute, and a few per minute in
// all, each line saying how many it stands for. Every refusal is still a 403 with the French page.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { verifyAuditChain } from "../../src/services/audit";
import { serviceDeps } from "../../src/services/context";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { uniqueIp } from "../helpers/factories";

describe.each(DATABASE_KINDS)("CSRF refusals in the audit trail on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  beforeAll(async () => {
    tp = await testApp(kind);
  });

  async function refusalLines(ips: string[]): Promise<{ ip: string; details: { refusals?: number } }[]> {
    return withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ ip: string; details: { refusals?: number } }>(
        await tx.execute(sql`
      select ip, details from audit_log where action = 'csrf.rejected' and ip = any(${`{${ips.join(",")}}`}::text[])
      order by seq`),
      ),
    );
  }

  const refuse = (b: TestBrowser, i: number) =>
    i % 2 === 0
      ? b.post("/login", { login: "x", password: "y" }, { csrf: null })
      : b.post("/logout", {}, { origin: "https://evil.example" });

  it("400 refusals from one address in a burst: each a French 403, one audit line", async () => {
    const address = uniqueIp();
    const b = new TestBrowser(tp.app, address);
    await b.get("/login");
    const answers = await Promise.all(Array.from({ length: 400 }, (_, i) => refuse(b, i)));
    expect(answers.every((a) => a.status === 403)).toBe(true);
    expect(answers[0]!.html).toContain("Formulaire expiré");
    expect(answers[399]!.html).toContain('lang="fr"');
    const lines = await refusalLines([address]);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.length).toBeGreaterThanOrEqual(1);

    // A minute later the next refusal writes one line, which counts the refusals folded since the last.
    const start = tp.clock.now().toISOString();
    try {
      tp.clock.advance(61_000);
      expect((await refuse(b, 0)).status).toBe(403);
      const after = await refusalLines([address]);
      expect(after).toHaveLength(lines.length + 1);
      const counted = after.reduce((sum, l) => sum + (l.details.refusals ?? 1), 0);
      expect(counted).toBe(401);
    } finally {
      tp.clock.set(start);
    }
    expect((await verifyAuditChain(serviceDeps(tp.platform, null))).ok).toBe(true);
  });

  it("400 refusals from 400 addresses in a burst write only a few lines", async () => {
    const addresses = Array.from({ length: 400 }, () => uniqueIp());
    const start = tp.clock.now().toISOString();
    try {
      // A minute of its own, so that the earlier test's lines do not share the budget.
      tp.clock.advance(10 * 60_000);
      const answers = await Promise.all(addresses.map((a, i) => refuse(new TestBrowser(tp.app, a), i)));
      expect(answers.every((a) => a.status === 403 && a.html.includes("Formulaire expiré"))).toBe(true);
      const lines = await refusalLines(addresses);
      expect(lines.length).toBeLessThanOrEqual(10);
      expect(lines.length).toBeGreaterThanOrEqual(1);
    } finally {
      tp.clock.set(start);
    }
  });
});
