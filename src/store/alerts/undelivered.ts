/** Alerts whose post the outbox gave up on, for the health card. */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { type AlertRecord, loadAlerts } from './load.ts';

/** An alert whose first post the outbox gave up on, with Slack's reason and the channel it was for. */
export interface UndeliveredAlert {
  alert: AlertRecord;
  error: string;
  channel: string | null;
}

/**
 * `from … where …` of an account's unresolved alerts whose post failed for good (alias `al` for the
 * alert, `o` for its outbox row): the health card asks whether there are any, in its own query.
 */
export const undeliveredAlertsOf = (accountId: SQL) => sql`from alerts al
  join slack_outbox o on o.id = al.post_outbox_id and o.status = 'failed'
  where al.account_id = ${accountId} and al.status <> 'resolved'`;

/**
 * This account's alerts that never reached Slack (their post's outbox row failed), oldest first. Alerts
 * Pulse has since resolved are left out: their condition is over, so nobody has to act on them.
 */
export async function undeliveredAlerts(executor: Executor, accountId: number): Promise<UndeliveredAlert[]> {
  const failed = await rows<{ id: number | string; last_error: string | null; channel: string | null }>(
    executor,
    sql`select al.id, o.last_error, o.payload->>'channel' as channel
      ${undeliveredAlertsOf(sql`${accountId}`)}
      order by al.id`,
  );
  const alerts = new Map(
    (
      await loadAlerts(
        executor,
        failed.map((r) => Number(r.id)),
      )
    ).map((a) => [a.id, a]),
  );
  return failed.map((r) => ({
    alert: alerts.get(Number(r.id))!,
    error: r.last_error ?? 'unknown error',
    channel: r.channel,
  }));
}
