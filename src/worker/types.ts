// The Workers runtime types this entry uses, declared here rather than through @cloudflare/workers-types, whose
// global declarations clash with the DOM and Node types the rest of the repository is checked against.
// The execution context (waitUntil…) is Hono's ExecutionContext, which matches the runtime's.
export type { ExecutionContext as WorkerContext } from "hono";

/** A fetcher binding such as ASSETS: a fetch answered inside Cloudflare, never leaving for the Internet. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}
