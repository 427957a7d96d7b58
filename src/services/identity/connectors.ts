// Connectors to third-party services (3.11.1.3, 510B): managed by the académie (every school) and by municipality
// staff (their commune's schools, e.g. the town's portal); shown as tiles where active; native ones listed publicly.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { audit } from "../audit";
import { CONSENTABLE, type Category } from "./attribute-release";
import { scopeOf, type Principal } from "../principal";
import { can } from "../../policy";
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

const SELECT = sql`select c.*, array(select uai from connector_schools s where s.connector_id = c.id order by uai) as schools from connectors c`;

export async function allConnectors(tx: Tx): Promise<Connector[]> {
  return rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} order by c.name`)).map(toConnector);
}

export async function connectorBySlug(tx: Tx, slug: string): Promise<Connector | null> {
  const [row] = rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.slug = ${slug}`));
  return row ? toConnector(row) : null;
}

/** The public list (3.11.1.3): native connectors, whoever asks. */
export async function nativeConnectors(db: Database): Promise<Connector[]> {
  return withTenant(db, systemScope, async (tx) =>
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
export async function connectorForService(db: Database, service: string): Promise<Connector | null> {
  const all = await withTenant(db, systemScope, async (tx) =>
    rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.enabled and c.protocol = 'cas'`)).map(toConnector),
  );
  return all.find((c) => serviceMatches(service, c.serviceUrls)) ?? null;
}

/** Whether the connector is open where the user works. */
export function activeFor(c: Connector, p: Principal): boolean {
  return can(p, "connector.use", { kind: "connector", ...c });
}

/** Tiles of the user's services, after the apps. */
export async function myConnectors(db: Database, p: Principal): Promise<Connector[]> {
  return withTenant(db, scopeOf(p), async (tx) =>
    rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.enabled order by c.name`))
      .map(toConnector)
      .filter((c) => activeFor(c, p)),
  );
}

// ——— Management ———

/** The académie manages every connector; municipality staff the ones their commune owns. */
export function managedStructure(p: Principal): { academie: boolean; structureIds: string[] } | null {
  if (p.structureRoles.some((r) => r.role === "academie_admin")) return { academie: true, structureIds: [] };
  const communes = p.structureRoles.filter((r) => r.role === "municipality").map((r) => r.structureId);
  return communes.length ? { academie: false, structureIds: communes } : null;
}

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

export async function connectorSaver(
  deps: { db: Database; now: Date; ip: string | null },
  p: Principal,
  input: ConnectorInput,
  existingId?: string,
): Promise<{ ok: true; slug: string } | { ok: false; issues: ConnectorIssue[] } | { ok: false; forbidden: true }> {
  const manager = managedStructure(p);
  if (!manager) return { ok: false, forbidden: true };
  const issues: ConnectorIssue[] = [];
  const name = input.name.trim();
  const slug = input.slug.trim().toLowerCase();
  if (!name || name.length > 80) issues.push("name");
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug)) issues.push("slug");
  const protocol =
    input.protocol === "cas" || input.protocol === "oidc" || input.protocol === "link" ? input.protocol : null;
  if (!protocol) issues.push("protocol");
  if (!HTTPS(input.launchUrl.trim()) || input.launchUrl.length > 500) issues.push("launch_url");
  const serviceUrls = input.serviceUrls
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (
    (protocol === "cas" || protocol === "oidc") &&
    (serviceUrls.length === 0 ||
      serviceUrls.length > 20 ||
      !serviceUrls.every((u) => HTTPS(u) && !u.includes("?") && !u.includes("#")))
  ) {
    issues.push("service_urls");
  }
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
  if ((input.native || input.allSchools) && !manager.academie) issues.push("native_forbidden");
  const schools = [
    ...new Set(
      input.schools
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  if (schools.some((s) => !/^[0-9]{7}[A-Z]$/.test(s)) || schools.length > 3000) issues.push("schools");
  if (!input.allSchools && schools.length === 0 && !issues.includes("schools")) issues.push("schools");
  return withTenant(deps.db, scopeOf(p), async (tx) => {
    if (!issues.includes("schools") && schools.length) {
      const known = rowsOf<{ uai: string }>(
        await tx.execute(sql`select uai from schools where uai = any(${`{${schools.join(",")}}`}::text[])`),
      );
      if (known.length !== schools.length) issues.push("schools_outside");
    }
    const existing = existingId ? await connectorById(tx, existingId) : null;
    if (existingId && (!existing || !mayManage(p, existing))) return { ok: false as const, forbidden: true as const };
    const [taken] = rowsOf(
      await tx.execute(
        sql`select 1 from connectors where slug = ${slug} and id <> ${existingId ?? "00000000-0000-0000-0000-000000000000"}::uuid`,
      ),
    );
    if (taken) issues.push("slug_taken");
    if (issues.length) return { ok: false as const, issues };
    const fields = sql`${name}, ${slug}, ${input.description.trim().slice(0, 300)}, ${protocol}, ${input.launchUrl.trim()},
      array(select jsonb_array_elements_text(${JSON.stringify(serviceUrls)}::jsonb)), ${category}, ${identifier},
      array(select jsonb_array_elements_text(${JSON.stringify(requested)}::jsonb)),
      ${input.native}, ${input.allSchools}`;
    const owner = manager.academie ? null : manager.structureIds[0]!;
    const [row] = existing
      ? rowsOf<{ id: string }>(
          await tx.execute(sql`update connectors set (name, slug, description, protocol, launch_url, service_urls, category,
          identifier, requested_attributes, native, all_schools, updated_at) = (${fields}, ${deps.now.toISOString()}) where id = ${existing.id} returning id`),
        )
      : rowsOf<{ id: string }>(
          await tx.execute(sql`insert into connectors (name, slug, description, protocol, launch_url, service_urls, category,
          identifier, requested_attributes, native, all_schools, owner_structure_id, created_at, updated_at)
          values (${fields}, ${owner}, ${deps.now.toISOString()}, ${deps.now.toISOString()}) returning id`),
        );
    await tx.execute(sql`delete from connector_schools where connector_id = ${row!.id}`);
    if (!input.allSchools && schools.length) {
      await tx.execute(sql`insert into connector_schools (connector_id, uai)
        select ${row!.id}, u from unnest(${`{${schools.join(",")}}`}::text[]) u`);
    }
    await audit(tx, {
      at: deps.now,
      actorId: p.userId,
      action: existing ? "connector.updated" : "connector.created",
      target: row!.id,
      ip: deps.ip,
      details: { slug, category, protocol, schools: input.allSchools ? "all" : schools.length },
    });
    return { ok: true as const, slug };
  });
}

async function connectorById(tx: Tx, id: string): Promise<Connector | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = rowsOf<ConnectorRow>(await tx.execute(sql`${SELECT} where c.id = ${id}`));
  return row ? toConnector(row) : null;
}

/** Switch a connector on or off; off, no tile shows it and no ticket is issued for it. */
export async function connectorToggler(
  deps: { db: Database; now: Date; ip: string | null },
  p: Principal,
  slug: string,
  enabled: boolean,
): Promise<boolean> {
  return withTenant(deps.db, scopeOf(p), async (tx) => {
    const c = await connectorBySlug(tx, slug);
    if (!c || !mayManage(p, c)) return false;
    await tx.execute(
      sql`update connectors set enabled = ${enabled}, updated_at = ${deps.now.toISOString()} where id = ${c.id}`,
    );
    await audit(tx, {
      at: deps.now,
      actorId: p.userId,
      action: enabled ? "connector.enabled" : "connector.disabled",
      target: c.id,
      ip: deps.ip,
    });
    return true;
  });
}

/** The connectors a manager sees on the admin page. */
export async function managedConnectors(tx: Tx, p: Principal): Promise<Connector[]> {
  return (await allConnectors(tx)).filter((c) => mayManage(p, c));
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
