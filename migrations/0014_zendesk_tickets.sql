CREATE TABLE "zendesk_tickets" (
	"id" bigint PRIMARY KEY NOT NULL,
	"account_id" integer,
	"organization_id" bigint,
	"status" text NOT NULL,
	"priority" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zendesk_tickets" ADD CONSTRAINT "zendesk_tickets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "zendesk_tickets_account_idx" ON "zendesk_tickets" USING btree ("account_id");