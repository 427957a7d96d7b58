// AAF deliveries on disk: a file, a folder or an archive, imported through the same service as uploads; the inbox
// folder read by the job runner on its schedule.
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Platform } from "../platform";
import type { AafProgress } from "../../db/schema/aaf";
import { openAafDelivery, deliveryInfo } from "./aaf-archive";
import { parallelReader } from "./aaf-reader";
import { createImport, runImport, storedDelivery } from "../services/admin/aaf";
import { serviceDeps } from "../services/context";
import type { ImportOutcome } from "../aaf/importer";

export async function importFromPath(
  platform: Platform,
  importId: string,
  path: string,
  onProgress?: (p: AafProgress) => void,
): Promise<ImportOutcome> {
  return runImport(
    serviceDeps(platform, null),
    importId,
    openAafDelivery(path),
    (names) => deliveryInfo([basename(path), ...names]),
    onProgress,
    parallelReader(),
  );
}

/** The job runner's import: the delivery stored for it is read, then its copy goes (its log is kept). */
export async function importQueued(platform: Platform, importId: string): Promise<void> {
  const path = await storedDelivery(serviceDeps(platform, null), importId);
  if (!path) throw new Error(`Import ${importId} sans fichier déposé`);
  try {
    await importFromPath(platform, importId, path);
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}

/** Moves each delivery found in DATA_DIR/aaf/inbox to DATA_DIR/aaf/processing and queues its import. */
export async function scanInbox(platform: Platform, dataDir: string): Promise<string[]> {
  const inbox = join(dataDir, "aaf", "inbox");
  const processing = join(dataDir, "aaf", "processing");
  await mkdir(inbox, { recursive: true });
  await mkdir(processing, { recursive: true });
  const queued: string[] = [];
  for (const name of (await readdir(inbox)).sort()) {
    if (name.startsWith(".")) continue;
    const target = join(processing, `${Date.now()}-${name}`);
    await rename(join(inbox, name), target);
    queued.push(
      await createImport(serviceDeps(platform, null), {
        origin: "inbox",
        fileName: name,
        storedPath: target,
        dryRun: false,
        requestedBy: null,
      }),
    );
  }
  return queued;
}
