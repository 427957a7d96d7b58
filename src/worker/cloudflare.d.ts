// The few Workers runtime declarations the Durable Object room uses (see types.ts for why not
// @cloudflare/workers-types).
declare module "cloudflare:workers" {
  /** The worker's own entrypoints (tests reach the worker's fetch through it). */
  export const exports: unknown;
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
  export interface DurableObjectState {
    storage: {
      sql: {
        exec(
          query: string,
          ...bindings: unknown[]
        ): { toArray(): Record<string, unknown>[]; one(): Record<string, unknown> };
      };
      transactionSync<T>(fn: () => T): T;
    };
    acceptWebSocket(ws: WebSocket, tags?: string[]): void;
    getWebSockets(tag?: string): WebSocket[];
    blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  }
}
