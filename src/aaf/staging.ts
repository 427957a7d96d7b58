// Loads a delivery's normalised changes into the staging tables: temporary tables of the import's transaction,
// filled with COPY in batches while the files are read (bounded memory whatever the size of the delivery), then
// analysed once full. No index: every later statement reads them whole, by hash joins. The same SQL on PGlite and
// Postgres; the tables go with the transaction.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client";
import { copyField, copyInto } from "../../db/copy";
import type { AafChange } from "./model";

type Field = Parameters<typeof copyField>[0];

/** Each staging table's columns, in COPY order. `file` is the delivery's file number (see StagingWriter.files). */
const TABLES = {
  schools: {
    name: "aaf_stage_schools",
    columns: [
      ["op", "text not null"],
      ["fields", "text[]"],
      ["jointure", "text not null"],
      ["uai", "text"],
      ["name", "text"],
      ["city", "text"],
      ["circ_code", "text"],
      ["circ_name", "text"],
      ["commune_code", "text"],
      ["commune_name", "text"],
      ["rpi_code", "text"],
      ["rpi_name", "text"],
      ["file", "int not null"],
      ["line", "int not null"],
    ],
  },
  people: {
    name: "aaf_stage_people",
    columns: [
      /** pupil | relative | staff */
      ["kind", "text not null"],
      ["op", "text not null"],
      ["fields", "text[]"],
      ["jointure", "text not null"],
      ["first_name", "text"],
      ["last_name", "text"],
      ["birth_date", "text"],
      ["email", "text"],
      ["teacher", "boolean"],
      ["level", "text"],
      ["file", "int not null"],
      ["line", "int not null"],
      /** The id of the account an add creates (unless the person is already known), drawn as it is read. */
      ["user_id", "uuid"],
    ],
  },
  /** People's attachments: structures (and whether they direct them), classes, parent links, functions. */
  links: {
    name: "aaf_stage_links",
    columns: [
      /** structure | class | parent | child | function */
      ["link", "text not null"],
      ["kind", "text not null"],
      ["jointure", "text not null"],
      /** structure jointure, or the other person's jointure for parent/child links */
      ["target", "text not null"],
      ["code", "text"],
      ["label", "text"],
      ["flag", "boolean"],
      ["file", "int not null"],
      ["line", "int not null"],
      /** The user_id of the staged person the link belongs to: no lookup by jointure to find the link's owner. */
      ["user_id", "uuid not null"],
    ],
  },
} as const;

type TableKey = keyof typeof TABLES;
const KEYS = Object.keys(TABLES) as TableKey[];

/** The staging tables, empty, for this transaction only (dropped at its end, whatever the outcome). */
export async function createStagingTables(tx: Tx): Promise<void> {
  for (const key of KEYS) {
    const { name, columns } = TABLES[key];
    await tx.execute(
      sql.raw(`create temp table ${name} (${columns.map(([c, type]) => `${c} ${type}`).join(", ")}) on commit drop`),
    );
  }
}

/**
 * Statistics of a temporary table of the import, for the plans that read it: row counts and rough distributions are
 * all they need, so a small sample (ANALYZE reads 300 × the target rows: 3 000 instead of 30 000).
 */
export async function analyzeTemporary(tx: Tx, table: string): Promise<void> {
  const [setting] = rowsOf<{ target: string }>(
    await tx.execute(sql`select current_setting('default_statistics_target') as target`),
  );
  await tx.execute(sql`select set_config('default_statistics_target', '10', true)`);
  await tx.execute(sql.raw(`analyze ${table}`));
  await tx.execute(sql`select set_config('default_statistics_target', ${setting!.target}, true)`);
}

/** The full staging tables' statistics, for the checks and the reconciliation that read them. */
export async function analyzeStagingTables(tx: Tx): Promise<void> {
  for (const key of KEYS) await analyzeTemporary(tx, TABLES[key].name);
}

/** About 2 MB of COPY text per batch: large enough for few round trips, small enough for little memory. */
export const BATCH_CHARS = 2_000_000;

/** Staging rows as COPY text (or that text in UTF-8), table by table, and how many records they hold. */
export interface StagingBatch {
  schools: string | Uint8Array;
  people: string | Uint8Array;
  links: string | Uint8Array;
  records: number;
}

/**
 * Records turned into staging rows as COPY text, until taken as a batch. Pure JavaScript: it runs wherever the
 * files are read (this thread, or a worker thread of the Node entry).
 */
export class StagingBuffer {
  private parts: Record<TableKey, string[]> = { schools: [], people: [], links: [] };
  /** Characters of COPY text held. */
  chars = 0;
  records = 0;

  /** `file` is the delivery file's number (StagingWriter.fileNumber). */
  add(change: AafChange, file: number): void {
    for (const [table, fields] of stagedRows(change, file)) {
      const line = `${fields.map(copyField).join("\t")}\n`;
      this.parts[table].push(line);
      this.chars += line.length;
    }
    this.records += 1;
  }

  take(): StagingBatch {
    const { parts, records } = this;
    this.parts = { schools: [], people: [], links: [] };
    this.chars = 0;
    this.records = 0;
    return { schools: parts.schools.join(""), people: parts.people.join(""), links: parts.links.join(""), records };
  }
}

/**
 * Parsing and loading overlap: a full batch is copied while the next one is read (one batch in flight at most, so
 * memory stays at two batches, or one per reading thread). `flush()` waits for everything sent; an error of a batch
 * surfaces at the next call.
 */
export class StagingWriter {
  private readonly buffer = new StagingBuffer();
  private inFlight: Promise<void> = Promise.resolve();
  private readonly fileNumbers = new Map<string, number>();
  /** The delivery's files by number: staged rows say where they come from with the number. */
  readonly files: string[] = [];
  staged = 0;

  constructor(
    private readonly tx: Tx,
    private readonly batchChars: number = BATCH_CHARS,
  ) {}

  /** A record read in this thread. */
  async add(change: AafChange): Promise<void> {
    this.buffer.add(change, this.fileNumber(change.source.file));
    if (this.buffer.chars >= this.batchChars) await this.addBatch(this.buffer.take());
  }

  /** Rows formatted elsewhere (a StagingBuffer's batch): copied once the batch in flight is in. */
  async addBatch(batch: StagingBatch): Promise<void> {
    await this.inFlight;
    this.staged += batch.records;
    this.inFlight = this.copy(batch);
    // Kept from becoming an unhandled rejection while the parser runs; the error is rethrown by the next await.
    this.inFlight.catch(() => {});
  }

  async flush(): Promise<void> {
    if (this.buffer.records) await this.addBatch(this.buffer.take());
    await this.inFlight;
  }

  /** Waits for the batch in flight, whatever its outcome (before the transaction ends). */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => {});
  }

  /** The number of a delivery file, given in the order files are first named. */
  fileNumber(name: string): number {
    let n = this.fileNumbers.get(name);
    if (n === undefined) {
      n = this.files.length;
      this.files.push(name);
      this.fileNumbers.set(name, n);
    }
    return n;
  }

  private async copy(batch: StagingBatch): Promise<void> {
    for (const key of KEYS) {
      if (!batch[key].length) continue;
      const { name, columns } = TABLES[key];
      await copyInto(
        this.tx,
        name,
        columns.map(([c]) => c),
        batch[key],
      );
    }
  }
}

/** A change's staged rows: the table, then the values in the order of its columns. */
function* stagedRows(change: AafChange, file: number): Generator<[TableKey, Field[]]> {
  const { line } = change.source;
  if (change.operation === "delete") {
    if (change.kind === "school")
      yield [
        "schools",
        ["delete", null, change.jointure, null, null, null, null, null, null, null, null, null, file, line],
      ];
    else
      yield [
        "people",
        [change.kind, "delete", null, change.jointure, null, null, null, null, null, null, file, line, null],
      ];
    return;
  }
  const op = change.operation;
  const fields = change.operation === "modify" ? change.fields : null;
  const id = crypto.randomUUID();
  const link = (
    l: string,
    kind: string,
    jointure: string,
    target: string,
    code: string | null = null,
    label: string | null = null,
    flag: boolean | null = null,
  ): [TableKey, Field[]] => ["links", [l, kind, jointure, target, code, label, flag, file, line, id]];
  /** A person's staged row: the fields every kind has, then what only some kinds carry. */
  const person = (
    kind: "pupil" | "relative" | "staff",
    p: { jointure: string; firstName?: string; lastName?: string; birthDate?: string | null },
    only: { email?: string | null; teacher?: boolean | null; level?: string | null },
  ): [TableKey, Field[]] => [
    "people",
    [
      kind,
      op,
      fields,
      p.jointure,
      p.firstName || null,
      p.lastName || null,
      p.birthDate,
      only.email ?? null,
      only.teacher ?? null,
      only.level ?? null,
      file,
      line,
      id,
    ],
  ];
  const e = change.entity;
  switch (e.kind) {
    case "school": {
      const s = e.value;
      yield [
        "schools",
        [
          op,
          fields,
          s.jointure,
          s.uai || null,
          s.name || null,
          s.city,
          s.circonscription?.code ?? null,
          s.circonscription?.name ?? null,
          s.commune?.code ?? null,
          s.commune?.name ?? null,
          s.rpi?.code ?? null,
          s.rpi?.name ?? null,
          file,
          line,
        ],
      ];
      return;
    }
    case "pupil": {
      const p = e.value;
      yield person("pupil", p, { level: p.level });
      for (const s of p.structures ?? []) yield link("structure", "pupil", p.jointure, s, null, null, false);
      for (const c of p.classes ?? []) yield link("class", "pupil", p.jointure, c.structureJointure, c.code, c.label);
      for (const parent of p.parents ?? [])
        yield link("parent", "pupil", p.jointure, parent.jointure, parent.relation, null, parent.legalGuardian);
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
        yield link("structure", "staff", s.jointure, st, null, null, (s.directs ?? []).includes(st));
      for (const f of s.functions ?? [])
        yield link("function", "staff", s.jointure, f.structureJointure, f.code, f.label);
      for (const c of s.classes ?? []) yield link("class", "staff", s.jointure, c.structureJointure, c.code, c.label);
      return;
    }
  }
}
