// What the proxy reads in the identity providers' assertions: names as data, each by its OID (ÉduConnect's
// urn:oid:1.3.6.1.4.1.20326.10.999.1.<n>) and its friendly name, since both forms are seen in the field.
const EDUCONNECT = "urn:oid:1.3.6.1.4.1.20326.10.999.1";

export const ATTRIBUTE_NAMES = {
  refId: ["FrEduCtRefId"],
  eduConnectId: [`${EDUCONNECT}.57`, "FrEduCtId"],
  affiliation: [`${EDUCONNECT}.7`, "FrEduCtPersonAffiliation"],
  lastName: ["urn:oid:2.5.4.4", "sn"],
  firstName: ["urn:oid:2.5.4.42", "givenName"],
  /** Arena / guichet agent: the academic e-mail. */
  email: ["ctemail", "mail", "urn:oid:0.9.2342.19200300.100.1.3"],
} as const;

export type AttributeKey = keyof typeof ATTRIBUTE_NAMES;

/** Values of an attribute in samlify's extract (a string, or an array for several values). */
export function valuesOf(attributes: Record<string, unknown> | undefined, key: AttributeKey): string[] {
  for (const name of ATTRIBUTE_NAMES[key]) {
    const v = attributes?.[name];
    if (v === undefined || v === null) continue;
    return (Array.isArray(v) ? v : [v]).map((x) => String(x).trim()).filter(Boolean);
  }
  return [];
}
