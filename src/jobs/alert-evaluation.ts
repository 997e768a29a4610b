import type { Database } from '../db/client.ts';
import { alertBlocks, alertText } from '../slack/blocks/alert.ts';
import {
  alertPostKey,
  loadAlerts,
  raiseBillingAlerts,
  resolveClearedBillingAlerts,
} from '../store/alerts.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';

export interface AlertEvaluationOptions {
  /** The accounts just recomputed; undefined = every account. */
  accountIds?: number[];
  now: Date;
  /** CS_ALERT_CHANNEL: where an account without a channel of its own is alerted. */
  alertChannel?: string;
  timezone: string;
}

/**
 * Runs after a health recomputation, on its result: raises one alert per new open billing flag and
 * resolves the alerts whose flag was cleared. Each decision and its Slack message commit together
 * (the outbox row is written in this transaction), and both are keyed, so running it again — after a
 * re-sent event, another recomputation, a crash — decides and posts nothing twice.
 */
export async function evaluateBillingAlerts(
  db: Database,
  opts: AlertEvaluationOptions,
): Promise<{ raised: number[]; resolved: number[] }> {
  return db.orm.transaction(async (tx) => {
    const raised = await raiseBillingAlerts(tx, {
      accountIds: opts.accountIds,
      now: opts.now,
      fallbackChannel: opts.alertChannel,
    });
    const resolved = await resolveClearedBillingAlerts(tx, { accountIds: opts.accountIds, now: opts.now });
    const render = { now: opts.now, timezone: opts.timezone };
    const isNew = new Set(raised);
    for (const alert of await loadAlerts(tx, [...raised, ...resolved])) {
      const message = { text: alertText(alert), blocks: alertBlocks(alert, render) };
      if (isNew.has(alert.id)) {
        await enqueueSlackMessage(tx, {
          dedupeKey: alertPostKey(alert.id),
          method: 'chat.postMessage',
          payload: { channel: alert.accountChannel ?? opts.alertChannel, ...message },
        });
      } else if (alert.posted) {
        // Only a delivered message can be updated and replied to; an alert cleared before its post went
        // out is still posted as it was raised.
        await enqueueSlackMessage(tx, {
          dedupeKey: `alert:${alert.id}:cleared:update`,
          method: 'chat.update',
          payload: { ...alert.posted, ...message },
        });
        await enqueueSlackMessage(tx, {
          dedupeKey: `alert:${alert.id}:cleared:reply`,
          method: 'chat.postMessage',
          payload: {
            channel: alert.posted.channel,
            thread_ts: alert.posted.ts,
            text: ':white_check_mark: A later payment cleared this flag: the alert is resolved.',
          },
        });
      }
    }
    return { raised, resolved };
  });
}
