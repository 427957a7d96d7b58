// `npm start`: open the database (PGlite in ./data, or DATABASE_URL), migrate, build the demo platform on an empty
// database, print where to go and which accounts to use, serve until SIGTERM/SIGINT.
//
// On a Postgres server it runs one process per core (PREAU_PROCESSES, default: the available parallelism) through
// node:cluster (src/node/cluster.ts): this file is then both the primary, which only supervises, and each worker.
// With PGlite, or PREAU_PROCESSES=1, a single process does everything, as before.
import cluster from "node:cluster";
import { createNodePlatform } from "./platform";
import { startServer } from "./server";
import { startJobRunner } from "./jobs";
import { processCount, runPrimary, workerLink } from "./cluster";
import { NodeRooms } from "./rooms";
import { buildDemo, demoExists, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../demo/demo";

function banner(url: string, database: "pglite" | "postgres", ms: number, processes: number): string {
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.login.length));
  return [
    "",
    `  Préau est prêt : ${url}   (${database === "pglite" ? "base embarquée PGlite" : "serveur Postgres"}, ` +
      `${processes > 1 ? `${processes} processus, ` : ""}${ms} ms)`,
    "",
    `  Comptes de démonstration (mot de passe : ${DEMO_PASSWORD})`,
    ...DEMO_ACCOUNTS.map((a) => `    ${a.login.padEnd(width)}  ${a.description}`),
    "",
  ].join("\n");
}

/** One process serving: alone, or worker `link.index` of a cluster. */
async function serve(): Promise<void> {
  const started = performance.now();
  const link = workerLink();
  const first = !link || link.index === 0;
  const { platform, handle, flushLogs, dataDir } = await createNodePlatform({ link });
  const log = platform.log;
  if (first && !(await demoExists(platform.db))) {
    const summary = await buildDemo(platform.db, platform.passwords, platform.clock.now(), platform.rooms);
    log.log("info", "demo_built", { ...summary });
  }
  if (link && platform.rooms instanceof NodeRooms) {
    // The demonstration's rooms were written here; stored and unloaded before their owners may load them.
    await platform.rooms.hub.unloadIdle();
    platform.rooms.joinCluster();
  }
  const port = Number(process.env.PORT ?? 3000);
  const { port: actualPort, stop } = await startServer(platform, port, process.env.HOST, { process: link?.index });
  // The job queue is safe with several runners (FOR UPDATE SKIP LOCKED, dedupe keys), but one is enough: worker 0.
  const jobs = first ? startJobRunner(platform, dataDir) : null;
  flushLogs();
  const url = `http://localhost:${actualPort}`;
  const database = handle.kind === "pglite" ? "pglite" : "postgres";
  const ms = Math.round(performance.now() - started);
  if (link) link.ready({ url, database, ms });
  else process.stdout.write(`${banner(url, database, ms, 1)}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log("info", "shutdown", { signal, ...(link ? { process: link.index } : {}) });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await stop();
    await jobs?.stop();
    await handle.close();
    flushLogs();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // The primary went away without stopping us (killed): stop as on SIGTERM rather than serve orphaned.
  if (link) process.on("disconnect", () => void shutdown("disconnect"));
}

async function main(): Promise<void> {
  if (cluster.isPrimary) {
    const { processes, note } = processCount(process.env);
    if (note) process.stdout.write(`  ${note}\n`);
    if (processes > 1) {
      runPrimary({
        processes,
        print: (line) => process.stdout.write(`${line}\n`),
        banner: (url, database, ms) => banner(url, database, ms, processes),
      });
      return;
    }
  }
  await serve();
}

main().catch((err) => {
  console.error("Préau n'a pas pu démarrer :", err);
  process.exit(1);
});
