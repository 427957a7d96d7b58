import { describe, expect, it } from "vitest";
import { passwordHasher, passwordProblem, portableScrypt } from "../../src/auth/password";
import { nativeScrypt } from "../../src/node/scrypt";

describe("password hashes", () => {
  const native = passwordHasher(nativeScrypt);
  const portable = passwordHasher(portableScrypt);

  it("stores a self-describing scrypt hash with OWASP parameters and a random salt", async () => {
    const a = await native.hash("cheval-batterie-agrafe");
    const b = await native.hash("cheval-batterie-agrafe");
    expect(a).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await native.verify(a, "cheval-batterie-agrafe")).toBe(true);
    expect(await native.verify(a, "cheval-batterie-agrafé")).toBe(false);
    expect(await native.verify("not a hash", "x")).toBe(false);
  });

  it("is portable: a hash made natively on Node verifies with the pure-JS scrypt of Workers, and back", async () => {
    const made = await native.hash("Éléphant rose 42");
    expect(await portable.verify(made, "Éléphant rose 42")).toBe(true);
    const back = await portable.hash("mot de passe");
    expect(await native.verify(back, "mot de passe")).toBe(true);
  });

  it("treats composed and decomposed accents alike (NFC)", async () => {
    const made = await native.hash("\u00e9cole");
    expect(await native.verify(made, "e\u0301cole")).toBe(true);
  });

  it("refuses weak chosen passwords", () => {
    expect(passwordProblem("court", null)).toBe("too_short");
    expect(passwordProblem("x".repeat(201), null)).toBe("too_long");
    expect(passwordProblem("jean.dupont-2026", "jean.dupont")).toBe("same_as_login");
    expect(passwordProblem("aaaaabbbbb", null)).toBe("too_simple");
    expect(passwordProblem("le chat dort au soleil", "jean.dupont")).toBeNull();
  });
});
