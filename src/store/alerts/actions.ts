/** People's clicks on an alert: acknowledge, snooze, resolve, each recorded in `alert_actions`. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { instant } from '../sql.ts';

export type AlertAction =
  | { action: 'acknowledged' }
  | { action: 'snoozed'; until: Date }
  | { action: 'resolved'; note: string };

/**
 * A person's click: changes the alert and records who did what, in one statement. A resolved alert no
 * longer changes; returns false then (or when there is no such alert).
 */
export async function applyAlertAction(
  executor: Executor,
  alertId: number,
  change: AlertAction & { userId: string; now: Date },
): Promise<boolean> {
  const now = instant(change.now);
  const until = change.action === 'snoozed' ? change.until.toISOString() : null;
  const note = change.action === 'resolved' ? change.note : null;
  const detail = change.action === 'snoozed' ? { until } : change.action === 'resolved' ? { note } : null;
  const [result] = await rows<{ changed: number }>(
    executor,
    sql`with changed as (
        update alerts set status = ${change.action}, status_by = ${change.userId}, status_at = ${now},
          snoozed_until = ${until}::timestamptz, resolution_note = ${note}
        where id = ${alertId} and status <> 'resolved'
        returning id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${change.userId}, ${change.action}, ${detail && JSON.stringify(detail)}::jsonb, ${now}
        from changed
      )
      select count(*)::int as changed from changed`,
  );
  return result!.changed === 1;
}
