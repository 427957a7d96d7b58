// The database's change feed: migrations make writes announce cache keys on the channel `preau_cache` when they
// commit (LISTEN/NOTIFY, on PGlite and on a Postgres server alike). Every process drops what it cached for them.
export const CHANGE_CHANNEL = "preau_cache";

export interface ChangeFeed {
  /** `onChange` receives each key announced by a committed write (session:…, user:…, school:…, directory). */
  subscribe(onChange: (key: string) => void): () => void;
  /** Resolves once every change committed before the call has reached this process's subscribers. */
  barrier(): Promise<void>;
  close(): Promise<void>;
}

export interface ChangeTransport {
  listen(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(payload: string): Promise<void>;
}

/** Notifications reach listeners in commit order: a marker sent after a commit comes back after its changes. */
export function changeFeed(transport: ChangeTransport, barrierTimeoutMs = 2000): ChangeFeed {
  const subscribers = new Set<(key: string) => void>();
  const waiting = new Map<string, () => void>();
  let listening: Promise<() => Promise<void>> | null = null;
  const start = () => {
    listening ??= transport.listen((payload) => {
      if (payload.startsWith("barrier:")) {
        waiting.get(payload)?.();
        waiting.delete(payload);
        return;
      }
      for (const fn of subscribers) fn(payload);
    });
    return listening;
  };
  return {
    subscribe(onChange) {
      subscribers.add(onChange);
      void start();
      return () => subscribers.delete(onChange);
    },
    async barrier() {
      await start();
      const marker = `barrier:${crypto.randomUUID()}`;
      const arrived = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(marker);
          resolve();
        }, barrierTimeoutMs);
        waiting.set(marker, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await transport.notify(marker);
      await arrived;
    },
    async close() {
      subscribers.clear();
      if (listening) await (await listening)();
    },
  };
}
