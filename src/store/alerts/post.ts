/** An alert's post: enqueued together with its link (`alerts.post_outbox_id`), and revised while it waits. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { alertPostKey } from '../../domain/outbox-keys.ts';
import { type OutboxMessage, outboxInsert, revisePendingMessage } from '../outbox.ts';

/** The outbox row of an alert's post (a scalar subquery: null when it has none). */
const postOf = (alertId: number): SQL => sql`(select post_outbox_id from alerts where id = ${alertId})`;

/**
 * Enqueues an alert's first post and records its row in `alerts.post_outbox_id`, in one statement of the
 * caller's transaction. Returns the row's id; undefined when the post was already enqueued.
 */
export async function enqueueAlertPost(
  tx: Executor,
  alertId: number,
  message: Omit<OutboxMessage, 'dedupeKey'>,
): Promise<number | undefined> {
  const [linked] = await rows<{ id: number | string }>(
    tx,
    sql`with posted as (${outboxInsert({ ...message, dedupeKey: alertPostKey(alertId) })})
      update alerts al set post_outbox_id = posted.id from posted
      where al.id = ${alertId}
      returning posted.id`,
  );
  return linked && Number(linked.id);
}

/**
 * Rewrites an alert's post while it is still waiting, so it goes out showing the alert as it is now.
 * False once it is being sent or was sent.
 */
export function revisePendingAlertPost(
  tx: Executor,
  alertId: number,
  payload: Record<string, unknown>,
): Promise<boolean> {
  return revisePendingMessage(tx, postOf(alertId), payload);
}
