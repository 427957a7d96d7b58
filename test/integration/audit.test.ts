// 71E: the audit trail is append-only and hash-chained; `preau audit verify` finds a tampered row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rowsOf, systemScope, withSystemBulk, withTenant } from "../../db/client";
import { DATABASE_KINDS, ownerDatabase } from "../helpers/db";
import { appRoleUrl, createPostgresDatabase } from "../../db/postgres";
import { testPlatform, type TestPlatform } from "../helpers/platform";
import { audit, verifyAuditChain } from "../../src/services/audit";
import { runCli } from "../../src/node/cli";
import { serviceDeps } from "../../src/services/context";

function causeOf(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e.cause?.message ?? e.message ?? String(error);
}

describe.each(DATABASE_KINDS)("71E audit trail on %s", (kind) => {
  let tp: TestPlatform;
  beforeAll(async () => {
    tp = await testPlatform(kind);
  });

  async function appendOne(action: string): Promise<number> {
    const marker = `audit-test-${crypto.randomUUID()}`;
    await withTenant(tp.platform.db, systemScope, (tx) =>
      audit(tx, {
        at: tp.clock.now(),
        actorId: null,
        action,
        target: marker,
        ip: "203.0.113.7",
        details: { note: "é\"'\\ ok" },
      }),
    );
    const [row] = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ seq: string }>(await tx.execute(sql`select seq::text from audit_log where target = ${marker}`)),
    );
    return Number(row!.seq);
  }

  it("71E chains each line to the previous one, and the chain verifies", async () => {
    const first = await appendOne("test.first");
    const second = await appendOne("test.second");
    expect(second).toBeGreaterThan(first);
    // The line before it in its chain (issue 22: sixteen chains, one per connection), whoever wrote it.
    const rows = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ seq: string; prev_hash: string; hash: string }>(
        await tx.execute(
          sql`select seq::text, prev_hash, hash from audit_log
            where audit_log.chain = (select a.chain from audit_log a where a.seq = ${second})
              and audit_log.seq <= ${second}
            order by audit_log.seq desc limit 2`,
        ),
      ).reverse(),
    );
    expect(Number(rows[1]!.seq)).toBe(second);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(rows[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const report = await verifyAuditChain(serviceDeps(tp.platform, null));
    expect(report.ok).toBe(true);
  });

  it("71E the app role can neither update nor delete a line; even the owner is stopped by the trigger", async () => {
    const seq = await appendOne("test.immutable");
    await expect(
      withTenant(tp.platform.db, systemScope, (tx) =>
        tx.execute(sql`update audit_log set action = 'x' where seq = ${seq}`),
      ),
    ).rejects.toSatisfy((e) => /permission denied/.test(causeOf(e)));
    await expect(
      withTenant(tp.platform.db, systemScope, (tx) => tx.execute(sql`delete from audit_log where seq = ${seq}`)),
    ).rejects.toSatisfy((e) => /permission denied/.test(causeOf(e)));
    // The bulk system role of directory imports (migration 0005) is bound by the same rule.
    await expect(
      withSystemBulk(tp.platform.db, (tx) => tx.execute(sql`delete from audit_log where seq = ${seq}`)),
    ).rejects.toSatisfy((e) => /permission denied/.test(causeOf(e)));
    await expect(
      withSystemBulk(tp.platform.db, (tx) => tx.execute(sql`update audit_chain_head set seq = 0`)),
    ).rejects.toSatisfy((e) => /permission denied/.test(causeOf(e)));
    const owner = await ownerDatabase(kind);
    try {
      await expect(owner.db.execute(sql`update audit_log set action = 'x' where seq = ${seq}`)).rejects.toSatisfy((e) =>
        /append-only/.test(causeOf(e)),
      );
    } finally {
      if (kind === "postgres") await owner.close();
    }
  });

  it("issue 22: writers on other connections append to other chains at once; every chain links and verifies; a line removed from one is found", async () => {
    const owner = await ownerDatabase(kind);
    try {
      // On a server, two connections whose chains differ (1 + backend pid mod 16); PGlite has one connection.
      const pidOf = async (db: typeof tp.platform.db) =>
        Number(rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid`))[0]!.pid);
      const writers: (typeof tp.platform.db)[] = [tp.platform.db];
      const opened: { close(): Promise<void> }[] = [];
      if (kind === "postgres") {
        const first = await pidOf(tp.platform.db);
        for (let i = 0; i < 8 && writers.length < 2; i++) {
          const other = createPostgresDatabase(appRoleUrl(process.env.DATABASE_URL!), { max: 1, changes: false });
          opened.push(other);
          if ((await pidOf(other.db)) % 16 !== first % 16) writers.push(other.db);
        }
      }
      const marker = `chains-${crypto.randomUUID()}`;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          withTenant(writers[i % writers.length]!, systemScope, (tx) =>
            audit(tx, { at: tp.clock.now(), actorId: null, action: "test.chains", target: marker, details: { i } }),
          ),
        ),
      );
      await Promise.all(opened.map((o) => o.close()));
      const lines = rowsOf<{ seq: string; chain: number }>(
        await owner.db.execute(
          sql`select seq::text, chain from audit_log where target = ${marker} order by audit_log.seq`,
        ),
      );
      expect(lines).toHaveLength(20);
      expect(new Set(lines.map((l) => l.chain)).size).toBeGreaterThanOrEqual(writers.length);
      expect((await verifyAuditChain(serviceDeps(tp.platform, null))).ok).toBe(true);

      // A line taken out of the middle of its chain: the next line's link no longer holds.
      const victim = lines.find((l, i) => lines.slice(i + 1).some((later) => later.chain === l.chain))!;
      const [next] = rowsOf<{ seq: string }>(
        await owner.db.execute(
          sql`select seq::text from audit_log where chain = ${victim.chain} and audit_log.seq > ${victim.seq} order by audit_log.seq limit 1`,
        ),
      );
      const [saved] = rowsOf<Record<string, unknown>>(
        await owner.db.execute(sql`select * from audit_log where seq = ${victim.seq}`),
      );
      // Behind the triggers' back for this session only (replica role): other writers keep their chain trigger.
      const behindTriggers = (
        run: (tx: Parameters<Parameters<typeof owner.db.transaction>[0]>[0]) => Promise<unknown>,
      ) =>
        owner.db.transaction(async (tx) => {
          await tx.execute(sql`set local session_replication_role = replica`);
          await run(tx);
        });
      await behindTriggers((tx) => tx.execute(sql`delete from audit_log where seq = ${victim.seq}`));
      try {
        expect(await verifyAuditChain(serviceDeps(tp.platform, null))).toMatchObject({
          ok: false,
          brokenAt: Number(next!.seq),
          reason: "link",
        });
      } finally {
        await behindTriggers((tx) =>
          tx.execute(
            sql`insert into audit_log select * from json_populate_record(null::audit_log, ${JSON.stringify(saved)}::json)`,
          ),
        );
      }
      expect((await verifyAuditChain(serviceDeps(tp.platform, null))).ok).toBe(true);
    } finally {
      if (kind === "postgres") await owner.close();
    }
  });

  it("71E detects a tampered row (changed behind the trigger's back) and names it", async () => {
    const seq = await appendOne("test.tamper");
    const owner = await ownerDatabase(kind);
    const [original] = rowsOf<{ ip: string }>(await owner.db.execute(sql`select ip from audit_log where seq = ${seq}`));
    const setIp = async (ip: string) => {
      await owner.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
      try {
        await owner.db.execute(sql`update audit_log set ip = ${ip} where seq = ${seq}`);
      } finally {
        await owner.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
      }
    };
    try {
      await setIp("198.51.100.99");
      const report = await verifyAuditChain(serviceDeps(tp.platform, null));
      expect(report).toMatchObject({ ok: false, brokenAt: seq, reason: "hash" });
      const lines: string[] = [];
      expect(await runCli(["audit", "verify"], (l) => lines.push(l), { database: { kind, db: tp.platform.db } })).toBe(
        1,
      );
      expect(lines.join("\n")).toContain(`chaîne rompue à la ligne ${seq}`);
    } finally {
      await setIp(original!.ip);
      if (kind === "postgres") await owner.close();
    }
    expect((await verifyAuditChain(serviceDeps(tp.platform, null))).ok).toBe(true);
  });
});

describe("preau CLI", () => {
  let dataDir: string;
  const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "preau-cli-"));
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
  });
  afterAll(async () => {
    process.env.DATA_DIR = saved.DATA_DIR;
    if (saved.DATABASE_URL) process.env.DATABASE_URL = saved.DATABASE_URL;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("prints its help in French and refuses unknown commands", async () => {
    const out: string[] = [];
    expect(await runCli(["help"], (l) => out.push(l))).toBe(0);
    expect(out.join("\n")).toContain("demo --reset");
    expect(await runCli(["nimporte"], (l) => out.push(l))).toBe(2);
    expect(out.join("\n")).toContain("Commande inconnue : nimporte");
    expect(await runCli(["demo"], (l) => out.push(l))).toBe(2);
  });

  it("3.2.1.3 `demo --reset` builds the demo in the data folder, and `audit verify` checks its trail", async () => {
    const out: string[] = [];
    expect(await runCli(["demo", "--reset"], (l) => out.push(l))).toBe(0);
    expect(out.join("\n")).toMatch(/Démonstration reconstruite : 6 écoles, 22 classes, \d+ élèves/);
    expect(await runCli(["demo", "--reset"], (l) => out.push(l))).toBe(0);
    expect(await runCli(["audit", "verify"], (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toMatch(/Journal d'audit intact : \d+ lignes vérifiées/);
  }, 120_000);
});
