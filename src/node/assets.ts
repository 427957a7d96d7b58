// Builds public/build/: our CSS/JS/icons and the vendored htmx, Alpine (CSP build) and OpenDyslexic fonts copied
// from node_modules, each under a content-hashed name, plus the manifest views use to find them.
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, extname, join } from "node:path";
import type { AssetManifest, AssetName } from "../assets";
import { ROOT } from "./root";

const require = createRequire(import.meta.url);
export const PUBLIC_DIR = join(ROOT, "public");
const BUILD_DIR = join(PUBLIC_DIR, "build");

type BundleName = "wall.js" | "document.js";

/**
 * Browser clients of the realtime pages, bundled with esbuild (yjs, y-websocket, ProseMirror…), loaded on those pages
 * only.
 */
const BUNDLES: Record<BundleName, string> = {
  "wall.js": join(ROOT, "realtime/client/wall.ts"),
  "document.js": join(ROOT, "realtime/client/document.ts"),
};

async function bundle(entry: string): Promise<Buffer> {
  const { build } = await import("esbuild");
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return Buffer.from(out.outputFiles[0]!.contents);
}

const SOURCES: Record<Exclude<AssetName, BundleName>, string> = {
  "preau.css": join(PUBLIC_DIR, "css/preau.css"),
  "preau.js": join(PUBLIC_DIR, "js/preau.js"),
  "icons.svg": join(PUBLIC_DIR, "icons/icons.svg"),
  "favicon.svg": join(PUBLIC_DIR, "icons/favicon.svg"),
  "htmx.js": require.resolve("htmx.org/dist/htmx.min.js"),
  "alpine.js": require.resolve("@alpinejs/csp/dist/cdn.min.js"),
  "opendyslexic-400.woff2": require.resolve("@fontsource/opendyslexic/files/opendyslexic-latin-400-normal.woff2"),
  "opendyslexic-700.woff2": require.resolve("@fontsource/opendyslexic/files/opendyslexic-latin-700-normal.woff2"),
  "realtime.css": join(PUBLIC_DIR, "css/realtime.css"),
};

export async function buildAssets(): Promise<AssetManifest> {
  await mkdir(BUILD_DIR, { recursive: true });
  const manifest = {} as AssetManifest;
  const contents = new Map<AssetName, Buffer>();
  for (const [name, source] of Object.entries(SOURCES) as [AssetName, string][])
    contents.set(name, await readFile(source));
  for (const [name, entry] of Object.entries(BUNDLES) as [AssetName, string][]) contents.set(name, await bundle(entry));
  // Fonts first: the stylesheet refers to them by their hashed names.
  const order = [...contents.keys()].sort((a, b) => Number(a.endsWith(".css")) - Number(b.endsWith(".css")));
  const written = new Set<string>();
  for (const name of order) {
    let body = contents.get(name)!;
    if (name === "preau.css") {
      body = Buffer.from(
        body
          .toString("utf8")
          .replaceAll("url(opendyslexic-400.woff2)", `url(${manifest["opendyslexic-400.woff2"]})`)
          .replaceAll("url(opendyslexic-700.woff2)", `url(${manifest["opendyslexic-700.woff2"]})`),
      );
    }
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const file = `${basename(name, extname(name))}.${hash}${extname(name)}`;
    await writeFile(join(BUILD_DIR, file), body);
    written.add(file);
    manifest[name] = `/static/build/${file}`;
  }
  for (const old of await readdir(BUILD_DIR)) {
    if (!written.has(old) && old !== "manifest.json") await rm(join(BUILD_DIR, old), { force: true });
  }
  await writeFile(join(BUILD_DIR, "manifest.json"), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** The manifest another process just wrote (the workers of a cluster after worker 0, issue 22). */
export async function readAssets(): Promise<AssetManifest> {
  return JSON.parse(await readFile(join(BUILD_DIR, "manifest.json"), "utf8")) as AssetManifest;
}
