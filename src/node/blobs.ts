// Blobs on Node: one file per key under DATA_DIR/blobs, in two-letter sub-folders (a school year of attachments
// would otherwise put hundreds of thousands of files in one folder).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BlobStore } from "../platform";
import { isId } from "../validation";

export function diskBlobStore(dir: string): BlobStore {
  const pathOf = (key: string) => {
    if (!isId(key)) throw new Error(`Clé de fichier invalide : ${key}`);
    return join(dir, key.slice(0, 2), key);
  };
  return {
    async put(key, data) {
      const path = pathOf(key);
      await mkdir(join(dir, key.slice(0, 2)), { recursive: true });
      await writeFile(path, data, { flag: "wx" });
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
