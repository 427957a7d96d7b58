// The AAF imports as the académie sees them: queueing (upload, inbox, CLI), running with live progress, the
// outcome recorded with its reasons and log, the people concerned told (4.4, 612A), and the purge of accounts
// pre-deleted long enough ago.
import { desc, eq, sql } from "drizzle-orm";
import { aafImportLog, aafImports, type AafCounts, type AafProgress } from "../../../db/schema/aaf";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import type { AafProblem, AafSetInfo, AafWarning } from "../../aaf/model";
import { importAafDelivery, type AafFile, type DeliveryReader, type ImportOutcome } from "../../aaf/importer";
import { audit } from "../audit";
import { flagDuplicates } from "./duplicates";
import { academieAdmins, notifyUsers, queueMail, schoolAdmins } from "../notifications/notifications";
import { enqueue } from "../../jobs/runner";
import type { Clock } from "../../platform";
import { can } from "../../policy";
import { isId } from "../../validation";
import { inTenant, type ServiceDeps } from "../context";
import type { Principal } from "../principal";

export type ImportOrigin = "cli" | "upload" | "inbox";

export interface ImportRequest {
  origin: ImportOrigin;
  fileName: string;
  /** Where the delivery waits for the job runner; null when the caller imports it at once (the CLI). */
  storedPath: string | null;
  dryRun: boolean;
  requestedBy: string | null;
}

/** Records an import (queued for the job runner when its delivery is stored), with its line in the audit trail. */
export async function createImport(deps: ServiceDeps, input: ImportRequest): Promise<string> {
  const now = deps.now;
  return withTenant(deps.db, systemScope, async (tx) => {
    const [row] = await tx
      .insert(aafImports)
      .values({
        status: "queued",
        origin: input.origin,
        fileName: input.fileName.slice(0, 300),
        storedPath: input.storedPath,
        dryRun: input.dryRun,
        requestedBy: input.requestedBy,
        createdAt: now,
        progress: { phase: "queued", done: 0, total: 0 },
      })
      .returning({ id: aafImports.id });
    if (input.storedPath)
      await enqueue(tx, "aaf.import", { importId: row!.id }, now, {
        dedupeKey: `aaf.import:${row!.id}`,
        maxAttempts: 1,
      });
    await audit(tx, {
      at: now,
      actorId: input.requestedBy,
      action: "aaf.import_queued",
      target: row!.id,
      ip: deps.ip,
      details: { origin: input.origin, file: input.fileName.slice(0, 300), dryRun: input.dryRun },
    });
    return row!.id;
  });
}

const ACCEPTED = /\.(xml|zip|tgz|tar\.gz)$/i;

export type UploadOutcome =
  | { ok: true; importId: string }
  | { ok: false; forbidden: true }
  | { ok: false; error: "no_storage" | "missing" | "type" };

/** 4.4: the académie drops a delivery (a file or an archive); it is stored and its import queued. */
export async function queueUpload(
  deps: ServiceDeps,
  p: Principal,
  file: File | null,
  dryRun: boolean,
): Promise<UploadOutcome> {
  if (!can(p, "aaf.manage", { kind: "platform" })) return { ok: false, forbidden: true };
  if (!deps.files) return { ok: false, error: "no_storage" };
  if (!file || file.size === 0) return { ok: false, error: "missing" };
  if (!ACCEPTED.test(file.name)) return { ok: false, error: "type" };
  const stored = await deps.files.save("aaf-uploads", file.name, file);
  const importId = await createImport(deps, {
    origin: "upload",
    fileName: file.name,
    storedPath: stored,
    dryRun,
    requestedBy: p.userId,
  });
  return { ok: true, importId };
}

/** Where a queued import's delivery was stored (the job runner reads it from there). */
export async function storedDelivery(deps: ServiceDeps, importId: string): Promise<string | null> {
  const [row] = await withTenant(deps.db, systemScope, (tx) =>
    tx.select({ path: aafImports.storedPath }).from(aafImports).where(eq(aafImports.id, importId)),
  );
  return row?.path ?? null;
}

/** Live progress of imports running in this process (the page of another process reads the table). */
export const liveProgress = new Map<string, AafProgress>();

const MAX_LOG_LINES = 5000;

interface LogLine {
  at: Date;
  level: string;
  message: string;
}

/** An import's log, kept in memory until the import ends: its first MAX_LOG_LINES lines, the rest counted. */
class ImportLog {
  readonly lines: LogLine[] = [];
  dropped = 0;
  constructor(private readonly clock: Clock) {}
  line(level: string, message: string) {
    if (this.lines.length < MAX_LOG_LINES) this.lines.push({ at: this.clock.now(), level, message });
    else this.dropped += 1;
  }
}

type ImportRow = typeof aafImports.$inferSelect;

/**
 * Runs an import createImport recorded: reads, checks and applies the delivery (all or nothing), records the outcome
 * with its reasons and log, and tells the people concerned. A technical failure is recorded too, then thrown.
 */
export async function runImport(
  deps: ServiceDeps,
  importId: string,
  files: AsyncIterable<AafFile> | Iterable<AafFile>,
  describe: (fileNames: string[]) => AafSetInfo,
  onProgress?: (p: AafProgress) => void,
  reader?: DeliveryReader,
): Promise<ImportOutcome> {
  const { db, config } = deps;
  const startedAt = deps.clock.now();
  const job = await startImport(db, importId, startedAt);
  const log = new ImportLog(deps.clock);
  log.line("info", `Import${job.dryRun ? " à blanc" : ""} de ${job.fileName}.`);
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
      onProgress: progressRecorder(db, importId, onProgress),
      reader,
      onWarning: (w: AafWarning) => log.line("warn", `${w.source.file}:${w.source.line} — ${w.detail}`),
      afterApply: (tx, counts) =>
        afterApply(tx, { importId, fileName: job.fileName, counts, now: startedAt, requestedBy: job.requestedBy }),
    });
  } catch (err) {
    await recordFailure(deps, job, log, err);
    liveProgress.delete(importId);
    throw err;
  }
  await recordOutcome(deps, job, log, outcome);
  liveProgress.delete(importId);
  return outcome;
}

/** The import's row, now marked running. */
async function startImport(db: Database, importId: string, startedAt: Date): Promise<ImportRow> {
  const [job] = await withTenant(db, systemScope, (tx) =>
    tx.select().from(aafImports).where(eq(aafImports.id, importId)),
  );
  if (!job) throw new Error(`Import inconnu : ${importId}`);
  await withTenant(db, systemScope, (tx) =>
    tx
      .update(aafImports)
      .set({ status: "running", startedAt, progress: { phase: "reading", done: 0, total: 0 } })
      .where(eq(aafImports.id, importId)),
  );
  return job;
}

/** Progress goes to this process's pages at once, and to the row (for other processes) now and then. */
function progressRecorder(db: Database, importId: string, onProgress?: (p: AafProgress) => void) {
  let lastWrite = 0;
  return (p: AafProgress) => {
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
}

/** A technical failure (not a refusal): recorded as failed, the académie told. */
async function recordFailure(deps: ServiceDeps, job: ImportRow, log: ImportLog, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  log.line("error", `Échec technique : ${message}`);
  await finish(deps.db, job.id, log, {
    status: "failed",
    now: deps.clock.now(),
    counts: null,
    problems: [{ code: "failure", message: `Échec technique : ${message}` }],
    mode: null,
  });
  await tellRejection(deps.db, job.id, job.fileName, [{ code: "failure", message }], deps.clock.now());
}

/** The outcome in the log and on the row: the reasons of a refusal (the académie told), or the figures. */
async function recordOutcome(deps: ServiceDeps, job: ImportRow, log: ImportLog, outcome: ImportOutcome) {
  for (const f of outcome.files) log.line("info", `Fichier lu : ${f}`);
  const mode = outcome.info?.mode ?? null;
  if (mode) log.line("info", `Livraison ${mode === "complete" ? "complète" : "différentielle"}.`);
  if (outcome.status === "rejected") {
    for (const p of outcome.problems)
      log.line("error", `${p.source ? `${p.source.file}:${p.source.line} — ` : ""}${p.message}`);
    log.line("error", `Import refusé : ${outcome.problems.length} problème(s). L'annuaire n'a pas été modifié.`);
    const now = deps.clock.now();
    await finish(deps.db, job.id, log, { status: "rejected", now, counts: null, problems: outcome.problems, mode });
    await tellRejection(deps.db, job.id, job.fileName, outcome.problems, deps.clock.now());
    return;
  }
  const c = outcome.counts;
  log.line(
    "info",
    `${c.records} enregistrements : ${c.created} comptes créés, ${c.updated} mis à jour, ${c.unchanged} inchangés, ` +
      `${c.preDeleted} pré-supprimés, ${c.restored} rétablis, ${c.detached} rattachements retirés, ` +
      `${c.schools} écoles et ${c.classes} classes créées, ${c.warnings} avertissements.`,
  );
  if (outcome.suspendedForeignKeys)
    log.line(
      "info",
      "Premier import de l'académie : les clés étrangères des profils, des classes et des liens familiaux ont été " +
        "suspendues pendant le chargement, puis vérifiées sur toutes leurs lignes avant la validation (annuaire " +
        "verrouillé jusque-là).",
    );
  if (outcome.status === "checked") log.line("info", "Import à blanc : rien n'a été modifié.");
  await finish(deps.db, job.id, log, {
    status: outcome.status,
    now: deps.clock.now(),
    counts: c,
    problems: null,
    mode,
    suspendedForeignKeys: outcome.suspendedForeignKeys,
  });
}

interface Ending {
  status: "applied" | "checked" | "rejected" | "failed";
  now: Date;
  counts: AafCounts | null;
  problems: AafProblem[] | null;
  mode: AafSetInfo["mode"] | null;
  /** Its foreign keys were suspended during the load and checked whole (a large first import). */
  suspendedForeignKeys?: boolean;
}

/** The row's final state, the log kept, the trail written: one transaction. */
async function finish(db: Database, importId: string, log: ImportLog, end: Ending) {
  const { status, now, counts, problems, mode, suspendedForeignKeys } = end;
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
    const lines = log.dropped
      ? [
          ...log.lines,
          { at: now, level: "warn", message: `${log.dropped} lignes de journal supplémentaires non conservées.` },
        ]
      : log.lines;
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
      details: { counts, problems: problems?.length ?? 0, ...(suspendedForeignKeys ? { suspendedForeignKeys } : {}) },
    });
  });
}

interface Applied {
  importId: string;
  fileName: string;
  counts: AafCounts;
  now: Date;
  requestedBy: string | null;
}

/** Inside the applying transaction: duplicates flagged, admins told, the trail written — all or nothing with it. */
async function afterApply(tx: Tx, input: Applied) {
  await tellDuplicates(tx, input);
  await tellPreDeleted(tx, input);
  await tellApplied(tx, input);
}

/** 612A: each school's directors learn of the new pairs of possible duplicates. */
async function tellDuplicates(tx: Tx, { importId, now }: Applied) {
  const duplicates = await flagDuplicates(tx, now, importId);
  for (const d of duplicates)
    await tellSchoolAdmins(tx, d.uai, now, {
      kind: "aaf.duplicates",
      title: "Doublons possibles dans l'annuaire",
      body:
        `${d.count} paire(s) de comptes aux mêmes nom et prénom ont été repérées dans votre école ` +
        "après l'import de l'annuaire.",
    });
}

/** A notice to a school's directors, linking to its page of possible duplicates and pre-deleted accounts. */
async function tellSchoolAdmins(tx: Tx, uai: string, now: Date, notice: { kind: string; title: string; body: string }) {
  const admins = await schoolAdmins(tx, uai);
  await notifyUsers(
    tx,
    admins.map((a) => a.id),
    { ...notice, link: "/ecole/doublons" },
    now,
  );
}

/** 612A: each school's directors learn how many of their accounts this import pre-deleted. */
async function tellPreDeleted(tx: Tx, { now }: Applied) {
  const preDeleted = rowsOf<{ uai: string; n: number }>(
    await tx.execute(sql`
    select sp.uai, count(distinct u.id)::int as n from users u join school_profiles sp on sp.user_id = u.id
    where u.state = 'pre_deleted' and u.pre_deleted_at = ${now.toISOString()} group by sp.uai`),
  );
  for (const p of preDeleted)
    await tellSchoolAdmins(tx, p.uai, now, {
      kind: "aaf.pre_deleted",
      title: "Comptes pré-supprimés",
      body:
        `${p.n} compte(s) de votre école ne figurent plus dans l'annuaire académique : ils ne peuvent plus se ` +
        "connecter et seront supprimés dans le délai prévu, sauf s'ils réapparaissent.",
    });
}

/** The académie's admins learn the import's figures. */
async function tellApplied(tx: Tx, { importId, fileName, counts, now }: Applied) {
  const academie = await academieAdmins(tx);
  await notifyUsers(
    tx,
    academie.map((a) => a.id),
    {
      kind: "aaf.applied",
      title: "Import de l'annuaire appliqué",
      body:
        `${fileName} : ${counts.created} comptes créés, ${counts.updated} mis à jour, ` +
        `${counts.preDeleted} pré-supprimés, ${counts.schools} écoles nouvelles.`,
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
    const body =
      `L'import de ${fileName} a été refusé (${problems.length} problème(s)). ` +
      `L'annuaire n'a pas été modifié.\n\n${first}`;
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

/** 4.4: the imports' history, newest first (null: not the académie's). */
export async function listImports(deps: ServiceDeps, p: Principal, limit = 50): Promise<ImportSummary[] | null> {
  if (!can(p, "aaf.manage", { kind: "platform" })) return null;
  return inTenant(deps, p, async (tx) => {
    const rows = await tx.select().from(aafImports).orderBy(desc(aafImports.createdAt)).limit(limit);
    return rows.map(toSummary);
  });
}

/** One import with its live progress (null: not found, or not the académie's). */
export async function importDetail(deps: ServiceDeps, p: Principal, id: string): Promise<ImportSummary | null> {
  if (!can(p, "aaf.manage", { kind: "platform" }) || !isId(id)) return null;
  return inTenant(deps, p, (tx) => importRow(tx, id));
}

async function importRow(tx: Tx, id: string): Promise<ImportSummary | null> {
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

/** An import's log as a text file, one line a row, times in the platform's zone (null: not found). */
export async function importLogText(deps: ServiceDeps, p: Principal, id: string): Promise<string | null> {
  if (!can(p, "aaf.manage", { kind: "platform" }) || !isId(id)) return null;
  return inTenant(deps, p, async (tx) => {
    if (!(await importRow(tx, id))) return null;
    const rows = await tx.select().from(aafImportLog).where(eq(aafImportLog.importId, id)).orderBy(aafImportLog.seq);
    const format = new Intl.DateTimeFormat("fr-FR", {
      dateStyle: "short",
      timeStyle: "medium",
      timeZone: deps.timeZone,
    });
    return `${rows.map((r) => `${format.format(r.at)}\t${r.level.toUpperCase()}\t${r.message}`).join("\n")}\n`;
  });
}

/** 612A: accounts pre-deleted more than the configured delay ago are deleted; admins learn how many. */
export async function purgePreDeleted(
  deps: ServiceDeps,
  days: number = deps.config.aaf.deleteAfterDays,
): Promise<number> {
  const now = deps.now;
  const before = new Date(now.getTime() - days * 86_400_000).toISOString();
  return withTenant(deps.db, systemScope, async (tx) => {
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
