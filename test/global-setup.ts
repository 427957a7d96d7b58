// Once per run: static files for the views, and migrations on the Postgres server when DATABASE_URL is set.
import { buildAssets } from "../src/node/assets";
import { migratePostgresDatabase } from "../src/node/migrate";

export default async function setup(): Promise<void> {
  await buildAssets();
  if (process.env.DATABASE_URL) await migratePostgresDatabase(process.env.DATABASE_URL);
}
