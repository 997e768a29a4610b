ALTER TABLE "account_health" ADD COLUMN "model_version" text;--> statement-breakpoint
ALTER TABLE "health_snapshots" ADD COLUMN "model_version" text;