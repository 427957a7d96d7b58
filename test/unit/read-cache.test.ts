import { describe, expect, it } from "vitest";
import { ReadCache } from "../../src/services/read-cache";
import type { Principal } from "../../src/services/principal";
import type { Home } from "../../src/services/portal/portal";

const principal = (userId: string) => ({ userId }) as Principal;
const home = { mainProfile: "teacher" } as Home;
const later = new Date(Date.now() + 3_600_000);

describe("per-process read cache", () => {
  it("drops a session on its own key, on its user's key and on a directory change", () => {
    const cache = new ReadCache(60_000);
    const g = cache.currentGeneration;
    cache.storeSession("s1", { principal: principal("u1"), expiresAt: later }, g);
    cache.storeSession("s2", { principal: principal("u2"), expiresAt: later }, g);
    cache.invalidate("session:s1");
    expect(cache.session("s1")).toBeUndefined();
    expect(cache.session("s2")).toBeDefined();
    cache.invalidate("user:u2");
    expect(cache.session("s2")).toBeUndefined();
    cache.storeSession("s3", { principal: principal("u3"), expiresAt: later }, cache.currentGeneration);
    cache.invalidate("directory");
    expect(cache.session("s3")).toBeUndefined();
  });

  it("drops the homes that involve a school when that school's settings change", () => {
    const cache = new ReadCache(60_000);
    cache.storeHome("u1", "0000001B", { home, uais: ["0000001B", "0000002C"] }, cache.currentGeneration);
    cache.storeHome("u2", "0000003D", { home, uais: ["0000003D"] }, cache.currentGeneration);
    cache.invalidate("school:0000002C");
    expect(cache.home("u1", "0000001B")).toBeUndefined();
    expect(cache.home("u2", "0000003D")?.home).toBe(home);
  });

  it("never stores a read that a change overtook while it ran", () => {
    const cache = new ReadCache(60_000);
    const before = cache.currentGeneration;
    cache.invalidate("user:u1");
    cache.storeSession("s1", { principal: principal("u1"), expiresAt: later }, before);
    expect(cache.session("s1")).toBeUndefined();
  });

  it("is off when its lifetime is zero, and forgets entries after their lifetime", async () => {
    const off = new ReadCache(0);
    off.storeSession("s1", { principal: principal("u1"), expiresAt: later }, off.currentGeneration);
    expect(off.session("s1")).toBeUndefined();
    const short = new ReadCache(5);
    short.storeSession("s1", { principal: principal("u1"), expiresAt: later }, short.currentGeneration);
    await new Promise((r) => setTimeout(r, 15));
    expect(short.session("s1")).toBeUndefined();
  });

  it("keeps at most its size, forgetting the least recently used", () => {
    const cache = new ReadCache(60_000, 2);
    const g = cache.currentGeneration;
    cache.storeSession("a", { principal: principal("a"), expiresAt: later }, g);
    cache.storeSession("b", { principal: principal("b"), expiresAt: later }, g);
    cache.session("a");
    cache.storeSession("c", { principal: principal("c"), expiresAt: later }, g);
    expect(cache.session("b")).toBeUndefined();
    expect(cache.session("a")).toBeDefined();
  });
});
