CREATE TYPE "public"."wall_layout" AS ENUM('free', 'columns');--> statement-breakpoint
CREATE TYPE "public"."wall_mode" AS ENUM('open', 'moderated', 'closed');--> statement-breakpoint
CREATE TYPE "public"."wall_scope" AS ENUM('class', 'group', 'school');--> statement-breakpoint
CREATE TYPE "public"."document_access" AS ENUM('read', 'write');--> statement-breakpoint
CREATE TYPE "public"."document_sharing" AS ENUM('private', 'class', 'staff');--> statement-breakpoint
CREATE TABLE "walls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"title" text NOT NULL,
	"scope" "wall_scope" NOT NULL,
	"class_id" uuid,
	"group_id" uuid,
	"owner_id" uuid,
	"layout" "wall_layout" DEFAULT 'free' NOT NULL,
	"mode" "wall_mode" DEFAULT 'open' NOT NULL,
	"columns" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"title" text NOT NULL,
	"owner_id" uuid,
	"sharing" "document_sharing" DEFAULT 'private' NOT NULL,
	"class_id" uuid,
	"access" "document_access" DEFAULT 'read' NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "walls_uai" ON "walls" USING btree ("uai");--> statement-breakpoint
CREATE INDEX "walls_class" ON "walls" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "walls_group" ON "walls" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "documents_uai" ON "documents" USING btree ("uai");--> statement-breakpoint
CREATE INDEX "documents_owner" ON "documents" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "documents_class" ON "documents" USING btree ("class_id");--> statement-breakpoint
-- Hand-written: tenancy (RLS per school) on both tables, and the rules the schema can hold by itself.
SELECT preau_enable_tenancy('walls'::regclass);
--> statement-breakpoint
SELECT preau_enable_tenancy('documents'::regclass);
--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_title_length" CHECK (char_length(title) BETWEEN 1 AND 120);
--> statement-breakpoint
ALTER TABLE "walls" ADD CONSTRAINT "walls_scope_target" CHECK (
  (scope = 'class' AND class_id IS NOT NULL AND group_id IS NULL)
  OR (scope = 'group' AND group_id IS NOT NULL AND class_id IS NULL)
  OR (scope = 'school' AND class_id IS NULL AND group_id IS NULL));
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_title_length" CHECK (char_length(title) BETWEEN 1 AND 120);
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_class_sharing" CHECK (sharing <> 'class' OR class_id IS NOT NULL);
