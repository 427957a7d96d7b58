// 4.4, 612A, 51H: the académie's directory console, the directors' duplicates page, notifications, the inbox.
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { mkdtemp, mkdir, readFile, cp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { buildStructure, buildUser, buildSchoolWithClass } from "../helpers/factories";
import { smallAcademy, writeDelivery } from "../helpers/aaf";
import { diskFileStore } from "../../src/node/files";
import { jobHandlers } from "../../src/node/jobs";
import { runDueJobs, queueScheduledJobs } from "../../src/jobs/runner";
import { schedules } from "../../src/node/jobs";

describe.each(DATABASE_KINDS)("directory console on %s", (kind) => {
  let tp: TestPlatform & { app: Hono<any> };
  let dataDir: string;
  let admin: { login: string; password: string; id: string };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "preau-data-"));
    tp = await testApp(kind, {
      academyCode: `A${Date.now().toString(36).toUpperCase()}${kind === "pglite" ? "L" : "P"}`,
    });
    tp.platform.files = diskFileStore(dataDir);
    admin = await buildUser(tp.platform.db, tp.platform.passwords, {
      profile: "academie_admin",
      structureId: await buildStructure(tp.platform.db, "academie"),
    });
  });
  // Only the import jobs: the shared test database's queue also holds other files' mail jobs.
  const runJobs = () => {
    const { "aaf.import": importJob, "aaf.inbox": inbox } = jobHandlers(tp.platform, dataDir);
    return runDueJobs(
      tp.platform.db,
      { "aaf.import": importJob!, "aaf.inbox": inbox! },
      () => tp.clock.now(),
      tp.platform.log,
    );
  };

  it("4.4 the académie uploads a delivery, follows its import and downloads its log", async () => {
    const b = new TestBrowser(tp.app);
    await b.login(admin.login, admin.password);
    const page = await b.get("/admin/annuaire");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Déposer une livraison");
    const dir = await writeDelivery(smallAcademy({ schools: 1 }));
    const name = (await readdir(dir)).find((f) => f.includes("Eleve"))!;
    // A single file delivery: the school and people files are sent as one archive below; here the Eleve file alone is
    // refused because its school is not known yet.
    const lone = await b.upload(
      "/admin/annuaire/imports",
      {},
      { livraison: { name, content: await readFile(join(dir, name)) } },
    );
    expect(lone.status).toBe(303);
    const detailUrl = lone.location!;
    const queued = await b.get(detailUrl);
    expect(queued.text).toContain("En attente");
    expect(queued.html).toContain('hx-trigger="every 2s"');
    expect(queued.text).toContain("Actualiser");
    expect(await runJobs()).toBeGreaterThanOrEqual(1);
    const refused = await b.get(detailUrl);
    expect(refused.text).toContain("Refusé");
    expect(refused.text).toContain("structure inconnue");

    const { execFileSync } = await import("node:child_process");
    const archive = join(dir, "..", `livraison-${Date.now()}.tar.gz`);
    execFileSync("tar", ["-czf", archive, "-C", dir, "."]);
    await b.get("/admin/annuaire");
    const res = await b.upload(
      "/admin/annuaire/imports",
      {},
      { livraison: { name: "ENT1D_Complet_20260901.tar.gz", content: await readFile(archive) } },
    );
    expect(res.status).toBe(303);
    await runJobs();
    const done = await b.get(res.location!);
    expect(done.text).toContain("Appliqué");
    expect(done.text).toContain("Comptes créés");
    const log = await b.get(`${res.location!}/journal`);
    expect(log.status).toBe(200);
    expect(log.headers.get("content-disposition")).toMatch(/attachment; filename="import-aaf-/);
    expect(log.text).toMatch(/comptes créés/);
    const fragment = await b.get(`${res.location!}/avancement`);
    expect(fragment.html).not.toContain("<html");
    const history = await b.get("/admin/annuaire");
    expect(history.text).toContain("Historique des imports");
    expect(history.text).toContain("ENT1D_Complet_20260901.tar.gz");
  });

  it("4.4 bad uploads are refused in French and queue nothing; others than the académie are refused", async () => {
    const b = new TestBrowser(tp.app);
    await b.login(admin.login, admin.password);
    await b.get("/admin/annuaire");
    // This admin's imports only: other test files import on the same database at the same time.
    const count = async () =>
      (
        await withTenant(tp.platform.db, systemScope, async (tx) =>
          rowsOf<{ n: number }>(
            await tx.execute(sql`select count(*)::int as n from aaf_imports where requested_by = ${admin.id}`),
          ),
        )
      )[0]!.n;
    const before = await count();
    const wrongType = await b.upload(
      "/admin/annuaire/imports",
      {},
      { livraison: { name: "photo.jpg", content: "JPEG" } },
    );
    expect(wrongType.status).toBe(400);
    expect(wrongType.text).toContain("Déposez un fichier .xml, .zip, .tar.gz ou .tgz.");
    const missing = await b.upload("/admin/annuaire/imports", {}, {});
    expect(missing.status).toBe(400);
    expect(missing.text).toContain("Choisissez un fichier à déposer.");
    expect(await count()).toBe(before);
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const director = new TestBrowser(tp.app);
    await director.login(s.director.login, s.director.password);
    expect((await director.get("/admin/annuaire")).status).toBe(403);
    await director.get("/");
    expect(
      (await director.upload("/admin/annuaire/imports", {}, { livraison: { name: "a.xml", content: "<x/>" } })).status,
    ).toBe(403);
  });

  it(
    "612A the director reviews the school's possible duplicates and dismisses a flag; another school's flag is out " +
      "of reach",
    async () => {
      const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
      const other = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
      const twin = async (uai: string) => {
        const a = await buildUser(tp.platform.db, tp.platform.passwords, {
          profile: "pupil",
          uai,
          firstName: "Léa",
          lastName: "Homonyme",
        });
        const b2 = await buildUser(tp.platform.db, tp.platform.passwords, {
          profile: "pupil",
          uai,
          firstName: "LEA",
          lastName: "homonyme",
        });
        return [a, b2];
      };
      await twin(s.school.uai);
      await twin(other.school.uai);
      const { flagDuplicates } = await import("../../src/services/admin/duplicates");
      await withTenant(tp.platform.db, systemScope, (tx) => flagDuplicates(tx, tp.clock.now(), null));
      const d = new TestBrowser(tp.app);
      await d.login(s.director.login, s.director.password);
      const page = await d.get("/ecole/doublons");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Homonyme");
      const ids = [...page.html.matchAll(/name="signalement" value="(\d+)"/g)].map((m) => m[1]!);
      expect(ids).toHaveLength(1);
      const [otherFlag] = await withTenant(tp.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: number }>(
          await tx.execute(sql`
      select id from duplicate_flags where uai = ${other.school.uai} and status = 'open'`),
        ),
      );
      expect((await d.post("/ecole/doublons", { signalement: String(otherFlag!.id) })).status).toBe(404);
      const dismissed = await d.post("/ecole/doublons", { signalement: ids[0]! });
      expect(dismissed.location).toBe("/ecole/doublons?clos=1");
      expect((await d.get("/ecole/doublons?clos=1")).text).toContain("Aucun doublon possible");
      const teacher = new TestBrowser(tp.app);
      await teacher.login(s.teacher.login, s.teacher.password);
      expect((await teacher.get("/ecole/doublons")).status).toBe(403);
    },
  );

  it("notifications are listed for their user, counted in the header, and marked read", async () => {
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const { notifyUsers } = await import("../../src/services/notifications/notifications");
    await withTenant(tp.platform.db, systemScope, (tx) =>
      notifyUsers(
        tx,
        [s.director.id],
        { kind: "test", title: "Bonjour la direction", body: "Un message de test.", link: "/ecole" },
        tp.clock.now(),
      ),
    );
    const d = new TestBrowser(tp.app);
    await d.login(s.director.login, s.director.password);
    const home = await d.get("/");
    expect(home.text).toContain("Notifications (1 non lues)");
    const list = await d.get("/notifications");
    expect(list.text).toContain("Bonjour la direction");
    await d.post("/notifications/lues", {});
    expect((await d.get("/")).text).not.toContain("non lues");
    const teacher = new TestBrowser(tp.app);
    await teacher.login(s.teacher.login, s.teacher.password);
    expect((await teacher.get("/notifications")).text).not.toContain("Bonjour la direction");
  });

  it("4.4 the inbox folder is read on the 1st and the 15th: each delivery found is imported", async () => {
    // A académie of its own: the deliveries of the tests above are not in this one (it would look like a mass
    // departure).
    tp.platform.config.academyCode = `I${Date.now().toString(36).toUpperCase()}`;
    // The day's schedule slot may exist from an earlier run on a kept test database.
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`delete from jobs where dedupe_key like 'schedule:aaf.inbox:2026-12-1%'`),
    );
    const inbox = join(dataDir, "aaf", "inbox");
    await mkdir(inbox, { recursive: true });
    const dir = await writeDelivery(smallAcademy({ schools: 1 }));
    await cp(dir, join(inbox, "livraison-du-15"), { recursive: true });
    tp.clock.set("2026-12-14T09:00:00+01:00");
    await queueScheduledJobs(tp.platform.db, schedules(tp.platform), tp.clock.now(), "Europe/Paris");
    await runJobs();
    expect(await readdir(inbox)).toEqual(["livraison-du-15"]);
    tp.clock.set("2026-12-15T02:30:00+01:00");
    await queueScheduledJobs(tp.platform.db, schedules(tp.platform), tp.clock.now(), "Europe/Paris");
    await runJobs();
    await runJobs();
    expect(await readdir(inbox)).toEqual([]);
    const [last] = await withTenant(tp.platform.db, systemScope, async (tx) =>
      rowsOf<{ status: string; origin: string }>(
        await tx.execute(sql`
      select status::text, origin from aaf_imports order by created_at desc limit 1`),
      ),
    );
    expect(last).toEqual({ status: "applied", origin: "inbox" });
    tp.clock.set("2026-11-24T10:00:00+01:00");
  });
});
