CREATE TYPE "public"."aaf_import_mode" AS ENUM('complete', 'delta');--> statement-breakpoint
CREATE TYPE "public"."aaf_import_status" AS ENUM('queued', 'running', 'applied', 'rejected', 'failed', 'checked');--> statement-breakpoint
CREATE TYPE "public"."duplicate_status" AS ENUM('open', 'dismissed', 'merged');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('pending', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "aaf_import_log" (
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"level" text NOT NULL,
	"message" text NOT NULL,
	CONSTRAINT "aaf_import_log_import_id_seq_pk" PRIMARY KEY("import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "aaf_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" "aaf_import_status" NOT NULL,
	"mode" "aaf_import_mode",
	"origin" text NOT NULL,
	"file_name" text NOT NULL,
	"stored_path" text,
	"dry_run" boolean DEFAULT false NOT NULL,
	"requested_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"counts" jsonb,
	"progress" jsonb,
	"problems" jsonb
);
--> statement-breakpoint
CREATE TABLE "aaf_stage_links" (
	"import_id" uuid NOT NULL,
	"link" text NOT NULL,
	"kind" text NOT NULL,
	"jointure" text NOT NULL,
	"target" text NOT NULL,
	"code" text,
	"label" text,
	"flag" boolean,
	"file" text NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aaf_stage_people" (
	"import_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"op" text NOT NULL,
	"fields" text[],
	"jointure" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"birth_date" text,
	"email" text,
	"teacher" boolean,
	"level" text,
	"file" text NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "aaf_stage_schools" (
	"import_id" uuid NOT NULL,
	"op" text NOT NULL,
	"fields" text[],
	"jointure" text NOT NULL,
	"uai" text,
	"name" text,
	"city" text,
	"circ_code" text,
	"circ_name" text,
	"commune_code" text,
	"commune_name" text,
	"rpi_code" text,
	"rpi_name" text,
	"file" text NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duplicate_flags" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "duplicate_flags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"uai" text NOT NULL,
	"user_a" uuid NOT NULL,
	"user_b" uuid NOT NULL,
	"status" "duplicate_status" DEFAULT 'open' NOT NULL,
	"detected_at" timestamp with time zone NOT NULL,
	"import_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" "job_state" DEFAULT 'pending' NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox_mail" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"meta" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
DROP INDEX "classes_uai_year_name";--> statement-breakpoint
ALTER TABLE "schools" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "aaf_import_log" ADD CONSTRAINT "aaf_import_log_import_id_aaf_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."aaf_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aaf_imports" ADD CONSTRAINT "aaf_imports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_flags" ADD CONSTRAINT "duplicate_flags_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_flags" ADD CONSTRAINT "duplicate_flags_user_a_users_id_fk" FOREIGN KEY ("user_a") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_flags" ADD CONSTRAINT "duplicate_flags_user_b_users_id_fk" FOREIGN KEY ("user_b") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_flags" ADD CONSTRAINT "duplicate_flags_import_id_aaf_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."aaf_imports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_flags" ADD CONSTRAINT "duplicate_flags_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aaf_imports_created" ON "aaf_imports" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "aaf_stage_links_import" ON "aaf_stage_links" USING btree ("import_id","link","jointure");--> statement-breakpoint
CREATE INDEX "aaf_stage_people_import" ON "aaf_stage_people" USING btree ("import_id","kind","jointure");--> statement-breakpoint
CREATE INDEX "aaf_stage_schools_import" ON "aaf_stage_schools" USING btree ("import_id","jointure");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_flags_pair" ON "duplicate_flags" USING btree ("uai","user_a","user_b");--> statement-breakpoint
CREATE INDEX "duplicate_flags_open" ON "duplicate_flags" USING btree ("uai","status");--> statement-breakpoint
CREATE INDEX "jobs_due" ON "jobs" USING btree ("state","run_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe" ON "jobs" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "notifications_user" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "outbox_mail_pending" ON "outbox_mail" USING btree ("sent_at","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "classes_year_external" ON "classes" USING btree ("school_year","external_code");--> statement-breakpoint
CREATE INDEX "classes_uai_year_name" ON "classes" USING btree ("uai","school_year","name");--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_external_id_unique" UNIQUE("external_id");--> statement-breakpoint
-- Hand-written: the staging area is rebuilt on any crash, so it skips the write-ahead log.
ALTER TABLE "aaf_stage_schools" SET UNLOGGED;
--> statement-breakpoint
ALTER TABLE "aaf_stage_people" SET UNLOGGED;
--> statement-breakpoint
ALTER TABLE "aaf_stage_links" SET UNLOGGED;
--> statement-breakpoint
SELECT preau_enable_tenancy('duplicate_flags');
--> statement-breakpoint
-- Staged schools carry a UAI: under the same rule as every table that does (imports run in the académie's scope).
SELECT preau_enable_tenancy('aaf_stage_schools');
--> statement-breakpoint
SELECT preau_enable_own_rows('notifications', 'user_id');
--> statement-breakpoint
-- The unread count is part of the cached principal: a new or read notification refreshes it.
CREATE TRIGGER notifications_cache AFTER INSERT OR UPDATE OR DELETE ON notifications
  FOR EACH ROW EXECUTE FUNCTION preau_notify_row('user', 'user_id');
--> statement-breakpoint
-- A bulk writer (the AAF import: a million rows) sets preau.bulk and announces one 'directory' change itself,
-- instead of one notification per row.
CREATE OR REPLACE FUNCTION preau_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('preau.bulk', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('preau_cache', TG_ARGV[0] || ':' ||
    (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1]));
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Fresh rows have no statistics: without them an import's joins are planned as nested loops over a million rows
-- (ANALYZE inside the import's transaction sees its own rows). The app role does not own the tables; this
-- function, the owner's, refreshes the statistics of the tables an import fills.
CREATE FUNCTION preau_refresh_import_statistics() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  ANALYZE aaf_stage_schools;
  ANALYZE aaf_stage_people;
  ANALYZE aaf_stage_links;
  ANALYZE users;
  ANALYZE schools;
  ANALYZE school_profiles;
  ANALYZE classes;
  ANALYZE class_members;
  ANALYZE parent_links;
END $$;
