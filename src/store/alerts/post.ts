/** An incident's post: enqueued together with its links (`post_outbox_id` of the incident and its causes), and revised while it waits. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { alertPostKey } from '../../domain/outbox-keys.ts';
import { type OutboxMessage, outboxInsert, revisePendingMessage } from '../outbox.ts';

/** The outbox row of an incident's post (a scalar subquery: null when it has none). */
const postOf = (incidentId: number): SQL =>
  sql`(select post_outbox_id from incidents where id = ${incidentId})`;

/**
 * Enqueues an incident's post and records its row on the incident and on each of its causes, in one
 * statement of the caller's transaction. Keyed by the cause that opened the incident (`alertPostKey`).
 * Returns the row's id; undefined when the post was already enqueued.
 */
export async function enqueueIncidentPost(
  tx: Executor,
  incident: { id: number; openedBy: number },
  message: Omit<OutboxMessage, 'dedupeKey'>,
): Promise<number | undefined> {
  const [linked] = await rows<{ id: number | string }>(
    tx,
    sql`with posted as (${outboxInsert({ ...message, dedupeKey: alertPostKey(incident.openedBy) })}),
      incident as (
        update incidents i set post_outbox_id = posted.id from posted where i.id = ${incident.id}
        returning posted.id
      )
      update alerts al set post_outbox_id = incident.id from incident
      where al.incident_id = ${incident.id}
      returning incident.id`,
  );
  return linked && Number(linked.id);
}

/**
 * Rewrites an incident's post while it is still waiting, so it goes out showing the incident as it is
 * now. False once it is being sent or was sent.
 */
export function revisePendingIncidentPost(
  tx: Executor,
  incidentId: number,
  payload: Record<string, unknown>,
): Promise<boolean> {
  return revisePendingMessage(tx, postOf(incidentId), payload);
}
