-- A new outbox row wakes every outbox worker on the database at once (delivered when the row commits),
-- instead of at their next poll. One notification a statement, however many rows it inserts.
CREATE OR REPLACE FUNCTION slack_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('slack_outbox', '');
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER slack_outbox_notify AFTER INSERT ON slack_outbox
  FOR EACH STATEMENT EXECUTE FUNCTION slack_outbox_notify();
