import { PGlite } from "@electric-sql/pglite";
let t=performance.now(); const db = await PGlite.create(); console.log("create", performance.now()-t);
t=performance.now(); await db.query("select 1"); console.log("q", performance.now()-t);
t=performance.now(); const d = await db.dumpDataDir("none"); console.log("dump", performance.now()-t, d.size);
t=performance.now(); const db2 = await PGlite.create({loadDataDir: d}); console.log("load", performance.now()-t);
