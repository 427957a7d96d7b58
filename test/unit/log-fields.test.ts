// 21 F6: what an error log line keeps of an error — the error and the failed query named, never the values a
// request sent (drizzle prints them in its message and keeps them in `params`; Postgres quotes the one it refused).
import { describe, expect, it } from "vitest";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { errorFields } from "../../src/log";

describe("errorFields", () => {
  it("a failed query: its text, the database's code and names, the driver's message with the value blanked", () => {
    const driver = Object.assign(new Error('invalid input syntax for type uuid: "Objet très privé"'), {
      name: "PostgresError",
      code: "22P02",
      table_name: "messages",
      detail: "Key (subject)=(Objet très privé) already exists.",
    });
    const err = new DrizzleQueryError("select * from messages\n  where subject = $1", ["Objet très privé"], driver);
    const fields = errorFields(err);
    expect(fields).toMatchObject({
      error: 'PostgresError: invalid input syntax for type uuid: "…"',
      query: "select * from messages where subject = $1",
      code: "22P02",
      table: "messages",
    });
    expect(JSON.stringify(fields)).not.toContain("privé");
    expect(String(fields.stack)).toMatch(/^\s+at /);
  });

  it("other errors: quoted text blanked, the stack's frames without the message line", () => {
    let parseError: unknown;
    try {
      JSON.parse("mot de passe: secret");
    } catch (e) {
      parseError = e;
    }
    const fields = errorFields(parseError);
    expect(String(fields.error)).toMatch(/^SyntaxError: /);
    expect(JSON.stringify(fields)).not.toContain("secret");
    expect(errorFields(new RangeError("Invalid time value"))).toMatchObject({
      error: "RangeError: Invalid time value",
    });
    expect(errorFields("'caché'")).toEqual({ error: '"…"' });
    // A wrapper with nothing inside it says only that a query failed.
    expect(errorFields(new DrizzleQueryError("select $1", ["caché"])).error).toBe("query failed");
  });
});
