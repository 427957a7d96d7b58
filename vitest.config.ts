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
    // Timeouts catch hangs, they time nothing (figures live in bench/): a test of a dozen real logins (scrypt) and
    // forms takes 10 s on a quiet 2-core machine and three times that on a busy one.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    coverage: {
      provider: "v8",
      include: ["src/**", "routes/**", "views/**", "db/**", "realtime/**"],
      // The Workers and Deno entries run in workerd and Deno, browser clients of the realtime rooms in Chromium (e2e):
      // v8 coverage of this process does not reach them.
      exclude: ["src/worker/**", "src/deno/**", "realtime/client/**"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 70 },
    },
  },
});
