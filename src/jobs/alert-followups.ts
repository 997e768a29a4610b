import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import {
  alertBlocks,
  alertText,
  escalationDmText,
  escalationReplyText,
  snoozeOverReplyText,
} from '../slack/blocks/alert.ts';
import {
  accountsWithEndedHealthSnoozes,
  type EscalationPolicy,
  escalateDueAlerts,
  loadAlerts,
  reopenEndedBillingSnoozes,
} from '../store/alerts.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';

/** The method's delays: 4 h for high-touch and exclusive accounts, 24 h for the others. */
export const DEFAULT_ESCALATION: EscalationPolicy = {
  urgentTiers: ['high_touch', 'exclusive'],
  urgentHours: 4,
  otherHours: 24,
};

export interface AlertFollowupsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'timezone'> & Partial<Pick<Config, 'escalationHours'>>;
  escalation?: EscalationPolicy;
}

export interface AlertFollowups {
  escalated: number[];
  /** Billing alerts whose snooze ended, open again. */
  reopened: number[];
  /** Accounts to recompute: a health alert's snooze ended, and only the health rules can bring it back. */
  recheckAccounts: number[];
}

/**
 * The time-driven side of alerts, run every minute. Each decision commits with its messages in one
 * transaction, keyed in the outbox, and the rows are claimed with skip locked: two processes, or two runs,
 * escalate or reopen an alert once.
 * - escalation: an alert nobody acted on in time gets a DM to the account's owner, then a thread reply;
 * - billing snoozes that ended: the alert is open again, its message updated, with a thread reply;
 * - health snoozes that ended are left to the health evaluation (`renotifyHealthAlerts`, which re-posts
 *   the alert when its condition still holds): this job only names the accounts to recompute.
 */
export async function runAlertFollowups(deps: AlertFollowupsDeps): Promise<AlertFollowups> {
  const now = deps.clock();
  const policy = deps.escalation ?? { ...DEFAULT_ESCALATION, ...deps.config.escalationHours };
  const render = { now, timezone: deps.config.timezone };

  const escalated = await deps.db.orm.transaction(async (tx) => {
    const ids = await escalateDueAlerts(tx, { ...policy, now });
    for (const alert of await loadAlerts(tx, ids)) {
      // escalateDueAlerts only returns alerts whose post was delivered.
      const posted = alert.posted!;
      const afterHours = policy.urgentTiers.includes(alert.account.tier)
        ? policy.urgentHours
        : policy.otherHours;
      if (alert.account.ownerSlackId)
        await enqueueSlackMessage(tx, {
          dedupeKey: `alert:${alert.id}:escalate:dm`,
          method: 'chat.postMessage',
          payload: {
            channel: alert.account.ownerSlackId,
            text: escalationDmText(alert, posted.channel, afterHours),
          },
        });
      await enqueueSlackMessage(tx, {
        dedupeKey: `alert:${alert.id}:escalate:thread`,
        method: 'chat.postMessage',
        payload: {
          channel: posted.channel,
          thread_ts: posted.ts,
          text: escalationReplyText(alert, afterHours),
        },
      });
    }
    return ids;
  });

  const reopened = await deps.db.orm.transaction(async (tx) => {
    const ended = await reopenEndedBillingSnoozes(tx, now);
    const snooze = new Map(ended.map((e) => [e.id, +e.snoozedUntil]));
    for (const alert of await loadAlerts(tx, [...snooze.keys()])) {
      // An alert whose post never went out has no message to update or thread to reply in.
      if (!alert.posted) continue;
      const key = `alert:${alert.id}:snooze-over:${snooze.get(alert.id)}`;
      await enqueueSlackMessage(tx, {
        dedupeKey: `${key}:update`,
        method: 'chat.update',
        payload: { ...alert.posted, text: alertText(alert), blocks: alertBlocks(alert, render) },
      });
      await enqueueSlackMessage(tx, {
        dedupeKey: `${key}:reply`,
        method: 'chat.postMessage',
        payload: {
          channel: alert.posted.channel,
          thread_ts: alert.posted.ts,
          text: snoozeOverReplyText(alert),
        },
      });
    }
    return ended.map((e) => e.id);
  });

  const recheckAccounts = await accountsWithEndedHealthSnoozes(deps.db.orm, now);
  if (escalated.length || reopened.length)
    deps.logger.info({ escalated: escalated.length, reopened: reopened.length }, 'alert follow-ups done');
  return { escalated, reopened, recheckAccounts };
}
