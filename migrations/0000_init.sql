CREATE TABLE "account_health" (
	"account_id" integer PRIMARY KEY NOT NULL,
	"score" smallint,
	"band" text,
	"components" jsonb NOT NULL,
	"open_billing_flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"data_as_of" timestamp with time zone,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"tier" text DEFAULT 'mid_touch' NOT NULL,
	"stage" text DEFAULT 'onboarding' NOT NULL,
	"mrr" numeric(14, 2),
	"currency" text DEFAULT 'USD' NOT NULL,
	"seats" integer,
	"owner_slack_id" text,
	"channel_id" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"timezone" text,
	"contract_start" date,
	"renewal_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_key_unique" UNIQUE("key"),
	CONSTRAINT "accounts_tier_check" CHECK ("accounts"."tier" in ('tech_touch','low_touch','mid_touch','high_touch','exclusive')),
	CONSTRAINT "accounts_stage_check" CHECK ("accounts"."stage" in ('onboarding','adoption','expansion','renewal')),
	CONSTRAINT "accounts_status_check" CHECK ("accounts"."status" in ('active','churned')),
	CONSTRAINT "accounts_locale_check" CHECK ("accounts"."locale" in ('en','pt-BR'))
);
--> statement-breakpoint
CREATE TABLE "billing_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"external_id" text NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"amount" numeric(14, 2),
	"currency" text,
	"due_date" date,
	"card_expires_at" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_events_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "billing_events_type_check" CHECK ("billing_events"."type" in ('payment_failed','payment_succeeded','invoice_overdue','invoice_paid','card_expiring','subscription_canceled','subscription_downgraded','dispute_opened'))
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"slack_user_id" text,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_role_check" CHECK ("contacts"."role" in ('champion','decision_maker','user'))
);
--> statement-breakpoint
CREATE TABLE "health_snapshots" (
	"account_id" integer NOT NULL,
	"day" date NOT NULL,
	"score" smallint,
	"band" text,
	"components" jsonb NOT NULL,
	CONSTRAINT "health_snapshots_account_id_day_pk" PRIMARY KEY("account_id","day")
);
--> statement-breakpoint
CREATE TABLE "metric_points" (
	"account_id" integer NOT NULL,
	"metric" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "metric_points_account_id_metric_at_pk" PRIMARY KEY("account_id","metric","at")
);
--> statement-breakpoint
ALTER TABLE "account_health" ADD CONSTRAINT "account_health_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_events" ADD CONSTRAINT "billing_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_snapshots" ADD CONSTRAINT "health_snapshots_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_points" ADD CONSTRAINT "metric_points_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_health_score_idx" ON "account_health" USING btree ("score");--> statement-breakpoint
CREATE INDEX "accounts_lower_name_idx" ON "accounts" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "accounts_owner_idx" ON "accounts" USING btree ("owner_slack_id");--> statement-breakpoint
CREATE INDEX "billing_events_account_idx" ON "billing_events" USING btree ("account_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_account_email_idx" ON "contacts" USING btree ("account_id","email");--> statement-breakpoint
CREATE INDEX "contacts_slack_user_idx" ON "contacts" USING btree ("slack_user_id");