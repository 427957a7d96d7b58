// What a connector's category lets the hub tell a third-party service about a user (3.11.1.3). The policy is
// code, the choice of category is data: 1 nothing (a plain link); 2 the ENT id, UAI and profile; 3 an opaque id
// for this user and this service only, profile and UAI; 4 the ENT id or the opaque id and nothing else; 5 an opaque
// id plus exactly the attributes the user agreed to on the consent screen.
import type { ProfileKind } from "../principal";

export type Category = 1 | 2 | 3 | 4 | 5;

/** Attributes a category-5 service may ask for, each shown to the user by this name. */
export const CONSENTABLE = ["last_name", "first_name", "email", "profile", "uai", "classes", "ent_id"] as const;
export type Consentable = (typeof CONSENTABLE)[number];

/** SDET §4.7 profile codes ("Profils de l'accédant"). */
export const NATIONAL_PROFILE: Record<ProfileKind, string> = {
  pupil: "National_ELV",
  parent: "National_TUT",
  teacher: "National_ENS",
  director: "National_DIR",
  staff: "National_ETA",
  guest: "National_ETA",
  inspector: "National_ACA",
  adviser: "National_ACA",
  municipality: "National_COL",
  academie_admin: "National_ACA",
};

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  uai: string | null;
  profile: ProfileKind | null;
  classes: string[];
}

export interface ConnectorPolicy {
  id: string;
  category: Category;
  identifier: "ent" | "opaque";
  requestedAttributes: readonly string[];
}

export interface Release {
  user: string;
  attributes: Record<string, string[]>;
}

/**
 * The identifier of this user for this service alone: HMAC of both ids under the platform secret (stable, unlinkable).
 */
export async function opaqueId(secret: string, connectorId: string, userId: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(`opaque-id:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${connectorId}:${userId}`)),
  );
  return [...mac.slice(0, 20)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function attributeOf(name: Consentable, person: Person): [string, string[]] | null {
  switch (name) {
    case "last_name":
      return ["ENTPersonNom", [person.lastName]];
    case "first_name":
      return ["ENTPersonPrenom", [person.firstName]];
    case "email":
      return person.email ? ["ENTPersonMail", [person.email]] : null;
    case "profile":
      return person.profile ? ["ENTPersonProfils", [NATIONAL_PROFILE[person.profile]]] : null;
    case "uai":
      return person.uai ? ["ENTPersonStructRattachUAI", [person.uai]] : null;
    case "classes":
      return person.classes.length
        ? [person.profile === "pupil" ? "ENTEleveClasses" : "ENTAuxEnsClasses", person.classes]
        : null;
    case "ent_id":
      return ["ENTPersonIdentifiant", [person.id]];
  }
}

function collect(names: readonly Consentable[], person: Person): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of names) {
    const a = attributeOf(n, person);
    if (a) out[a[0]] = a[1];
  }
  return out;
}

/**
 * What is released. Null for category 1 (nothing, not even an identifier: no ticket is ever issued) and for a
 * category-5 service without the user's consent. `consented`: the attributes the user agreed to.
 */
export async function releasedAttributes(
  secret: string,
  connector: ConnectorPolicy,
  person: Person,
  consented: readonly string[] | null,
): Promise<Release | null> {
  const opaque = () => opaqueId(secret, connector.id, person.id);
  switch (connector.category) {
    case 1:
      return null;
    case 2:
      return { user: person.id, attributes: collect(["uai", "profile"], person) };
    case 3:
      return { user: await opaque(), attributes: collect(["uai", "profile"], person) };
    case 4:
      return { user: connector.identifier === "ent" ? person.id : await opaque(), attributes: {} };
    case 5: {
      if (!consented) return null;
      const allowed = CONSENTABLE.filter((n) => connector.requestedAttributes.includes(n) && consented.includes(n));
      return { user: await opaque(), attributes: collect(allowed, person) };
    }
  }
}
