CREATE TABLE "slack_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"method" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claims" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_since" timestamp with time zone,
	"unconfirmed_since" timestamp with time zone,
	"channel" text,
	"ts" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "slack_outbox_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "slack_outbox_method_check" CHECK ("slack_outbox"."method" in ('chat.postMessage','chat.update','chat.postEphemeral')),
	CONSTRAINT "slack_outbox_status_check" CHECK ("slack_outbox"."status" in ('pending','sending','sent','failed'))
);
--> statement-breakpoint
CREATE INDEX "slack_outbox_due_idx" ON "slack_outbox" USING btree ("next_attempt_at") WHERE "slack_outbox"."status" in ('pending','sending');