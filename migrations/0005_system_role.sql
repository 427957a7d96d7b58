-- The system role for bulk directory work (hand-written). Directory imports are system tasks over the whole académie
-- (they already run with preau.all_schools = 'on'); under row-level security the planner cannot see how many users
-- a statement touches (the users policy hides it behind a sub-plan), and plans set-based statements over many users
-- as nested loops over every pair. preau_system is preau_app's rights without the policies: the importer switches to
-- it (SET LOCAL ROLE) for its own transactions only. Where the migrating user may not create a BYPASSRLS role (not a
-- superuser), the role is made without it: imports then stay correct under the policies, only slower.
-- The app role can already widen its own perimeter (preau.all_schools), so this adds no power it did not have;
-- row-level security remains the guard against a forgotten tenant filter in request code, which never uses this role.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'preau_system') THEN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      CREATE ROLE preau_system NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
    ELSE
      CREATE ROLE preau_system NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
  END IF;
END $$;
--> statement-breakpoint
GRANT preau_system TO preau_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO preau_system;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO preau_system;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO preau_system;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO preau_system;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO preau_system;
--> statement-breakpoint
-- The audit trail stays append-only for this role too.
REVOKE ALL ON audit_chain_head FROM preau_system;
--> statement-breakpoint
GRANT SELECT ON audit_chain_head TO preau_system;
--> statement-breakpoint
REVOKE UPDATE, DELETE ON audit_log FROM preau_system;
