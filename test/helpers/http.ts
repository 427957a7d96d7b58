// Tests that talk to a real server over HTTP: a free port, and a browser's cookie jar over fetch.
import { createServer } from "node:net";

/** A port nothing listens on now, on 127.0.0.1. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** A browser's cookie jar over fetch, following nothing by itself. */
export class CookieJar {
  cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<{ res: Response; body: string }> {
    const headers = new Headers(init.headers);
    headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(url, { ...init, redirect: "manual", headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return { res, body: await res.text() };
  }
  async post(url: string, fields: Record<string, string>) {
    return this.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }
  /** Follows redirects inside `base`; stops at a page or at the first redirect leaving it. */
  async follow(url: string, base: string): Promise<{ res: Response; body: string; url: string }> {
    let current = url;
    for (let i = 0; i < 10; i++) {
      const got = await this.fetch(current);
      const location = got.res.headers.get("location");
      if (!location) return { ...got, url: current };
      const next = new URL(location, current).href;
      if (!next.startsWith(base)) return { ...got, url: next };
      current = next;
    }
    throw new Error("too many redirects");
  }
}
