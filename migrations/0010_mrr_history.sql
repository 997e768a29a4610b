CREATE TABLE "account_mrr_changes" (
	"account_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"mrr" numeric(14, 2) NOT NULL,
	"currency" text NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "account_mrr_changes_account_id_at_pk" PRIMARY KEY("account_id","at"),
	CONSTRAINT "account_mrr_changes_mrr_check" CHECK ("account_mrr_changes"."mrr" >= 0),
	CONSTRAINT "account_mrr_changes_source_check" CHECK ("account_mrr_changes"."source" in ('account','api','stripe','backfill'))
);
--> statement-breakpoint
CREATE TABLE "account_stage_changes" (
	"account_id" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"from_stage" text,
	"stage" text NOT NULL,
	CONSTRAINT "account_stage_changes_account_id_at_pk" PRIMARY KEY("account_id","at")
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "churned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_mrr_changes" ADD CONSTRAINT "account_mrr_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_stage_changes" ADD CONSTRAINT "account_stage_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The history starts from what is stored: each account's MRR since it was created, 0 since a churn.
INSERT INTO "account_mrr_changes" ("account_id", "at", "mrr", "currency", "source")
SELECT "id", "created_at", "mrr", "currency", 'backfill' FROM "accounts" WHERE "mrr" IS NOT NULL;--> statement-breakpoint
UPDATE "accounts" SET "churned_at" = "updated_at" WHERE "status" = 'churned';--> statement-breakpoint
INSERT INTO "account_mrr_changes" ("account_id", "at", "mrr", "currency", "source")
SELECT "id", "churned_at", 0, "currency", 'backfill' FROM "accounts"
WHERE "status" = 'churned' AND "mrr" IS NOT NULL AND "churned_at" > "created_at";--> statement-breakpoint
INSERT INTO "account_stage_changes" ("account_id", "at", "from_stage", "stage")
SELECT "id", "created_at", NULL, "stage" FROM "accounts";
