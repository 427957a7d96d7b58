-- Issue 22: row policies evaluate the session's scope once per statement, not once per row. A bare call such as
-- `uai = ANY (preau_allowed_uais())` is re-evaluated for every row a sequential or bitmap scan filters (it reads
-- three settings and splits a string each time); wrapped in a scalar sub-select, `uai = ANY ((SELECT
-- preau_allowed_uais())::text[])` (the cast keeps Postgres from reading `ANY (SELECT …)` as a sub-query of arrays), it
-- becomes an InitPlan computed once and then compared as a parameter, and it can still drive an index scan. Same for preau_all_schools() and preau_current_user(). The users policy also stops calling the
-- SECURITY DEFINER preau_serves_scope(id) per row: the structure staff above the schools in scope are gathered once
-- per statement (preau_scope_staff()) and compared as an array. Behaviour is unchanged: the same rows pass.
CREATE OR REPLACE FUNCTION preau_enable_tenancy(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s '
    'USING ((SELECT preau_all_schools()) OR uai = ANY ((SELECT preau_allowed_uais())::text[])) '
    'WITH CHECK ((SELECT preau_all_schools()) OR uai = ANY ((SELECT preau_allowed_uais())::text[]))', tbl);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION preau_enable_own_rows(tbl regclass, owner_column text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY own_rows ON %s USING ((SELECT preau_all_schools()) OR %I = (SELECT preau_current_user())) '
    'WITH CHECK ((SELECT preau_all_schools()) OR %I = (SELECT preau_current_user()))', tbl, owner_column, owner_column);
END $$;
--> statement-breakpoint
-- The tables already under the two generic policies get them again, in the new form (every own_rows table is owned
-- through user_id).
DO $$
DECLARE t regclass;
BEGIN
  FOR t IN SELECT format('%I', tablename)::regclass FROM pg_policies
           WHERE schemaname = 'public' AND policyname = 'tenant_isolation' LOOP
    EXECUTE format('DROP POLICY tenant_isolation ON %s', t);
    PERFORM preau_enable_tenancy(t);
  END LOOP;
  FOR t IN SELECT format('%I', tablename)::regclass FROM pg_policies
           WHERE schemaname = 'public' AND policyname = 'own_rows' LOOP
    EXECUTE format('DROP POLICY own_rows ON %s', t);
    PERFORM preau_enable_own_rows(t, 'user_id');
  END LOOP;
END $$;
--> statement-breakpoint
-- Users with a structure role above one of the schools in scope (inspectors, advisers, municipality staff): the set
-- preau_serves_scope(uid) answered one user at a time.
CREATE FUNCTION preau_scope_staff() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public AS $$
  SELECT coalesce(array_agg(DISTINCT r.user_id), '{}') FROM structure_roles r
  WHERE r.structure_id IN (SELECT preau_structures_above(preau_allowed_uais()))
$$;
--> statement-breakpoint
DROP POLICY users_visible ON users;
--> statement-breakpoint
CREATE POLICY users_visible ON users
  USING ((SELECT preau_all_schools()) OR id = (SELECT preau_current_user())
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id)
         OR id = ANY ((SELECT preau_scope_staff())::uuid[]))
  WITH CHECK ((SELECT preau_all_schools()) OR id = (SELECT preau_current_user())
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id));
--> statement-breakpoint
DROP POLICY announcement_reach ON announcements;
--> statement-breakpoint
CREATE POLICY announcement_reach ON announcements
  USING ((SELECT preau_all_schools()) OR author_id = (SELECT preau_current_user())
         OR EXISTS (SELECT 1 FROM announcement_schools s WHERE s.announcement_id = announcements.id))
  WITH CHECK ((SELECT preau_all_schools()) OR author_id = (SELECT preau_current_user()));
--> statement-breakpoint
DROP POLICY author_counts_reads ON announcement_reads;
--> statement-breakpoint
CREATE POLICY author_counts_reads ON announcement_reads FOR SELECT
  USING (EXISTS (SELECT 1 FROM announcements a
                 WHERE a.id = announcement_id AND a.author_id = (SELECT preau_current_user())));
--> statement-breakpoint
DROP POLICY audit_read ON audit_log;
--> statement-breakpoint
CREATE POLICY audit_read ON audit_log FOR SELECT
  USING ((SELECT preau_all_schools()) OR uai = ANY ((SELECT preau_allowed_uais())::text[])
         OR actor_id = (SELECT preau_current_user()));
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'system_only' LOOP
    EXECUTE format('DROP POLICY system_only ON %I', t);
    EXECUTE format('CREATE POLICY system_only ON %I USING ((SELECT preau_all_schools())) '
                   'WITH CHECK ((SELECT preau_all_schools()))', t);
  END LOOP;
END $$;
