CREATE TYPE "public"."class_level" AS ENUM('CP', 'CE1', 'CE2', 'CM1', 'CM2');--> statement-breakpoint
CREATE TYPE "public"."class_role" AS ENUM('pupil', 'teacher', 'staff');--> statement-breakpoint
CREATE TYPE "public"."profile_kind" AS ENUM('pupil', 'parent', 'teacher', 'director', 'staff', 'guest', 'inspector', 'adviser', 'municipality', 'academie_admin');--> statement-breakpoint
CREATE TYPE "public"."structure_kind" AS ENUM('academie', 'departement', 'circonscription', 'commune', 'rpi');--> statement-breakpoint
CREATE TYPE "public"."user_source" AS ENUM('aaf', 'manual', 'municipality', 'demo');--> statement-breakpoint
CREATE TYPE "public"."user_state" AS ENUM('pre_created', 'active', 'suspended', 'pre_deleted');--> statement-breakpoint
CREATE TYPE "public"."font_choice" AS ENUM('standard', 'dyslexic');--> statement-breakpoint
CREATE TABLE "class_members" (
	"class_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"role" "class_role" NOT NULL,
	CONSTRAINT "class_members_class_id_user_id_pk" PRIMARY KEY("class_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "classes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"name" text NOT NULL,
	"levels" "class_level"[] NOT NULL,
	"school_year" text NOT NULL,
	"external_code" text
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"uai" text NOT NULL,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"name" text NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parent_links" (
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"legal_guardian" boolean DEFAULT true NOT NULL,
	CONSTRAINT "parent_links_parent_id_child_id_pk" PRIMARY KEY("parent_id","child_id")
);
--> statement-breakpoint
CREATE TABLE "school_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"profile" "profile_kind" NOT NULL,
	"functions" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_structures" (
	"uai" text NOT NULL,
	"structure_id" uuid NOT NULL,
	CONSTRAINT "school_structures_uai_structure_id_pk" PRIMARY KEY("uai","structure_id")
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"uai" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "structure_parents" (
	"structure_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	CONSTRAINT "structure_parents_structure_id_parent_id_pk" PRIMARY KEY("structure_id","parent_id")
);
--> statement-breakpoint
CREATE TABLE "structure_roles" (
	"user_id" uuid NOT NULL,
	"structure_id" uuid NOT NULL,
	"role" "profile_kind" NOT NULL,
	CONSTRAINT "structure_roles_user_id_structure_id_role_pk" PRIMARY KEY("user_id","structure_id","role")
);
--> statement-breakpoint
CREATE TABLE "structures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "structure_kind" NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" "user_source" NOT NULL,
	"external_id" text,
	"login" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"birth_date" date,
	"academic_email" text,
	"state" "user_state" DEFAULT 'pre_created' NOT NULL,
	"expires_at" timestamp with time zone,
	"charter_accepted_at" timestamp with time zone,
	"activated_at" timestamp with time zone,
	"pre_deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "users_login_unique" UNIQUE("login")
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"active_uai" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY DEFAULT 0 NOT NULL,
	"at" timestamp (6) with time zone NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target" text,
	"uai" text,
	"ip" text,
	"details" jsonb,
	"prev_hash" text DEFAULT '' NOT NULL,
	"hash" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "class_app_defaults" (
	"class_id" uuid PRIMARY KEY NOT NULL,
	"uai" text NOT NULL,
	"hidden_for_pupils" text[] DEFAULT '{}' NOT NULL,
	"hidden_for_parents" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "school_settings" (
	"uai" text PRIMARY KEY NOT NULL,
	"pupil_hours" jsonb
);
--> statement-breakpoint
CREATE TABLE "user_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"font" "font_choice" DEFAULT 'standard' NOT NULL,
	"hidden_apps" text[] DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "class_members" ADD CONSTRAINT "class_members_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_members" ADD CONSTRAINT "class_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_members" ADD CONSTRAINT "class_members_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "classes" ADD CONSTRAINT "classes_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_links" ADD CONSTRAINT "parent_links_parent_id_users_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_links" ADD CONSTRAINT "parent_links_child_id_users_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parent_links" ADD CONSTRAINT "parent_links_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_profiles" ADD CONSTRAINT "school_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_profiles" ADD CONSTRAINT "school_profiles_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_structures" ADD CONSTRAINT "school_structures_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_structures" ADD CONSTRAINT "school_structures_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure_parents" ADD CONSTRAINT "structure_parents_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure_parents" ADD CONSTRAINT "structure_parents_parent_id_structures_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure_roles" ADD CONSTRAINT "structure_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "structure_roles" ADD CONSTRAINT "structure_roles_structure_id_structures_id_fk" FOREIGN KEY ("structure_id") REFERENCES "public"."structures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_app_defaults" ADD CONSTRAINT "class_app_defaults_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_app_defaults" ADD CONSTRAINT "class_app_defaults_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "school_settings" ADD CONSTRAINT "school_settings_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "class_members_user" ON "class_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "classes_uai" ON "classes" USING btree ("uai");--> statement-breakpoint
CREATE UNIQUE INDEX "classes_uai_year_name" ON "classes" USING btree ("uai","school_year","name");--> statement-breakpoint
CREATE INDEX "group_members_user" ON "group_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "groups_uai" ON "groups" USING btree ("uai");--> statement-breakpoint
CREATE INDEX "parent_links_child" ON "parent_links" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "school_profiles_user_uai_profile" ON "school_profiles" USING btree ("user_id","uai","profile");--> statement-breakpoint
CREATE INDEX "school_profiles_uai" ON "school_profiles" USING btree ("uai","profile");--> statement-breakpoint
CREATE INDEX "school_structures_structure" ON "school_structures" USING btree ("structure_id");--> statement-breakpoint
CREATE INDEX "structure_parents_parent" ON "structure_parents" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "structures_kind_code" ON "structures" USING btree ("kind","code");--> statement-breakpoint
CREATE INDEX "users_academic_email" ON "users" USING btree ("academic_email");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "audit_log_uai" ON "audit_log" USING btree ("uai","at");--> statement-breakpoint
CREATE INDEX "audit_log_login_failures_ip" ON "audit_log" USING btree ("ip","at") WHERE action = 'login.failure';--> statement-breakpoint
CREATE INDEX "audit_log_login_attempts_target" ON "audit_log" USING btree ("target","at") WHERE action in ('login.failure', 'login.success');