// A real platform for tests: a real database (PGlite or the Postgres server), real hashing, a hand-moved clock.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diskBlobStore } from "../../src/node/blobs";
import { defaultPupilHours, defaultRealtimeLimits, type Config } from "../../src/config";
import { silentLogger } from "../../src/log";
import type { Platform } from "../../src/platform";
import { passwordHasher } from "../../src/auth/password";
import { nativeScrypt } from "../../src/node/scrypt";
import { buildAssets } from "../../src/node/assets";
import { createApp } from "../../src/app";
import type { AssetManifest } from "../../src/assets";
import { TestClock } from "./clock";
import { testDatabase, type DatabaseKind } from "./db";
import type { DatabaseHandle } from "../../db/client";

export const testConfig: Config = {
  platformName: "Préau (tests)",
  academyCode: "TEST",
  academyNumber: "24",
  samlProxyUrl: "https://proxy.preau.test",
  timeZone: "Europe/Paris",
  secret: "test-secret-that-is-long-enough-for-hmac",
  cookieSecure: true,
  session: { lifetimeMinutes: 240 },
  loginThrottle: { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerLogin: 50, maxFailuresPerIp: 100 },
  pupilHours: defaultPupilHours,
  maxFormBytes: 1024 * 1024,
  cacheSeconds: 60,
  messaging: { pupilHourly: 20, adultHourly: 100 },
  aaf: {
    maxPreDeleteShare: 0.3,
    plausibilityMinAccounts: 10,
    deleteAfterDays: 90,
    inboxDays: [1, 15],
    inboxAt: "02:00",
    maxUploadBytes: 50 * 1024 * 1024,
  },
  mailFrom: "Préau (tests) <preau@tests.invalid>",
  publicUrl: "https://preau.test",
  digestAt: "17:30",
  // The tests' own push service runs on the loopback.
  pushServices: ["https://fcm.googleapis.com", "http://127.0.0.1"],
  // 611D has its own test; elsewhere admins log in with their password alone.
  secondFactorRoles: [],
  realtime: defaultRealtimeLimits,
};

let assets: Promise<AssetManifest> | null = null;

export interface TestPlatform {
  platform: Platform;
  clock: TestClock;
  kind: DatabaseKind;
}

export async function testPlatform(kind: DatabaseKind, config: Partial<Config> = {}): Promise<TestPlatform> {
  return { ...(await platformOn(await testDatabase(kind), config)), kind };
}

/** A test platform on a database of the test's own (the hostile-input walk opens one with the demo in it). */
export async function platformOn(
  handle: DatabaseHandle,
  config: Partial<Config> = {},
): Promise<{ platform: Platform; clock: TestClock }> {
  const clock = new TestClock();
  assets ??= buildAssets();
  const platform: Platform = {
    db: handle.db,
    changes: handle.changes,
    clock,
    config: { ...testConfig, ...config },
    passwords: passwordHasher(nativeScrypt),
    // PREAU_TEST_LOG=1 prints the app's log lines (an unexpected 500's error and stack) while debugging a test.
    assets: await assets,
    log: process.env.PREAU_TEST_LOG ? { log: (level, event, data) => console.error(level, event, data) } : silentLogger,
    ping: async () => true,
    clientIp: (header) => header("x-test-ip") ?? "192.0.2.1",
    // The real disk store, in a folder of its own per platform.
    blobs: diskBlobStore(mkdtempSync(join(tmpdir(), "preau-test-blobs-"))),
  };
  return { platform, clock };
}

export async function testApp(kind: DatabaseKind, config: Partial<Config> = {}) {
  const tp = await testPlatform(kind, config);
  return { ...tp, app: await createApp(tp.platform) };
}
