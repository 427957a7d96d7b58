CREATE TABLE "messaging_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"profiles" text[] NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"days" text[],
	"from_time" text,
	"to_time" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messaging_suspensions" (
	"uai" text NOT NULL,
	"user_id" uuid NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "messaging_suspensions_uai_user_id_pk" PRIMARY KEY("uai","user_id")
);
--> statement-breakpoint
ALTER TABLE "school_settings" ADD COLUMN "messaging_hours" jsonb;--> statement-breakpoint
ALTER TABLE "messaging_blocks" ADD CONSTRAINT "messaging_blocks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messaging_suspensions" ADD CONSTRAINT "messaging_suspensions_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messaging_suspensions" ADD CONSTRAINT "messaging_suspensions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messaging_suspensions" ADD CONSTRAINT "messaging_suspensions_by_id_users_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Hand-written: suspensions are tenant-owned; académie blocks are read by every sender (their check), written only
-- through the académie's page (policy in src/services/messaging-restrictions.ts).
SELECT preau_enable_tenancy('messaging_suspensions');
