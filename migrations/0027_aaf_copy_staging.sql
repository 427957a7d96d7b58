ALTER TABLE "aaf_stage_links" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "aaf_stage_people" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "aaf_stage_schools" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "aaf_stage_links" CASCADE;--> statement-breakpoint
DROP TABLE "aaf_stage_people" CASCADE;--> statement-breakpoint
DROP TABLE "aaf_stage_schools" CASCADE;--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_login_unique";--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_educonnect_id_unique";--> statement-breakpoint
DROP INDEX "school_profiles_user_uai_profile";--> statement-breakpoint
-- Hand-ordered: the surrogate id (and its primary key) goes before the natural key becomes the primary key.
ALTER TABLE "school_profiles" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "school_profiles" ADD CONSTRAINT "school_profiles_pkey" PRIMARY KEY("user_id","uai","profile");--> statement-breakpoint
DROP INDEX "users_academic_email";--> statement-breakpoint
CREATE UNIQUE INDEX "users_login" ON "users" USING btree ("login") WHERE "users"."login" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_educonnect_id" ON "users" USING btree ("educonnect_id") WHERE "users"."educonnect_id" is not null;--> statement-breakpoint
CREATE INDEX "users_academic_email" ON "users" USING btree (lower("academic_email")) WHERE "users"."academic_email" is not null;--> statement-breakpoint
-- Hand-written. A delivery is now staged in temporary tables of its import's transaction, filled with COPY (which
-- Postgres refuses on tables under row policies, as aaf_stage_schools was) and dropped with the transaction: the
-- shared staging tables above are gone, and the statistics the importer refreshes are the directory's only (it
-- analyses its own temporary tables itself). Above too, what each of a million accounts costs to write: school
-- profiles are keyed by (user, school, profile) without a surrogate id, and the users' login, ÉduConnect id and
-- academic e-mail indexes hold only the accounts that have one (the e-mail one by lower(), as federated login
-- looks it up).
CREATE OR REPLACE FUNCTION preau_refresh_import_statistics() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  ANALYZE users;
  ANALYZE schools;
  ANALYZE school_profiles;
  ANALYZE classes;
  ANALYZE class_members;
  ANALYZE parent_links;
END $$;
--> statement-breakpoint
-- An académie's first import writes a million accounts' profiles, class memberships and family links, where each
-- row's foreign keys would be checked one by one (a lookup and a row lock per key: 40 % of the import). During that
-- import only, the importer suspends the foreign keys of those three tables and has them checked whole at the end
-- (ALTER TABLE … ADD CONSTRAINT checks every row in one query), all in its transaction: if anything fails, the
-- constraints come back with the rollback. Suspending them locks the tables and the ones they reference (users,
-- schools, classes) until the import commits — acceptable only while the académie is not using the directory yet,
-- which is why the importer does it on the first import only.
-- The definitions are kept in a temporary table of the owner's (the caller can neither write nor drop it), and a
-- deferred trigger on it refuses to commit while one of them is missing: the caller cannot keep them suspended.
CREATE FUNCTION preau_aaf_bulk_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = NEW.tbl::regclass AND conname = NEW.name
                 AND contype = 'f') THEN
    RAISE EXCEPTION 'foreign key % of % suspended by an AAF import and not restored', NEW.name, NEW.tbl;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION preau_aaf_bulk_begin() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  c record;
BEGIN
  -- Every lock at once, the most shared table first: requests that hold none of them finish, those that come
  -- after wait for the import, and nothing waits on both sides.
  LOCK TABLE users, schools, classes, school_profiles, class_members, parent_links IN ACCESS EXCLUSIVE MODE;
  -- Fails if the table exists already: a second call, or one the caller made first.
  CREATE TEMP TABLE aaf_bulk_foreign_keys (tbl text NOT NULL, name text NOT NULL, definition text NOT NULL)
    ON COMMIT DROP;
  CREATE CONSTRAINT TRIGGER aaf_bulk_restored AFTER INSERT ON pg_temp.aaf_bulk_foreign_keys
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION preau_aaf_bulk_guard();
  INSERT INTO pg_temp.aaf_bulk_foreign_keys
    SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE contype = 'f' AND conrelid IN ('school_profiles'::regclass, 'class_members'::regclass,
                                         'parent_links'::regclass);
  FOR c IN SELECT * FROM pg_temp.aaf_bulk_foreign_keys LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.name);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION preau_aaf_bulk_end() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM pg_temp.aaf_bulk_foreign_keys LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = c.tbl::regclass AND conname = c.name) THEN
      EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.tbl, c.name, c.definition);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION preau_aaf_bulk_begin(), preau_aaf_bulk_end(), preau_aaf_bulk_guard() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION preau_aaf_bulk_begin(), preau_aaf_bulk_end() TO preau_system;
