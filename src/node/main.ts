// `npm start`: open the database (PGlite in ./data, or DATABASE_URL), migrate, build the demo platform on an empty
// database, print where to go and which accounts to use, serve until SIGTERM/SIGINT.
import { createNodePlatform } from "./platform";
import { startServer } from "./server";
import { startJobRunner } from "./jobs";
import { buildDemo, demoExists, DEMO_ACCOUNTS, DEMO_PASSWORD } from "../demo/demo";

async function main(): Promise<void> {
  const started = performance.now();
  const { platform, handle, flushLogs, dataDir } = await createNodePlatform();
  const log = platform.log;
  if (!(await demoExists(platform.db))) {
    const summary = await buildDemo(platform.db, platform.passwords, platform.clock.now(), platform.rooms);
    log.log("info", "demo_built", { ...summary });
  }
  const port = Number(process.env.PORT ?? 3000);
  const { port: actualPort, stop } = await startServer(platform, port, process.env.HOST);
  const jobs = startJobRunner(platform, dataDir);
  flushLogs();
  const url = `http://localhost:${actualPort}`;
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.login.length));
  process.stdout.write(
    `${[
      "",
      `  Préau est prêt : ${url}   (${handle.kind === "pglite" ? "base embarquée PGlite" : "serveur Postgres"}, ` +
        `${Math.round(performance.now() - started)} ms)`,
      "",
      `  Comptes de démonstration (mot de passe : ${DEMO_PASSWORD})`,
      ...DEMO_ACCOUNTS.map((a) => `    ${a.login.padEnd(width)}  ${a.description}`),
      "",
    ].join("\n")}\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log("info", "shutdown", { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await stop();
    await jobs.stop();
    await handle.close();
    flushLogs();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error("Préau n'a pas pu démarrer :", err);
  process.exit(1);
});
