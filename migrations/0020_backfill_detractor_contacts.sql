-- A detractor alert raised before alerts kept their contact gets it from the survey answer that raised it
-- (its dedupe key is `detractor:survey:<survey id>`): the contact's name (else email) and the Slack user
-- the survey reached, as surveys.ts records it today, so the incident offers "Reply to <name>".
UPDATE "alerts" AS al
SET "detail" = al."detail" || jsonb_build_object('contact',
  jsonb_build_object('name', coalesce(c."name", c."email"), 'slackUserId', s."recipient_slack_id"))
FROM "surveys" AS s JOIN "contacts" AS c ON c."id" = s."contact_id"
WHERE al."kind" = 'detractor' AND NOT (al."detail" ? 'contact')
  AND al."dedupe_key" = 'detractor:survey:' || s."id"::text;
