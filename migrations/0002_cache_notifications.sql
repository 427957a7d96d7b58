-- Read caches (sessions, homes, school settings) are kept per process; the database tells every process what
-- changed, on the channel preau_cache, when the change commits. Keys: session:<id>, user:<id>, school:<uai>,
-- directory (the structure graph or memberships changed: everything derived from them is dropped).
-- Postgres folds identical notifications of one transaction into one, so bulk imports send a single 'directory'.
-- Arguments: the key's kind, then the column holding its id.
CREATE FUNCTION preau_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('preau_cache', TG_ARGV[0] || ':' ||
    (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1]));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION preau_notify_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('preau_cache', 'directory');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_cache AFTER DELETE OR UPDATE OF active_uai ON sessions
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('session', 'id');
--> statement-breakpoint
CREATE TRIGGER users_cache AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION preau_notify_row('user', 'id');
--> statement-breakpoint
CREATE TRIGGER user_preferences_cache AFTER INSERT OR UPDATE OR DELETE ON user_preferences
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER credentials_cache AFTER INSERT OR UPDATE OR DELETE ON credentials
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('user', 'user_id');
--> statement-breakpoint
CREATE TRIGGER school_settings_cache AFTER INSERT OR UPDATE OR DELETE ON school_settings
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('school', 'uai');
--> statement-breakpoint
CREATE TRIGGER class_app_defaults_cache AFTER INSERT OR UPDATE OR DELETE ON class_app_defaults
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('school', 'uai');
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['structures', 'structure_parents', 'schools', 'school_structures', 'school_profiles',
    'structure_roles', 'classes', 'class_members', 'parent_links', 'groups', 'group_members'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION preau_notify_directory()', t || '_cache', t);
  END LOOP;
END $$;
