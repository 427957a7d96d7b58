CREATE TABLE "liaison_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"author_id" uuid,
	"class_id" uuid,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"reply_kind" text NOT NULL,
	"remind_after_hours" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "liaison_recipients" (
	"note_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"read_at" timestamp with time zone,
	"reply" text,
	"replied_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "liaison_recipients_note_id_parent_id_child_id_pk" PRIMARY KEY("note_id","parent_id","child_id")
);
--> statement-breakpoint
ALTER TABLE "liaison_notes" ADD CONSTRAINT "liaison_notes_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_notes" ADD CONSTRAINT "liaison_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_notes" ADD CONSTRAINT "liaison_notes_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_recipients" ADD CONSTRAINT "liaison_recipients_note_id_liaison_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "public"."liaison_notes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_recipients" ADD CONSTRAINT "liaison_recipients_parent_id_users_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_recipients" ADD CONSTRAINT "liaison_recipients_child_id_users_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "liaison_recipients" ADD CONSTRAINT "liaison_recipients_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "liaison_notes_uai" ON "liaison_notes" USING btree ("uai","created_at");--> statement-breakpoint
CREATE INDEX "liaison_recipients_parent" ON "liaison_recipients" USING btree ("parent_id");--> statement-breakpoint
-- Hand-written: the liaison notebook belongs to its school.
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['liaison_notes', 'liaison_recipients']) AS t;
