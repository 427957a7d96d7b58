// The hub as a CAS server (protocol 2.0 and 3.0) for connectors: /cas/login issues a service ticket for a registered
// service, /cas/serviceValidate and /cas/p3/serviceValidate answer the service once. A ticket is single use (spent
// by its first validation, whatever the outcome), bound to the exact service URL it was issued for, valid
// TICKET_SECONDS, and stored only as its SHA-256. What the answer releases is the connector category's policy.
import { sql } from "drizzle-orm";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { sha256 } from "@oslojs/crypto/sha2";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { audit } from "../audit";
import { releasedAttributes, type Release } from "./attribute-release";
import type { Connector } from "./connectors";
import type { Principal, ProfileKind } from "../principal";
import type { ServiceDeps } from "../context";

export const TICKET_SECONDS = 300;

/** The consent page's two buttons (category 5); anything else is a refusal. */
export const CONSENT_CHOICES = ["accepter", "refuser"] as const;

const hashOf = (ticket: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(ticket)));

/** The user's consent for a category-5 connector: the attributes they agreed to, or null if never asked. */
export async function consentOf(db: Database, userId: string, connectorId: string): Promise<string[] | null> {
  return withTenant(db, systemScope, (tx) => consentIn(tx, userId, connectorId));
}

/** Whether the user must agree to what the connector asks before it logs them in (category 5, never asked). */
export async function needsConsent(deps: Pick<ServiceDeps, "db">, p: Principal, c: Connector): Promise<boolean> {
  return c.category === 5 && (await consentOf(deps.db, p.userId, c.id)) === null;
}

export async function saveConsent(deps: ServiceDeps, p: Principal, c: Connector): Promise<void> {
  const { now, ip } = deps;
  await withTenant(deps.db, systemScope, async (tx) => {
    await tx.execute(sql`insert into connector_consents (user_id, connector_id, attributes, decided_at)
      values (${p.userId}, ${c.id},
        array(select jsonb_array_elements_text(${JSON.stringify(c.requestedAttributes)}::jsonb)), ${now.toISOString()})
      on conflict (user_id, connector_id)
        do update set attributes = excluded.attributes, decided_at = excluded.decided_at`);
    await audit(tx, {
      at: now,
      actorId: p.userId,
      action: "connector.consent",
      target: c.id,
      ip,
      details: { attributes: c.requestedAttributes },
    });
  });
}

/** A ticket for this user and service; the caller has checked the service belongs to the connector and is open to
 *  them. */
export async function issueTicket(deps: ServiceDeps, p: Principal, c: Connector, service: string): Promise<string> {
  const { now, ip } = deps;
  const ticket = `ST-${encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)))}`;
  await withTenant(deps.db, systemScope, async (tx) => {
    await tx.execute(sql`insert into cas_tickets (id, user_id, connector_id, uai, service, created_at, expires_at)
      values (${hashOf(ticket)}, ${p.userId}, ${c.id}, ${p.activeUai}, ${service}, ${now.toISOString()},
        ${new Date(now.getTime() + TICKET_SECONDS * 1000).toISOString()})`);
    await audit(tx, { at: now, actorId: p.userId, action: "cas.ticket", target: c.id, uai: p.activeUai, ip });
  });
  return ticket;
}

export function withTicket(service: string, ticket: string): string {
  const url = new URL(service);
  url.searchParams.set("ticket", ticket);
  return url.href;
}

export type ValidationFailure = "INVALID_REQUEST" | "INVALID_TICKET" | "INVALID_SERVICE" | "UNAUTHORIZED_SERVICE";
export type Validation = { ok: true; release: Release } | { ok: false; code: ValidationFailure; message: string };

interface TicketRow {
  user_id: string;
  connector_id: string;
  uai: string | null;
  service: string;
  expired: boolean;
}

const failure = (code: ValidationFailure, message: string): Validation => ({ ok: false, code, message });

/** Checks and spends a ticket: issued for this very service, not expired, its connector still open. */
export async function validateTicket(deps: ServiceDeps, service: string, ticket: string): Promise<Validation> {
  if (!service || !ticket) return failure("INVALID_REQUEST", "Les paramètres service et ticket sont obligatoires.");
  if (!/^ST-[a-z2-7]{32}$/.test(ticket)) return failure("INVALID_TICKET", `Ticket ${ticket.slice(0, 60)} inconnu.`);
  return withTenant(deps.db, systemScope, async (tx) => {
    const row = await spendTicket(tx, ticket, deps.now);
    if (!row) return failure("INVALID_TICKET", `Ticket ${ticket} inconnu ou déjà utilisé.`);
    if (row.expired) return failure("INVALID_TICKET", `Ticket ${ticket} expiré.`);
    if (row.service !== service) return failure("INVALID_SERVICE", "Ce ticket a été délivré pour un autre service.");
    const c = await ticketConnector(tx, row.connector_id);
    if (!c?.enabled) return failure("UNAUTHORIZED_SERVICE", "Ce service n'est plus ouvert.");
    const u = await ticketHolder(tx, row);
    if (!u) return failure("INVALID_TICKET", "Compte introuvable.");
    const consent = c.category === 5 ? await consentIn(tx, row.user_id, c.id) : null;
    const release = await releasedAttributes(
      deps.config.secret,
      { id: c.id, category: c.category as 1, identifier: c.identifier, requestedAttributes: c.requested_attributes },
      {
        id: row.user_id,
        firstName: u.first_name,
        lastName: u.last_name,
        email: u.email,
        uai: row.uai,
        profile: mainOf(u.profiles),
        classes: u.classes,
      },
      consent,
    );
    if (!release) return failure("UNAUTHORIZED_SERVICE", "Ce service ne reçoit aucune information.");
    return { ok: true, release };
  });
}

/** Marks the ticket used (whatever comes next: a ticket is validated once) and reads what it was issued for. */
async function spendTicket(tx: Tx, ticket: string, now: Date): Promise<TicketRow | null> {
  const [row] = rowsOf<TicketRow>(
    await tx.execute(sql`
      update cas_tickets set used_at = ${now.toISOString()} where id = ${hashOf(ticket)} and used_at is null
      returning user_id, connector_id, uai, service, expires_at <= ${now.toISOString()}::timestamptz as expired`),
  );
  return row ?? null;
}

async function ticketConnector(tx: Tx, connectorId: string) {
  const [c] = rowsOf<{
    id: string;
    category: number;
    identifier: "ent" | "opaque";
    requested_attributes: string[];
    enabled: boolean;
  }>(
    await tx.execute(
      sql`select id, category, identifier, requested_attributes, enabled from connectors where id = ${connectorId}`,
    ),
  );
  return c ?? null;
}

/** The ticket's holder as the school it was issued in sees them: name, e-mail, profiles and classes there. */
async function ticketHolder(tx: Tx, row: TicketRow) {
  const [u] = rowsOf<{
    first_name: string;
    last_name: string;
    email: string | null;
    profiles: ProfileKind[];
    classes: string[];
  }>(
    await tx.execute(sql`
      select u.first_name, u.last_name, u.academic_email as email,
        array(select profile::text from school_profiles where user_id = u.id and uai = ${row.uai}) as profiles,
        array(select c.name from class_members m join classes c on c.id = m.class_id
          where m.user_id = u.id and c.uai = ${row.uai} order by c.name) as classes
      from users u where u.id = ${row.user_id}`),
  );
  return u ?? null;
}

async function consentIn(tx: Tx, userId: string, connectorId: string): Promise<string[] | null> {
  const [row] = rowsOf<{ attributes: string[] }>(
    await tx.execute(sql`
      select attributes from connector_consents where user_id = ${userId} and connector_id = ${connectorId}`),
  );
  return row?.attributes ?? null;
}

const ORDER: ProfileKind[] = ["director", "teacher", "staff", "pupil", "parent", "guest"];
function mainOf(profiles: ProfileKind[]): ProfileKind | null {
  return ORDER.find((k) => profiles.includes(k)) ?? profiles[0] ?? null;
}

const xml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The CAS 2.0/3.0 XML answer. Attributes are in both (the common extension of 2.0 that SDET services rely on). */
export function validationXml(v: Validation): string {
  if (!v.ok) {
    return (
      `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n` +
      `  <cas:authenticationFailure code="${v.code}">${xml(v.message)}</cas:authenticationFailure>\n` +
      "</cas:serviceResponse>\n"
    );
  }
  const attributes = Object.entries(v.release.attributes)
    .flatMap(([name, values]) => values.map((value) => `      <cas:${name}>${xml(value)}</cas:${name}>`))
    .join("\n");
  return (
    `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n` +
    "  <cas:authenticationSuccess>\n" +
    `    <cas:user>${xml(v.release.user)}</cas:user>\n` +
    `    <cas:attributes>\n${attributes ? `${attributes}\n` : ""}    </cas:attributes>\n` +
    "  </cas:authenticationSuccess>\n" +
    "</cas:serviceResponse>\n"
  );
}
