import { describe, expect, it } from "vitest";
import { csrfTokens } from "../../src/auth/csrf";
import { generateSessionToken, sessionIdFromToken } from "../../src/auth/session-token";
import { safeReturnPath } from "../../src/http/forms";
import { t } from "../../src/i18n";
import { uai } from "../../src/demo/demo";
import { loadConfig } from "../../src/config";

describe("small parts", () => {
  it("CSRF tokens are HMACs of the browser's nonce: another nonce or a forged token fails", async () => {
    const tokens = await csrfTokens("a-secret-of-sufficient-length-123456");
    const nonce = tokens.newNonce();
    const token = await tokens.tokenFor(nonce);
    expect(await tokens.check(nonce, token)).toBe(true);
    expect(await tokens.check(tokens.newNonce(), token)).toBe(false);
    expect(await tokens.check(nonce, token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"))).toBe(false);
    expect(await tokens.check(undefined, token)).toBe(false);
    const other = await csrfTokens("another-secret-of-sufficient-length");
    expect(await other.check(nonce, token)).toBe(false);
  });

  it("session tokens are 160 random bits; only their SHA-256 is stored", () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(generateSessionToken()).not.toBe(token);
    expect(sessionIdFromToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdFromToken(token)).toBe(sessionIdFromToken(token));
  });

  it("return paths stay on this site", () => {
    expect(safeReturnPath("/compte")).toBe("/compte");
    expect(safeReturnPath("/classes/abc?x=1")).toBe("/classes/abc?x=1");
    expect(safeReturnPath("//evil.example/")).toBe("/");
    expect(safeReturnPath("https://evil.example/")).toBe("/");
    expect(safeReturnPath("/\\evil.example")).toBe("/");
    expect(safeReturnPath("javascript:alert(1)")).toBe("/");
  });

  it("messages fill their placeholders", () => {
    expect(t("home.hello", { name: "Léa" })).toBe("Bonjour Léa !");
    expect(t("login.error.ip_blocked", { minutes: 12 })).toContain("12 minutes");
  });

  it("UAIs carry their check letter", () => {
    expect(uai(751234)).toBe(`0751234${"ABCDEFGHJKLMNPRSTUVWXYZ"[751234 % 23]}`);
    expect(uai(990001)).toMatch(/^0990001[A-Z]$/);
  });

  it("configuration refuses nonsense numbers with a French message", () => {
    expect(() => loadConfig({ PREAU_SESSION_MINUTES: "beaucoup" }, "s")).toThrow(/Paramètre numérique invalide/);
    expect(loadConfig({}, "s").session.lifetimeMinutes).toBe(240);
  });
});
