// The SAML proxy's own process and port (`npm run preau -- saml-proxy`): reads its settings from the environment,
// loads or makes its keys in DATA_DIR/saml, and serves the service provider (and, on a demo, the test IdPs).
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { loadSecret } from "./secret";
import { createProxyApp, type GuichetSettings, type ProxySettings } from "../saml-proxy/app";
import { loadKeyPair } from "./saml-keys";
import { createTestIdp, type TestIdp } from "../saml-proxy/test-idp";
import { testIdpPages } from "../saml-proxy/test-idp-pages";

export async function proxySettingsFromEnv(
  env: Record<string, string | undefined>,
): Promise<{ settings: ProxySettings; testIdps: TestIdp[] }> {
  const dataDir = resolve(env.DATA_DIR ?? "data");
  const port = Number(env.PREAU_SAML_PROXY_PORT ?? 3001);
  const publicUrl = (env.PREAU_SAML_PROXY_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const keys = await loadKeyPair(join(dataDir, "saml"), "proxy", new URL(publicUrl).hostname);
  const guichets: GuichetSettings[] = [];
  const testIdps: TestIdp[] = [];
  if (env.PREAU_SAML_TEST_IDP === "true") {
    for (const [guichet, encrypt] of [
      ["educonnect", true],
      ["arena", false],
    ] as const) {
      const idp = await createTestIdp(guichet, publicUrl, {
        encrypt,
        keys: await loadKeyPair(join(dataDir, "saml"), `idp-test-${guichet}`, `idp-test-${guichet}`),
      });
      testIdps.push(idp);
      guichets.push({ id: guichet, idpMetadata: idp.metadata, encryptedAssertions: encrypt });
    }
  } else {
    if (env.PREAU_EDUCONNECT_METADATA) {
      guichets.push({
        id: "educonnect",
        idpMetadata: await readFile(env.PREAU_EDUCONNECT_METADATA, "utf8"),
        encryptedAssertions: env.PREAU_EDUCONNECT_ENCRYPTED !== "false",
      });
    }
    if (env.PREAU_ARENA_METADATA) {
      guichets.push({
        id: "arena",
        idpMetadata: await readFile(env.PREAU_ARENA_METADATA, "utf8"),
        encryptedAssertions: env.PREAU_ARENA_ENCRYPTED === "true",
      });
    }
  }
  return {
    settings: {
      publicUrl,
      hubUrl: (env.PREAU_PUBLIC_URL ?? "http://localhost:3000").replace(/\/+$/, ""),
      secret: await loadSecret(env, dataDir),
      keys,
      guichets,
      log: (event, data) =>
        process.stdout.write(
          `${JSON.stringify({ level: event === "saml_refused" ? "warn" : "info", event, ...data })}\n`,
        ),
    },
    testIdps,
  };
}

export async function startSamlProxy(
  env: Record<string, string | undefined>,
  out: (line: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const { settings, testIdps } = await proxySettingsFromEnv(env);
  if (settings.guichets.length === 0) {
    throw new Error(
      "Aucun guichet configuré : PREAU_EDUCONNECT_METADATA / PREAU_ARENA_METADATA " +
        "(ou PREAU_SAML_TEST_IDP=true sur une démonstration).",
    );
  }
  const app = new Hono();
  if (testIdps.length) app.route("/", testIdpPages(settings, testIdps));
  app.route("/", createProxyApp(settings));
  const port = Number(env.PREAU_SAML_PROXY_PORT ?? 3001);
  const server = serve({ fetch: app.fetch, port, hostname: env.HOST });
  out(
    `Proxy SAML prêt : ${settings.publicUrl} (guichets : ` +
      `${settings.guichets.map((g) => g.id).join(", ")}${testIdps.length ? ", fournisseurs d'identité de test" : ""})`,
  );
  out(
    "Métadonnées à transmettre aux guichets : " +
      settings.guichets.map((g) => `${settings.publicUrl}/saml/${g.id}/metadata`).join(" "),
  );
  return { stop: () => new Promise((r) => server.close(() => r())) };
}
