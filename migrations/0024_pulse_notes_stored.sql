ALTER TABLE "alerts" ADD COLUMN "resolution_message" jsonb;--> statement-breakpoint
-- Pulse's own resolve notes were written in English; each was one sentence per reason. They become the
-- catalogue's key and the reason (src/domain/stored-text.ts `pulseNote`), shown in the reader's language.
-- A person's note is their own words and stays as typed.
UPDATE "alerts" AS al
SET "resolution_message" = jsonb_build_object('key', 'alert.pulseNote', 'values', jsonb_build_object('reason', n."reason")),
  "resolution_note" = NULL
FROM (VALUES
  ('The billing flag was cleared by a later payment.', 'flag_cleared'),
  ('The condition no longer holds.', 'condition_cleared'),
  ('The account reached its first milestone.', 'first_value_reached'),
  ('A success review was scheduled or held since.', 'review_on_cadence'),
  ('The ticket was solved or is no longer urgent.', 'ticket_no_longer_urgent')
) AS n("note", "reason")
WHERE al."status_by" = 'pulse' AND al."resolution_note" = n."note";
