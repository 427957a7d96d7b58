// Static files are served under content-hashed names (cache-busting); views ask for them by logical name.
export type AssetName =
  | "preau.css"
  | "preau.js"
  | "htmx.js"
  | "alpine.js"
  | "icons.svg"
  | "favicon.svg"
  | "opendyslexic-400.woff2"
  | "opendyslexic-700.woff2"
  /** Realtime pages only (walls, documents): their stylesheet and the esbuild bundles of realtime/client/. */
  | "realtime.css"
  | "wall.js"
  | "document.js";

export type AssetManifest = Record<AssetName, string>;

export function assetUrl(manifest: AssetManifest, name: AssetName): string {
  return manifest[name];
}
