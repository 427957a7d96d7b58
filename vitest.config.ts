import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // One worker keeps one embedded database for all its files (PGlite boots in seconds, not milliseconds);
    // test data comes from factories with fresh schools, so files never see each other's rows.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: "v8",
      include: ["src/**", "routes/**", "views/**", "db/**", "realtime/**"],
      exclude: ["src/worker/**"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 70 },
    },
  },
});
