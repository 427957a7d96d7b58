CREATE TABLE "absence_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"pupil_id" uuid NOT NULL,
	"parent_id" uuid,
	"from_day" date NOT NULL,
	"to_day" date NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance_marks" (
	"roll_id" uuid NOT NULL,
	"pupil_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"notified_at" timestamp with time zone,
	CONSTRAINT "attendance_marks_roll_id_pupil_id_pk" PRIMARY KEY("roll_id","pupil_id")
);
--> statement-breakpoint
CREATE TABLE "attendance_rolls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"class_id" uuid NOT NULL,
	"day" date NOT NULL,
	"half" text NOT NULL,
	"taken_by" uuid,
	"taken_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "absence_notices" ADD CONSTRAINT "absence_notices_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_notices" ADD CONSTRAINT "absence_notices_pupil_id_users_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "absence_notices" ADD CONSTRAINT "absence_notices_parent_id_users_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD CONSTRAINT "attendance_marks_roll_id_attendance_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "public"."attendance_rolls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD CONSTRAINT "attendance_marks_pupil_id_users_id_fk" FOREIGN KEY ("pupil_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_marks" ADD CONSTRAINT "attendance_marks_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_rolls" ADD CONSTRAINT "attendance_rolls_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_rolls" ADD CONSTRAINT "attendance_rolls_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_rolls" ADD CONSTRAINT "attendance_rolls_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "absence_notices_pupil" ON "absence_notices" USING btree ("pupil_id","from_day");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_rolls_class_day_half" ON "attendance_rolls" USING btree ("class_id","day","half");--> statement-breakpoint
CREATE INDEX "attendance_rolls_uai_day" ON "attendance_rolls" USING btree ("uai","day");--> statement-breakpoint
-- Hand-written: attendance belongs to its school.
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['attendance_rolls', 'attendance_marks', 'absence_notices']) AS t;
