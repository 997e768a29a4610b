ALTER TABLE "alert_actions" DROP CONSTRAINT "alert_actions_action_check";--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert_actions" ADD CONSTRAINT "alert_actions_action_check" CHECK ("alert_actions"."action" in ('acknowledged','snoozed','resolved','renotified','escalated'));