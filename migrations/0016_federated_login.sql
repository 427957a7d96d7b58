CREATE TABLE "sso_seen" (
	"key" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "educonnect_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_educonnect_id_unique" UNIQUE("educonnect_id");--> statement-breakpoint
-- Hand-written: only the login code (system scope) reads or writes what federated logins have used.
ALTER TABLE sso_seen ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sso_seen FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY system_only ON sso_seen USING (preau_all_schools()) WITH CHECK (preau_all_schools());
