// The HTTP server on Node: static files, the app, and a graceful stop (finish requests, then close the database).
import { serve, type ServerType } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { relative } from "node:path";
import { createApp } from "../app";
import type { Platform } from "../platform";
import { PUBLIC_DIR } from "./assets";

export async function createNodeHandler(platform: Platform): Promise<Hono> {
  const root = new Hono();
  root.use("/static/build/*", async (c, next) => {
    await next();
    // Names carry their content hash: they never change, so browsers may keep them for a year.
    if (c.res.status === 200) c.res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  });
  root.use("/static/*", serveStatic({ root: relative(process.cwd(), PUBLIC_DIR), rewriteRequestPath: (p) => p.replace(/^\/static/, "") }));
  // Everything else — unknown static files included — goes to the app, so its French 404 and headers apply.
  const app = await createApp(platform);
  root.all("*", (c) => app.fetch(c.req.raw, c.env));
  return root;
}

export async function startServer(platform: Platform, port: number, hostname?: string): Promise<{ server: ServerType; port: number; stop(): Promise<void> }> {
  const handler = await createNodeHandler(platform);
  return new Promise((resolveStart) => {
    const server = serve({ fetch: handler.fetch, port, hostname }, (info) => {
      resolveStart({
        server, port: info.port,
        stop: () => new Promise<void>((done) => {
          server.close(() => done());
          // Idle keep-alive sockets would hold close() open.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        }),
      });
    });
  });
}
