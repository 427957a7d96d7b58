// 612A / 621C: accounts of one school with the same first and last names (accents and case aside), and the same
// birth date when both are known, are flagged to the school's admins, who keep them or dismiss the flag.
import { sql } from "drizzle-orm";
import { rowsOf, schoolsScope, withTenant, type Scope, type Tx } from "../../../db/client";
import { can } from "../../policy";
import { auditAction } from "../audit";
import type { ServiceDeps } from "../context";
import { scopeOf, type Principal } from "../principal";

/** Lower case without accents; the (slow) translation only for names that have a non-ASCII letter. */
const FOLD = (column: string) =>
  sql.raw(
    `(case when octet_length(${column}) = length(${column}) then lower(${column}) else ` +
      `translate(lower(${column}), 'àáâäãåçèéêëìíîïñòóôöõùúûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa') end)`,
  );

/** Flags new pairs; returns how many new flags each school got. */
export async function flagDuplicates(
  tx: Tx,
  now: Date,
  importId: string | null,
): Promise<{ uai: string; count: number }[]> {
  return rowsOf<{ uai: string; count: number }>(
    await tx.execute(sql`
    with people as materialized (
      select sp.uai, u.id, ${FOLD("u.first_name")} as f, ${FOLD("u.last_name")} as l, u.birth_date as b
      from school_profiles sp join users u on u.id = sp.user_id where u.state <> 'pre_deleted'),
    -- Only people who share their names with someone of their school go on to the pairing: found by hashing (a
    -- million accounts after an académie's import), on a hash of the names (the pairing compares the names
    -- themselves). Someone with two profiles in a school is counted twice here, and never paired with themselves.
    shared as (select uai, hashtextextended(f || ' ' || l, 0) as h from people group by 1, 2 having count(*) > 1),
    named as (select p.* from people p join shared s on s.uai = p.uai and s.h = hashtextextended(p.f || ' ' || p.l, 0)),
    added as (
      insert into duplicate_flags (uai, user_a, user_b, detected_at, import_id)
      select distinct a.uai, a.id, b.id, ${now.toISOString()}::timestamptz, ${importId}::uuid
      from named a join named b on b.uai = a.uai and b.f = a.f and b.l = a.l and a.id < b.id
      where a.b is null or b.b is null or a.b = b.b
      on conflict (uai, user_a, user_b) do nothing
      returning uai)
    select uai, count(*)::int as count from added group by uai order by uai`),
  );
}

export interface DuplicatePair {
  id: number;
  uai: string;
  schoolName: string;
  detectedAt: Date;
  a: { id: string; firstName: string; lastName: string; birthDate: string | null; source: string; profiles: string[] };
  b: { id: string; firstName: string; lastName: string; birthDate: string | null; source: string; profiles: string[] };
}

/** Whose duplicates a page reviews: the school the director works in now, or every school for the académie. */
export type ReviewPerimeter = "school" | "academie";

/**
 * The transaction scope of a review, or null when the user may not do it. A director's is narrowed to the school
 * they work in now: row-level security then keeps another school's flags out of reach (simply not found).
 */
function reviewScope(p: Principal, perimeter: ReviewPerimeter): Scope | null {
  if (perimeter === "academie") return can(p, "duplicates.review", { kind: "platform" }) ? scopeOf(p) : null;
  if (!p.activeUai || !can(p, "duplicates.review", { kind: "school", uai: p.activeUai })) return null;
  return schoolsScope(p.userId, [p.activeUai]);
}

/** 612A: the open flags of the perimeter (null: not the user's to review). */
export async function duplicateReview(
  deps: ServiceDeps,
  p: Principal,
  perimeter: ReviewPerimeter,
): Promise<DuplicatePair[] | null> {
  const scope = reviewScope(p, perimeter);
  return scope ? withTenant(deps.db, scope, (tx) => openDuplicates(tx)) : null;
}

/** 612A: "these are two different people" — the flag closed for good, the decision in the audit trail. */
export async function dismissDuplicateFlag(
  deps: ServiceDeps,
  p: Principal,
  perimeter: ReviewPerimeter,
  flagId: number,
): Promise<"ok" | "forbidden" | "not_found"> {
  const scope = reviewScope(p, perimeter);
  if (!scope) return "forbidden";
  if (!Number.isSafeInteger(flagId) || flagId <= 0) return "not_found";
  const flag = await withTenant(deps.db, scope, async (tx) => {
    const closed = await dismissDuplicate(tx, flagId, p.userId, deps.now);
    if (closed)
      await auditAction(tx, deps, p, {
        action: "duplicates.dismiss",
        target: String(flagId),
        uai: closed.uai,
      });
    return closed;
  });
  return flag ? "ok" : "not_found";
}

/** Open flags the scope may see (a director: their school; the académie: all). */
async function openDuplicates(tx: Tx, limit = 200): Promise<DuplicatePair[]> {
  const rows = rowsOf<{
    id: number;
    uai: string;
    school_name: string;
    detected_at: string;
    a: DuplicatePair["a"];
    b: DuplicatePair["b"];
  }>(
    await tx.execute(sql`
      select d.id, d.uai, s.name as school_name, d.detected_at,
        json_build_object('id', ua.id, 'firstName', ua.first_name, 'lastName', ua.last_name,
          'birthDate', ua.birth_date, 'source', ua.source,
          'profiles', (select json_agg(distinct p.profile) from school_profiles p
            where p.user_id = ua.id and p.uai = d.uai)) as a,
        json_build_object('id', ub.id, 'firstName', ub.first_name, 'lastName', ub.last_name,
          'birthDate', ub.birth_date, 'source', ub.source,
          'profiles', (select json_agg(distinct p.profile) from school_profiles p
            where p.user_id = ub.id and p.uai = d.uai)) as b
      from duplicate_flags d join schools s on s.uai = d.uai
        join users ua on ua.id = d.user_a join users ub on ub.id = d.user_b
      where d.status = 'open' order by s.name, d.id limit ${limit}`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    uai: r.uai,
    schoolName: r.school_name,
    detectedAt: new Date(r.detected_at),
    a: r.a,
    b: r.b,
  }));
}

/** "These are two different people": the flag is closed and will not come back for this pair. */
async function dismissDuplicate(tx: Tx, flagId: number, by: string, now: Date): Promise<{ uai: string } | null> {
  const [row] = rowsOf<{ uai: string }>(
    await tx.execute(sql`
    update duplicate_flags set status = 'dismissed', decided_by = ${by}, decided_at = ${now.toISOString()}
    where id = ${flagId} and status = 'open' returning uai`),
  );
  return row ?? null;
}
