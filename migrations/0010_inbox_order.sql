ALTER TABLE "message_recipients" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
-- Hand-written: existing rows take their message's time, then the column becomes required.
UPDATE "message_recipients" r SET "delivered_at" = m."created_at" FROM "messages" m WHERE m."id" = r."message_id";--> statement-breakpoint
ALTER TABLE "message_recipients" ALTER COLUMN "delivered_at" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "message_recipients_inbox" ON "message_recipients" USING btree ("user_id","delivered_at" DESC NULLS LAST) WHERE "message_recipients"."deleted_at" is null;
