// The AAF imports as the académie sees them: queueing (upload, inbox, CLI), running with live progress, the
// outcome recorded with its reasons and log, the people concerned told (4.4, 612A), and the purge of accounts
// pre-deleted long enough ago.
import { desc, eq, sql } from "drizzle-orm";
import { aafImportLog, aafImports, type AafCounts, type AafProgress } from "../../../db/schema/aaf";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import type { Config } from "../../config";
import type { AafProblem, AafSetInfo, AafWarning } from "../../aaf/model";
import { importAafDelivery, type AafFile, type ImportOutcome } from "../../aaf/importer";
import { audit } from "../audit";
import { flagDuplicates } from "./duplicates";
import { academieAdmins, notifyUsers, queueMail, schoolAdmins } from "../notifications/notifications";
import { enqueue } from "../../jobs/runner";

export type ImportOrigin = "cli" | "upload" | "inbox";

export async function createImport(
  db: Database,
  input: {
    origin: ImportOrigin;
    fileName: string;
    storedPath: string | null;
    dryRun: boolean;
    requestedBy: string | null;
    now: Date;
    ip?: string | null;
  },
): Promise<string> {
  return withTenant(db, systemScope, async (tx) => {
    const [row] = await tx
      .insert(aafImports)
      .values({
        status: "queued",
        origin: input.origin,
        fileName: input.fileName.slice(0, 300),
        storedPath: input.storedPath,
        dryRun: input.dryRun,
        requestedBy: input.requestedBy,
        createdAt: input.now,
        progress: { phase: "queued", done: 0, total: 0 },
      })
      .returning({ id: aafImports.id });
    if (input.storedPath)
      await enqueue(tx, "aaf.import", { importId: row!.id }, input.now, {
        dedupeKey: `aaf.import:${row!.id}`,
        maxAttempts: 1,
      });
    await audit(tx, {
      at: input.now,
      actorId: input.requestedBy,
      action: "aaf.import_queued",
      target: row!.id,
      ip: input.ip ?? null,
      details: { origin: input.origin, file: input.fileName.slice(0, 300), dryRun: input.dryRun },
    });
    return row!.id;
  });
}

/** Live progress of imports running in this process (the page of another process reads the table). */
export const liveProgress = new Map<string, AafProgress>();

const MAX_LOG_LINES = 5000;

export interface RunImportDeps {
  db: Database;
  config: Config;
  now: () => Date;
}

export async function runImport(
  deps: RunImportDeps,
  importId: string,
  files: AsyncIterable<AafFile> | Iterable<AafFile>,
  describe: (fileNames: string[]) => AafSetInfo,
  onProgress?: (p: AafProgress) => void,
): Promise<ImportOutcome> {
  const { db, config } = deps;
  const startedAt = deps.now();
  const [job] = await withTenant(db, systemScope, (tx) =>
    tx.select().from(aafImports).where(eq(aafImports.id, importId)),
  );
  if (!job) throw new Error(`Import inconnu : ${importId}`);
  const log: { at: Date; level: string; message: string }[] = [];
  let dropped = 0;
  const line = (level: string, message: string) => {
    if (log.length < MAX_LOG_LINES) log.push({ at: deps.now(), level, message });
    else dropped += 1;
  };
  await withTenant(db, systemScope, (tx) =>
    tx
      .update(aafImports)
      .set({ status: "running", startedAt, progress: { phase: "reading", done: 0, total: 0 } })
      .where(eq(aafImports.id, importId)),
  );
  line("info", `Import${job.dryRun ? " à blanc" : ""} de ${job.fileName}.`);
  let lastWrite = 0;
  const progress = (p: AafProgress) => {
    liveProgress.set(importId, p);
    onProgress?.(p);
    // The row is updated between staging batches only: never from inside the applying transaction.
    const nowMs = Date.now();
    if ((p.phase === "reading" && nowMs - lastWrite > 1000) || p.phase === "checking") {
      lastWrite = nowMs;
      void withTenant(db, systemScope, (tx) =>
        tx.update(aafImports).set({ progress: p }).where(eq(aafImports.id, importId)),
      ).catch(() => {});
    }
  };
  const warning = (w: AafWarning) => line("warn", `${w.source.file}:${w.source.line} — ${w.detail}`);

  let outcome: ImportOutcome;
  try {
    outcome = await importAafDelivery({
      db,
      importId,
      academy: config.academyCode,
      describe,
      files,
      now: startedAt,
      dryRun: job.dryRun,
      settings: {
        maxPreDeleteShare: config.aaf.maxPreDeleteShare,
        plausibilityMinAccounts: config.aaf.plausibilityMinAccounts,
      },
      onProgress: progress,
      onWarning: warning,
      afterApply: (tx, counts) =>
        afterApply(tx, { importId, fileName: job.fileName, counts, now: startedAt, requestedBy: job.requestedBy }),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    line("error", `Échec technique : ${message}`);
    await finish(
      db,
      importId,
      "failed",
      deps.now(),
      null,
      [{ code: "failure", message: `Échec technique : ${message}` }],
      log,
      dropped,
      null,
    );
    await tellRejection(db, importId, job.fileName, [{ code: "failure", message }], deps.now());
    liveProgress.delete(importId);
    throw err;
  }
  for (const f of outcome.files) line("info", `Fichier lu : ${f}`);
  const mode = outcome.info?.mode ?? null;
  if (mode) line("info", `Livraison ${mode === "complete" ? "complète" : "différentielle"}.`);
  if (outcome.status === "rejected") {
    for (const p of outcome.problems)
      line("error", `${p.source ? `${p.source.file}:${p.source.line} — ` : ""}${p.message}`);
    line("error", `Import refusé : ${outcome.problems.length} problème(s). L'annuaire n'a pas été modifié.`);
    await finish(db, importId, "rejected", deps.now(), null, outcome.problems, log, dropped, mode);
    await tellRejection(db, importId, job.fileName, outcome.problems, deps.now());
  } else {
    const c = outcome.counts;
    line(
      "info",
      `${c.records} enregistrements : ${c.created} comptes créés, ${c.updated} mis à jour, ${c.unchanged} inchangés, ` +
        `${c.preDeleted} pré-supprimés, ${c.restored} rétablis, ${c.detached} rattachements retirés, ${c.schools} écoles et ` +
        `${c.classes} classes créées, ${c.warnings} avertissements.`,
    );
    if (outcome.status === "checked") line("info", "Import à blanc : rien n'a été modifié.");
    await finish(db, importId, outcome.status, deps.now(), c, null, log, dropped, mode);
  }
  liveProgress.delete(importId);
  return outcome;
}

async function finish(
  db: Database,
  importId: string,
  status: "applied" | "checked" | "rejected" | "failed",
  now: Date,
  counts: AafCounts | null,
  problems: AafProblem[] | null,
  log: { at: Date; level: string; message: string }[],
  dropped: number,
  mode: AafSetInfo["mode"] | null,
) {
  await withTenant(db, systemScope, async (tx) => {
    await tx
      .update(aafImports)
      .set({
        status,
        mode,
        finishedAt: now,
        counts,
        progress: { phase: "done", done: counts?.records ?? 0, total: counts?.records ?? 0 },
        problems:
          problems?.map((p) => ({ code: p.code, message: p.message, file: p.source?.file, line: p.source?.line })) ??
          null,
      })
      .where(eq(aafImports.id, importId));
    const lines = dropped
      ? [...log, { at: now, level: "warn", message: `${dropped} lignes de journal supplémentaires non conservées.` }]
      : log;
    for (let i = 0; i < lines.length; i += 1000) {
      await tx
        .insert(aafImportLog)
        .values(lines.slice(i, i + 1000).map((l, k) => ({ importId, seq: i + k + 1, ...l })));
    }
    await audit(tx, {
      at: now,
      actorId: null,
      action: `aaf.import_${status}`,
      target: importId,
      details: { counts, problems: problems?.length ?? 0 },
    });
  });
}

/** Inside the applying transaction: duplicates flagged, admins told, the trail written — all or nothing with it. */
async function afterApply(
  tx: Tx,
  input: { importId: string; fileName: string; counts: AafCounts; now: Date; requestedBy: string | null },
) {
  const { importId, counts, now } = input;
  const duplicates = await flagDuplicates(tx, now, importId);
  for (const d of duplicates) {
    const admins = await schoolAdmins(tx, d.uai);
    await notifyUsers(
      tx,
      admins.map((a) => a.id),
      {
        kind: "aaf.duplicates",
        title: "Doublons possibles dans l'annuaire",
        body: `${d.count} paire(s) de comptes aux mêmes nom et prénom ont été repérées dans votre école après l'import de l'annuaire.`,
        link: "/ecole/doublons",
      },
      now,
    );
  }
  const preDeleted = rowsOf<{ uai: string; n: number }>(
    await tx.execute(sql`
    select sp.uai, count(distinct u.id)::int as n from users u join school_profiles sp on sp.user_id = u.id
    where u.state = 'pre_deleted' and u.pre_deleted_at = ${now.toISOString()} group by sp.uai`),
  );
  for (const p of preDeleted) {
    const admins = await schoolAdmins(tx, p.uai);
    await notifyUsers(
      tx,
      admins.map((a) => a.id),
      {
        kind: "aaf.pre_deleted",
        title: "Comptes pré-supprimés",
        body: `${p.n} compte(s) de votre école ne figurent plus dans l'annuaire académique : ils ne peuvent plus se connecter et seront supprimés dans le délai prévu, sauf s'ils réapparaissent.`,
        link: "/ecole/doublons",
      },
      now,
    );
  }
  const academie = await academieAdmins(tx);
  await notifyUsers(
    tx,
    academie.map((a) => a.id),
    {
      kind: "aaf.applied",
      title: "Import de l'annuaire appliqué",
      body:
        `${input.fileName} : ${counts.created} comptes créés, ${counts.updated} mis à jour, ${counts.preDeleted} pré-supprimés, ` +
        `${counts.schools} écoles nouvelles.`,
      link: `/admin/annuaire/imports/${importId}`,
    },
    now,
  );
}

/** Académie admins learn of a refused import in the hub and by e-mail, with the first reasons. */
async function tellRejection(db: Database, importId: string, fileName: string, problems: AafProblem[], now: Date) {
  await withTenant(db, systemScope, async (tx) => {
    const admins = await academieAdmins(tx);
    const first = problems
      .slice(0, 5)
      .map((p) => `- ${p.source ? `${p.source.file}:${p.source.line} : ` : ""}${p.message}`)
      .join("\n");
    const body = `L'import de ${fileName} a été refusé (${problems.length} problème(s)). L'annuaire n'a pas été modifié.\n\n${first}`;
    await notifyUsers(
      tx,
      admins.map((a) => a.id),
      {
        kind: "aaf.rejected",
        title: "Import de l'annuaire refusé",
        body: first ? body : body.trim(),
        link: `/admin/annuaire/imports/${importId}`,
      },
      now,
    );
    await queueMail(
      tx,
      admins.map((a) => a.email ?? ""),
      "[Préau] Import de l'annuaire refusé",
      `${body}\n\nDétail et journal : /admin/annuaire/imports/${importId}\n`,
      now,
      { importId },
    );
  });
}

export interface ImportSummary {
  id: string;
  status: string;
  mode: string | null;
  origin: string;
  fileName: string;
  dryRun: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  counts: AafCounts | null;
  progress: AafProgress | null;
  problems: { code: string; message: string; file?: string; line?: number }[] | null;
}

export async function listImports(tx: Tx, limit = 50): Promise<ImportSummary[]> {
  const rows = await tx.select().from(aafImports).orderBy(desc(aafImports.createdAt)).limit(limit);
  return rows.map(toSummary);
}

export async function importDetail(tx: Tx, id: string): Promise<ImportSummary | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await tx.select().from(aafImports).where(eq(aafImports.id, id));
  return row ? toSummary(row) : null;
}

function toSummary(r: typeof aafImports.$inferSelect): ImportSummary {
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    origin: r.origin,
    fileName: r.fileName,
    dryRun: r.dryRun,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: r.counts,
    problems: r.problems,
    progress: liveProgress.get(r.id) ?? r.progress,
  };
}

export async function importLogText(tx: Tx, id: string, timeZone: string): Promise<string> {
  const rows = await tx.select().from(aafImportLog).where(eq(aafImportLog.importId, id)).orderBy(aafImportLog.seq);
  const format = new Intl.DateTimeFormat("fr-FR", { dateStyle: "short", timeStyle: "medium", timeZone });
  return `${rows.map((r) => `${format.format(r.at)}\t${r.level.toUpperCase()}\t${r.message}`).join("\n")}\n`;
}

/** 612A: accounts pre-deleted more than the configured delay ago are deleted; admins learn how many. */
export async function purgePreDeleted(db: Database, now: Date, days: number): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000).toISOString();
  return withTenant(db, systemScope, async (tx) => {
    const perSchool = rowsOf<{ uai: string; n: number }>(
      await tx.execute(sql`
      select sp.uai, count(distinct u.id)::int as n from users u join school_profiles sp on sp.user_id = u.id
      where u.state = 'pre_deleted' and u.pre_deleted_at < ${before} group by sp.uai`),
    );
    const [deleted] = rowsOf<{ n: number }>(
      await tx.execute(sql`
      with gone as (delete from users where state = 'pre_deleted' and pre_deleted_at < ${before} returning 1)
      select count(*)::int as n from gone`),
    );
    const n = deleted?.n ?? 0;
    if (n === 0) return 0;
    for (const s of perSchool) {
      const admins = await schoolAdmins(tx, s.uai);
      await notifyUsers(
        tx,
        admins.map((a) => a.id),
        {
          kind: "aaf.deleted",
          title: "Comptes supprimés",
          body: `${s.n} compte(s) de votre école, pré-supprimés depuis plus de ${days} jours, ont été supprimés.`,
        },
        now,
      );
    }
    const academie = await academieAdmins(tx);
    await notifyUsers(
      tx,
      academie.map((a) => a.id),
      {
        kind: "aaf.deleted",
        title: "Comptes supprimés",
        body: `${n} compte(s) pré-supprimés depuis plus de ${days} jours ont été supprimés.`,
      },
      now,
    );
    await audit(tx, { at: now, actorId: null, action: "aaf.purge", details: { deleted: n, days } });
    return n;
  });
}
