// Every route of a signed-in router (routes/guards.ts signedInRoutes) sends anonymous visitors to the login page and
// changes nothing: the guard its handlers' types rely on (c.var.principal is never null there) really runs.
import { describe, expect, it } from "vitest";
import { testApp } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { SIGNED_IN_ROUTERS } from "../../routes/guards";

const SOME_ID = "00000000-0000-4000-8000-000000000000";

describe("signed-in routes", () => {
  it("every path of a signed-in router lies under one of its guarded prefixes", async () => {
    await testApp("pglite");
    expect(SIGNED_IN_ROUTERS.length).toBeGreaterThan(0);
    for (const { prefixes, routes } of SIGNED_IN_ROUTERS) {
      for (const r of routes.routes) {
        if (r.method === "ALL") continue; // the guards themselves
        expect(
          prefixes.some((p) => r.path === p || r.path.startsWith(`${p}/`)),
          `${r.method} ${r.path}`,
        ).toBe(true);
      }
    }
  });

  it("anonymous GET and POST requests to each of them go to /login", async () => {
    const { app } = await testApp("pglite");
    const b = new TestBrowser(app);
    await b.get("/login"); // a CSRF token, so POSTs reach the guard rather than the CSRF check
    let checked = 0;
    for (const { routes } of SIGNED_IN_ROUTERS) {
      for (const r of routes.routes) {
        if (r.method !== "GET" && r.method !== "POST") continue;
        const path = r.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, SOME_ID);
        const res = r.method === "GET" ? await b.get(path) : await b.post(path, {});
        expect([res.status, res.location], `${r.method} ${path}`).toEqual([303, "/login"]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
