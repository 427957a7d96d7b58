// Files kept for the job runner on the local disk, under DATA_DIR/<area>/, each under a fresh name.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileStore } from "../platform";

export function diskFileStore(dataDir: string): FileStore {
  return {
    async save(area, fileName, body) {
      const dir = join(dataDir, area.replace(/[^a-z0-9-]/gi, ""));
      await mkdir(dir, { recursive: true });
      // Only a safe tail of the user's file name is kept, after a random prefix: no traversal, no clash.
      const safe =
        fileName
          .normalize("NFKD")
          .replace(/[^A-Za-z0-9._-]/g, "_")
          .replace(/^\.+/, "")
          .slice(-100) || "fichier";
      const path = join(dir, `${crypto.randomUUID()}-${safe}`);
      await writeFile(path, new Uint8Array(await body.arrayBuffer()));
      return path;
    },
  };
}
