// The installable web app (51B/51C): its manifest and its service worker, both public and at the root so that the
// worker's scope is the whole hub.
import { Hono } from "hono";
import type { AppEnv } from "../../src/http/env";
import { SERVICE_WORKER } from "../../views/portal/service-worker";

export const pwaRoutes = new Hono<AppEnv>();

pwaRoutes.get("/manifest.webmanifest", (c) => {
  const { config, assets } = c.var.platform;
  c.header("Content-Type", "application/manifest+json; charset=utf-8");
  c.header("Cache-Control", "public, max-age=86400");
  return c.body(
    JSON.stringify({
      name: config.platformName,
      short_name: "Préau",
      lang: "fr",
      dir: "ltr",
      description: "L'espace numérique de travail des écoles : messagerie, cahier de textes, vie de la classe.",
      start_url: "/",
      scope: "/",
      display: "standalone",
      background_color: "#ffffff",
      theme_color: "#1f4fa8",
      icons: [
        { src: assets["favicon.svg"], sizes: "any", type: "image/svg+xml", purpose: "any" },
        { src: assets["favicon.svg"], sizes: "any", type: "image/svg+xml", purpose: "maskable" },
      ],
    }),
  );
});

pwaRoutes.get("/sw.js", (c) => {
  c.header("Content-Type", "text/javascript; charset=utf-8");
  // Browsers check for a new worker at most daily anyway; a short cache keeps updates quick.
  c.header("Cache-Control", "public, max-age=300");
  c.header("Service-Worker-Allowed", "/");
  return c.body(SERVICE_WORKER);
});

/** The worker's notice icon, at a stable address (the hashed one changes with each release). */
pwaRoutes.get("/favicon.svg", (c) => c.redirect(c.var.platform.assets["favicon.svg"], 302));
