// The few Deno APIs the Deno entry uses (the full declarations, `deno types`, clash with Node's and the DOM's). The
// project's TypeScript checks src/deno/ against these; Deno itself runs the bundle (scripts/build.mjs → dist/deno.js).
declare namespace Deno {
  interface NetAddr {
    transport: "tcp" | "udp";
    hostname: string;
    port: number;
  }
  interface ServeHandlerInfo {
    remoteAddr: NetAddr;
  }
  interface HttpServer {
    readonly finished: Promise<void>;
    readonly addr: NetAddr;
    shutdown(): Promise<void>;
  }
  interface ServeOptions {
    port?: number;
    hostname?: string;
    signal?: AbortSignal;
    onListen?: (addr: NetAddr) => void;
    onError?: (error: unknown) => Response | Promise<Response>;
  }
  function serve(
    options: ServeOptions,
    handler: (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>,
  ): HttpServer;
  interface UpgradeWebSocketOptions {
    protocol?: string;
    /** Seconds without a pong before the socket is closed (default 120; 0 turns pings off). */
    idleTimeout?: number;
  }
  function upgradeWebSocket(
    request: Request,
    options?: UpgradeWebSocketOptions,
  ): { socket: WebSocket; response: Response };
  function addSignalListener(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
  function exit(code?: number): never;
  const env: { toObject(): Record<string, string> };
  const version: { deno: string; v8: string; typescript: string };
}
