-- Tenancy (hand-written): the non-owner application role, row-level security (ENABLE + FORCE) on every
-- tenant-owned table, and the hash-chained audit trail (71E).
--
-- Each request's transaction sets, with set_config(…, true):
--   preau.uais         comma-separated UAIs the request may reach
--   preau.all_schools  'on' for the académie perimeter and system tasks
--   preau.user_id      the signed-in user (own rows of user-level tables)
-- current_setting(…, true) returns '' (not NULL) once a transaction-local setting has ended: both are handled.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'preau_app') THEN
    CREATE ROLE preau_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT pg_has_role(current_user, 'preau_app', 'MEMBER') THEN
    EXECUTE format('GRANT preau_app TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO preau_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO preau_app;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO preau_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO preau_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO preau_app;
--> statement-breakpoint
CREATE FUNCTION preau_all_schools() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('preau.all_schools', true), '') = 'on'
$$;
--> statement-breakpoint
CREATE FUNCTION preau_allowed_uais() RETURNS text[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT string_to_array(nullif(coalesce(current_setting('preau.uais', true), ''), ''), ',')
$$;
--> statement-breakpoint
CREATE FUNCTION preau_current_user() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(coalesce(current_setting('preau.user_id', true), ''), '')::uuid
$$;
--> statement-breakpoint
-- Every tenant-owned table (one with a uai column) is put under this; later migrations call it for their tables.
CREATE FUNCTION preau_enable_tenancy(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (preau_all_schools() OR uai = ANY (preau_allowed_uais())) '
    'WITH CHECK (preau_all_schools() OR uai = ANY (preau_allowed_uais()))', tbl);
END $$;
--> statement-breakpoint
-- User-level tables (not tenant-owned): a user reaches their own row; system tasks reach all.
CREATE FUNCTION preau_enable_own_rows(tbl regclass, owner_column text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY own_rows ON %s USING (preau_all_schools() OR %I = preau_current_user()) '
    'WITH CHECK (preau_all_schools() OR %I = preau_current_user())', tbl, owner_column, owner_column);
END $$;
--> statement-breakpoint
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY[
  'schools', 'school_structures', 'school_profiles', 'classes', 'class_members', 'parent_links',
  'groups', 'group_members', 'class_app_defaults', 'school_settings'
]) AS t;
--> statement-breakpoint
SELECT preau_enable_own_rows(t::regclass, 'user_id') FROM unnest(ARRAY[
  'credentials', 'sessions', 'user_preferences', 'structure_roles'
]) AS t;
--> statement-breakpoint
-- A user is visible to whoever may see one of their school profiles (the sub-select is itself under RLS).
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_visible ON users
  USING (preau_all_schools() OR id = preau_current_user()
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id))
  WITH CHECK (preau_all_schools() OR id = preau_current_user()
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id));
--> statement-breakpoint
-- Audit trail: anyone's actions are appended; reading is limited to the perimeter.
CREATE TABLE audit_chain_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
--> statement-breakpoint
INSERT INTO audit_chain_head VALUES (1, 0, repeat('0', 64));
--> statement-breakpoint
REVOKE ALL ON audit_chain_head FROM preau_app;
--> statement-breakpoint
GRANT SELECT ON audit_chain_head TO preau_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON audit_log FROM preau_app;
--> statement-breakpoint
-- The text a row's hash covers. `preau audit verify` rebuilds the same text from the row's columns.
CREATE FUNCTION preau_audit_canonical(seq bigint, at timestamptz, actor uuid, action text, target text,
                                      uai text, ip text, details jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws(chr(31),
    seq::text,
    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(actor::text, '\N'), action, coalesce(target, '\N'), coalesce(uai, '\N'),
    coalesce(ip, '\N'), coalesce(details::text, '\N'))
$$;
--> statement-breakpoint
CREATE FUNCTION preau_audit_chain() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  head audit_chain_head%ROWTYPE;
BEGIN
  -- The row lock on the single head row serialises appenders, so sequence order is chain order.
  UPDATE audit_chain_head SET seq = seq + 1 WHERE id = 1 RETURNING * INTO head;
  NEW.seq := head.seq;
  NEW.prev_hash := head.hash;
  NEW.hash := encode(sha256(convert_to(head.hash || chr(31) || preau_audit_canonical(
    NEW.seq, NEW.at, NEW.actor_id, NEW.action, NEW.target, NEW.uai, NEW.ip, NEW.details), 'UTF8')), 'hex');
  UPDATE audit_chain_head SET hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION preau_audit_chain();
--> statement-breakpoint
CREATE FUNCTION preau_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION preau_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION preau_audit_append_only();
--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_append ON audit_log FOR INSERT WITH CHECK (true);
--> statement-breakpoint
CREATE POLICY audit_read ON audit_log FOR SELECT
  USING (preau_all_schools() OR uai = ANY (preau_allowed_uais()) OR actor_id = preau_current_user());
