CREATE TABLE "connector_state" (
	"name" text PRIMARY KEY NOT NULL,
	"cursor" text,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"stored" bigint DEFAULT 0 NOT NULL,
	"skipped" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_skipped" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_run_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "segment_active_users" (
	"account_id" integer NOT NULL,
	"day" date NOT NULL,
	"user_hash" bigint NOT NULL,
	CONSTRAINT "segment_active_users_account_id_day_user_hash_pk" PRIMARY KEY("account_id","day","user_hash")
);
--> statement-breakpoint
CREATE TABLE "segment_event_counts" (
	"account_id" integer NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "segment_event_counts_account_id_day_metric_pk" PRIMARY KEY("account_id","day","metric")
);
--> statement-breakpoint
CREATE TABLE "segment_messages" (
	"message_id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segment_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"account_id" integer,
	"email" text,
	"name" text,
	"role" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "segment_active_users" ADD CONSTRAINT "segment_active_users_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_event_counts" ADD CONSTRAINT "segment_event_counts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_users" ADD CONSTRAINT "segment_users_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zendesk_tickets" ADD CONSTRAINT "zendesk_tickets_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "zendesk_tickets_account_idx" ON "zendesk_tickets" USING btree ("account_id");