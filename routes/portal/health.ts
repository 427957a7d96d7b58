// Probes for the orchestrator: the process answers (healthz), the database answers (readyz).
import { Hono } from "hono";
import type { AppEnv } from "../../src/http/env";

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get("/healthz", (c) => c.json({ status: "ok" }));

healthRoutes.get("/readyz", async (c) => {
  const ready = await c.var.platform.ping().catch(() => false);
  return c.json({ status: ready ? "ready" : "unavailable" }, ready ? 200 : 503);
});
