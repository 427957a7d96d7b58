// Caches are per process; the database's change feed keeps them true across processes (two apps = two processes).
import { beforeAll, describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { DATABASE_KINDS } from "../helpers/db";
import { testPlatform, type TestPlatform } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass } from "../helpers/factories";
import { createApp } from "../../src/app";

async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe.each(DATABASE_KINDS)("caches across processes on %s", (kind) => {
  let tp: TestPlatform;
  let first: Hono<any>;
  let second: Hono<any>;
  beforeAll(async () => {
    tp = await testPlatform(kind);
    first = await createApp(tp.platform);
    second = await createApp(tp.platform);
  });

  it("a logout in one process ends the session in the other at once", async () => {
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const a = new TestBrowser(first);
    await a.login(s.teacher.login, s.teacher.password);
    const b = new TestBrowser(second);
    b.setCookie("__Host-preau_session", a.cookie("__Host-preau_session")!);
    expect((await b.get("/")).status).toBe(200);
    expect((await b.get("/")).status).toBe(200); // now served from the second process's cache
    await a.get("/");
    await a.post("/logout", {});
    expect(await eventually(async () => (await b.get("/")).status === 303)).toBe(true);
  });

  it("a preference changed in one process shows in the other; a class setting reaches families' homes", async () => {
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const a = new TestBrowser(first);
    await a.login(s.teacher.login, s.teacher.password);
    const b = new TestBrowser(second);
    b.setCookie("__Host-preau_session", a.cookie("__Host-preau_session")!);
    expect((await b.get("/")).html).not.toContain("font-dyslexic");
    await a.get("/");
    await a.post("/preferences/police", { police: "dyslexic", retour: "/" });
    expect(await eventually(async () => (await b.get("/")).html.includes("font-dyslexic"))).toBe(true);

    const pupil = new TestBrowser(second);
    await pupil.login(s.pupil.login, s.pupil.password);
    expect((await pupil.get("/")).html).toContain('href="/classes"');
    await a.post(`/classes/${s.classId}/applis`, { eleves: "classes" });
    expect(await eventually(async () => !(await pupil.get("/")).html.includes('href="/classes"'))).toBe(true);
  });
});
