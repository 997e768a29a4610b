CREATE TABLE "incidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"channel" text NOT NULL,
	"post_outbox_id" bigint,
	"assignee_slack_id" text,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_actions" DROP CONSTRAINT "alert_actions_action_check";--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "incident_id" bigint;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD COLUMN "incident_id" bigint;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_post_outbox_id_slack_outbox_id_fk" FOREIGN KEY ("post_outbox_id") REFERENCES "public"."slack_outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incidents_open_idx" ON "incidents" USING btree ("account_id","channel") WHERE "incidents"."resolved_at" is null;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_outbox" ADD CONSTRAINT "slack_outbox_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_incident_idx" ON "alerts" USING btree ("incident_id");--> statement-breakpoint
ALTER TABLE "alert_actions" ADD CONSTRAINT "alert_actions_action_check" CHECK ("alert_actions"."action" in ('acknowledged','snoozed','resolved','renotified','escalated','assigned'));--> statement-breakpoint
-- Alerts raised before incidents: each becomes the incident it was posted as (one message each).
ALTER TABLE "incidents" ADD COLUMN "legacy_alert_id" bigint;--> statement-breakpoint
INSERT INTO "incidents" ("account_id", "channel", "post_outbox_id", "resolved_at", "created_at", "legacy_alert_id")
SELECT al."account_id", coalesce(o."channel", o."payload"->>'channel', ac."channel_id", ''), al."post_outbox_id",
  CASE WHEN al."status" = 'resolved' THEN coalesce(al."status_at", al."created_at") END, al."created_at", al."id"
FROM "alerts" al
JOIN "accounts" ac ON ac."id" = al."account_id"
LEFT JOIN "slack_outbox" o ON o."id" = al."post_outbox_id";--> statement-breakpoint
UPDATE "alerts" al SET "incident_id" = i."id" FROM "incidents" i WHERE i."legacy_alert_id" = al."id";--> statement-breakpoint
ALTER TABLE "incidents" DROP COLUMN "legacy_alert_id";
