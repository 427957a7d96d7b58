// What the directory holds for one académie's AAF data, read back for comparisons "byte for byte".
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import type { Platform } from "../../src/platform";

/** Everything the directory holds for one académie's AAF data, as one string: "byte for byte" comparisons. */
export async function fingerprint(platform: Platform): Promise<string> {
  const P = `${platform.config.academyCode}-`;
  const rows = await withTenant(platform.db, systemScope, async (tx) =>
    rowsOf<{ part: string; data: string }>(
      await tx.execute(sql`
    select 'users' as part, coalesce(string_agg(concat_ws('|', u.external_id, u.first_name, u.last_name, u.birth_date,
    u.academic_email, u.state, u.pre_deleted_at), E'\n' order by u.external_id), '') as data
      from users u where u.external_id like ${P} || '%'
    union all select 'schools', coalesce(string_agg(concat_ws('|', uai, name, city, external_id), E'\n' order by uai),
    '') from schools where external_id like ${P} || '%'
    union all select 'structures', coalesce(string_agg(concat_ws('|', kind, code, name), E'\n' order by kind, code),
    '') from structures where code like ${P} || '%'
    union all select 'profiles', coalesce(string_agg(concat_ws('|', u.external_id, p.uai, p.profile, p.functions),
    E'\n' order by u.external_id, p.uai, p.profile), '')
      from school_profiles p join users u on u.id = p.user_id where u.external_id like ${P} || '%'
    union all select 'classes', coalesce(string_agg(concat_ws('|', external_code, name, levels, school_year), E'\n'
    order by external_code), '') from classes where external_code like ${P} || '%'
    union all select 'members', coalesce(string_agg(concat_ws('|', c.external_code, u.external_id, m.role), E'\n' order
    by c.external_code, u.external_id), '')
      from class_members m join classes c on c.id = m.class_id join users u on u.id = m.user_id where u.external_id
      like ${P} || '%'
    union all select 'links', coalesce(string_agg(concat_ws('|', pa.external_id, ch.external_id, l.uai), E'\n' order by
    pa.external_id, ch.external_id), '')
      from parent_links l join users pa on pa.id = l.parent_id join users ch on ch.id = l.child_id where ch.external_id
      like ${P} || '%'`),
    ),
  );
  return rows.map((r) => `## ${r.part}\n${r.data}`).join("\n");
}
