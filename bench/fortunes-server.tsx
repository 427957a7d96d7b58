// The standard cost of a dynamic page, as in TechEmpower's "Fortunes" test (issue 22): Hono on @hono/node-server and
// postgres.js, one query of the 12 rows of `fortune`, one row added in memory, sorted by message, rendered as an escaped
// HTML table with hono/jsx. bench/cost.ts measures every daily page of the hub against it, in the same run.
// `DATABASE_URL=postgres://… PORT=3002 node --import tsx bench/fortunes-server.tsx` (the table is made if absent).
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

/** TechEmpower's rows, the script one included (it must come out escaped). */
export const FORTUNES: [number, string][] = [
  [1, "fortune: No such file or directory"],
  [2, "A computer scientist is someone who fixes things that aren't broken."],
  [3, "After enough decimal places, nobody gives a damn."],
  [4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"],
  [5, "A computer program does what you tell it to do, not what you want it to do."],
  [6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"],
  [7, "Any program that runs right is obsolete."],
  [8, "A list is only as strong as its weakest link. — Donald Knuth"],
  [9, "Feature: A bug with seniority."],
  [10, "Computers make very fast, very accurate mistakes."],
  [11, '<script>alert("This should not be displayed in a browser alert box.");</script>'],
  [12, "フレームワークのベンチマーク"],
];

const sql = postgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", {
  max: Number(process.env.POOL ?? 10),
  onnotice: () => {},
});

await sql`create table if not exists fortune (id integer primary key, message text not null)`;
await sql`insert into fortune ${sql(FORTUNES.map(([id, message]) => ({ id, message })))} on conflict do nothing`;

const app = new Hono();
app.get("/fortunes", async (c) => {
  const rows = await sql<{ id: number; message: string }[]>`select id, message from fortune`;
  const all = [...rows, { id: 0, message: "Additional fortune added at request time." }];
  all.sort((a, b) => (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return c.html(
    "<!DOCTYPE html>" +
      (
        <html lang="en">
          <head>
            <title>Fortunes</title>
          </head>
          <body>
            <table>
              <tr>
                <th>id</th>
                <th>message</th>
              </tr>
              {all.map((f) => (
                <tr>
                  <td>{f.id}</td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </table>
          </body>
        </html>
      ).toString(),
  );
});

const port = Number(process.env.PORT ?? 3002);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ event: "listening", port: info.port })}\n`);
});

const stop = () => {
  server.close(() => void sql.end({ timeout: 1 }).then(() => process.exit(0)));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
