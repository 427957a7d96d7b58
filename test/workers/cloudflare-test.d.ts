// What the Durable Object suite uses of @cloudflare/vitest-plugin's "cloudflare:test" module (its full types need
// @cloudflare/workers-types, whose globals clash with the DOM and Node types the repository is checked against).
declare module "cloudflare:test" {
  export const env: unknown;
  export function evictAllDurableObjects(): Promise<void>;
}
