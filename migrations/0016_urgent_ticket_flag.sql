ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind_check";--> statement-breakpoint
ALTER TABLE "zendesk_tickets" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind_check" CHECK ("alerts"."kind" in ('billing','entered_red','fell_fast','renewal_at_risk','detractor','low_csat','no_first_value','review_overdue','urgent_ticket'));