CREATE TABLE "slack_user_locales" (
	"user_id" text PRIMARY KEY NOT NULL,
	"locale" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL
);
