// 3.11.1.3: each connector category releases exactly its allowed attributes; consent refusal releases nothing.
import { describe, expect, it } from "vitest";
import {
  opaqueId,
  releasedAttributes,
  type ConnectorPolicy,
  type Person,
} from "../../src/services/identity/attribute-release";

const person: Person = {
  id: "7a0c7c52-4a39-4f39-9d7e-7c2f0c1d9a11",
  firstName: "Léa",
  lastName: "Martin",
  email: "lea@ac-test.fr",
  uai: "0751234A",
  profile: "pupil",
  classes: ["CM1"],
};
const connector = (category: ConnectorPolicy["category"], extra: Partial<ConnectorPolicy> = {}): ConnectorPolicy => ({
  id: "c1",
  category,
  identifier: "opaque",
  requestedAttributes: [],
  ...extra,
});
const SECRET = "un-secret-de-test-assez-long-pour-hmac";

describe("3.11.1.3 attribute release by connector category", () => {
  it("category 1 releases nothing at all", async () => {
    expect(await releasedAttributes(SECRET, connector(1), person, null)).toBeNull();
  });
  it("category 2 releases the ENT id, UAI and profile, nothing else", async () => {
    expect(await releasedAttributes(SECRET, connector(2), person, null)).toEqual({
      user: person.id,
      attributes: { ENTPersonStructRattachUAI: ["0751234A"], ENTPersonProfils: ["National_ELV"] },
    });
  });
  it("category 3 releases an opaque id per user and service, profile and UAI", async () => {
    const r = await releasedAttributes(SECRET, connector(3), person, null);
    expect(r!.user).toMatch(/^[0-9a-f]{40}$/);
    expect(r!.user).not.toContain(person.id.slice(0, 8));
    expect(Object.keys(r!.attributes).sort()).toEqual(["ENTPersonProfils", "ENTPersonStructRattachUAI"]);
    // Stable for this service, different for another: two services cannot link their users.
    expect(await opaqueId(SECRET, "c1", person.id)).toBe(r!.user);
    expect(await opaqueId(SECRET, "c2", person.id)).not.toBe(r!.user);
  });
  it("category 4 releases the chosen identifier and nothing else", async () => {
    expect(await releasedAttributes(SECRET, connector(4, { identifier: "ent" }), person, null)).toEqual({
      user: person.id,
      attributes: {},
    });
    const opaque = await releasedAttributes(SECRET, connector(4), person, null);
    expect(opaque).toEqual({ user: await opaqueId(SECRET, "c1", person.id), attributes: {} });
  });
  it("category 5 releases what was both asked for and agreed to; no consent releases nothing", async () => {
    const c = connector(5, { requestedAttributes: ["last_name", "first_name", "classes"] });
    expect(await releasedAttributes(SECRET, c, person, null)).toBeNull();
    const r = await releasedAttributes(SECRET, c, person, ["first_name", "email", "classes"]);
    expect(r!.attributes).toEqual({ ENTPersonPrenom: ["Léa"], ENTEleveClasses: ["CM1"] });
    expect((await releasedAttributes(SECRET, c, person, []))!.attributes).toEqual({});
  });
});
