// Issue 22: the AAF import stages a delivery with COPY (postgres.js `copy … from stdin`, PGlite `copy … from
// '/dev/blob'`), batch after batch while the files are read, and applies it set by set — still all or nothing.
import { randomBytes, randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { rowsOf, systemScope, withSystemBulk, withTenant } from "../../db/client";
import { importAafDelivery, readHere, type DeliveryReader, type ImportOutcome } from "../../src/aaf/importer";
import { deliveryInfo, openAafDelivery } from "../../src/node/aaf-archive";
import { parallelReader } from "../../src/node/aaf-reader";
import type { Platform } from "../../src/platform";
import { pupilRecord, smallAcademy, uaiFor, writeDelivery, type DeliverySpec } from "../helpers/aaf";
import { fingerprint } from "../helpers/aaf-directory";
import { DATABASE_KINDS } from "../helpers/db";
import { testPlatform } from "../helpers/platform";

let academySeq = 0;
const academyCode = () =>
  `C${process.pid.toString(36).toUpperCase()}${Date.now().toString(36).toUpperCase()}${academySeq++}`;

/** A few hundred characters of COPY text per batch: a small delivery goes in dozens of COPY statements. */
const SMALL_BATCH = 300;

describe.each(DATABASE_KINDS)("issue 22: AAF staging with COPY on %s", (kind) => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function academy(): Promise<Platform> {
    return (await testPlatform(kind, { academyCode: academyCode() })).platform;
  }
  async function deliver(spec: DeliverySpec): Promise<string> {
    const dir = await writeDelivery(spec);
    dirs.push(dir);
    return dir;
  }
  /** The importer itself (no job, no notices), with small batches and the reader given. */
  function stage(
    platform: Platform,
    dir: string,
    reader: DeliveryReader = readHere,
    batchChars = SMALL_BATCH,
  ): Promise<ImportOutcome> {
    return importAafDelivery({
      db: platform.db,
      importId: randomUUID(),
      academy: platform.config.academyCode,
      describe: (names) => deliveryInfo([basename(dir), ...names]),
      files: openAafDelivery(dir),
      now: platform.clock.now(),
      dryRun: false,
      // Suspended foreign keys on any first import, however small.
      settings: { maxPreDeleteShare: 0.3, plausibilityMinAccounts: 10, bulkMinAccounts: 0 },
      reader,
      batchChars,
    });
  }
  const query = <T>(platform: Platform, q: ReturnType<typeof sql>) =>
    withTenant(platform.db, systemScope, async (tx) => rowsOf<T>(await tx.execute(q)));
  /** The foreign keys a first import suspends, as the catalogue defines them. */
  const foreignKeys = (platform: Platform) =>
    query<{ tbl: string; name: string; def: string }>(
      platform,
      sql`select conrelid::regclass::text as tbl, conname::text as name, pg_get_constraintdef(oid) as def
        from pg_constraint where contype = 'f'
          and conrelid in ('school_profiles'::regclass, 'class_members'::regclass, 'parent_links'::regclass)
        order by 1, 2`,
    );
  /** Staging tables left behind in the session (PGlite has a single one; on Postgres, this connection's). */
  const leftovers = async (platform: Platform) =>
    (
      await query<{ n: number }>(
        platform,
        sql`select count(*)::int as n from pg_class where relname like 'aaf\_%' and relpersistence = 't'`,
      )
    )[0]!.n;

  it("issue 22: a delivery refused after dozens of COPY batches leaves the directory exactly as before", async () => {
    const platform = await academy();
    const spec = smallAcademy({ schools: 2 });
    const first = await stage(platform, await deliver(spec));
    expect(first).toMatchObject({ status: "applied", counts: { created: 2 * 2 * 3 * 3 + 2 * 3 } });
    const before = await fingerprint(platform);
    const records = 2 + 2 * 2 * 3 * 3 + 2 * 3 + 1;

    // A check fails on the whole delivery: its last record, in its last file, names a parent nobody delivers.
    const stray = { ...spec.pupils![0]!, jointure: `${spec.pupils![0]!.jointure}X`, parents: ["PERSONNE"] };
    const checked = await stage(platform, await deliver({ ...spec, pupils: [...spec.pupils!, stray] }));
    expect(checked.status).toBe("rejected");
    if (checked.status !== "rejected") return;
    // Every record was staged (dozens of batches of SMALL_BATCH characters) before the checks read them all.
    expect(checked.records).toBe(records);
    expect(checked.problems.map((p) => p.message).join("\n")).toMatch(/responsable inconnu \(PERSONNE\)/);
    expect(checked.problems[0]!.source?.file).toMatch(/_Eleve_0000\.xml$/);
    expect(await fingerprint(platform)).toBe(before);

    // A record cannot be read half-way through a file, after the files before it were copied in.
    const late = { ...spec.pupils![1]!, jointure: `${spec.pupils![1]!.jointure}Y`, birth: "31/02/2017" };
    const unreadable = await stage(platform, await deliver({ ...spec, pupils: [...spec.pupils!, late] }));
    expect(unreadable.status).toBe("rejected");
    if (unreadable.status !== "rejected") return;
    expect(unreadable.problems[0]!.message).toMatch(/Date invalide « 31\/02\/2017 »/);
    expect(unreadable.records).toBeGreaterThan(10);
    expect(await fingerprint(platform)).toBe(before);
    expect(await leftovers(platform)).toBe(0);
  });

  it(
    "issue 22: a failure while applying a first import, its foreign keys suspended and its first tables written, " +
      "rolls everything back, the constraints included",
    async () => {
      const platform = await academy();
      const keys = await foreignKeys(platform);
      expect(keys.length).toBe(8);
      const before = await fingerprint(platform);
      // Nothing checks the length of a jointure, but Postgres cannot index an external id of thousands of random
      // characters: the accounts' insert fails, after the structures and schools were written.
      const spec = smallAcademy({ schools: 1 });
      const long = { ...spec.pupils![0]!, jointure: randomBytes(6000).toString("base64url") };
      const failure: unknown = await stage(platform, await deliver({ ...spec, pupils: [...spec.pupils!, long] })).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(String((failure as Error & { cause?: unknown }).cause ?? failure)).toMatch(/index row size .* exceeds/i);
      expect(await fingerprint(platform)).toBe(before);
      expect(await foreignKeys(platform)).toEqual(keys);
      const [schools] = await query<{ n: number }>(
        platform,
        sql`select count(*)::int as n from schools where external_id like ${`${platform.config.academyCode}-%`}`,
      );
      expect(schools!.n).toBe(0);
      // The académie's first import can still happen, suspending and restoring them again.
      expect(await stage(platform, await deliver(spec))).toMatchObject({
        status: "applied",
        suspendedForeignKeys: true,
      });
      expect(await foreignKeys(platform)).toEqual(keys);
    },
  );

  it("issue 22: nobody can keep the foreign keys suspended: a transaction that does not restore them is refused", async () => {
    const platform = await academy();
    const keys = await foreignKeys(platform);
    await expect(withSystemBulk(platform.db, (tx) => tx.execute(sql`select preau_aaf_bulk_begin()`))).rejects.toThrow(
      /suspended by an AAF import and not restored/,
    );
    expect(await foreignKeys(platform)).toEqual(keys);
    // Twice in one transaction is refused as well (the saved definitions are the first call's).
    await expect(
      withSystemBulk(platform.db, async (tx) => {
        await tx.execute(sql`select preau_aaf_bulk_begin()`);
        await tx.execute(sql`select preau_aaf_bulk_begin()`);
      }),
    ).rejects.toThrow();
    expect(await foreignKeys(platform)).toEqual(keys);
  });

  it("issue 22: a folder read on worker threads stages the same directory as one read here", async () => {
    // Two académies get the same delivery but for its names and UAIs (schools are the whole platform's).
    const n = `${process.pid % 1000}${academySeq}`;
    const spec = smallAcademy({ schools: 3, prefix: `QA${n}` });
    const twin: DeliverySpec = JSON.parse(JSON.stringify(spec).replaceAll(`QA${n}`, `QB${n}`));
    twin.schools!.forEach((s, i) => {
      s.uai = uaiFor(7_000_000 + ((Number(n) * 7 + i) % 2_000_000));
    });
    const here = await academy();
    const threads = await academy();
    expect(await stage(here, await deliver(spec))).toMatchObject({ status: "applied" });
    const outcome = await stage(threads, await deliver(twin), parallelReader({ minBytes: 0, batchChars: SMALL_BATCH }));
    expect(outcome).toMatchObject({ status: "applied", counts: { created: 3 * 2 * 3 * 3 + 3 * 3, schools: 3 } });
    const lines = (text: string) => text.split("\n").sort();
    let theirs = (await fingerprint(threads)).replaceAll(threads.config.academyCode, "ACADEMIE");
    theirs = theirs.replaceAll(`QB${n}`, `QA${n}`);
    twin.schools!.forEach((s, i) => {
      const uai = spec.schools![i]!.uai;
      theirs = theirs.replaceAll(s.uai, uai);
      // Départements follow the UAI's first three digits.
      theirs = theirs.replaceAll(`-D${s.uai.slice(0, 3)}|`, `-D${uai.slice(0, 3)}|`);
      theirs = theirs.replaceAll(`Département ${Number(s.uai.slice(0, 3))}`, `Département ${Number(uai.slice(0, 3))}`);
    });
    const ours = (await fingerprint(here)).replaceAll(here.config.academyCode, "ACADEMIE");
    expect(lines(theirs)).toEqual(lines(ours));
  });

  it("issue 22: on worker threads, of two unreadable files the first in the delivery's order is reported", async () => {
    const platform = await academy();
    const spec = smallAcademy({ schools: 1 });
    // A long pupils' file, unreadable at its very end; the relatives' file after it, unreadable at once: the second
    // thread fails first, yet the refusal names the pupils' file, as reading in turn would.
    const many = Array.from({ length: 3000 }, (_, i) =>
      pupilRecord({ ...spec.pupils![0]!, jointure: `${spec.pupils![0]!.jointure}N${i}` }),
    );
    const broken = pupilRecord({ ...spec.pupils![0]!, jointure: `${spec.pupils![0]!.jointure}Z`, birth: "30/02/2016" });
    const dir = await deliver({ ...spec, extra: { Eleve: [...many, broken] } });
    await writeFile(join(dir, "ENT1D_Complet_20260901_PersRelEleve_0000.xml"), "pas du XML\n");
    for (const reader of [readHere, parallelReader({ minBytes: 0 })]) {
      const before = await fingerprint(platform);
      const outcome = await stage(platform, dir, reader, 200_000);
      expect(outcome.status).toBe("rejected");
      if (outcome.status !== "rejected") return;
      expect(outcome.problems).toHaveLength(1);
      expect(outcome.problems[0]!.source?.file).toMatch(/_Eleve_0000\.xml$/);
      expect(outcome.problems[0]!.message).toMatch(/30\/02\/2016/);
      expect(await fingerprint(platform)).toBe(before);
    }
  });
});
