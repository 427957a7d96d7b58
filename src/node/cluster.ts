// Every core (issue 22): `npm start` runs N hub processes that share the port, through node:cluster. The primary
// only supervises: it forks the workers, relays their messages (and the sockets of realtime rooms, see
// src/node/rooms.ts), restarts a worker that died, and on SIGTERM/SIGINT stops them all gracefully. It opens no
// database and serves no request.
//
// Why node:cluster rather than `reusePort`: the primary accepts each connection and hands it to the workers in
// turn (round-robin), which balances even a few long-lived keep-alive connections, works on every system Node
// supports (SO_REUSEPORT balancing is Linux's, by a hash of the client's address and port), and gives each worker
// the IPC channel that realtime rooms need anyway to hand a socket to the process that owns its room. The cost is one
// hop through the primary per new TCP connection, not per request.
//
// Worker 0 starts first, alone: it migrates, builds the demonstration on an empty database, writes the static
// files and the secrets of the data folder; the others start once it is ready and find all that done.
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import type { Socket } from "node:net";

/** How many processes `npm start` runs, and why when fewer than asked. */
export function processCount(env: Record<string, string | undefined>): { processes: number; note?: string } {
  const raw = env.PREAU_PROCESSES?.trim();
  const asked = !raw || raw === "auto" ? availableParallelism() : Number(raw);
  if (!Number.isInteger(asked) || asked < 1)
    throw new Error(`PREAU_PROCESSES doit être un entier positif ou « auto » (reçu : ${raw})`);
  // PGlite is one Postgres session in one WASM thread: it cannot be opened by two processes, and serving it to the
  // others over a socket would put every query of every process through that one session and thread.
  if (!env.DATABASE_URL && asked > 1)
    return {
      processes: 1,
      note:
        "base embarquée PGlite : un seul processus (une seule session Postgres) ; " +
        "DATABASE_URL (un serveur Postgres) permet d'en lancer plusieurs",
    };
  return { processes: asked };
}

/** Messages a worker sends to another through the primary. */
export interface LinkEnvelope {
  preau: "link";
  to: number;
  from: number;
  /** A request waiting for its answer. */
  id?: number;
  /** The answer to request `re`. */
  re?: number;
  error?: string;
  body: unknown;
}

interface ReadyMessage {
  preau: "ready";
  index: number;
  url: string;
  database: "pglite" | "postgres";
  ms: number;
}

/** The worker's side of the cluster: its place, and messages to the other workers through the primary. */
export interface ProcessLink {
  readonly index: number;
  readonly count: number;
  /** One message to worker `to`, with a socket handed over when given (the sender's copy is closed). */
  send(to: number, body: unknown, socket?: Socket): void;
  /** A request to worker `to`: resolves with what its handler returned, rejects if it failed or is not there. */
  request(to: number, body: unknown): Promise<unknown>;
  /** Installs the handler of messages and requests from the other workers. */
  handle(fn: (body: unknown, socket: Socket | undefined) => unknown): void;
  /** Tells the primary that this worker serves. */
  ready(info: Omit<ReadyMessage, "preau" | "index">): void;
}

const REQUEST_TIMEOUT_MS = 15_000;

/** This process's link when it is a worker of `runPrimary`, else null. */
export function workerLink(): ProcessLink | null {
  if (!cluster.isWorker || process.env.PREAU_WORKER_INDEX === undefined) return null;
  const index = Number(process.env.PREAU_WORKER_INDEX);
  const count = Number(process.env.PREAU_WORKER_COUNT);
  let handler: ((body: unknown, socket: Socket | undefined) => unknown) | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  const post = (message: LinkEnvelope | ReadyMessage, socket?: Socket) => {
    if (!process.connected) throw new Error("le processus principal est parti");
    process.send!(message, socket as never);
  };
  process.on("message", (message: LinkEnvelope, socket: Socket | undefined) => {
    if (message?.preau !== "link") return;
    if (message.re !== undefined) {
      const w = waiting.get(message.re);
      if (!w) return;
      waiting.delete(message.re);
      clearTimeout(w.timer);
      if (message.error !== undefined) w.reject(new Error(message.error));
      else w.resolve(message.body);
      return;
    }
    const reply = (answer: { body?: unknown; error?: string }) => {
      if (message.id === undefined || !process.connected) return;
      process.send!({ preau: "link", to: message.from, from: index, re: message.id, body: null, ...answer });
    };
    if (!handler) {
      socket?.destroy();
      reply({ error: "processus pas encore prêt" });
      return;
    }
    const fn = handler;
    Promise.resolve()
      .then(() => fn(message.body, socket))
      .then(
        (body) => reply({ body: body ?? null }),
        (err: unknown) => reply({ error: String(err) }),
      );
  });
  return {
    index,
    count,
    send(to, body, socket) {
      post({ preau: "link", to, from: index, body }, socket);
    },
    request(to, body) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`le processus ${to} n'a pas répondu`));
        }, REQUEST_TIMEOUT_MS);
        timer.unref();
        waiting.set(id, { resolve, reject, timer });
        try {
          post({ preau: "link", to, from: index, id, body });
        } catch (err) {
          waiting.delete(id);
          clearTimeout(timer);
          reject(err as Error);
        }
      });
    },
    handle(fn) {
      handler = fn;
    },
    ready(info) {
      post({ preau: "ready", index, ...info });
    },
  };
}

export interface PrimaryOptions {
  processes: number;
  /** One line on the console (the banner once every worker serves, restarts, the stop). */
  print(line: string): void;
  /** What the console shows once every worker serves. */
  banner(url: string, database: "pglite" | "postgres", ms: number): string;
  /** Grace given to the workers to stop (rooms stored, requests finished) before they are killed. */
  stopTimeoutMs?: number;
}

/** The primary: forks worker 0, then the others once it serves; relays; restarts; stops them on SIGTERM/SIGINT. */
export function runPrimary(options: PrimaryOptions): void {
  const started = performance.now();
  const count = options.processes;
  // Structured clone over the IPC channel: room states travel as bytes, not as JSON arrays of numbers.
  cluster.setupPrimary({ serialization: "advanced" });
  const workers: (Worker | null)[] = new Array(count).fill(null);
  const everReady = new Set<number>();
  let stopping = false;
  let bannerShown = false;
  let first: ReadyMessage | null = null;

  const onReady = (from: number, message: ReadyMessage) => {
    if (everReady.has(from)) {
      options.print(`  processus ${from} relancé`);
      return;
    }
    everReady.add(from);
    if (from === 0) {
      first = message;
      for (let i = 1; i < count; i++) fork(i);
    }
    const shown = first as ReadyMessage | null;
    if (!bannerShown && everReady.size === count && shown) {
      bannerShown = true;
      options.print(options.banner(shown.url, shown.database, Math.round(performance.now() - started)));
    }
  };

  const route = (from: number, message: LinkEnvelope | ReadyMessage, handle: unknown) => {
    if (message?.preau === "ready") {
      onReady(from, message);
      return;
    }
    if (message?.preau !== "link") return;
    const target = workers[message.to];
    if (target?.isConnected()) {
      // Once sent, the primary's copy of a socket has no handle left, but it must still say "closed": the worker that
      // accepted the connection counts it until then, and its server's close() would wait for it forever.
      target.send(message, handle as never, () => (handle as Socket | undefined)?.destroy?.());
      return;
    }
    (handle as Socket | undefined)?.destroy?.();
    if (message.id !== undefined)
      workers[from]?.send({
        preau: "link",
        to: from,
        from: message.to,
        re: message.id,
        error: `processus ${message.to} indisponible`,
        body: null,
      } satisfies LinkEnvelope);
  };

  const fork = (index: number) => {
    const worker = cluster.fork({ PREAU_WORKER_INDEX: String(index), PREAU_WORKER_COUNT: String(count) });
    workers[index] = worker;
    worker.on("message", (message, handle) => route(index, message, handle));
    worker.on("exit", (code, signal) => {
      if (workers[index] === worker) workers[index] = null;
      if (stopping) return;
      // One that never served (a wrong setting, the database out of reach) would only fail again: stop everything.
      if (!everReady.has(index)) {
        options.print(`  Le processus ${index} n'a pas pu démarrer (code ${code ?? signal}) : arrêt.`);
        void stop(1);
        return;
      }
      options.print(`  processus ${index} arrêté (code ${code ?? signal}) : relancé dans une seconde`);
      setTimeout(() => {
        if (!stopping) fork(index);
      }, 1000).unref();
    });
  };

  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const alive = workers.filter((w): w is Worker => !!w && w.process.exitCode === null);
    const exited = alive.map((w) => new Promise<number | null>((resolve) => w.once("exit", (code) => resolve(code))));
    // Each worker stops as `npm start` alone does: no new connections, rooms stored, requests finished, database
    // closed.
    for (const w of alive) w.process.kill("SIGTERM");
    const timer = setTimeout(() => {
      for (const w of alive) if (w.process.exitCode === null) w.process.kill("SIGKILL");
    }, options.stopTimeoutMs ?? 12_000);
    const codes = await Promise.all(exited);
    clearTimeout(timer);
    process.exit(exitCode || (codes.every((c) => c === 0) ? 0 : 1));
  };
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  fork(0);
}
