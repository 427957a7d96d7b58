// Loads a delivery's normalised changes into the staging tables, in batches (one JSON parameter per batch, turned
// into rows by Postgres): bounded memory whatever the size of the delivery, and the same SQL on PGlite and Postgres.
import { sql } from "drizzle-orm";
import { systemScope, withSystemBulk, withTenant, type Database } from "../../db/client";
import type { AafChange } from "./model";

type Row = Record<string, unknown>;

const TABLES = {
  schools: "aaf_stage_schools",
  people: "aaf_stage_people",
  links: "aaf_stage_links",
} as const;

/**
 * Parsing and loading overlap: a full batch is sent while the next one is read (one batch in flight at most, so
 * memory stays at two batches). `flush()` waits for everything sent; an error of a batch surfaces at the next call.
 */
export class StagingWriter {
  private buffers: Record<keyof typeof TABLES, Row[]> = { schools: [], people: [], links: [] };
  private pending = 0;
  private inFlight: Promise<void> = Promise.resolve();
  staged = 0;

  constructor(
    private readonly db: Database,
    private readonly importId: string,
    private readonly batchRows = 4000,
  ) {}

  async add(change: AafChange): Promise<void> {
    for (const [table, row] of rowsOf(change, this.importId)) {
      this.buffers[table].push(row);
      this.pending += 1;
    }
    this.staged += 1;
    if (this.pending >= this.batchRows) await this.send();
  }

  async flush(): Promise<void> {
    await this.send();
    await this.inFlight;
  }

  /** Waits for the batch in flight, whatever its outcome (before the staging rows are cleared). */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => {});
  }

  private async send(): Promise<void> {
    await this.inFlight;
    if (this.pending === 0) return;
    const buffers = this.buffers;
    this.buffers = { schools: [], people: [], links: [] };
    this.pending = 0;
    this.inFlight = withSystemBulk(this.db, async (tx) => {
      for (const key of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
        if (buffers[key].length === 0) continue;
        const table = sql.raw(TABLES[key]);
        const rows = JSON.stringify(buffers[key]);
        await tx.execute(sql`insert into ${table}
          select * from json_populate_recordset(null::${table}, ${rows}::json)`);
      }
    });
    // Kept from becoming an unhandled rejection while the parser runs; the error is rethrown by the next await.
    this.inFlight.catch(() => {});
  }
}

export async function clearStaging(db: Database, importId: string): Promise<void> {
  await withTenant(db, systemScope, async (tx) => {
    for (const table of Object.values(TABLES))
      await tx.execute(sql`delete from ${sql.raw(table)} where import_id = ${importId}`);
  });
}

function* rowsOf(change: AafChange, importId: string): Generator<[keyof typeof TABLES, Row]> {
  const { file, line } = change.source;
  if (change.operation === "delete") {
    if (change.kind === "school")
      yield ["schools", { import_id: importId, op: "delete", jointure: change.jointure, file, line }];
    else
      yield ["people", { import_id: importId, kind: change.kind, op: "delete", jointure: change.jointure, file, line }];
    return;
  }
  const op = change.operation;
  const fields = change.operation === "modify" ? change.fields : null;
  const link = (
    l: string,
    kind: string,
    jointure: string,
    target: string,
    extra: Row = {},
  ): [keyof typeof TABLES, Row] => [
    "links",
    { import_id: importId, link: l, kind, jointure, target, file, line, ...extra },
  ];
  /** A person's staged row: the fields every kind has, then what only some kinds carry. */
  const person = (
    kind: "pupil" | "relative" | "staff",
    p: { jointure: string; firstName?: string; lastName?: string; birthDate?: string | null },
    only: { email?: string | null; teacher?: boolean | null; level?: string | null },
  ): [keyof typeof TABLES, Row] => [
    "people",
    {
      import_id: importId,
      kind,
      op,
      fields,
      jointure: p.jointure,
      first_name: p.firstName || null,
      last_name: p.lastName || null,
      birth_date: p.birthDate,
      email: only.email ?? null,
      teacher: only.teacher ?? null,
      level: only.level ?? null,
      file,
      line,
    },
  ];
  const e = change.entity;
  switch (e.kind) {
    case "school": {
      const s = e.value;
      yield [
        "schools",
        {
          import_id: importId,
          op,
          fields,
          jointure: s.jointure,
          uai: s.uai || null,
          name: s.name || null,
          city: s.city,
          circ_code: s.circonscription?.code ?? null,
          circ_name: s.circonscription?.name ?? null,
          commune_code: s.commune?.code ?? null,
          commune_name: s.commune?.name ?? null,
          rpi_code: s.rpi?.code ?? null,
          rpi_name: s.rpi?.name ?? null,
          file,
          line,
        },
      ];
      return;
    }
    case "pupil": {
      const p = e.value;
      yield person("pupil", p, { level: p.level });
      for (const s of p.structures ?? []) yield link("structure", "pupil", p.jointure, s, { flag: false });
      for (const c of p.classes ?? [])
        yield link("class", "pupil", p.jointure, c.structureJointure, { code: c.code, label: c.label });
      for (const parent of p.parents ?? []) {
        yield link("parent", "pupil", p.jointure, parent.jointure, {
          code: parent.relation,
          flag: parent.legalGuardian,
        });
      }
      return;
    }
    case "relative": {
      const r = e.value;
      yield person("relative", r, {});
      for (const child of r.children ?? []) yield link("child", "relative", r.jointure, child);
      return;
    }
    case "staff": {
      const s = e.value;
      yield person("staff", s, { email: s.email, teacher: s.teacher });
      const structures = new Set([...(s.structures ?? []), ...(s.directs ?? [])]);
      for (const st of structures)
        yield link("structure", "staff", s.jointure, st, { flag: (s.directs ?? []).includes(st) });
      for (const f of s.functions ?? [])
        yield link("function", "staff", s.jointure, f.structureJointure, { code: f.code, label: f.label });
      for (const c of s.classes ?? [])
        yield link("class", "staff", s.jointure, c.structureJointure, { code: c.code, label: c.label });
      return;
    }
  }
}
