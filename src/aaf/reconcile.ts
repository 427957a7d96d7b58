// Checks a staged delivery against itself and the directory, then applies it in set-based SQL: every step is one
// statement over the whole delivery (INSERT … SELECT, UPDATE … FROM, anti-joins), never a statement per record.
// Both run in the caller's transaction, which also holds the staging tables (staging.ts): the caller commits only
// when everything went through (all or nothing, 4.4).
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client";
import type { AafCounts } from "../../db/schema/aaf";
import type { AafProblem, AafSetInfo } from "./model";
import { analyzeTemporary } from "./staging";

export interface ReconcileContext {
  /** Académie code: external ids are `<ACADEMY>-<jointure>` (the key ÉduConnect gives back). */
  academy: string;
  mode: AafSetInfo["mode"];
  schoolYear: string;
  now: Date;
  /** The delivery's files by the number staged rows carry (StagingWriter.files). */
  files: readonly string[];
  /** A complete import that would pre-delete more than this share of a school's accounts is refused. */
  maxPreDeleteShare: number;
  /** …when the school has at least this many accounts (tiny schools change a lot in proportion). */
  plausibilityMinAccounts: number;
  /**
   * A first import creating at least this many accounts suspends its foreign keys (checked whole at the end); a smaller
   * one checks them row by row, cheaper than checking whole tables and without locking them.
   */
  bulkMinAccounts: number;
}

const MAX_LISTED = 50;
/** School years run from September to August. */
export function schoolYearOf(date: Date): string {
  const y = date.getUTCFullYear();
  return date.getUTCMonth() >= 7 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}

interface ProblemRow {
  file: number | null;
  line: number | null;
  message: string;
}

async function collect(tx: Tx, ctx: ReconcileContext, code: string, query: SQL): Promise<AafProblem[]> {
  const rows = rowsOf<ProblemRow>(await tx.execute(sql`${query} limit ${MAX_LISTED + 1}`));
  const problems = rows.slice(0, MAX_LISTED).map((r) => {
    const file = r.file === null ? undefined : ctx.files[Number(r.file)];
    return { code, message: r.message, ...(file ? { source: { file, line: Number(r.line ?? 0) } } : {}) };
  });
  if (rows.length > MAX_LISTED)
    problems.push({ code, message: `… et d'autres erreurs du même type (${MAX_LISTED} premières listées).` });
  return problems;
}

/** Everything that makes the delivery unsafe to apply, each with where it was found. Empty = safe. */
export async function checkStaged(tx: Tx, ctx: ReconcileContext): Promise<AafProblem[]> {
  const P = `${ctx.academy}-`;
  const complete = ctx.mode === "complete";
  // The external ids this delivery names, once each: "who is absent from a complete delivery" is then a hash join
  // instead of a comparison of every account with every staged row.
  // Grouped once, it also finds the jointures delivered twice.
  await tx.execute(sql`create temp table aaf_delivered on commit drop as
    select jointure, ${P} || jointure as external_id, bool_or(op <> 'delete') as present,
      bool_or(op = 'delete') as deleted, count(*) filter (where op <> 'delete') as times,
      min(file) filter (where op <> 'delete') as file, min(line) filter (where op <> 'delete') as line
    from aaf_stage_people group by jointure`);
  await analyzeTemporary(tx, "aaf_delivered");

  /**
   * Links to a person of `kind` who is neither delivered now nor, for a delta, already in the directory. Only the
   * flagged parent links (legal guardians) must resolve.
   */
  const unknownPerson = (link: "parent" | "child", kind: "relative" | "pupil", message: SQL) => sql`
    select l.file, l.line, ${message} as message
    from aaf_stage_links l
    where l.link = ${link} ${link === "parent" ? sql`and l.flag` : sql``}
      and not exists (select 1 from aaf_stage_people p where p.kind = ${kind} and p.jointure = l.target
        and p.op <> 'delete')
      ${
        complete
          ? sql``
          : sql`and not exists (select 1 from users u where u.external_id = ${P} || l.target
        and u.source = 'aaf' and u.state <> 'pre_deleted')`
      }
    order by l.file, l.line`;

  const checks: [code: string, query: SQL][] = [
    [
      "duplicate_jointure",
      sql`
    select file, line, 'Identifiant (jointure) ' || jointure || ' présent ' || times || ' fois dans la livraison.'
      as message
    from (select jointure, times, file, line from aaf_delivered where times > 1
          union all select 'structure ' || jointure, count(*), min(file), min(line) from aaf_stage_schools
            where op <> 'delete' group by jointure having count(*) > 1) d
    order by 1, 2`,
    ],
    [
      "duplicate_uai",
      sql`
    select min(file) as file, min(line) as line, 'UAI ' || uai || ' donnée à ' || count(*) || ' structures.' as message
    from aaf_stage_schools where op <> 'delete' and uai is not null
    group by uai having count(*) > 1 order by 1, 2`,
    ],
    [
      "bad_uai",
      sql`
    select file, line,
      'UAI absente ou invalide pour la structure ' || jointure || ' : « ' || coalesce(uai, '') || ' ».' as message
    from aaf_stage_schools where op = 'add' and (uai is null or uai !~ '^[0-9]{7}[A-Z]$')
    order by file, line`,
    ],
    [
      "missing_name",
      sql`
    select file, line, 'Nom ou prénom manquant pour ' || jointure || '.' as message
    from aaf_stage_people where op = 'add' and (first_name is null or last_name is null)
    order by file, line`,
    ],
    // Structures are known when delivered now or already in the directory.
    [
      "unknown_structure",
      sql`
    select l.file, l.line,
      case l.link
        when 'class' then 'La classe ' || coalesce(l.code, '') || ' de ' || l.jointure
          || ' appartient à une structure inconnue (' || l.target || ').'
        else 'Rattachement de ' || l.jointure || ' à une structure inconnue (' || l.target || ').' end as message
    from aaf_stage_links l
    where l.link in ('structure', 'class', 'function')
      and not exists (select 1 from aaf_stage_schools s where s.jointure = l.target and s.op <> 'delete')
      and not exists (select 1 from schools sc where sc.external_id = ${P} || l.target)
    order by l.file, l.line`,
    ],
    // Parent links: a legal guardian must be a person responsible delivered now (or, for a delta, already known).
    [
      "unknown_parent",
      unknownPerson(
        "parent",
        "relative",
        sql`'L''élève ' || l.jointure || ' est lié à un responsable inconnu (' || l.target || ').'`,
      ),
    ],
    [
      "unknown_child",
      unknownPerson(
        "child",
        "pupil",
        sql`'Le responsable ' || l.jointure || ' est lié à un élève inconnu (' || l.target || ').'`,
      ),
    ],
    [
      "modify_unknown",
      sql`
    select p.file, p.line, 'Modification d''une personne inconnue (' || p.jointure || ').' as message
    from aaf_stage_people p
    where p.op = 'modify'
      and not exists (select 1 from users u where u.external_id = ${P} || p.jointure)
      and not exists (select 1 from aaf_stage_people a where a.jointure = p.jointure and a.op = 'add')
    order by p.file, p.line`,
    ],
    [
      "modify_unknown",
      sql`
    select s.file, s.line, 'Modification d''une structure inconnue (' || s.jointure || ').' as message
    from aaf_stage_schools s
    where s.op = 'modify' and not exists (select 1 from schools sc where sc.external_id = ${P} || s.jointure)
    order by s.file, s.line`,
    ],
    // Plausibility: a delivery that would empty a school is far more likely a broken export than a real change.
    [
      "suspicious_pre_deletion",
      sql`
    with leaving as (
      select sp.uai, count(distinct u.id) as total,
        count(distinct u.id) filter (where ${complete ? sql`d.external_id is null` : sql`d.deleted`}) as gone
      from school_profiles sp join users u on u.id = sp.user_id
        left join aaf_delivered d on d.external_id = u.external_id ${complete ? sql`and d.present` : sql``}
      where u.source = 'aaf' and u.external_id like ${P} || '%' and u.state <> 'pre_deleted'
      group by sp.uai)
    select null as file, null as line,
      'Import suspect : il pré-supprimerait ' || l.gone || ' des ' || l.total || ' comptes de l''école ' || l.uai ||
      ' (' || coalesce(s.name, '') || '), au-delà du seuil de ' || round(${ctx.maxPreDeleteShare}::numeric * 100)
      || ' %.' as message
    from leaving l left join schools s on s.uai = l.uai
    where l.total >= ${ctx.plausibilityMinAccounts}::int and l.gone > ${ctx.maxPreDeleteShare}::numeric * l.total
    order by l.uai`,
    ],
  ];
  const problems: AafProblem[] = [];
  for (const [code, query] of checks) problems.push(...(await collect(tx, ctx, code, query)));
  return problems;
}

/** What every step of applyStaged reads: one transaction, the import, and two ways to run SQL in it. */
interface Applying {
  tx: Tx;
  ctx: ReconcileContext;
  /** The académie's prefix of external ids, `<ACADEMY>-`. */
  P: string;
  /** The import's instant, as SQL. */
  now: SQL;
  /** The school year its classes belong to. */
  Y: string;
  /** The académie's first import: nothing of it is in the directory yet (its foreign keys are suspended). */
  first: boolean;
  /**
   * The staged links with their owner's account (`owner`) and which of the owner's aspects the delivery replaces.
   * On a first import every owner is a new account whose id the link already carries, and every aspect is delivered.
   */
  owned: SQL;
  run: (q: SQL) => Promise<unknown>;
  /** Runs a query that returns one row with a count `n`. */
  count: (q: SQL) => Promise<number>;
}

/**
 * Applies a checked delivery, in the transaction `checkStaged` ran in, step by step in this order (each step reads
 * what the previous ones wrote). Returns what changed, and whether the foreign keys were suspended (a large first
 * import), then checked whole.
 */
export async function applyStaged(
  tx: Tx,
  ctx: ReconcileContext,
): Promise<{ counts: AafCounts; suspendedForeignKeys: boolean }> {
  const P = `${ctx.academy}-`;
  const run = (q: SQL) => tx.execute(q);
  const count = async (q: SQL) => Number(rowsOf<{ n: number | string }>(await tx.execute(q))[0]?.n ?? 0);
  const first = !(await count(sql`select count(*) as n from (select 1 from users
    where external_id like ${P} || '%' limit 1) x`));
  const owned = first
    ? sql`(select l.*, l.user_id as owner, true as structures, true as classes, true as parents, true as children
        from aaf_stage_links l)`
    : sql`(select l.*, x.user_id as owner, x.structures, x.classes, x.parents, x.children
        from aaf_stage_links l join aaf_scope x on x.staged_id = l.user_id)`;
  const a: Applying = {
    tx,
    ctx,
    P,
    now: sql`${ctx.now.toISOString()}::timestamptz`,
    Y: ctx.schoolYear,
    first,
    owned,
    run,
    count,
  };
  // One 'directory' change for the whole import instead of a notification per row (see migration 0003).
  await run(sql`select set_config('preau.bulk', 'on', true)`);
  // A large first import suspends the foreign keys of the tables it fills (migration 0027): they are checked whole at
  // the end instead of row by row, in exchange for locking the directory until it commits — nobody uses it yet.
  const bulk =
    first && (await count(sql`select count(*) as n from aaf_stage_people where op = 'add'`)) >= ctx.bulkMinAccounts;
  if (bulk) await run(sql`select preau_aaf_bulk_begin()`);
  await upsertStructures(a);
  const schoolsCreated = await upsertSchools(a);
  const { restored, created, updated, staged } = await upsertAccounts(a);
  const classesCreated = await upsertClasses(a);
  let detached = await replaceSchoolProfiles(a);
  detached += await replaceMemberships(a);
  detached += await replaceParentLinks(a);
  const leaving = await preDeleteLeavers(a);
  detached += leaving.detached;
  // The suspended foreign keys come back, each checked over its whole table in one query.
  if (bulk) await run(sql`select preau_aaf_bulk_end()`);
  // What follows in the transaction (duplicates, notifications) is planned on the directory as it now is.
  await run(sql`select preau_refresh_import_statistics()`);

  await run(sql`select pg_notify('preau_cache', 'directory')`);
  const records =
    (await count(sql`select count(*) as n from aaf_stage_people`)) +
    (await count(sql`select count(*) as n from aaf_stage_schools`));
  const counts: AafCounts = {
    records,
    created,
    updated,
    unchanged: Math.max(0, staged - created - updated),
    detached,
    preDeleted: leaving.preDeleted,
    restored,
    warnings: 0,
    schools: schoolsCreated,
    classes: classesCreated,
  };
  return { counts, suspendedForeignKeys: bulk };
}

/** Structures: académie, départements (from the UAI), circonscriptions, communes, RPI, and their graph. */
async function upsertStructures(a: Applying): Promise<void> {
  const { ctx, P, run } = a;
  await run(sql`insert into structures (kind, code, name)
    values ('academie', ${ctx.academy}, ${`Académie ${ctx.academy}`})
    on conflict (kind, code) do nothing`);
  await run(sql`insert into structures (kind, code, name)
    select distinct 'departement'::structure_kind, ${P} || 'D' || substr(uai, 1, 3),
      'Département ' || ltrim(substr(uai, 1, 3), '0')
    from aaf_stage_schools where op <> 'delete' and uai is not null
    on conflict (kind, code) do nothing`);
  for (const [kind, codeCol, nameCol] of [
    ["circonscription", "circ_code", "circ_name"],
    ["commune", "commune_code", "commune_name"],
    ["rpi", "rpi_code", "rpi_name"],
  ] as const) {
    await run(sql`insert into structures (kind, code, name)
      select distinct on (${sql.raw(codeCol)}) ${kind}::structure_kind, ${P} || ${sql.raw(codeCol)},
        coalesce(${sql.raw(nameCol)}, ${sql.raw(codeCol)})
      from aaf_stage_schools where ${sql.raw(codeCol)} is not null
      order by ${sql.raw(codeCol)}
      on conflict (kind, code) do update set name = excluded.name`);
  }
  await run(sql`insert into structure_parents (structure_id, parent_id)
    select d.id, a.id from structures d join structures a on a.kind = 'academie' and a.code = ${ctx.academy}
    where d.kind = 'departement' and d.code like ${P} || 'D%'
    on conflict do nothing`);
  await run(sql`insert into structure_parents (structure_id, parent_id)
    select distinct c.id, d.id from aaf_stage_schools s
      join structures c on (c.kind = 'circonscription' and c.code = ${P} || s.circ_code) or (c.kind = 'commune'
        and c.code = ${P} || s.commune_code)
      join structures d on d.kind = 'departement' and d.code = ${P} || 'D' || substr(s.uai, 1, 3)
    where s.uai is not null
    on conflict do nothing`);
  await run(sql`insert into structure_parents (structure_id, parent_id)
    select distinct r.id, c.id from aaf_stage_schools s
      join structures r on r.kind = 'rpi' and r.code = ${P} || s.rpi_code
      join structures c on c.kind = 'circonscription' and c.code = ${P} || s.circ_code
    on conflict do nothing`);
}

/** Schools: created or renamed, and attached to their structures. Returns how many were created. */
async function upsertSchools(a: Applying): Promise<number> {
  const { tx, P, now, run, count } = a;
  // Schools: a new UAI becomes a ready school (the app catalogue and settings defaults apply to it at once).
  const created = await count(sql`with up as (
      insert into schools (uai, name, city, external_id, created_at)
      select uai, coalesce(name, uai), city, ${P} || jointure, ${now} from aaf_stage_schools where op = 'add'
      on conflict (uai) do update set name = excluded.name, city = excluded.city, external_id = excluded.external_id
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted) as n from up`);
  await run(sql`update schools sc set
      name = case when 'name' = any(s.fields) and s.name is not null then s.name else sc.name end,
      city = case when 'city' = any(s.fields) then s.city else sc.city end
    from aaf_stage_schools s where s.op = 'modify' and sc.external_id = ${P} || s.jointure`);
  await run(sql`delete from school_structures ss using structures st, schools sc, aaf_stage_schools s
    where st.id = ss.structure_id and st.kind in ('departement', 'circonscription', 'commune', 'rpi')
      and st.code like ${P} || '%'
      and sc.uai = ss.uai and sc.external_id = ${P} || s.jointure
      and (s.op = 'add' or s.fields && array['circonscription', 'commune', 'rpi'])`);
  await run(sql`insert into school_structures (uai, structure_id)
    select distinct sc.uai, st.id from aaf_stage_schools s
      join schools sc on sc.external_id = ${P} || s.jointure
      cross join lateral (values ('departement'::structure_kind, ${P} || 'D' || substr(sc.uai, 1, 3)),
        ('circonscription', ${P} || s.circ_code), ('commune', ${P} || s.commune_code), ('rpi', ${P} || s.rpi_code))
        v(kind, code)
      join structures st on st.kind = v.kind and st.code = v.code
    where s.op <> 'delete'
    on conflict do nothing`);
  // The delivery's structures by jointure, for the people's attachments below.
  await run(sql`create temp table aaf_schools on commit drop as
    select substr(external_id, ${P.length + 1}) as jointure, uai from schools where external_id like ${P} || '%'`);
  await analyzeTemporary(tx, "aaf_schools");
  return created;
}

/**
 * Accounts: created, updated, restored after a pre-deletion; and the people this delivery speaks of with their
 * account (temp table aaf_scope) and which of their aspects it replaces — everything for an add, the delivered
 * fields for a modify. New accounts get their id here, so that nothing has to find them again by external id.
 */
async function upsertAccounts(
  a: Applying,
): Promise<{ restored: number; created: number; updated: number; staged: number }> {
  const { tx, P, now, run, count, first } = a;
  // A checked delivery names each person once (duplicate_jointure), and modifies only known people.
  // Each staged person got a fresh id as it was read (staging.ts); a known person keeps theirs.
  const scope = (account: SQL, join: SQL) => sql`
    select ${account}, s.kind, s.op, s.fields, s.jointure, s.first_name, s.last_name,
      s.birth_date::date as birth_date, case when s.kind = 'staff' then s.email end as email,
      coalesce(s.teacher, false) as teacher,
      (s.op = 'add' or s.fields && array['structures', 'directs', 'teacher', 'functions']) as structures,
      (s.op = 'add' or 'classes' = any(s.fields)) as classes,
      (s.op = 'add' or 'parents' = any(s.fields)) as parents,
      (s.op = 'add' or 'children' = any(s.fields)) as children
    from aaf_stage_people s ${join}
    where s.op <> 'delete'`;
  // On a first import nobody is known: the scope is the staged people themselves, read where they are.
  if (first)
    await run(
      sql`create temp view aaf_scope as ${scope(
        sql`s.user_id, s.user_id as staged_id, false as known, null::user_state as state`,
        sql``,
      )}`,
    );
  else {
    await run(
      sql`create temp table aaf_scope on commit drop as ${scope(
        sql`coalesce(u.id, s.user_id) as user_id, s.user_id as staged_id, u.id is not null as known, u.state`,
        sql`left join users u on u.external_id = ${P} || s.jointure`,
      )}`,
    );
    await analyzeTemporary(tx, "aaf_scope");
  }
  const staged = await count(sql`select count(*) as n from aaf_scope`);
  const restored = first
    ? 0
    : await count(sql`select count(*) as n from aaf_scope where known and op = 'add' and state = 'pre_deleted'`);
  // People. New accounts are pre-created: active only after their first login (4.4).
  const created = await count(sql`with up as (
      insert into users (id, source, external_id, first_name, last_name, birth_date, academic_email, state, created_at)
      select user_id, 'aaf', ${P} || jointure, first_name, last_name, birth_date, email, 'pre_created', ${now}
      from aaf_scope where not known and op = 'add'
      order by user_id
      returning 1)
    select count(*) as n from up`);
  if (first) return { restored, created, updated: 0, staged };
  // Someone delivered again is brought up to date; someone who comes back after a pre-deletion gets their account
  // back.
  let updated = await count(sql`with up as (
      update users u set first_name = x.first_name, last_name = x.last_name, birth_date = x.birth_date,
        academic_email = x.email,
        state = case when u.state = 'pre_deleted' then (case when u.activated_at is null then 'pre_created'
          else 'active' end)::user_state else u.state end,
        pre_deleted_at = null
      from aaf_scope x
      where x.known and x.op = 'add' and u.id = x.user_id
        and ((u.first_name, u.last_name, u.birth_date, u.academic_email)
          is distinct from (x.first_name, x.last_name, x.birth_date, x.email) or u.state = 'pre_deleted')
      returning 1)
    select count(*) as n from up`);
  updated += await count(sql`with up as (
      update users u set
        first_name = case when 'firstName' = any(x.fields) and x.first_name is not null then x.first_name
          else u.first_name end,
        last_name = case when 'lastName' = any(x.fields) and x.last_name is not null then x.last_name
          else u.last_name end,
        birth_date = case when 'birthDate' = any(x.fields) then x.birth_date else u.birth_date end,
        academic_email = case when x.kind = 'staff' and 'email' = any(x.fields) then x.email else u.academic_email end
      from aaf_scope x
      where x.known and x.op = 'modify' and u.id = x.user_id
      returning 1)
    select count(*) as n from up`);
  return { restored, created, updated, staged };
}

/** Classes of the school year, created or renamed. Returns how many were created. */
async function upsertClasses(a: Applying): Promise<number> {
  const { P, Y, count } = a;
  // Classes of this school year, keyed by `<ACADEMY>-<structure>$<code>`.
  const created = await count(sql`with up as (
      insert into classes (uai, name, levels, school_year, external_code)
      select uai, coalesce(nullif(label, ''), code),
        coalesce(array(select m[1]::class_level
          from regexp_matches(upper(coalesce(label, code)), '(CP|CE1|CE2|CM1|CM2)', 'g') m),
          '{}'::class_level[]),
        ${Y}, ${P} || target || '$' || code
      from (select distinct on (l.target collate "C", l.code collate "C") sc.uai, l.target, l.code, l.label
        from aaf_stage_links l join aaf_schools sc on sc.jointure = l.target
        where l.link = 'class'
        order by l.target collate "C", l.code collate "C") c
      on conflict (school_year, external_code) do update set name = excluded.name, levels = excluded.levels
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted) as n from up`);
  return created;
}

/** Pupils' and staff's school profiles replaced where their structures are delivered. Returns those removed. */
async function replaceSchoolProfiles(a: Applying): Promise<number> {
  const { tx, run, count, first, owned } = a;
  // The profiles the delivery gives, with the staff's functions in each school.
  await run(sql`create temp table aaf_profiles on commit drop as
    select s.user_id, s.uai, s.profile, coalesce(f.codes, '{}') as functions from (
      select l.owner as user_id, sc.uai, (case when l.kind = 'pupil' then 'pupil' when t.teacher then 'teacher'
        else 'staff' end)::profile_kind as profile
      from ${owned} l join aaf_schools sc on sc.jointure = l.target
        left join (select user_id, coalesce(teacher, false) as teacher from aaf_stage_people where kind = 'staff') t
          on l.kind = 'staff' and t.user_id = l.user_id
      where l.structures and l.kind in ('pupil', 'staff') and l.link in ('structure', 'class')
      union
      select l.owner, sc.uai, 'director'::profile_kind
      from ${owned} l join aaf_schools sc on sc.jointure = l.target
      where l.structures and l.kind = 'staff'
        and ((l.link = 'structure' and l.flag) or (l.link = 'function' and l.code = 'DIR'))) s
    left join (
      select l.owner as user_id, sc.uai, array_agg(distinct l.code) as codes
      from ${owned} l join aaf_schools sc on sc.jointure = l.target
      where l.kind = 'staff' and l.link = 'function'
      group by l.owner, sc.uai) f on f.user_id = s.user_id and f.uai = s.uai`);
  await analyzeTemporary(tx, "aaf_profiles");
  let detached = 0;
  if (!first) {
    detached = await count(sql`with gone as (
        delete from school_profiles sp using aaf_scope x
        where sp.user_id = x.user_id and x.known and x.structures and x.kind in ('pupil', 'staff')
          and sp.profile in ('pupil', 'teacher', 'director', 'staff')
          and not exists (select 1 from aaf_profiles d where d.user_id = sp.user_id and d.uai = sp.uai
            and d.profile = sp.profile)
        returning 1)
      select count(*) as n from gone`);
    await run(sql`update school_profiles sp set functions = d.functions from aaf_profiles d
      where sp.user_id = d.user_id and sp.uai = d.uai and sp.profile = d.profile
        and sp.functions is distinct from d.functions`);
  }
  await run(sql`insert into school_profiles (user_id, uai, profile, functions)
    select d.user_id, d.uai, d.profile, d.functions from aaf_profiles d
    ${
      first
        ? sql``
        : sql`where not exists (select 1 from school_profiles sp where sp.user_id = d.user_id and sp.uai = d.uai
        and sp.profile = d.profile)`
    }
    order by d.user_id`);
  return detached;
}

/** Class memberships replaced where classes are delivered. Returns those removed. */
async function replaceMemberships(a: Applying): Promise<number> {
  const { tx, P, Y, run, count, first, owned } = a;
  // Class memberships of those whose classes are delivered (AAF classes only; manual assignments stay).
  await run(sql`create temp table aaf_members on commit drop as
    select distinct l.owner as user_id, c.id as class_id, c.uai, (case when l.kind = 'pupil' then 'pupil'
      else 'teacher' end)::class_role as role
    from ${owned} l join classes c on c.school_year = ${Y} and c.external_code = ${P} || l.target || '$' || l.code
    where l.classes and l.link = 'class'`);
  await analyzeTemporary(tx, "aaf_members");
  let detached = 0;
  if (!first) {
    detached = await count(sql`with gone as (
        delete from class_members m using aaf_scope x, classes c
        where m.user_id = x.user_id and x.known and x.classes and c.id = m.class_id and c.external_code is not null
          and (x.kind = 'pupil' or m.role = 'teacher')
          and not exists (select 1 from aaf_members d where d.user_id = m.user_id and d.class_id = m.class_id)
        returning 1)
      select count(*) as n from gone`);
    await run(sql`update class_members m set role = d.role from aaf_members d
      where m.class_id = d.class_id and m.user_id = d.user_id and m.role <> d.role`);
  }
  await run(sql`insert into class_members (class_id, user_id, uai, role)
    select class_id, user_id, uai, role from aaf_members d
    ${
      first
        ? sql``
        : sql`where not exists (select 1 from class_members m where m.class_id = d.class_id and m.user_id = d.user_id)`
    }
    order by d.class_id, d.user_id`);
  // A pupil in a class of a school has a pupil profile there.
  await run(sql`insert into school_profiles (user_id, uai, profile)
    select distinct d.user_id, d.uai, 'pupil'::profile_kind from aaf_members d
    where d.role = 'pupil' and not exists (select 1 from ${first ? sql`aaf_profiles` : sql`school_profiles`} sp
      where sp.user_id = d.user_id and sp.uai = d.uai and sp.profile = 'pupil')`);
  return detached;
}

/** Parent links and the parent profiles that follow them, replaced where delivered. Returns those removed. */
async function replaceParentLinks(a: Applying): Promise<number> {
  const { tx, P, run, count, first, ctx, owned } = a;
  // The other end of a link: delivered now, or (a delta only, the checks say) already in the directory.
  const other = (alias: string) =>
    ctx.mode === "complete"
      ? sql`${sql.raw(alias)}.user_id`
      : sql`coalesce(${sql.raw(alias)}.user_id, (select u.id from users u where u.external_id = ${P} || l.target))`;
  // Parent links: legal guardians from the pupil's side, children from the responsible person's side.
  await run(sql`create temp table aaf_links on commit drop as
    select parent_id, child_id from (
      select ${other("o")} as parent_id, l.owner as child_id from ${owned} l
        left join aaf_scope o on o.jointure = l.target and o.kind = 'relative'
      where l.parents and l.kind = 'pupil' and l.link = 'parent' and l.flag
      union
      select l.owner, ${other("o")} from ${owned} l
        left join aaf_scope o on o.jointure = l.target and o.kind = 'pupil'
      where l.children and l.kind = 'relative' and l.link = 'child') d
    where parent_id is not null and child_id is not null`);
  await analyzeTemporary(tx, "aaf_links");
  // A link belongs to the school of the child's pupil profile (the first, when several).
  // On a first import, the children's pupil profiles are those just given (a pupil's classes are in its delivered
  // structures, so aaf_profiles holds them all).
  const pupilProfiles = first ? sql`aaf_profiles` : sql`school_profiles`;
  await run(sql`create temp table aaf_link_uai on commit drop as
    select sp.user_id, min(sp.uai) as uai from ${pupilProfiles} sp
    where sp.profile = 'pupil' and sp.user_id in (select child_id from aaf_links)
    group by sp.user_id`);
  await analyzeTemporary(tx, "aaf_link_uai");
  let detached = 0;
  if (!first) {
    await run(sql`create temp table aaf_touched_parents on commit drop as
      select parent_id from aaf_links
      union select l.parent_id from parent_links l join aaf_scope x on x.user_id = l.child_id and x.parents
      union select l.parent_id from parent_links l join aaf_scope x on x.user_id = l.parent_id and x.children`);
    await analyzeTemporary(tx, "aaf_touched_parents");
    detached = await count(sql`with gone as (
        delete from parent_links l
        where (exists (select 1 from aaf_scope x where x.user_id = l.child_id and x.parents)
            or exists (select 1 from aaf_scope x where x.user_id = l.parent_id and x.children))
          and not exists (select 1 from aaf_links d where d.parent_id = l.parent_id and d.child_id = l.child_id)
        returning 1)
      select count(*) as n from gone`);
    await run(sql`update parent_links l set uai = u.uai from aaf_links d join aaf_link_uai u on u.user_id = d.child_id
      where l.parent_id = d.parent_id and l.child_id = d.child_id and l.uai is distinct from u.uai`);
  }
  await run(sql`insert into parent_links (parent_id, child_id, uai)
    select d.parent_id, d.child_id, u.uai from aaf_links d join aaf_link_uai u on u.user_id = d.child_id
    ${
      first
        ? sql``
        : sql`where not exists (select 1 from parent_links l where l.parent_id = d.parent_id
        and l.child_id = d.child_id)`
    }
    order by d.parent_id, d.child_id`);
  // Parent profiles follow the links.
  if (first) {
    await run(sql`insert into school_profiles (user_id, uai, profile)
      select distinct d.parent_id, u.uai, 'parent'::profile_kind from aaf_links d
        join aaf_link_uai u on u.user_id = d.child_id
      order by 1`);
    return 0;
  }
  detached += await count(sql`with gone as (
      delete from school_profiles sp using aaf_touched_parents t
      where sp.user_id = t.parent_id and sp.profile = 'parent'
        and not exists (select 1 from parent_links l where l.parent_id = sp.user_id and l.uai = sp.uai)
      returning 1)
    select count(*) as n from gone`);
  await run(sql`insert into school_profiles (user_id, uai, profile)
    select distinct l.parent_id, l.uai, 'parent'::profile_kind from parent_links l
      join aaf_touched_parents t on t.parent_id = l.parent_id
    where not exists (select 1 from school_profiles sp where sp.user_id = l.parent_id and sp.uai = l.uai
      and sp.profile = 'parent')`);
  return detached;
}

/** Pre-deletion of the accounts the delivery no longer lists. Returns them and the links they lose. */
async function preDeleteLeavers(a: Applying): Promise<{ preDeleted: number; detached: number }> {
  const { tx, ctx, P, now, run, count, first } = a;
  // On a first import, every account of the académie is one the delivery has just listed.
  if (first) return { preDeleted: 0, detached: 0 };
  // Pre-deletion (never deletion at once, 612A): those a complete delivery no longer lists, and a delta's deletes.
  // Written as a set difference (complete) or driven from the delivered set (delta): row-level security on users
  // hides their row count from the planner, and an anti-join it believes tiny becomes a scan of every pair.
  await run(
    ctx.mode === "complete"
      ? sql`create temp table aaf_leaving on commit drop as
        select u.id from users u join (
          select external_id from users where source = 'aaf' and external_id like ${P} || '%' and state <> 'pre_deleted'
          except select external_id from aaf_delivered where present) g on g.external_id = u.external_id`
      : sql`create temp table aaf_leaving on commit drop as
        select u.id from aaf_delivered d join users u on u.external_id = d.external_id
        where d.deleted and u.source = 'aaf' and u.state <> 'pre_deleted'`,
  );
  await analyzeTemporary(tx, "aaf_leaving");
  const preDeleted = await count(sql`with up as (
      update users u set state = 'pre_deleted', pre_deleted_at = ${now} from aaf_leaving g where u.id = g.id
        returning 1)
    select count(*) as n from up`);
  // Their school profiles stay until deletion, so that admins see whom they lose; memberships and links go now.
  const detached =
    await count(sql`with a as (delete from class_members m using aaf_leaving g where m.user_id = g.id returning 1),
      b as (delete from parent_links l using aaf_leaving g where l.parent_id = g.id or l.child_id = g.id returning 1)
    select (select count(*) from a) + (select count(*) from b) as n`);
  return { preDeleted, detached };
}
