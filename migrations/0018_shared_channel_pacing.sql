CREATE TABLE "slack_channel_pacing" (
	"channel" text PRIMARY KEY NOT NULL,
	"next_post_at" timestamp with time zone,
	"rate_limited_at" timestamp with time zone
);
