CREATE TABLE "account_notes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"text" text NOT NULL,
	"author" text NOT NULL,
	"logged_by" text NOT NULL,
	"source" text NOT NULL,
	"channel_id" text,
	"message_ts" text,
	"permalink" text,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_notes_source_check" CHECK ("account_notes"."source" in ('shortcut','command'))
);
--> statement-breakpoint
CREATE TABLE "account_owner_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"from_owner" text,
	"to_owner" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "account_notes" ADD CONSTRAINT "account_notes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_owner_changes" ADD CONSTRAINT "account_owner_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_notes_account_idx" ON "account_notes" USING btree ("account_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "account_notes_message_idx" ON "account_notes" USING btree ("account_id","channel_id","message_ts") WHERE "account_notes"."message_ts" is not null;--> statement-breakpoint
CREATE INDEX "account_owner_changes_account_idx" ON "account_owner_changes" USING btree ("account_id","at");