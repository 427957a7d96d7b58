// The Durable Object room's test suite, run inside workerd by @cloudflare/vitest-plugin (test/workers/*.spec.ts).
// `npx vitest run` runs it through test/integration/realtime-workers.test.ts; alone: npx vitest run -c
// vitest.workers.config.ts
import { defineConfig } from "vitest/config";
import { cloudflareTest } from "@cloudflare/vitest-plugin";

export default defineConfig({
  plugins: [
    cloudflareTest({
      main: "./test/workers/room-worker.ts",
      miniflare: {
        compatibilityDate: "2026-11-09", // the newest this plugin's workerd supports (wrangler.toml says 2026-11-17)
        compatibilityFlags: ["nodejs_compat"],
        durableObjects: { ROOMS: { className: "RoomObject", useSQLite: true } },
      },
    }),
  ],
  test: {
    include: ["test/workers/**/*.spec.ts"],
    testTimeout: 30_000,
  },
});
