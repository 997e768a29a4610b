CREATE TABLE "zendesk_ticket_statuses" (
	"ticket_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "zendesk_ticket_statuses_ticket_id_at_pk" PRIMARY KEY("ticket_id","at")
);
--> statement-breakpoint
ALTER TABLE "zendesk_ticket_statuses" ADD CONSTRAINT "zendesk_ticket_statuses_ticket_id_zendesk_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."zendesk_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The tickets stored before this migration: what is known of their history, their creation and their latest version.
INSERT INTO "zendesk_ticket_statuses" ("ticket_id", "at", "status")
SELECT "id", "updated_at", "status" FROM "zendesk_tickets"
UNION ALL
SELECT "id", "created_at", 'new' FROM "zendesk_tickets" WHERE "created_at" < "updated_at";
