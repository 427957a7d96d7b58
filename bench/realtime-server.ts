// A bare room server: the Node hub and its websocket transport without the app (no session, no database), for the
// protocol tests (including kill -9 and restart) and for bench/realtime.ts. Everyone may write, except:
//   ?lecteur=1   read-only ticket (viewer)          ?refus=4403  accepted then closed with that code
// Run alone: DATA_DIR=… PORT=… tsx bench/realtime-server.ts   (prints "listening <port>" once ready)
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import { Hono } from "hono";
import { NodeRooms } from "../src/node/rooms";
import { MemoryStore } from "../realtime/store";

export interface RoomServer {
  port: number;
  rooms: NodeRooms;
  stop(): Promise<void>;
}

export async function startRoomServer(
  options: { dir?: string; memory?: boolean; port?: number; idleMs?: number; maxMessageBytes?: number } = {},
): Promise<RoomServer> {
  const memory = new Map<string, MemoryStore>();
  const rooms = new NodeRooms({
    dir: options.dir ?? "data/bench-rooms",
    idleMs: options.idleMs,
    maxMessageBytes: options.maxMessageBytes,
    ...(options.memory
      ? {
          storeFor: async (id: string) => {
            let s = memory.get(id);
            if (!s) {
              s = new MemoryStore();
              memory.set(id, s);
            }
            return s;
          },
        }
      : {}),
  });
  const app = new Hono();
  let n = 0;
  app.get("/:room{.+}", (c) => {
    const refuse = Number(c.req.query("refus") ?? 0);
    const ticket = { userId: `u${++n}`, name: `Client ${n}`, canWrite: c.req.query("lecteur") !== "1" };
    return rooms.upgrade(c, c.req.param("room"), refuse ? { refuse, reason: "refusé" } : { ticket });
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: "127.0.0.1" }, (info) => {
      rooms.attach(app, server as Server);
      resolve({
        port: info.port,
        rooms,
        async stop() {
          await rooms.stop();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startRoomServer({
    dir: process.env.DATA_DIR,
    memory: process.env.ROOMS_MEMORY === "1",
    port: Number(process.env.PORT ?? 0),
  });
  process.stdout.write(`listening ${server.port}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
