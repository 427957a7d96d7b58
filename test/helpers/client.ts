// A small browser for app.request(): keeps cookies, reads CSRF tokens from the last page, posts forms.
import type { Hono } from "hono";
import { uniqueIp } from "./factories";

export interface Page {
  status: number;
  location: string | null;
  html: string;
  /** The HTML with entities decoded, for asserting on French text with apostrophes. */
  text: string;
  headers: Headers;
}

export function decodeEntities(html: string): string {
  return html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export class TestBrowser {
  private cookies = new Map<string, string>();
  private lastCsrf: string | null = null;
  constructor(
    private readonly app: Hono<any>,
    private readonly ip = uniqueIp(),
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  dropCookie(name: string): void {
    this.cookies.delete(name);
  }

  get csrf(): string | null {
    return this.lastCsrf;
  }

  async get(path: string): Promise<Page> {
    return this.send(path, { method: "GET" });
  }

  /** Posts a form; the CSRF token of the last page is added unless `_csrf` is given (or null to omit it). */
  async post(
    path: string,
    fields: Record<string, string | string[]>,
    options: { csrf?: string | null; origin?: string } = {},
  ): Promise<Page> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const token = options.csrf === undefined ? this.lastCsrf : options.csrf;
    if (token !== null && token !== undefined && !("_csrf" in fields)) body.append("_csrf", token);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (options.origin) headers.origin = options.origin;
    return this.send(path, { method: "POST", body: body.toString(), headers });
  }

  /** Posts JSON as the pages' scripts do: the CSRF token of the last page in the x-csrf-token header. */
  async postJson(path: string, body: unknown): Promise<Page> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.lastCsrf) headers["x-csrf-token"] = this.lastCsrf;
    return this.send(path, { method: "POST", body: JSON.stringify(body), headers });
  }

  /** Posts a multipart form with files, as a browser's file input does. */
  async upload(
    path: string,
    fields: Record<string, string | string[]>,
    files: Record<string, { name: string; content: Uint8Array | string; type?: string }>,
  ): Promise<Page> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    if (this.lastCsrf && !("_csrf" in fields)) form.append("_csrf", this.lastCsrf);
    for (const [k, f] of Object.entries(files))
      form.append(k, new Blob([f.content as BlobPart], { type: f.type ?? "application/octet-stream" }), f.name);
    return this.send(path, { method: "POST", body: form });
  }

  /** Visits the login page (for its CSRF token) then logs in; returns the login response. */
  async login(login: string, password: string): Promise<Page> {
    await this.get("/login");
    return this.post("/login", { login, password });
  }

  private async send(path: string, init: RequestInit): Promise<Page> {
    const headers = new Headers(init.headers);
    headers.set("x-test-ip", this.ip);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await this.app.request(`http://localhost${path}`, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.lastCsrf = token[1]!;
    return {
      status: res.status,
      location: res.headers.get("location"),
      html,
      text: decodeEntities(html),
      headers: res.headers,
    };
  }
}
