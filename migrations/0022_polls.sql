CREATE TABLE "poll_audience" (
	"poll_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"voted_at" timestamp with time zone,
	CONSTRAINT "poll_audience_poll_id_user_id_pk" PRIMARY KEY("poll_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "poll_ballots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"poll_id" uuid NOT NULL,
	"uai" text NOT NULL,
	"choices" integer[] NOT NULL,
	"voter_id" uuid
);
--> statement-breakpoint
CREATE TABLE "polls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"uai" text NOT NULL,
	"author_id" uuid,
	"question" text NOT NULL,
	"options" text[] NOT NULL,
	"multiple" boolean NOT NULL,
	"anonymous" boolean NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "poll_audience" ADD CONSTRAINT "poll_audience_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_audience" ADD CONSTRAINT "poll_audience_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_audience" ADD CONSTRAINT "poll_audience_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_ballots" ADD CONSTRAINT "poll_ballots_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_ballots" ADD CONSTRAINT "poll_ballots_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "poll_ballots" ADD CONSTRAINT "poll_ballots_voter_id_users_id_fk" FOREIGN KEY ("voter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_uai_schools_uai_fk" FOREIGN KEY ("uai") REFERENCES "public"."schools"("uai") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "polls" ADD CONSTRAINT "polls_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "poll_audience_user" ON "poll_audience" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "poll_ballots_poll" ON "poll_ballots" USING btree ("poll_id");--> statement-breakpoint
CREATE INDEX "polls_uai" ON "polls" USING btree ("uai","created_at");--> statement-breakpoint
-- Hand-written: polls belong to their school.
SELECT preau_enable_tenancy(t::regclass) FROM unnest(ARRAY['polls', 'poll_audience', 'poll_ballots']) AS t;
