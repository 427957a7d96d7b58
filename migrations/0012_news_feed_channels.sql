CREATE TABLE "notification_settings" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"quiet_from" text,
	"quiet_to" text,
	"daily_digest" boolean DEFAULT false NOT NULL,
	"mobile" text
);
--> statement-breakpoint
CREATE TABLE "outbox_signals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"user_id" uuid NOT NULL,
	"address" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"created_at" timestamp with time zone NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"failed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"endpoint" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "announcement_reads" (
	"announcement_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "announcement_reads_announcement_id_user_id_pk" PRIMARY KEY("announcement_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "announcement_schools" (
	"announcement_id" uuid NOT NULL,
	"uai" text NOT NULL,
	CONSTRAINT "announcement_schools_announcement_id_uai_pk" PRIMARY KEY("announcement_id","uai")
);
--> statement-breakpoint
CREATE TABLE "announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"author_id" uuid,
	"signed_as" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"profiles" "profile_kind"[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "important_dates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"class_id" uuid,
	"author_id" uuid,
	"title" text NOT NULL,
	"on_date" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "by_push" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "by_sms" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_mail" ADD COLUMN "not_before" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox_mail" ADD COLUMN "digest_user_id" uuid;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_signals" ADD CONSTRAINT "outbox_signals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_reads" ADD CONSTRAINT "announcement_reads_announcement_id_announcements_id_fk" FOREIGN KEY ("announcement_id") REFERENCES "public"."announcements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_reads" ADD CONSTRAINT "announcement_reads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_schools" ADD CONSTRAINT "announcement_schools_announcement_id_announcements_id_fk" FOREIGN KEY ("announcement_id") REFERENCES "public"."announcements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcement_schools" ADD CONSTRAINT "announcement_schools_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "announcements" ADD CONSTRAINT "announcements_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "important_dates" ADD CONSTRAINT "important_dates_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "important_dates" ADD CONSTRAINT "important_dates_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "important_dates" ADD CONSTRAINT "important_dates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_signals_due" ON "outbox_signals" USING btree ("channel","not_before") WHERE sent_at is null and failed_at is null;--> statement-breakpoint
CREATE INDEX "push_subscriptions_user" ON "push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "announcement_schools_uai" ON "announcement_schools" USING btree ("uai");--> statement-breakpoint
CREATE INDEX "important_dates_uai_date" ON "important_dates" USING btree ("uai","on_date");--> statement-breakpoint
CREATE INDEX "important_dates_batch" ON "important_dates" USING btree ("batch_id");--> statement-breakpoint
ALTER TABLE "outbox_mail" ADD CONSTRAINT "outbox_mail_digest_user_id_users_id_fk" FOREIGN KEY ("digest_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Hand-written: a user's own settings, subscriptions, read marks and pending signals; dates and targets by school.
SELECT preau_enable_own_rows(t::regclass, 'user_id') FROM unnest(ARRAY[
  'notification_settings', 'push_subscriptions', 'announcement_reads', 'outbox_signals'
]) AS t;
--> statement-breakpoint
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['important_dates', 'announcement_schools']) AS t;
--> statement-breakpoint
-- An announcement is seen by its author and wherever one of its schools is (the sub-select is itself under RLS).
ALTER TABLE announcements ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE announcements FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY announcement_reach ON announcements
  USING (preau_all_schools() OR author_id = preau_current_user()
         OR EXISTS (SELECT 1 FROM announcement_schools s WHERE s.announcement_id = id))
  WITH CHECK (preau_all_schools() OR author_id = preau_current_user());
--> statement-breakpoint
-- An announcement's author counts who has read it.
CREATE POLICY author_counts_reads ON announcement_reads FOR SELECT
  USING (EXISTS (SELECT 1 FROM announcements a WHERE a.id = announcement_id AND a.author_id = preau_current_user()));
