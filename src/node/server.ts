// The HTTP server on Node: static files, the app, and a graceful stop (finish requests, then close the database).
import { serve, type ServerType } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono, MiddlewareHandler } from "hono";
import { relative } from "node:path";
import type { Server, ServerResponse } from "node:http";
import { createApp } from "../app";
import type { Platform } from "../platform";
import type { AppEnv } from "../http/env";
import { PUBLIC_DIR } from "./assets";
import { NodeRooms } from "./rooms";

const files = serveStatic({
  root: relative(process.cwd(), PUBLIC_DIR),
  rewriteRequestPath: (p) => p.replace(/^\/static/, ""),
});

/** public/ under /static; names under /static/build carry their content hash, so browsers keep them a year. */
const staticFiles: MiddlewareHandler = async (c, next) => {
  const response = await files(c, next);
  if (c.req.path.startsWith("/static/build/") && c.res.status === 200) {
    c.res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  }
  return response;
};

export async function createNodeHandler(platform: Platform): Promise<Hono<AppEnv>> {
  return createApp(platform, { staticFiles });
}

export async function startServer(
  platform: Platform,
  port: number,
  hostname?: string,
  options: { process?: number } = {},
): Promise<{ server: ServerType; port: number; stop(): Promise<void> }> {
  const handler = await createNodeHandler(platform);
  return new Promise((resolveStart) => {
    const server = serve({ fetch: handler.fetch, port, hostname }, (info) => {
      // Several processes (issue 22): each response says which one served it (logs, tests); set before the app's
      // listener writes the head.
      const index = options.process;
      if (index !== undefined)
        server.prependListener("request", (_req, res: ServerResponse) => res.setHeader("X-Preau-Process", index));
      // Websocket upgrades (realtime rooms) go through the same app: session and policy first.
      const rooms = platform.rooms instanceof NodeRooms ? platform.rooms : null;
      rooms?.attach(handler, server as Server);
      resolveStart({
        server,
        port: info.port,
        stop: async () => {
          // Open websockets would hold close() open: rooms store what is pending and close their sockets first.
          await rooms?.stop();
          await new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive sockets would hold close() open.
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
        },
      });
    });
  });
}
