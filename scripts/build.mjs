// `npm start` and `npm run preau` run compiled JavaScript, not the TypeScript loader: this bundles the Node entries
// (src/node/main.ts, src/node/cli.ts, and the AAF reader's worker thread) into dist/ with esbuild, our code only
// (packages stay in node_modules); and the Deno entry (src/deno/main.ts → dist/deno.js, `npm run start:deno`), which
// Deno runs with the same node_modules.
// A fraction of a second; run before each start so that dist/ never lags behind the sources.
//   node scripts/build.mjs [outdir]   (default dist; inside the repository: the bundle finds migrations/ and public/
//                                      from the nearest package.json above it, see src/node/root.ts)
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = resolve(root, process.argv[2] ?? "dist");
if (relative(root, outdir).startsWith("..")) {
  process.stderr.write(`scripts/build.mjs : ${outdir} n'est pas dans ${root}\n`);
  process.exit(1);
}

await build({
  absWorkingDir: root,
  // The AAF reader's threads run a file of their own (src/node/aaf-reader.ts); dist/deno.js is the Deno entry.
  entryPoints: {
    main: "src/node/main.ts",
    cli: "src/node/cli.ts",
    "aaf-reader-worker": "src/node/aaf-reader-worker.ts",
    deno: "src/deno/main.ts",
  },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  // Stack traces in the logs name the TypeScript files (node --enable-source-maps).
  sourcemap: "linked",
  logLevel: "warning",
});
