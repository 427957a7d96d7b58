// 4.4 / 612A / 621B: AAF imports — complete and delta, idempotent, all or nothing, observable, and safe.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rm, writeFile, mkdir, cp } from "node:fs/promises";
import { join } from "node:path";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { DATABASE_KINDS } from "../helpers/db";
import { testPlatform, type TestPlatform } from "../helpers/platform";
import { buildStructure, buildUser } from "../helpers/factories";
import { attr, record, smallAcademy, writeDelivery, type DeliverySpec } from "../helpers/aaf";
import { fingerprint } from "../helpers/aaf-directory";
import { startSmtpReceiver } from "../helpers/smtp";
import { createImport, purgePreDeleted } from "../../src/services/admin/aaf";
import { importFromPath } from "../../src/node/aaf";
import { serviceDeps } from "../../src/services/context";
import { mailFlush } from "../../src/jobs/mail";
import { smtpTransport } from "../../src/node/mail";
import type { Platform } from "../../src/platform";

let academySeq = 0;
const academyCode = () =>
  `T${process.pid.toString(36).toUpperCase()}${Date.now().toString(36).toUpperCase()}${academySeq++}`;

describe.each(DATABASE_KINDS)("4.4 AAF import on %s", (kind) => {
  let tp: TestPlatform;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  const dirs: string[] = [];
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
  });
  afterAll(async () => {
    await smtp.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  /** A platform of its own académie, so that complete imports of one test never pre-delete another's accounts. */
  async function academy(overrides: Partial<TestPlatform["platform"]["config"]["aaf"]> = {}) {
    tp = await testPlatform(kind, { academyCode: academyCode() });
    tp.platform.config.aaf = { ...tp.platform.config.aaf, ...overrides };
    return tp.platform;
  }
  async function deliver(spec: DeliverySpec) {
    const dir = await writeDelivery(spec);
    dirs.push(dir);
    return dir;
  }
  async function run(platform: Platform, path: string, dryRun = false) {
    const id = await createImport(serviceDeps(platform, null), {
      origin: "cli",
      fileName: path,
      storedPath: null,
      dryRun,
      requestedBy: null,
    });
    return { id, outcome: await importFromPath(platform, id, path) };
  }
  const query = <T>(platform: Platform, q: ReturnType<typeof sql>) =>
    withTenant(platform.db, systemScope, async (tx) => rowsOf<T>(await tx.execute(q)));

  it(
    "4.4 a complete delivery creates schools, structures, " + "classes and pre-created accounts with their links",
    async () => {
      const platform = await academy();
      const spec = smallAcademy({ schools: 2, pupilsPerClass: 2 });
      const { outcome } = await run(platform, await deliver(spec));
      expect(outcome.status).toBe("applied");
      if (outcome.status !== "applied") return;
      expect(outcome.counts).toMatchObject({ created: 2 * 2 * 2 * 3 + 2 * 3, schools: 2, classes: 4, preDeleted: 0 });
      const P = `${platform.config.academyCode}-`;
      const pupil = spec.pupils![0]!;
      const [row] = await query<{
        state: string;
        source: string;
        uai: string;
        class: string;
        parents: number;
        first_name: string;
      }>(
        platform,
        sql`
      select u.state, u.source, u.first_name, sp.uai, c.name as class,
        (select count(*)::int from parent_links l where l.child_id = u.id) as parents
      from users u join school_profiles sp on sp.user_id = u.id and sp.profile = 'pupil'
        join class_members m on m.user_id = u.id join classes c on c.id = m.class_id
      where u.external_id = ${P + pupil.jointure}`,
      );
      expect(row).toMatchObject({
        state: "pre_created",
        source: "aaf",
        uai: spec.schools![0]!.uai,
        class: "CM1",
        parents: 2,
        first_name: "Élève0",
      });
      const [director] = await query<{ profiles: string[]; email: string }>(
        platform,
        sql`
      select array_agg(sp.profile::text order by sp.profile) as profiles, u.academic_email as email
      from users u join school_profiles sp on sp.user_id = u.id where u.external_id = ${P + spec.staff![0]!.jointure}
      group by u.academic_email`,
      );
      expect(director!.profiles).toContain("director");
      expect(director!.email).toMatch(/@ac-test\.fr$/);
      const structures = await query<{ kind: string }>(
        platform,
        sql`
      select st.kind::text from school_structures ss join structures st on st.id = ss.structure_id where ss.uai =
      ${spec.schools![0]!.uai} order by 1`,
      );
      expect(structures.map((s) => s.kind)).toEqual(["circonscription", "commune", "departement"]);
    },
  );

  it("4.4 importing the same delivery twice changes nothing the second time (idempotent)", async () => {
    const platform = await academy();
    const dir = await deliver(smallAcademy({ schools: 1 }));
    expect((await run(platform, dir)).outcome.status).toBe("applied");
    const before = await fingerprint(platform);
    const { outcome } = await run(platform, dir);
    expect(outcome).toMatchObject({
      status: "applied",
      counts: { created: 0, updated: 0, preDeleted: 0, detached: 0 },
    });
    expect(await fingerprint(platform)).toBe(before);
  });

  it("4.4 a delta modifies, adds and pre-deletes only what it names", async () => {
    const platform = await academy();
    const spec = smallAcademy({ schools: 1, pupilsPerClass: 2 });
    await run(platform, await deliver(spec));
    const [moved, leaving] = [spec.pupils![0]!, spec.pupils![1]!];
    const delta = await deliver({
      mode: "Delta",
      date: "20260915",
      pupils: [
        {
          jointure: "NEW1",
          first: "Nina",
          last: "Nouvelle",
          school: spec.schools![0]!.jointure,
          classCode: "CE2A",
          classLabel: "CE2",
          parents: ["NEWM"],
        },
      ],
      relatives: [{ jointure: "NEWM", first: "Maman", last: "Nouvelle" }],
      extra: {
        Eleve: [
          record("modify", "Eleve", moved.jointure, [
            attr("ENTPersonNom", "Renommé"),
            attr("ENTPersonClasses", `${moved.school}$$$CE2A$CE2`),
          ]),
          record("delete", "Eleve", leaving.jointure),
        ],
      },
    });
    const { outcome } = await run(platform, delta);
    expect(outcome).toMatchObject({
      status: "applied",
      info: { mode: "delta" },
      counts: { created: 2, preDeleted: 1 },
    });
    const P = `${platform.config.academyCode}-`;
    const [m] = await query<{ last_name: string; class: string; first_name: string }>(
      platform,
      sql`
      select u.last_name, u.first_name, c.name as class from users u join class_members cm on cm.user_id = u.id join
      classes c on c.id = cm.class_id
      where u.external_id = ${P + moved.jointure}`,
    );
    expect(m).toEqual({ last_name: "Renommé", first_name: moved.first, class: "CE2" });
    const [l] = await query<{ state: string }>(
      platform,
      sql`select state from users where external_id = ${P + leaving.jointure}`,
    );
    expect(l!.state).toBe("pre_deleted");
    // Everyone else is untouched by a delta.
    const [others] = await query<{ n: number }>(
      platform,
      sql`select count(*)::int as n from users where external_id like ${P} || '%' and state = 'pre_deleted'`,
    );
    expect(others!.n).toBe(1);
  });

  it(
    "612A a complete delivery pre-deletes the absent (never deletes them), tells the directors, and restores those " +
      "who return",
    async () => {
      const platform = await academy();
      const spec = smallAcademy({ schools: 1, pupilsPerClass: 6 });
      const full = await deliver(spec);
      await run(platform, full);
      const gone = spec.pupils![0]!;
      const without = await deliver({ ...spec, pupils: spec.pupils!.slice(1), relatives: spec.relatives!.slice(2) });
      const { outcome } = await run(platform, without);
      expect(outcome).toMatchObject({ status: "applied", counts: { preDeleted: 3 } });
      const P = `${platform.config.academyCode}-`;
      const notes = await query<{ title: string }>(
        platform,
        sql`
      select n.title from notifications n join users u on u.id = n.user_id where u.external_id =
      ${P + spec.staff![0]!.jointure}`,
      );
      expect(notes.map((n) => n.title)).toContain("Comptes pré-supprimés");
      const again = await run(platform, full);
      expect(again.outcome).toMatchObject({ status: "applied", counts: { restored: 3, preDeleted: 0 } });
      const [back] = await query<{ state: string; links: number }>(
        platform,
        sql`
      select u.state, (select count(*)::int from parent_links l where l.child_id = u.id) as links from users u where
      external_id = ${P + gone.jointure}`,
      );
      expect(back).toEqual({ state: "pre_created", links: 2 });
    },
  );

  it("612A accounts pre-deleted longer than the delay are deleted, and the admins told", async () => {
    const platform = await academy();
    const spec = smallAcademy({ schools: 1, pupilsPerClass: 6 });
    await run(platform, await deliver(spec));
    await run(platform, await deliver({ ...spec, pupils: spec.pupils!.slice(1), relatives: spec.relatives!.slice(2) }));
    expect(await purgePreDeleted(serviceDeps(platform, null), 90)).toBe(0);
    const later = new Date(platform.clock.now().getTime() + 91 * 86_400_000);
    expect(await purgePreDeleted(serviceDeps(platform, null, later), 90)).toBeGreaterThanOrEqual(3);
    const [left] = await query<{ n: number }>(
      platform,
      sql`select count(*)::int as n from users where external_id =
        ${`${platform.config.academyCode}-${spec.pupils![0]!.jointure}`}`,
    );
    expect(left!.n).toBe(0);
  });

  it(
    "4.4 a suspicious mass pre-deletion is refused; nothing " +
      "changes; the académie is told in the hub and by e-mail",
    async () => {
      const platform = await academy({ maxPreDeleteShare: 0.3, plausibilityMinAccounts: 5 });
      const admin = await buildUser(platform.db, platform.passwords, {
        profile: "academie_admin",
        structureId: await buildStructure(platform.db, "academie"),
      });
      // An address of this run's admin only: the outbox of a reused database still holds the previous runs' mail.
      const email = `rectorat.${admin.id.slice(0, 8)}@ac-test.fr`;
      await withTenant(platform.db, systemScope, (tx) =>
        tx.execute(sql`update users set academic_email = ${email} where id = ${admin.id}`),
      );
      const spec = smallAcademy({ schools: 1, pupilsPerClass: 4 });
      await run(platform, await deliver(spec));
      const before = await fingerprint(platform);
      const { id, outcome } = await run(
        platform,
        await deliver({ ...spec, pupils: spec.pupils!.slice(0, 2), relatives: spec.relatives!.slice(0, 4) }),
      );
      expect(outcome.status).toBe("rejected");
      if (outcome.status !== "rejected") return;
      expect(outcome.problems[0]!.message).toMatch(/Import suspect : il pré-supprimerait \d+ des \d+ comptes/);
      expect(await fingerprint(platform)).toBe(before);
      const [status] = await query<{ status: string }>(
        platform,
        sql`select status::text from aaf_imports where id = ${id}`,
      );
      expect(status!.status).toBe("rejected");
      const notes = await query<{ title: string }>(
        platform,
        sql`select title from notifications where user_id = ${admin.id}`,
      );
      expect(notes.map((n) => n.title)).toContain("Import de l'annuaire refusé");
      // The outbox is emptied by the job runner's handler (called directly: the shared test database's queue
      // also holds other files' jobs). That outbox also holds other files' mail and, on a reused database, earlier
      // runs' (every refusal mails every académie admin), a batch at a time: flush until this import's mail is out.
      const flush = mailFlush(smtpTransport(smtp.url, platform.config.mailFrom));
      const ours = () =>
        smtp.received.find((m) => m.to.includes(email) && m.text.includes(`/admin/annuaire/imports/${id}`));
      for (let batch = 0; batch < 20 && !ours(); batch++)
        await flush({}, { db: platform.db, now: platform.clock.now(), log: platform.log });
      const mail = ours();
      expect(mail?.subject).toBe("[Préau] Import de l'annuaire refusé");
      expect(mail?.text).toContain("Import suspect");
      // This admin leaves the académie: the refusals of later runs on the same database do not mail it.
      await withTenant(platform.db, systemScope, (tx) =>
        tx.execute(sql`delete from structure_roles where user_id = ${admin.id}`),
      );
    },
  );

  it("4.4 a dry run checks and counts everything and changes nothing", async () => {
    const platform = await academy();
    const before = await fingerprint(platform);
    const { id, outcome } = await run(platform, await deliver(smallAcademy({ schools: 1 })), true);
    expect(outcome).toMatchObject({ status: "checked", counts: { created: 21, schools: 1 } });
    expect(await fingerprint(platform)).toBe(before);
    const [row] = await query<{ status: string }>(platform, sql`select status::text from aaf_imports where id = ${id}`);
    expect(row!.status).toBe("checked");
  });

  const broken: [string, (spec: DeliverySpec) => Promise<string>, RegExp][] = [
    [
      "duplicate jointure",
      async (spec) => deliver({ ...spec, pupils: [...spec.pupils!, { ...spec.pupils![0]! }] }),
      /présent 2 fois/,
    ],
    [
      "class of an unknown structure",
      async (spec) => deliver({ ...spec, pupils: [{ ...spec.pupils![0]!, jointure: "X1", school: "INCONNUE" }] }),
      /structure inconnue \(INCONNUE\)/,
    ],
    [
      "parent link to nobody",
      async (spec) =>
        deliver({ ...spec, pupils: [...spec.pupils!, { ...spec.pupils![0]!, jointure: "X2", parents: ["PERSONNE"] }] }),
      /responsable inconnu \(PERSONNE\)/,
    ],
    [
      "truncated file",
      async (spec) => {
        const dir = await deliver(spec);
        const path = join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml");
        const whole = await import("node:fs/promises").then((fs) => fs.readFile(path, "utf8"));
        await writeFile(path, whole.slice(0, Math.floor(whole.length / 2)));
        return dir;
      },
      /./,
    ],
    [
      "not XML",
      async (spec) => {
        const dir = await deliver(spec);
        await writeFile(
          join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml"),
          "Ceci n'est pas du XML, mais un courriel transféré.\n",
        );
        return dir;
      },
      /./,
    ],
    [
      "wrong root",
      async (spec) => {
        const dir = await deliver(spec);
        await writeFile(
          join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml"),
          '<?xml version="1.0"?><annuaire><addRequest/></annuaire>',
        );
        return dir;
      },
      /ficAlimMENESR/,
    ],
    [
      "XXE attempt",
      async (spec) => {
        const dir = await deliver(spec);
        await writeFile(
          join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml"),
          '<?xml version="1.0"?><!DOCTYPE ficAlimMENESR [<!ENTITY xxe SYSTEM ' +
            '"file:///etc/passwd">]><ficAlimMENESR>&xxe;</ficAlimMENESR>',
        );
        return dir;
      },
      /./,
    ],
    [
      "billion laughs",
      async (spec) => {
        const dir = await deliver(spec);
        const ents = [
          '<!ENTITY lol "lol">',
          ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? "" : i};`.repeat(10)}">`),
        ];
        await writeFile(
          join(dir, "ENT1D_Complet_20260901_Eleve_0000.xml"),
          `<?xml version="1.0"?><!DOCTYPE ficAlimMENESR [${ents.join("")}]><ficAlimMENESR>&lol9;</ficAlimMENESR>`,
        );
        return dir;
      },
      /./,
    ],
    [
      "1 MB attribute value",
      async (spec) =>
        deliver({
          ...spec,
          pupils: [{ ...spec.pupils![0]!, last: "x".repeat(1024 * 1024) }, ...spec.pupils!.slice(1)],
        }),
      /./,
    ],
  ];

  for (const [name, make, message] of broken) {
    it(
      `4.4 bad input — ${name}: refused with a clear ` + `French reason, the directory byte for byte unchanged`,
      async () => {
        const platform = await academy();
        const spec = smallAcademy({ schools: 1 });
        await run(platform, await deliver(spec));
        const before = await fingerprint(platform);
        const { outcome } = await run(platform, await make(spec));
        expect(outcome.status).toBe("rejected");
        if (outcome.status !== "rejected") return;
        expect(outcome.problems.length).toBeGreaterThan(0);
        expect(outcome.problems.map((p) => p.message).join("\n")).toMatch(message);
        for (const p of outcome.problems) expect(p.message).toMatch(/[a-zé]/);
        expect(await fingerprint(platform)).toBe(before);
      },
    );
  }

  it("612A 621C same names in one school are flagged to the director, who can dismiss the flag", async () => {
    const platform = await academy();
    const spec = smallAcademy({ schools: 1, pupilsPerClass: 1 });
    const twin = {
      ...spec.pupils![0]!,
      jointure: `${spec.pupils![0]!.jointure}BIS`,
      classCode: "CE2A",
      classLabel: "CE2",
    };
    await run(platform, await deliver({ ...spec, pupils: [...spec.pupils!, twin] }));
    const P = `${platform.config.academyCode}-`;
    const flags = await query<{ id: number; uai: string }>(
      platform,
      sql`
      select d.id, d.uai from duplicate_flags d join users u on u.id = d.user_a or u.id = d.user_b
      where u.external_id = ${P + twin.jointure} and d.status = 'open'`,
    );
    expect(flags).toHaveLength(1);
    const notes = await query<{ title: string }>(
      platform,
      sql`
      select n.title from notifications n join users u on u.id = n.user_id where u.external_id =
      ${P + spec.staff![0]!.jointure}`,
    );
    expect(notes.map((n) => n.title)).toContain("Doublons possibles dans l'annuaire");
  });

  it("reads a zip archive and a tar.gz archive of the same delivery alike", async () => {
    const platform = await academy();
    const dir = await deliver(smallAcademy({ schools: 1 }));
    const { execFileSync } = await import("node:child_process");
    const zip = join(dir, "..", `${platform.config.academyCode}_ENT1D_Complet_20260901.tar.gz`);
    execFileSync("tar", ["-czf", zip, "-C", dir, "."]);
    dirs.push(zip);
    const { outcome } = await run(platform, zip);
    expect(outcome).toMatchObject({ status: "applied", counts: { created: 21 } });
  });
});

describe("4.4 the real samples of the AAF format", () => {
  const samples = join(import.meta.dirname, "../fixtures/aaf2d");
  it("the EtabEducNat sample (2D, ISO-8859-15 declared, &apos;) imports as it is", async () => {
    const tp = await testPlatform("pglite", { academyCode: academyCode() });
    const dir = await import("node:fs/promises").then((fs) => fs.mkdtemp("/tmp/preau-sample-"));
    await cp(
      join(samples, "ENT_Complet_20200101_EtabEducNat_0000.xml"),
      join(dir, "ENT_Complet_20200101_EtabEducNat_0000.xml"),
    );
    const id = await createImport(serviceDeps(tp.platform, null), {
      origin: "cli",
      fileName: dir,
      storedPath: null,
      dryRun: false,
      requestedBy: null,
    });
    const outcome = await importFromPath(tp.platform, id, dir);
    expect(outcome).toMatchObject({ status: "applied", counts: { schools: 1 } });
    await rm(dir, { recursive: true, force: true });
  });

  it(
    "the Eleve sample parses with all its attributes known, and is refused for the records it points to that the " +
      "set lacks",
    async () => {
      const tp = await testPlatform("pglite", { academyCode: academyCode() });
      const dir = await import("node:fs/promises").then((fs) => fs.mkdtemp("/tmp/preau-sample-"));
      await mkdir(dir, { recursive: true });
      for (const f of ["ENT_Complet_20200101_EtabEducNat_0000.xml", "ENT_Complet_20200101_Eleve_0000.xml"])
        await cp(join(samples, f), join(dir, f));
      const id = await createImport(serviceDeps(tp.platform, null), {
        origin: "cli",
        fileName: dir,
        storedPath: null,
        dryRun: false,
        requestedBy: null,
      });
      const outcome = await importFromPath(tp.platform, id, dir);
      expect(outcome.status).toBe("rejected");
      expect(outcome.warnings).toBe(0);
      if (outcome.status === "rejected")
        expect(outcome.problems.map((p) => p.message).join("\n")).toMatch(/structure inconnue \(3000\)/);
      await rm(dir, { recursive: true, force: true });
    },
  );
});
