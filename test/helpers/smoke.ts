// The smoke suite every runtime's entry passes over real HTTP and websockets (issue 22): the French login page, a demo
// login with the CSRF token, the signed-in home page, and a wall's room syncing two official y-websocket clients,
// whose post-it the page without JavaScript then shows. Used by test/integration/deno-smoke.test.ts (Deno) and
// test/integration/workerd-smoke.test.ts (workerd); call it inside a describe whose hooks start the server.
import { expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_SCHOOLS } from "../../src/demo/demo";
import { t } from "../../src/i18n";
import { addPostit, readPostits } from "../../realtime/wall-model";
import { decodeEntities } from "./client";
import { CookieJar } from "./http";
import { postitOf, until, yClient, type Client } from "./realtime";

export interface SmokeTarget {
  /** http://host:port of the running server. */
  base: string;
  /** The session cookie's name there (preau_session, or __Host-preau_session with secure cookies). */
  sessionCookie: string;
  /** The demo's walls hold post-its already (rooms written by the demo builder); not on Workers, whose rooms are
   *  Durable Objects that the Node demo builder does not reach. */
  demoPostits: boolean;
}

export function smokeSuite(target: () => SmokeTarget): { clients: Client[] } {
  const clients: Client[] = [];

  it("serves the French login page with its hashed static files, and the readiness probe (the database answers)", async () => {
    const { base } = target();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    const page = await fetch(`${base}/login`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(decodeEntities(html)).toContain(t("login.title"));
    expect(decodeEntities(html)).toContain(t("login.submit"));
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    const css = /href="(\/static\/build\/preau\.[0-9a-f]{12}\.css)"/.exec(html);
    expect(css).not.toBeNull();
    const file = await fetch(base + css![1]);
    expect(file.status).toBe(200);
    expect(file.headers.get("cache-control")).toContain("immutable");
    await file.arrayBuffer();
  });

  it("signs a demo teacher in with the CSRF token, shows her home, and syncs her class wall over websockets", async () => {
    const { base, sessionCookie, demoPostits } = target();
    const jar = new CookieJar();
    const form = await jar.fetch(`${base}/login`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    expect(csrf).toBeTruthy();
    const login = await jar.post(`${base}/login`, { login: "demo.enseignant", password: DEMO_PASSWORD, _csrf: csrf! });
    expect(login.res.status).toBe(303);
    const session = jar.cookies.get(sessionCookie);
    expect(session).toBeTruthy();

    const home = await jar.fetch(`${base}/`);
    expect(home.res.status).toBe(200);
    expect(decodeEntities(home.body)).toContain(t("nav.home"));
    expect(decodeEntities(home.body)).toContain(DEMO_SCHOOLS[0]!.name);

    const walls = await jar.fetch(`${base}/murs`);
    expect(walls.res.status).toBe(200);
    const wallPath = /href="(\/murs\/[0-9a-f-]{36})"/.exec(walls.body)?.[1];
    expect(wallPath).toBeTruthy();
    const wall = await jar.fetch(base + wallPath!);
    expect(wall.res.status).toBe(200);
    const room = /data-room="([^"]+)"/.exec(wall.body)?.[1];
    const userId = /data-user="([^"]+)"/.exec(wall.body)?.[1];
    expect(room).toMatch(/^[0-9]{7}[A-Z]:wall:[0-9a-f-]{36}$/);

    // Two official clients with the session cookie, as the wall page's script opens them (same origin: no Origin).
    const headers = { cookie: `${sessionCookie}=${session}` };
    const ws = `${base.replace(/^http/, "ws")}/salles`;
    const a = await yClient(ws, room!, { headers });
    clients.push(a);
    const b = await yClient(ws, room!, { headers });
    clients.push(b);
    if (demoPostits) expect(readPostits(a.doc).length).toBeGreaterThan(0);
    const text = `Écrit pendant le test de fumée ${Date.now()}`;
    addPostit(a.doc, postitOf(userId!, { text }));
    await until(() => readPostits(b.doc).some((p) => p.text === text), 10_000, "the other client never got it");
    expect(samePostits(a, b)).toBe(true);
    // Stored before it was sent on: the server's own view of the room (the page without JavaScript) has it.
    const page = await jar.fetch(base + wallPath!);
    expect(decodeEntities(page.body)).toContain(text);
  });

  return { clients };
}

function samePostits(a: Client, b: Client): boolean {
  return (
    JSON.stringify(readPostits(a.doc).sort((x, y) => x.id.localeCompare(y.id))) ===
    JSON.stringify(readPostits(b.doc).sort((x, y) => x.id.localeCompare(y.id)))
  );
}
