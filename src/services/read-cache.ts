// Per-process read caches for what nearly every request needs: the signed-in principal, the home page's data,
// schools' pupil hours. Entries live `ttlMs` at most and are dropped as soon as the database announces a change
// that concerns them (db/changes.ts): revocation and settings take effect at once, in every process.
import type { WeeklyHours } from "../../db/schema/portal";
import type { Principal } from "./principal";
import type { Home } from "./portal/portal";

interface Entry<T> {
  value: T;
  storedAt: number;
}

class Lru<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(
    private readonly max: number,
    private readonly onEvict: (key: string, value: T) => void = () => {},
  ) {}
  get(key: string, ttlMs: number): T | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (performance.now() - entry.storedAt > ttlMs) {
      this.map.delete(key);
      this.onEvict(key, entry.value);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }
  set(key: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, { value, storedAt: performance.now() });
    if (this.map.size > this.max) {
      const [oldKey, oldEntry] = this.map.entries().next().value!;
      this.map.delete(oldKey);
      this.onEvict(oldKey, oldEntry.value);
    }
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  deleteWhere(test: (key: string, value: T) => boolean): void {
    for (const [key, entry] of this.map) if (test(key, entry.value)) this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

export interface CachedSession {
  principal: Principal;
  expiresAt: Date;
}
export interface CachedHome {
  home: Home;
  uais: string[];
}

export class ReadCache {
  private readonly sessions: Lru<CachedSession>;
  private readonly homes: Lru<CachedHome>;
  private readonly hours: Lru<WeeklyHours>;
  /**
   * Bumped by every invalidation. A reader notes it before querying and stores its result only if it has not
   * moved: a change announced while the query ran would otherwise be overwritten by the older data.
   */
  private generation = 0;
  /** Keys of each user's entries, so that a change of one user costs what that user has cached, not a scan. */
  private readonly byUser = new Map<string, Set<string>>();

  /** `ttlMs` 0 turns caching off (a runtime without change feed). */
  constructor(
    readonly ttlMs: number,
    maxEntries = 20_000,
  ) {
    this.sessions = new Lru(maxEntries, (id, s) => this.forget(s.principal.userId, `s:${id}`));
    this.homes = new Lru(maxEntries, (key) => this.forget(key.slice(0, key.indexOf("|")), `h:${key}`));
    this.hours = new Lru(5_000);
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  session(sessionId: string): CachedSession | undefined {
    return this.enabled ? this.sessions.get(sessionId, this.ttlMs) : undefined;
  }
  storeSession(sessionId: string, value: CachedSession, readAtGeneration: number): void {
    if (!this.enabled || readAtGeneration !== this.generation) return;
    this.sessions.set(sessionId, value);
    this.remember(value.principal.userId, `s:${sessionId}`);
  }

  home(userId: string, activeUai: string | null): CachedHome | undefined {
    return this.enabled ? this.homes.get(`${userId}|${activeUai ?? ""}`, this.ttlMs) : undefined;
  }
  storeHome(userId: string, activeUai: string | null, value: CachedHome, readAtGeneration: number): void {
    if (!this.enabled || readAtGeneration !== this.generation) return;
    this.homes.set(`${userId}|${activeUai ?? ""}`, value);
    this.remember(userId, `h:${userId}|${activeUai ?? ""}`);
  }

  private forget(userId: string, key: string): void {
    const keys = this.byUser.get(userId);
    keys?.delete(key);
    if (keys?.size === 0) this.byUser.delete(userId);
  }

  private remember(userId: string, key: string): void {
    let keys = this.byUser.get(userId);
    if (!keys) {
      keys = new Set();
      this.byUser.set(userId, keys);
    }
    keys.add(key);
  }

  pupilHours(uai: string): WeeklyHours | undefined {
    return this.enabled ? this.hours.get(uai, this.ttlMs) : undefined;
  }
  storePupilHours(uai: string, hours: WeeklyHours, readAtGeneration: number): void {
    if (this.enabled && readAtGeneration === this.generation) this.hours.set(uai, hours);
  }

  /** Applies one key of the change feed. */
  invalidate(key: string): void {
    this.generation += 1;
    const [kind, id = ""] = key.split(/:(.*)/s) as [string, string?];
    switch (kind) {
      case "session":
        this.sessions.delete(id);
        break;
      case "user":
        for (const key of this.byUser.get(id) ?? []) {
          if (key.startsWith("s:")) this.sessions.delete(key.slice(2));
          else this.homes.delete(key.slice(2));
        }
        this.byUser.delete(id);
        break;
      case "school":
        this.hours.delete(id);
        this.homes.deleteWhere((_, h) => h.uais.includes(id));
        break;
      default:
        // "directory", or anything unknown: memberships, profiles or perimeters may have changed.
        this.sessions.clear();
        this.homes.clear();
        this.hours.clear();
        this.byUser.clear();
    }
  }
}
