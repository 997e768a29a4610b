CREATE TABLE "digests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"week_start" date NOT NULL,
	"channel" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text,
	"figures" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digests_trigger_check" CHECK ("digests"."trigger" in ('schedule','command'))
);
--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"title" text NOT NULL,
	"planned_for" date,
	"reached_at" timestamp with time zone,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_goals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" bigint NOT NULL,
	"account_id" integer NOT NULL,
	"description" text NOT NULL,
	"metric" text,
	"comparator" text,
	"target" numeric(14, 2),
	"due_date" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_goals_comparator_check" CHECK ("review_goals"."comparator" is null or "review_goals"."comparator" in ('>=','<='))
);
--> statement-breakpoint
CREATE TABLE "schedule_runs" (
	"schedule" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"runner" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "schedule_runs_schedule_due_at_pk" PRIMARY KEY("schedule","due_at")
);
--> statement-breakpoint
CREATE TABLE "stripe_customers" (
	"customer_id" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"linked_by" text NOT NULL,
	"email" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_unlinked_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"customer_id" text,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "success_reviews" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"timezone" text NOT NULL,
	"attendees" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"agenda" text,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"scheduled_by" text NOT NULL,
	"brief_sent_at" timestamp with time zone,
	"outcome_requested_at" timestamp with time zone,
	"outcome_recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "success_reviews_kind_check" CHECK ("success_reviews"."kind" in ('rts','rms')),
	CONSTRAINT "success_reviews_status_check" CHECK ("success_reviews"."status" in ('scheduled','held','canceled'))
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"contact_id" integer NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"locale" text NOT NULL,
	"requested_by" text,
	"recipient_slack_id" text,
	"route" text,
	"channel" text,
	"ts" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"failure_reason" text,
	"score" smallint,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	CONSTRAINT "surveys_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "surveys_kind_check" CHECK ("surveys"."kind" in ('nps','csat')),
	CONSTRAINT "surveys_trigger_check" CHECK ("surveys"."trigger" in ('cadence','manual','milestone','review')),
	CONSTRAINT "surveys_status_check" CHECK ("surveys"."status" in ('pending','sent','answered','expired','undeliverable')),
	CONSTRAINT "surveys_score_check" CHECK ("surveys"."score" is null or ("surveys"."kind" = 'nps' and "surveys"."score" between 0 and 10) or ("surveys"."kind" = 'csat' and "surveys"."score" between 1 and 5))
);
--> statement-breakpoint
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check";--> statement-breakpoint
ALTER TABLE "slack_outbox" DROP CONSTRAINT "slack_outbox_method_check";--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_goals" ADD CONSTRAINT "review_goals_review_id_success_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."success_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_goals" ADD CONSTRAINT "review_goals_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_customers" ADD CONSTRAINT "stripe_customers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_reviews" ADD CONSTRAINT "success_reviews_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "digests_week_channel_idx" ON "digests" USING btree ("week_start","channel") WHERE "digests"."trigger" = 'schedule';--> statement-breakpoint
CREATE UNIQUE INDEX "milestones_account_title_idx" ON "milestones" USING btree ("account_id",lower("title"));--> statement-breakpoint
CREATE INDEX "milestones_reached_idx" ON "milestones" USING btree ("reached_at");--> statement-breakpoint
CREATE INDEX "review_goals_account_idx" ON "review_goals" USING btree ("account_id","due_date");--> statement-breakpoint
CREATE INDEX "stripe_unlinked_events_customer_idx" ON "stripe_unlinked_events" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "success_reviews_account_idx" ON "success_reviews" USING btree ("account_id","starts_at");--> statement-breakpoint
CREATE INDEX "success_reviews_starts_idx" ON "success_reviews" USING btree ("starts_at") WHERE "success_reviews"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX "surveys_contact_idx" ON "surveys" USING btree ("contact_id","created_at");--> statement-breakpoint
CREATE INDEX "surveys_account_answered_idx" ON "surveys" USING btree ("account_id","answered_at");--> statement-breakpoint
CREATE INDEX "surveys_open_idx" ON "surveys" USING btree ("expires_at") WHERE "surveys"."status" in ('pending','sent');--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("alerts"."kind" in ('billing','entered_red','fell_fast','renewal_at_risk','detractor','low_csat','no_first_value','review_overdue'));--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_method_check" CHECK ("slack_outbox"."method" in ('chat.postMessage','chat.update','chat.postEphemeral','views.publish'));