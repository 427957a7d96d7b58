CREATE TABLE "oidc_payloads" (
	"model" text NOT NULL,
	"id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"grant_id" text,
	"uid" text,
	"user_code" text,
	"expires_at" timestamp with time zone,
	"consumed_at" timestamp with time zone,
	CONSTRAINT "oidc_payloads_model_id_pk" PRIMARY KEY("model","id")
);
--> statement-breakpoint
CREATE INDEX "oidc_payloads_grant" ON "oidc_payloads" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "oidc_payloads_uid" ON "oidc_payloads" USING btree ("uid");--> statement-breakpoint
-- Hand-written: only the provider (system scope) reads or writes its state.
ALTER TABLE oidc_payloads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE oidc_payloads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY system_only ON oidc_payloads USING (preau_all_schools()) WITH CHECK (preau_all_schools());
