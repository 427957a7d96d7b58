// `npm run start:deno`: the same app as `npm start` (src/node/main.ts), on Deno. Same database choice (PGlite in
// DATA_DIR/pglite, or DATABASE_URL through postgres.js), migrations, demo built on an empty database, job runner and
// printed accounts; served by Deno.serve, rooms over Deno's websockets (src/deno/rooms.ts).
import { buildDemo, DEMO_ACCOUNTS, DEMO_PASSWORD, demoExists } from "../demo/demo";
import { startJobRunner } from "../node/jobs";
import { createNodeHandler } from "../node/server";
import { createDenoPlatform } from "./platform";
import { DenoRooms } from "./rooms";

async function main(): Promise<void> {
  const started = performance.now();
  const env = Deno.env.toObject();
  const { platform, handle, flushLogs, dataDir } = await createDenoPlatform(env);
  const log = platform.log;
  if (!(await demoExists(platform.db))) {
    const summary = await buildDemo(platform.db, platform.passwords, platform.clock.now(), platform.rooms);
    log.log("info", "demo_built", { ...summary });
  }
  // The Node entry's app: createApp with public/ under /static/ (its file server runs on Deno's node:fs).
  const app = await createNodeHandler(platform);
  let server!: Deno.HttpServer;
  const addr = await new Promise<Deno.NetAddr>((onListen) => {
    server = Deno.serve(
      { port: Number(env.PORT ?? 3000), hostname: env.HOST || "0.0.0.0", onListen },
      (request, info) => app.fetch(request, info),
    );
  });
  const jobs = startJobRunner(platform, dataDir);
  flushLogs();
  const url = `http://localhost:${addr.port}`;
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.login.length));
  console.log(
    [
      "",
      `  Préau est prêt : ${url}   (Deno ${Deno.version.deno}, ` +
        `${handle.kind === "pglite" ? "base embarquée PGlite" : "serveur Postgres"}, ` +
        `${Math.round(performance.now() - started)} ms)`,
      "",
      `  Comptes de démonstration (mot de passe : ${DEMO_PASSWORD})`,
      ...DEMO_ACCOUNTS.map((a) => `    ${a.login.padEnd(width)}  ${a.description}`),
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log("info", "shutdown", { signal });
    const force = setTimeout(() => Deno.exit(1), 10_000);
    // Open websockets would hold the shutdown open: rooms store what is pending and close their sockets first.
    if (platform.rooms instanceof DenoRooms) await platform.rooms.stop();
    await server.shutdown();
    await jobs.stop();
    await handle.close();
    flushLogs();
    clearTimeout(force);
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", () => void shutdown("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  console.error("Préau n'a pas pu démarrer sur Deno :", err);
  Deno.exit(1);
});
