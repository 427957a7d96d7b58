// The folder of Préau's package.json (migrations/, public/, realtime/ are beside it), found from this module's own
// file: it runs from src/node/ (tests, tools run by tsx) and bundled into dist/ (`npm start`, scripts/build.mjs).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`Préau : aucun package.json au-dessus de ${from}`);
  }
}

export const ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
