// 3.11.1.2–3: the hub as OpenID Connect provider for connectors, with oidc-provider (the certified Node
// implementation): authorization code flow with PKCE required, discovery, JWKS. Clients are the "oidc" connectors
// (client_id = slug, redirect URIs = the connector's service URLs, secret derived from the platform secret);
// the user logs in through the hub's own session (interaction page /connexion-oidc/:uid) and the claims are the
// connector category's release. State lives in Postgres/PGlite (oidc_payloads), so several hub processes share it.
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider, { type Adapter, type AdapterPayload } from "oidc-provider";
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";
import type { OidcProviderPort, Platform } from "../platform";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { opaqueId, releasedAttributes } from "../services/identity/attribute-release";
import { connectorBySlug, oidcClientSecret } from "../services/identity/connectors";
import { consentOf } from "../services/identity/cas";
import type { ProfileKind } from "../services/principal";
import { trustedProxyCount } from "../http/client-address";
import { applySecurityHeaders, contentSecurityPolicy } from "../http/security";
import {
  frenchFormPost,
  providerErrorPage,
  providerLoggedOutPage,
  providerLogoutPage,
} from "../../views/identity/oidc-pages";

function dbAdapter(db: Database, platformSecret: string) {
  return class DbAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null;
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`
        insert into oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at)
        values (${this.model}, ${id}, ${JSON.stringify(payload)}::jsonb, ${payload.grantId ?? null},
          ${payload.uid ?? null}, ${payload.userCode ?? null}, ${expiresAt})
        on conflict (model, id) do update
          set payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
          user_code = excluded.user_code, expires_at = excluded.expires_at`),
      );
    }

    private async findWhere(where: ReturnType<typeof sql>): Promise<AdapterPayload | undefined> {
      const [row] = await withTenant(db, systemScope, async (tx) =>
        rowsOf<{ payload: AdapterPayload | string; consumed_at: Date | string | null }>(
          await tx.execute(sql`select payload, consumed_at from oidc_payloads where model = ${this.model} and ${where}
          and (expires_at is null or expires_at > now())`),
        ),
      );
      if (!row) return undefined;
      const payload = (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload) as AdapterPayload;
      return row.consumed_at
        ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : payload;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === "Client") return clientFor(db, platformSecret, id);
      return this.findWhere(sql`id = ${id}`);
    }
    async findByUid(uid: string) {
      return this.findWhere(sql`uid = ${uid}`);
    }
    async findByUserCode(userCode: string) {
      return this.findWhere(sql`user_code = ${userCode}`);
    }
    async consume(id: string) {
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`update oidc_payloads set consumed_at = now() where model = ${this.model} and id = ${id}`),
      );
    }
    async destroy(id: string) {
      await withTenant(db, systemScope, (tx) =>
        tx.execute(sql`delete from oidc_payloads where model = ${this.model} and id = ${id}`),
      );
    }
    async revokeByGrantId(grantId: string) {
      await withTenant(db, systemScope, (tx) => tx.execute(sql`delete from oidc_payloads where grant_id = ${grantId}`));
    }
  };
}

/** The "oidc" connector as an oidc-provider client. */
async function clientFor(db: Database, platformSecret: string, clientId: string): Promise<AdapterPayload | undefined> {
  const c = await withTenant(db, systemScope, (tx) => connectorBySlug(tx, clientId));
  if (c?.protocol !== "oidc" || !c.enabled || c.category === 1) return undefined;
  return {
    client_id: c.slug,
    client_secret: await oidcClientSecret(platformSecret, c.slug),
    redirect_uris: c.serviceUrls,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
    // The subject each service sees is its category's identifier (pairwiseIdentifier below).
    subject_type: "pairwise",
    client_name: c.name,
  } as AdapterPayload;
}

/** The provider's signing key, kept in the data folder (tokens stay verifiable across restarts). */
async function loadJwks(dataDir: string): Promise<{ keys: object[] }> {
  const file = join(dataDir, "oidc-jwks.json");
  try {
    return JSON.parse(await readFile(file, "utf8")) as { keys: object[] };
  } catch {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwks = {
      keys: [
        { ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256", kid: `preau-${Date.now().toString(36)}` },
      ],
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(jwks), { mode: 0o600 });
    return jwks;
  }
}

/** SDET attribute names → OpenID claims (standard ones where they exist). */
const CLAIM_OF: Record<string, string> = {
  ENTPersonNom: "family_name",
  ENTPersonPrenom: "given_name",
  ENTPersonMail: "email",
};

export interface OidcEndpoint {
  issuer: string;
  /** Answers a request under /oidc (raw Node request and response). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The interaction of `uid` for this signed-in user: where to send the browser next. */
  interaction(
    req: IncomingMessage,
    res: ServerResponse,
    userId: string,
    activeFor: (slug: string) => Promise<"ok" | "closed" | "consent">,
  ): Promise<{ redirect: string } | { closed: string } | { consent: string }>;
}

export async function createOidcEndpoint(
  platform: Platform,
  options: { issuer: string; dataDir: string },
): Promise<OidcEndpoint> {
  const { db, config } = platform;
  const pageContext = { assets: platform.assets, platformName: config.platformName };
  const provider = new Provider(options.issuer, {
    adapter: dbAdapter(db, config.secret),
    jwks: (await loadJwks(options.dataDir)) as never,
    cookies: { keys: [createHmac("sha256", `oidc-cookies:${config.secret}`).update("1").digest("base64url")] },
    pkce: { required: () => true },
    subjectTypes: ["public", "pairwise"],
    features: {
      devInteractions: { enabled: false },
      // F10: the provider's own pages in the hub's look and language, nothing fetched from elsewhere.
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = "html";
          ctx.body = await providerLogoutPage(pageContext, form, ctx.oidc.client?.clientName ?? null);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = "html";
          ctx.body = await providerLoggedOutPage(pageContext, ctx.oidc.client?.clientName ?? null);
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = await providerErrorPage(pageContext, out.error, out.error_description);
    },
    interactions: { url: (_ctx, interaction) => `/connexion-oidc/${interaction.uid}` },
    claims: {
      openid: ["sub"],
      email: ["email"],
      profile: [
        "family_name",
        "given_name",
        "ENTPersonProfils",
        "ENTPersonStructRattachUAI",
        "ENTEleveClasses",
        "ENTAuxEnsClasses",
        "ENTPersonIdentifiant",
      ],
    },
    async pairwiseIdentifier(ctx, accountId, oidcClient) {
      const c = await withTenant(db, systemScope, (tx) => connectorBySlug(tx, oidcClient.clientId));
      if (!c) throw new Error("client inconnu");
      return c.category === 2 || (c.category === 4 && c.identifier === "ent")
        ? accountId
        : opaqueId(config.secret, c.id, accountId);
    },
    async findAccount(ctx, accountId) {
      const slug = ctx.oidc.client?.clientId ?? "";
      return {
        accountId,
        async claims() {
          const c = await withTenant(db, systemScope, (tx) => connectorBySlug(tx, slug));
          const [u] = await withTenant(db, systemScope, async (tx) =>
            rowsOf<{
              first_name: string;
              last_name: string;
              email: string | null;
              uai: string | null;
              profile: ProfileKind | null;
              classes: string[];
            }>(
              await tx.execute(sql`
            select u.first_name, u.last_name, u.academic_email as email, p.uai, p.profile::text as profile,
              array(select cl.name from class_members m join classes cl on cl.id = m.class_id
                where m.user_id = u.id and cl.uai = p.uai order by cl.name) as classes
            from users u left join lateral (select uai, profile from school_profiles where user_id = u.id
              order by case profile when 'director' then 0 when 'teacher' then 1 when 'staff' then 2 when 'pupil' then 3
                else 4 end limit 1) p on true
            where u.id = ${accountId}`),
            ),
          );
          if (!c || !u) return { sub: accountId };
          const release = await releasedAttributes(
            config.secret,
            c,
            {
              id: accountId,
              firstName: u.first_name,
              lastName: u.last_name,
              email: u.email,
              uai: u.uai,
              profile: u.profile,
              classes: u.classes,
            },
            c.category === 5 ? await consentOf(db, accountId, c.id) : null,
          );
          if (!release) return { sub: accountId };
          // `sub` is the account; the provider turns it into the service's own identifier (pairwise).
          return {
            sub: accountId,
            ...Object.fromEntries(
              Object.entries(release.attributes).map(([name, values]) => [
                CLAIM_OF[name] ?? name,
                CLAIM_OF[name] ? values[0] : values,
              ]),
            ),
          };
        },
      };
    },
  });
  // Behind proxies, the client is the address the outermost trusted one saw (Koa's maxIpsCount counts from the right).
  const trustedProxies = trustedProxyCount(process.env);
  provider.proxy = trustedProxies > 0;
  provider.maxIpsCount = trustedProxies;
  for (const event of ["authorization.error", "grant.error", "userinfo.error", "server_error"]) {
    (provider.on as (e: string, f: (ctx: unknown, err: Error & { error_description?: string }) => void) => void)(
      event,
      (_ctx, err) =>
        platform.log.log("warn", "oidc_error", {
          event,
          error: err.message,
          description: err.error_description ?? null,
        }),
    );
  }
  // F10: the hub's security headers on every answer of the provider. Set before the provider's routes run, so that
  // the form_post page adds its inline script's hash to this policy (oidc-provider does that to a CSP it finds); a
  // form_post page posts to the service's redirect address, which its form-action must then allow.
  provider.use(async (ctx, next) => {
    ctx.set("Content-Security-Policy", contentSecurityPolicy());
    await next();
    if (typeof ctx.body === "string" && ctx.body.includes("<title>Submitting Callback</title>"))
      ctx.body = frenchFormPost(pageContext, ctx.body);
    const mode = ctx.oidc?.params?.response_mode;
    const target = ctx.oidc?.params?.redirect_uri;
    if (typeof mode === "string" && mode.startsWith("form_post") && typeof target === "string" && ctx.oidc?.client) {
      const origin = URL.parse(target)?.origin;
      const policy = ctx.response.get("Content-Security-Policy");
      if (origin && origin !== "null" && policy)
        ctx.set("Content-Security-Policy", policy.replace(/form-action ([^;]*)/, `form-action $1 ${origin}`));
    }
  });
  const prefix = new URL(options.issuer).pathname.replace(/\/$/, "");
  const callback = provider.callback();
  return {
    issuer: options.issuer,
    async handle(req, res) {
      // Whatever path the answer takes (the provider's error handler, Koa's, a redirect), the headers go with it.
      const writeHead = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        applySecurityHeaders(
          (name) => res.hasHeader(name),
          (name, value) => res.setHeader(name, value),
        );
        return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse["writeHead"];
      // The provider routes below its issuer's path, as when mounted in an express app.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = (req.url ?? "/").slice(prefix.length) || "/";
      await callback(req, res);
    },
    async interaction(req, res, userId, activeFor) {
      const details = await provider.interactionDetails(req, res);
      const clientId = String(details.params.client_id ?? "");
      const status = await activeFor(clientId);
      if (status === "closed") return { closed: clientId };
      if (status === "consent") return { consent: clientId };
      const grant = details.grantId
        ? (await provider.Grant.find(details.grantId))!
        : new provider.Grant({ accountId: userId, clientId });
      grant.addOIDCScope(
        String(details.params.scope ?? "openid")
          .split(" ")
          .filter((s) => ["openid", "profile", "email"].includes(s))
          .join(" "),
      );
      const grantId = await grant.save();
      const redirect = await provider.interactionResult(
        req,
        res,
        { login: { accountId: userId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
      return { redirect };
    },
  };
}

/** The provider as a platform capability: Hono on Node hands the raw request and response through its bindings. */
export function oidcPort(endpoint: OidcEndpoint): OidcProviderPort {
  const raw = (env: unknown) => env as { incoming: IncomingMessage; outgoing: ServerResponse };
  return {
    async handle(env) {
      const { incoming, outgoing } = raw(env);
      await endpoint.handle(incoming, outgoing);
      return RESPONSE_ALREADY_SENT;
    },
    interaction(env, userId, check) {
      const { incoming, outgoing } = raw(env);
      return endpoint.interaction(incoming, outgoing, userId, check);
    },
  };
}
