// `npm run preau -- <command>`: every operation besides start and test.
import { createNodePlatform, openDatabase } from "./platform";
import { resolve } from "node:path";
import { buildAssets } from "./assets";
import { buildDemo, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../services/demo";
import { verifyAuditChain } from "../services/audit";
import type { DatabaseHandle } from "../../db/client";

const HELP = `Utilisation : npm run preau -- <commande>

Commandes :
  demo --reset      reconstruit la plateforme de démonstration (écoles, classes, comptes génériques)
  audit verify      vérifie la chaîne d'empreintes du journal d'audit
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

export async function runCli(args: string[], out: (line: string) => void = (l) => process.stdout.write(l + "\n"),
  options: CliOptions = {}): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "demo": {
      if (!rest.includes("--reset")) {
        out("Précisez --reset : la commande remplace les données de démonstration existantes.");
        return 2;
      }
      const { platform, handle } = await openPlatform(options);
      try {
        const summary = await buildDemo(platform.db, platform.passwords, platform.clock.now());
        out(`Démonstration reconstruite : ${summary.schools} écoles, ${summary.classes} classes, ${summary.pupils} élèves, ` +
          `${summary.parents} parents, ${summary.staff} personnels.`);
        out(`Comptes (mot de passe : ${DEMO_PASSWORD}) : ${DEMO_ACCOUNTS.map((a) => a.login).join(", ")}`);
        return 0;
      } finally {
        await handle.close();
      }
    }
    case "audit": {
      if (rest[0] !== "verify") { out(HELP); return 2; }
      const { platform, handle } = await openPlatform(options);
      try {
        const report = await verifyAuditChain(platform.db);
        if (report.ok) { out(`Journal d'audit intact : ${report.rows} lignes vérifiées.`); return 0; }
        out(`Journal d'audit ALTÉRÉ : chaîne rompue à la ligne ${report.brokenAt} (${report.reason}).`);
        return 1;
      } finally {
        await handle.close();
      }
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

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
