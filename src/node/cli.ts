// `npm run preau -- <command>`: every operation besides start and test.
import { createNodePlatform, openDatabase } from "./platform";
import { resolve } from "node:path";
import { buildAssets } from "./assets";
import { buildDemo, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../demo/demo";
import { verifyAuditChain } from "../services/audit";
import type { DatabaseHandle } from "../../db/client";
import { existsSync } from "node:fs";
import { createImport } from "../services/admin/aaf";
import { serviceDeps } from "../services/context";
import { importFromPath } from "./aaf";
import { jobHandlers } from "./jobs";
import { runDueJobs } from "../jobs/runner";
import { synthesiseAcademy } from "./aaf-synth";
import type { AafProgress } from "../../db/schema/aaf";
import { startSamlProxy } from "./saml-proxy";

const HELP = `Utilisation : npm run preau -- <commande>

Commandes :
  demo --reset      reconstruit la plateforme de démonstration (écoles, classes, comptes génériques)
  audit verify      vérifie la chaîne d'empreintes du journal d'audit
  aaf import <fichier|dossier|archive> [--dry-run]
                    importe une livraison de l'annuaire académique (AAF), tout ou rien
  aaf synth [--out dossier] [--schools N] [--delta part] [--seed N]
                    écrit une académie AAF 1D fictive (par défaut 2 638 écoles, ~1 million de comptes)
  jobs run          exécute une fois les tâches planifiées dues (envois de courriels, imports, purges)
  saml-proxy        lance le proxy SAML (ÉduConnect, guichet agent) sur son port (PREAU_SAML_PROXY_PORT, 3001)
  migrate           applique les migrations de la base de données
  assets            prépare les fichiers statiques (public/build)
  help              affiche cette aide

Variables : DATABASE_URL (serveur Postgres, sinon PGlite dans DATA_DIR, par défaut ./data), PORT.`;

export interface CliOptions {
  /** An already opened database (tests); otherwise the one the environment names. */
  database?: Pick<DatabaseHandle, "kind" | "db">;
}

async function openPlatform(options: CliOptions) {
  if (!options.database) return createNodePlatform();
  const handle: DatabaseHandle = { ...options.database, close: async () => {} };
  return createNodePlatform({ database: handle });
}

export async function runCli(
  args: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  options: CliOptions = {},
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "demo": {
      if (!rest.includes("--reset")) {
        out("Précisez --reset : la commande remplace les données de démonstration existantes.");
        return 2;
      }
      const { platform, handle } = await openPlatform(options);
      try {
        const summary = await buildDemo(platform.db, platform.passwords, platform.clock.now(), platform.rooms);
        out(
          `Démonstration reconstruite : ${summary.schools} écoles, ` +
            `${summary.classes} classes, ${summary.pupils} élèves, ` +
            `${summary.parents} parents, ${summary.staff} personnels.`,
        );
        out(`Comptes (mot de passe : ${DEMO_PASSWORD}) : ${DEMO_ACCOUNTS.map((a) => a.login).join(", ")}`);
        return 0;
      } finally {
        await handle.close();
      }
    }
    case "audit": {
      if (rest[0] !== "verify") {
        out(HELP);
        return 2;
      }
      const { platform, handle } = await openPlatform(options);
      try {
        const report = await verifyAuditChain(serviceDeps(platform, null));
        if (report.ok) {
          out(`Journal d'audit intact : ${report.rows} lignes vérifiées.`);
          return 0;
        }
        out(`Journal d'audit ALTÉRÉ : chaîne rompue à la ligne ${report.brokenAt} (${report.reason}).`);
        return 1;
      } finally {
        await handle.close();
      }
    }
    case "aaf": {
      if (rest[0] === "import" && rest[1]) return aafImportCommand(rest[1], rest.includes("--dry-run"), out, options);
      if (rest[0] === "synth") return aafSynthCommand(rest.slice(1), out);
      out(HELP);
      return 2;
    }
    case "jobs": {
      if (rest[0] !== "run") {
        out(HELP);
        return 2;
      }
      const { platform, handle, dataDir } = await openPlatform(options);
      try {
        const ran = await runDueJobs(
          platform.db,
          jobHandlers(platform, dataDir),
          () => platform.clock.now(),
          platform.log,
        );
        out(`${ran} tâche(s) exécutée(s).`);
        return 0;
      } finally {
        await handle.close();
      }
    }
    case "saml-proxy": {
      const proxy = await startSamlProxy(process.env, out);
      await new Promise<void>((resolveStop) => {
        const stop = () => void proxy.stop().then(resolveStop);
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      return 0;
    }
    case "migrate": {
      const handle = await openDatabase(process.env, resolve(process.env.DATA_DIR ?? "data"));
      await handle.close();
      out("Migrations appliquées.");
      return 0;
    }
    case "assets": {
      const manifest = await buildAssets();
      out(`Fichiers statiques prêts : ${Object.keys(manifest).length} fichiers dans public/build.`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      out(HELP);
      return 0;
    default:
      out(`Commande inconnue : ${command}\n\n${HELP}`);
      return 2;
  }
}

const PHASES: Record<AafProgress["phase"], string> = {
  queued: "en attente",
  reading: "lecture",
  checking: "vérification et application",
  applying: "application",
  done: "terminé",
};

/** A one-line progress bar on a terminal; plain lines every few seconds otherwise (logs, CI). */
function progressPrinter(): (p: AafProgress) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  let lastPhase = "";
  return (p) => {
    const now = Date.now();
    if (p.phase === lastPhase && now - last < (tty ? 200 : 5000)) return;
    last = now;
    lastPhase = p.phase;
    const bar = p.total > 0 ? `[${"#".repeat(Math.round((p.done / p.total) * 30)).padEnd(30, ".")}] ` : "";
    const text = `${bar}${PHASES[p.phase]} — ${p.done.toLocaleString("fr-FR")} enregistrements`;
    if (tty) process.stderr.write(`\r${text.padEnd(80)}`);
    else process.stderr.write(`${text}\n`);
    if (tty && p.phase === "done") process.stderr.write("\n");
  };
}

async function aafImportCommand(
  path: string,
  dryRun: boolean,
  out: (line: string) => void,
  options: CliOptions,
): Promise<number> {
  if (!existsSync(path)) {
    out(`Livraison introuvable : ${path}`);
    return 2;
  }
  const { platform, handle } = await openPlatform(options);
  try {
    const importId = await createImport(serviceDeps(platform, null), {
      origin: "cli",
      fileName: path,
      storedPath: null,
      dryRun,
      requestedBy: null,
    });
    const outcome = await importFromPath(platform, importId, path, progressPrinter());
    if (outcome.status === "rejected") {
      out(`Import REFUSÉ (${outcome.problems.length} problème(s)) ; l'annuaire n'a pas été modifié :`);
      for (const p of outcome.problems.slice(0, 20))
        out(`  - ${p.source ? `${p.source.file}:${p.source.line} : ` : ""}${p.message}`);
      return 1;
    }
    const c = outcome.counts;
    out(
      `${outcome.status === "checked" ? "Import à blanc (rien n'a été modifié)" : "Import appliqué"} — ` +
        `${outcome.info.mode === "complete" ? "livraison complète" : "livraison différentielle"}, ` +
        `${outcome.files.length} fichier(s)`,
    );
    out(
      `  créés ${c.created} · mis à jour ${c.updated} · inchangés ${c.unchanged} · ` +
        `rattachements retirés ${c.detached} · ` +
        `pré-supprimés ${c.preDeleted} · rétablis ${c.restored} · avertissements ${c.warnings}`,
    );
    out(
      `  écoles nouvelles ${c.schools} · classes nouvelles ${c.classes} · journal : ` +
        `/admin/annuaire/imports/${importId}`,
    );
    return 0;
  } finally {
    await handle.close();
  }
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function aafSynthCommand(args: string[], out: (line: string) => void): Promise<number> {
  const outDir = flag(args, "--out") ?? "aaf-synth";
  const schools = Number(flag(args, "--schools") ?? 2638);
  const deltaShare = flag(args, "--delta") === undefined ? undefined : Number(flag(args, "--delta"));
  const seed = Number(flag(args, "--seed") ?? 1);
  if (!Number.isInteger(schools) || schools < 1 || (deltaShare !== undefined && !(deltaShare > 0 && deltaShare < 1))) {
    out("Paramètres invalides : --schools attend un entier positif, --delta une part entre 0 et 1 (ex. 0.01).");
    return 2;
  }
  const started = performance.now();
  const summary = await synthesiseAcademy({
    outDir,
    schools,
    seed,
    deltaShare,
    academyCode: process.env.PREAU_ACADEMY_CODE ?? "DEMO",
  });
  out(
    `Académie fictive écrite dans ${outDir} en ${Math.round((performance.now() - started) / 100) / 10} s : ` +
      `${JSON.stringify(summary)}`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
