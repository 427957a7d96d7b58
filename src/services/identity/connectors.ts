// Connectors to third-party services (3.11.1.3, 510B): managed by the académie (every school) and by municipality
// staff (their commune's schools, e.g. the town's portal); shown as tiles where active; native ones listed publicly.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { auditAction } from "../audit";
import { CONSENTABLE, type Category } from "./attribute-release";
import { needsConsent } from "./cas";
import { scopeOf, type Principal } from "../principal";
import { inTenant, type ServiceDeps } from "../context";
import { can } from "../../policy";
import { connectorOwnerFor } from "../../policy/connectors";
import { isId } from "../../validation";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";

export interface Connector {
  id: string;
  slug: string;
  name: string;
  description: string;
  protocol: "cas" | "oidc" | "link";
  launchUrl: string;
  serviceUrls: string[];
  icon: string;
  category: Category;
  identifier: "ent" | "opaque";
  requestedAttributes: string[];
  native: boolean;
  allSchools: boolean;
  ownerStructureId: string | null;
  enabled: boolean;
  schools: string[];
}

interface ConnectorRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  protocol: "cas" | "oidc" | "link";
  launch_url: string;
  service_urls: string[];
  icon: string;
  category: number;
  identifier: "ent" | "opaque";
  requested_attributes: string[];
  native: boolean;
  all_schools: boolean;
  owner_structure_id: string | null;
  enabled: boolean;
  schools: string[] | null;
}

const toConnector = (r: ConnectorRow): Connector => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  protocol: r.protocol,
  launchUrl: r.launch_url,
  serviceUrls: r.service_urls,
  icon: r.icon,
  category: r.category as Category,
  identifier: r.identifier,
  requestedAttributes: r.requested_attributes,
  native: r.native,
  allSchools: r.all_schools,
  ownerStructureId: r.owner_structure_id,
  enabled: r.enabled,
  schools: r.schools ?? [],
});

const SELECT = sql`select c.*,
  array(select uai from connector_schools s where s.connector_id = c.id order by uai) as schools from connectors c`;

export async function allConnectors(tx: Tx): Promise<Connector[]> {
  return rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} order by c.name`)).map(toConnector);
}

export async function connectorBySlug(tx: Tx, slug: string): Promise<Connector | null> {
  const [row] = rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.slug = ${slug}`));
  return row ? toConnector(row) : null;
}

/** The public list (3.11.1.3): native connectors, whoever asks. */
export async function nativeConnectors(deps: Pick<ServiceDeps, "db">): Promise<Connector[]> {
  return withTenant(deps.db, systemScope, async (tx) =>
    rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.native and c.enabled order by c.name`)).map(
      toConnector,
    ),
  );
}

/** A registered service URL: the same URL (its query string aside), or below a registered prefix ending with "/". */
export function serviceMatches(service: string, registered: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(service);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username || url.password) return false;
  const bare = `${url.origin}${url.pathname}`;
  return registered.some((r) => (r.endsWith("/") ? bare.startsWith(r) : bare === r));
}

/** The enabled connector a service URL belongs to (never an open redirect: unknown URLs find nothing). */
export async function connectorForService(deps: Pick<ServiceDeps, "db">, service: string): Promise<Connector | null> {
  const all = await withTenant(deps.db, systemScope, async (tx) =>
    rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.enabled and c.protocol = 'cas'`)).map(toConnector),
  );
  return all.find((c) => serviceMatches(service, c.serviceUrls)) ?? null;
}

/** Whether the connector is open where the user works. */
export function activeFor(c: Connector, p: Principal): boolean {
  return can(p, "connector.use", { kind: "connector", ...c });
}

/** The connector behind a tile (/services/:slug), when it is open to the user; null otherwise. */
export async function openConnector(deps: ServiceDeps, p: Principal, slug: string): Promise<Connector | null> {
  const connector = await inTenant(deps, p, (tx) => connectorBySlug(tx, slug));
  return connector && activeFor(connector, p) ? connector : null;
}

/** A category-5 connector open to the user, whose consent page they are on; null otherwise. */
export async function consentingConnector(deps: ServiceDeps, p: Principal, slug: string): Promise<Connector | null> {
  const connector = await openConnector(deps, p, slug);
  return connector?.category === 5 ? connector : null;
}

/** 3.11.1.2: whether an OIDC service may log the user in — open to them, and agreed to when it is category 5. */
export async function oidcAccess(deps: ServiceDeps, p: Principal, slug: string): Promise<"ok" | "closed" | "consent"> {
  const connector = await openConnector(deps, p, slug);
  if (!connector) return "closed";
  return (await needsConsent(deps, p, connector)) ? "consent" : "ok";
}

/** Tiles of the user's services, after the apps. */
export async function myConnectors(db: Database, p: Principal): Promise<Connector[]> {
  return withTenant(db, scopeOf(p), (tx) => myConnectorsIn(tx, p));
}

/** The same, in the caller's transaction (the home page reads it beside the news feed, in one round trip). */
export async function myConnectorsIn(tx: Tx, p: Principal): Promise<Connector[]> {
  return rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.enabled order by c.name`))
    .map(toConnector)
    .filter((c) => activeFor(c, p));
}

// ——— Management ———

const PLATFORM = { kind: "platform" } as const;

export function mayManage(p: Principal, c: Connector): boolean {
  return can(p, "connector.manage", { kind: "connector", ...c });
}

export type ConnectorIssue =
  | "name"
  | "slug"
  | "slug_taken"
  | "protocol"
  | "launch_url"
  | "service_urls"
  | "category"
  | "category_link"
  | "identifier"
  | "attributes"
  | "schools"
  | "schools_outside"
  | "native_forbidden";

export interface ConnectorInput {
  name: string;
  slug: string;
  description: string;
  protocol: string;
  launchUrl: string;
  serviceUrls: string;
  category: string;
  identifier: string;
  requestedAttributes: string[];
  native: boolean;
  allSchools: boolean;
  schools: string;
}

const HTTPS = (value: string) => {
  try {
    const u = new URL(value);
    return u.protocol === "https:" && !u.username && !u.password;
  } catch {
    return false;
  }
};

/** A connector as the form describes it once checked: what is stored. */
interface CheckedConnector {
  name: string;
  slug: string;
  description: string;
  protocol: Connector["protocol"] | null;
  launchUrl: string;
  serviceUrls: string[];
  category: number;
  identifier: Connector["identifier"] | null;
  requested: string[];
  native: boolean;
  allSchools: boolean;
  schools: string[];
}

/** The form's own checks, before the database is asked (schools that exist, a slug not taken). */
export function checkConnector(
  p: Principal,
  input: ConnectorInput,
): { issues: ConnectorIssue[]; value: CheckedConnector } {
  const issues: ConnectorIssue[] = [];
  const name = input.name.trim();
  const slug = input.slug.trim().toLowerCase();
  if (!name || name.length > 80) issues.push("name");
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug)) issues.push("slug");
  const protocol =
    input.protocol === "cas" || input.protocol === "oidc" || input.protocol === "link" ? input.protocol : null;
  if (!protocol) issues.push("protocol");
  if (!HTTPS(input.launchUrl.trim()) || input.launchUrl.length > 500) issues.push("launch_url");
  const serviceUrls = linesOf(input.serviceUrls);
  if ((protocol === "cas" || protocol === "oidc") && !serviceUrlsFit(serviceUrls)) issues.push("service_urls");
  const category = Number(input.category);
  if (![1, 2, 3, 4, 5].includes(category)) issues.push("category");
  else if ((protocol === "link") !== (category === 1)) issues.push("category_link");
  const identifier =
    input.identifier === "ent" ? "ent" : input.identifier === "opaque" || input.identifier === "" ? "opaque" : null;
  if (!identifier) issues.push("identifier");
  const requested = [...new Set(input.requestedAttributes)];
  if (
    requested.some((a) => !(CONSENTABLE as readonly string[]).includes(a)) ||
    (category === 5 && requested.length === 0)
  )
    issues.push("attributes");
  if ((input.native || input.allSchools) && !can(p, "connector.publishEverywhere", PLATFORM))
    issues.push("native_forbidden");
  const schools = uaisOf(input.schools);
  if (schools.some((s) => !/^[0-9]{7}[A-Z]$/.test(s)) || schools.length > 3000) issues.push("schools");
  if (!input.allSchools && schools.length === 0 && !issues.includes("schools")) issues.push("schools");
  const description = input.description.trim().slice(0, 300);
  return {
    issues,
    value: {
      name,
      slug,
      description,
      protocol,
      launchUrl: input.launchUrl.trim(),
      serviceUrls,
      category,
      identifier,
      requested,
      native: input.native,
      allSchools: input.allSchools,
      schools,
    },
  };
}

const linesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

const serviceUrlsFit = (urls: string[]) =>
  urls.length > 0 && urls.length <= 20 && urls.every((u) => HTTPS(u) && !u.includes("?") && !u.includes("#"));

/** UAIs typed in a list (spaces, commas or semicolons between them), upper-cased, each once. */
const uaisOf = (text: string) => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  ),
];

type SaveOutcome =
  | { ok: true; slug: string }
  | { ok: false; issues: ConnectorIssue[] }
  | { ok: false; forbidden: true };

/** Registers a connector (or changes `existingId`): the académie's anywhere, a commune's in its own schools. */
export async function connectorSaver(
  deps: ServiceDeps,
  p: Principal,
  input: ConnectorInput,
  existingId?: string,
): Promise<SaveOutcome> {
  if (!can(p, "connector.manageAny", PLATFORM)) return { ok: false, forbidden: true };
  const { issues, value } = checkConnector(p, input);
  return inTenant(deps, p, async (tx): Promise<SaveOutcome> => {
    if (!issues.includes("schools") && value.schools.length && !(await allKnown(tx, value.schools)))
      issues.push("schools_outside");
    const existing = existingId ? await connectorById(tx, existingId) : null;
    if (existingId && (!existing || !mayManage(p, existing))) return { ok: false, forbidden: true };
    if (await slugTaken(tx, value.slug, existingId)) issues.push("slug_taken");
    if (issues.length) return { ok: false, issues };
    const id = await storeConnector(tx, deps.now, value, existing, connectorOwnerFor(p));
    await auditAction(tx, deps, p, {
      action: existing ? "connector.updated" : "connector.created",
      target: id,
      details: {
        slug: value.slug,
        category: value.category,
        protocol: value.protocol,
        schools: value.allSchools ? "all" : value.schools.length,
      },
    });
    return { ok: true, slug: value.slug };
  });
}

async function allKnown(tx: Tx, uais: string[]): Promise<boolean> {
  const known = rowsOf<{ uai: string }>(
    await tx.execute(sql`select uai from schools where uai = any(${`{${uais.join(",")}}`}::text[])`),
  );
  return known.length === uais.length;
}

async function slugTaken(tx: Tx, slug: string, existingId: string | undefined): Promise<boolean> {
  const [taken] = rowsOf(
    await tx.execute(
      sql`select 1 from connectors where slug = ${slug}
        and id <> ${existingId ?? "00000000-0000-0000-0000-000000000000"}::uuid`,
    ),
  );
  return !!taken;
}

/** Writes the connector and where it is open; returns its id. */
async function storeConnector(
  tx: Tx,
  now: Date,
  c: CheckedConnector,
  existing: Connector | null,
  owner: string | null,
): Promise<string> {
  const fields = sql`${c.name}, ${c.slug}, ${c.description}, ${c.protocol}, ${c.launchUrl},
      array(select jsonb_array_elements_text(${JSON.stringify(c.serviceUrls)}::jsonb)), ${c.category}, ${c.identifier},
      array(select jsonb_array_elements_text(${JSON.stringify(c.requested)}::jsonb)),
      ${c.native}, ${c.allSchools}`;
  const [row] = existing
    ? rowsOf<{ id: string }>(
        await tx.execute(sql`update connectors set (name, slug, description, protocol, launch_url, service_urls,
          category, identifier, requested_attributes, native, all_schools, updated_at)
          = (${fields}, ${now.toISOString()}) where id = ${existing.id} returning id`),
      )
    : rowsOf<{ id: string }>(
        await tx.execute(sql`insert into connectors (name, slug, description, protocol, launch_url, service_urls,
          category, identifier, requested_attributes, native, all_schools, owner_structure_id, created_at, updated_at)
          values (${fields}, ${owner}, ${now.toISOString()}, ${now.toISOString()}) returning id`),
      );
  const id = row!.id;
  await tx.execute(sql`delete from connector_schools where connector_id = ${id}`);
  if (!c.allSchools && c.schools.length) {
    await tx.execute(sql`insert into connector_schools (connector_id, uai)
        select ${id}, u from unnest(${`{${c.schools.join(",")}}`}::text[]) u`);
  }
  return id;
}

async function connectorById(tx: Tx, id: string): Promise<Connector | null> {
  if (!isId(id)) return null;
  const [row] = rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.id = ${id}`));
  return row ? toConnector(row) : null;
}

/** Switch a connector on or off; off, no tile shows it and no ticket is issued for it. */
export async function connectorToggler(
  deps: ServiceDeps,
  p: Principal,
  slug: string,
  enabled: boolean,
): Promise<boolean> {
  return inTenant(deps, p, async (tx) => {
    const c = await connectorBySlug(tx, slug);
    if (!c || !mayManage(p, c)) return false;
    await tx.execute(
      sql`update connectors set enabled = ${enabled}, updated_at = ${deps.now.toISOString()} where id = ${c.id}`,
    );
    await auditAction(tx, deps, p, {
      action: enabled ? "connector.enabled" : "connector.disabled",
      target: c.id,
    });
    return true;
  });
}

export interface ConnectorsAdmin {
  connectors: Connector[];
  /** OIDC connectors' client secrets, by slug. */
  secrets: Record<string, string>;
  /** The académie registers native and every-school connectors; a commune does not. */
  everywhere: boolean;
}

/** The admin page (510B): the connectors this user manages, or null when they manage none. */
export async function connectorsAdmin(deps: ServiceDeps, p: Principal): Promise<ConnectorsAdmin | null> {
  if (!can(p, "connector.manageAny", PLATFORM)) return null;
  const connectors = await inTenant(deps, p, async (tx) => (await allConnectors(tx)).filter((c) => mayManage(p, c)));
  const secrets = Object.fromEntries(
    await Promise.all(
      connectors
        .filter((x) => x.protocol === "oidc")
        .map(async (x) => [x.slug, await oidcClientSecret(deps.config.secret, x.slug)] as const),
    ),
  );
  return { connectors, secrets, everywhere: can(p, "connector.publishEverywhere", PLATFORM) };
}

/** An OIDC connector's client secret: derived from the platform secret, never stored; shown to its managers. */
export async function oidcClientSecret(secret: string, slug: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`oidc-client:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return encodeBase64urlNoPadding(
    new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(slug))),
  );
}
