// Once per run: the browser check when browser tests are part of the run, static files for the views, and
// migrations on the Postgres server when DATABASE_URL is set.
import type { TestProject } from "vitest/node";
import { buildAssets } from "../src/node/assets";
import { migratePostgresDatabase } from "../src/node/migrate";
import { chromiumMissingError, missingChromium, runsBrowserTests } from "./helpers/chromium";

export default async function setup(project: TestProject): Promise<void> {
  // The files of this run (vitest collects them before the global setup). Without a browser, one line stops the run
  // here rather than a stack trace in every browser test file.
  const files = project.vitest.state.getPaths();
  const missing = runsBrowserTests(files) ? missingChromium() : null;
  if (missing) throw chromiumMissingError(missing);
  await buildAssets();
  if (process.env.DATABASE_URL) await migratePostgresDatabase(process.env.DATABASE_URL);
}
