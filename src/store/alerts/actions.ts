/** People's clicks on an incident: acknowledge, snooze, resolve, each recorded per cause in `alert_actions`. */
import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../../db/client.ts';
import { instant } from '../sql.ts';

export type AlertAction =
  | { action: 'acknowledged' }
  | { action: 'snoozed'; until: Date }
  | { action: 'resolved'; note: string };

/**
 * A person's click on an incident's message (`alertId` is any of its causes): changes every unresolved
 * cause of the incident and records who did what for each, in one statement; a resolve ends the incident.
 * Resolved causes no longer change; returns false when nothing changed (all resolved, or no such alert).
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
    sql`with target as (
        select al.id from alerts al
        where al.status <> 'resolved' and (al.id = ${alertId} or al.incident_id = (select incident_id from alerts where id = ${alertId}))
      ), changed as (
        update alerts set status = ${change.action}, status_by = ${change.userId}, status_at = ${now},
          snoozed_until = ${until}::timestamptz, resolution_note = ${note}
        where id in (select id from target) and status <> 'resolved'
        returning id, incident_id
      ), logged as (
        insert into alert_actions (alert_id, user_id, action, detail, at)
        select id, ${change.userId}, ${change.action}, ${detail && JSON.stringify(detail)}::jsonb, ${now}
        from changed
      ), ended as (
        update incidents set resolved_at = ${now}
        where ${change.action === 'resolved' ? sql`true` : sql`false`} and resolved_at is null
          and id in (select incident_id from changed)
      )
      select count(*)::int as changed from changed`,
  );
  return result!.changed > 0;
}
