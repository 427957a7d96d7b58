import { describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/db";
import { testApp } from "../helpers/platform";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass } from "../helpers/factories";

describe.each(DATABASE_KINDS)("smoke on %s", (kind) => {
  it("logs a teacher in and shows their home", async () => {
    const { app, platform } = await testApp(kind);
    const s = await buildSchoolWithClass(platform.db, platform.passwords);
    const b = new TestBrowser(app);
    const res = await b.login(s.teacher.login, s.teacher.password);
    expect(res.status).toBe(303);
    const home = await b.get("/");
    expect(home.status).toBe(200);
    expect(home.html).toContain(s.school.name);
  });
});
