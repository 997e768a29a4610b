CREATE TABLE "slack_channels" (
	"id" text PRIMARY KEY NOT NULL,
	"shared" boolean NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_seen_requests" (
	"key" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "audience" text DEFAULT 'internal' NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "fallback_channel" text;--> statement-breakpoint
CREATE INDEX "slack_seen_requests_seen_idx" ON "slack_seen_requests" USING btree ("seen_at");--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_audience_check" CHECK ("slack_outbox"."audience" in ('internal','customer'));