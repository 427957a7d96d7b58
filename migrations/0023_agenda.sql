CREATE TABLE "agenda_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"booked_at" timestamp with time zone NOT NULL,
	"reminded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agenda_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"calendar" text NOT NULL,
	"class_id" uuid,
	"owner_id" uuid,
	"title" text NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"all_day" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda_feeds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"calendar" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"class_id" uuid NOT NULL,
	"author_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"details" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agenda_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agenda_bookings" ADD CONSTRAINT "agenda_bookings_slot_id_agenda_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."agenda_slots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_bookings" ADD CONSTRAINT "agenda_bookings_offer_id_agenda_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."agenda_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_bookings" ADD CONSTRAINT "agenda_bookings_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_bookings" ADD CONSTRAINT "agenda_bookings_parent_id_users_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_bookings" ADD CONSTRAINT "agenda_bookings_child_id_users_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_events" ADD CONSTRAINT "agenda_events_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_events" ADD CONSTRAINT "agenda_events_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_events" ADD CONSTRAINT "agenda_events_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_feeds" ADD CONSTRAINT "agenda_feeds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_offers" ADD CONSTRAINT "agenda_offers_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_offers" ADD CONSTRAINT "agenda_offers_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_offers" ADD CONSTRAINT "agenda_offers_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_slots" ADD CONSTRAINT "agenda_slots_offer_id_agenda_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."agenda_offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_slots" ADD CONSTRAINT "agenda_slots_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agenda_bookings_once" ON "agenda_bookings" USING btree ("offer_id","parent_id");--> statement-breakpoint
CREATE INDEX "agenda_bookings_slot" ON "agenda_bookings" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "agenda_bookings_parent" ON "agenda_bookings" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "agenda_events_class" ON "agenda_events" USING btree ("class_id","starts_at");--> statement-breakpoint
CREATE INDEX "agenda_events_school" ON "agenda_events" USING btree ("uai","calendar","starts_at");--> statement-breakpoint
CREATE INDEX "agenda_events_owner" ON "agenda_events" USING btree ("owner_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agenda_feeds_user_calendar" ON "agenda_feeds" USING btree ("user_id","calendar");--> statement-breakpoint
CREATE INDEX "agenda_offers_class" ON "agenda_offers" USING btree ("class_id","created_at");--> statement-breakpoint
CREATE INDEX "agenda_slots_offer" ON "agenda_slots" USING btree ("offer_id","starts_at");--> statement-breakpoint
-- Hand-written: the agenda belongs to its school; subscription addresses to their user.
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['agenda_events', 'agenda_offers', 'agenda_slots', 'agenda_bookings']) AS t;
--> statement-breakpoint
SELECT preau_enable_own_rows('agenda_feeds'::regclass, 'user_id');
