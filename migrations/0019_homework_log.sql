CREATE TABLE "homework_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"class_id" uuid NOT NULL,
	"author_id" uuid,
	"day" date NOT NULL,
	"subject" text NOT NULL,
	"done_in_class" text DEFAULT '' NOT NULL,
	"to_do" text DEFAULT '' NOT NULL,
	"due_date" date,
	"links" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "homework_ticks" (
	"entry_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"ticked_by" uuid,
	"ticked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "homework_ticks_entry_id_pupil_id_pk" PRIMARY KEY("entry_id","pupil_id")
);
--> statement-breakpoint
ALTER TABLE "homework_entries" ADD CONSTRAINT "homework_entries_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_entries" ADD CONSTRAINT "homework_entries_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_entries" ADD CONSTRAINT "homework_entries_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_ticks" ADD CONSTRAINT "homework_ticks_entry_id_homework_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."homework_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_ticks" ADD CONSTRAINT "homework_ticks_pupil_id_users_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_ticks" ADD CONSTRAINT "homework_ticks_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "homework_ticks" ADD CONSTRAINT "homework_ticks_ticked_by_users_id_fk" FOREIGN KEY ("ticked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "homework_entries_class_day" ON "homework_entries" USING btree ("class_id","day");--> statement-breakpoint
CREATE INDEX "homework_entries_class_due" ON "homework_entries" USING btree ("class_id","due_date");--> statement-breakpoint
-- Hand-written: the homework log belongs to its school.
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['homework_entries', 'homework_ticks']) AS t;
