ALTER TABLE "slack_outbox" DROP CONSTRAINT "slack_outbox_method_check";--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "post_outbox_id" bigint;--> statement-breakpoint
ALTER TABLE "surveys" ADD COLUMN "post_outbox_id" bigint;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_post_outbox_id_slack_outbox_id_fk" FOREIGN KEY ("post_outbox_id") REFERENCES "public"."slack_outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_post_outbox_id_slack_outbox_id_fk" FOREIGN KEY ("post_outbox_id") REFERENCES "public"."slack_outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_method_check" CHECK ("slack_outbox"."method" in ('chat.postMessage','chat.update','chat.postEphemeral'));--> statement-breakpoint
-- Backfill: alerts and surveys enqueued before this migration were linked to their post's outbox row only
-- by its dedupe key (src/domain/outbox-keys.ts: alertPostKey, surveyPostKey); the link becomes the column.
UPDATE "alerts" SET "post_outbox_id" = o."id" FROM "slack_outbox" o
  WHERE o."dedupe_key" = 'alert:' || "alerts"."id" || ':post';--> statement-breakpoint
UPDATE "surveys" SET "post_outbox_id" = o."id" FROM "slack_outbox" o
  WHERE o."dedupe_key" = 'survey:' || "surveys"."id" || ':post';
