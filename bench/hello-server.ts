// The reference point for bench/pages.ts: a bare Hono app on @hono/node-server, no middleware, no logging.
// `PORT=3001 node --import tsx bench/hello-server.ts`
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("hello"));

const port = Number(process.env.PORT ?? 3001);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ event: "listening", port: info.port })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
