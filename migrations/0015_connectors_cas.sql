CREATE TABLE "cas_tickets" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"connector_id" uuid NOT NULL,
	"uai" text,
	"service" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "connector_consents" (
	"user_id" uuid NOT NULL,
	"connector_id" uuid NOT NULL,
	"attributes" text[] NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "connector_consents_user_id_connector_id_pk" PRIMARY KEY("user_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "connector_schools" (
	"connector_id" uuid NOT NULL,
	"uai" text NOT NULL,
	CONSTRAINT "connector_schools_connector_id_uai_pk" PRIMARY KEY("connector_id","uai")
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"protocol" text NOT NULL,
	"launch_url" text NOT NULL,
	"service_urls" text[] NOT NULL,
	"icon" text DEFAULT 'connector' NOT NULL,
	"category" integer NOT NULL,
	"identifier" text DEFAULT 'opaque' NOT NULL,
	"requested_attributes" text[] DEFAULT '{}' NOT NULL,
	"native" boolean DEFAULT false NOT NULL,
	"all_schools" boolean DEFAULT false NOT NULL,
	"owner_structure_id" uuid,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "connectors_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "login_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp with time zone,
	"ip" text
);
--> statement-breakpoint
ALTER TABLE "cas_tickets" ADD CONSTRAINT "cas_tickets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cas_tickets" ADD CONSTRAINT "cas_tickets_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_consents" ADD CONSTRAINT "connector_consents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_consents" ADD CONSTRAINT "connector_consents_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_schools" ADD CONSTRAINT "connector_schools_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_schools" ADD CONSTRAINT "connector_schools_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_owner_structure_id_structures_id_fk" FOREIGN KEY ("owner_structure_id") REFERENCES "public"."structures"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_challenges" ADD CONSTRAINT "login_challenges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cas_tickets_expiry" ON "cas_tickets" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "connector_schools_uai" ON "connector_schools" USING btree ("uai");--> statement-breakpoint
-- Hand-written: where a connector is active is each school's business; consents, tickets and login codes are
-- their user's own rows (the CAS validation and the login run in the system scope).
SELECT preau_enable_tenancy('connector_schools');
--> statement-breakpoint
SELECT preau_enable_own_rows(t::regclass, 'user_id') FROM unnest(ARRAY['connector_consents', 'cas_tickets', 'login_challenges']) AS t;
