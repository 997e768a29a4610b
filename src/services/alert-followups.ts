import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database, Executor } from '../db/client.ts';
import {
  DEFAULT_ESCALATION,
  type EscalationPolicy,
  escalationDelayHours,
  escalationDelays,
} from '../domain/alerts.ts';
import {
  alertEscalationDmKey,
  alertEscalationThreadKey,
  alertSnoozeOverReplyKey,
  alertSnoozeOverUpdateKey,
} from '../domain/outbox-keys.ts';
import {
  alertBlocks,
  alertText,
  escalationDmText,
  escalationReplyText,
  snoozeOverReplyText,
} from '../slack/blocks/alert.ts';
import { escalateDueAlerts, type ReopenedAlert, reopenEndedSnoozes } from '../store/alerts/followups.ts';
import { accountsWithEndedHealthSnoozes } from '../store/alerts/health.ts';
import { loadAlerts } from '../store/alerts/load.ts';
import { revisePendingAlertPost } from '../store/alerts/post.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';

/**
 * The messages of alerts whose snooze ended, in the caller's transaction, the same for every kind: the
 * message is updated back to open, and a thread reply broadcast to the channel says the alert is back
 * (a new post would split the alert's history over two messages). Keyed by the snooze's end, so each
 * snooze ends in Slack once. An alert whose post is still waiting goes out open instead.
 */
export async function enqueueSnoozeOverMessages(
  tx: Executor,
  reopened: ReopenedAlert[],
  opts: { now: Date; timezone: string; alertChannel?: string },
): Promise<void> {
  const ends = new Map(reopened.map((r) => [r.id, +r.snoozedUntil]));
  const render = { now: opts.now, timezone: opts.timezone };
  for (const alert of await loadAlerts(tx, [...ends.keys()])) {
    const message = { text: alertText(alert), blocks: alertBlocks(alert, render) };
    if (!alert.posted) {
      await revisePendingAlertPost(tx, alert.id, {
        channel: alert.accountChannel ?? opts.alertChannel,
        ...message,
      });
      continue;
    }
    const snoozeEnd = ends.get(alert.id)!;
    await enqueueSlackMessage(tx, {
      dedupeKey: alertSnoozeOverUpdateKey(alert.id, snoozeEnd),
      method: 'chat.update',
      payload: { ...alert.posted, ...message },
    });
    await enqueueSlackMessage(tx, {
      dedupeKey: alertSnoozeOverReplyKey(alert.id, snoozeEnd),
      method: 'chat.postMessage',
      payload: {
        channel: alert.posted.channel,
        thread_ts: alert.posted.ts,
        reply_broadcast: true,
        text: snoozeOverReplyText(alert),
      },
    });
  }
}

export interface AlertFollowupsDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'timezone'> & Partial<Pick<Config, 'escalationHours' | 'alertChannel'>>;
  escalation?: EscalationPolicy;
}

export interface AlertFollowups {
  escalated: number[];
  /** Billing and red-flag alerts whose snooze ended, open again. */
  reopened: number[];
  /** Accounts to recompute: a health alert's snooze ended, and only the health rules can bring it back. */
  recheckAccounts: number[];
}

/**
 * The time-driven side of alerts, run every minute. Each decision commits with its messages in one
 * transaction, keyed in the outbox, and the rows are claimed with skip locked: two processes, or two runs,
 * escalate or reopen an alert once.
 * - escalation: an alert nobody acted on in time gets a DM to the account's owner, then a thread reply;
 * - billing and red-flag snoozes that ended: the alert is open again (`enqueueSnoozeOverMessages`);
 * - health snoozes that ended are left to the health evaluation, which brings the alert back the same
 *   way when its condition still holds, and resolves it when not: this job names the accounts to recompute.
 */
export async function runAlertFollowups(deps: AlertFollowupsDeps): Promise<AlertFollowups> {
  const now = deps.clock();
  const policy = deps.escalation ?? { ...DEFAULT_ESCALATION, ...deps.config.escalationHours };
  const delays = escalationDelays(policy);
  const render = { now, timezone: deps.config.timezone };

  const escalated = await deps.db.orm.transaction(async (tx) => {
    const ids = await escalateDueAlerts(tx, { delays, now });
    for (const alert of await loadAlerts(tx, ids)) {
      // escalateDueAlerts only returns alerts whose post was delivered.
      const posted = alert.posted!;
      const afterHours = escalationDelayHours(alert.account.tier, policy);
      if (alert.account.ownerSlackId)
        await enqueueSlackMessage(tx, {
          dedupeKey: alertEscalationDmKey(alert.id),
          method: 'chat.postMessage',
          payload: {
            channel: alert.account.ownerSlackId,
            text: escalationDmText(alert, posted.channel, afterHours),
          },
        });
      await enqueueSlackMessage(tx, {
        dedupeKey: alertEscalationThreadKey(alert.id),
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
    const ended = await reopenEndedSnoozes(tx, now);
    await enqueueSnoozeOverMessages(tx, ended, { ...render, alertChannel: deps.config.alertChannel });
    return ended.map((e) => e.id);
  });

  const recheckAccounts = await accountsWithEndedHealthSnoozes(deps.db.orm, now);
  if (escalated.length || reopened.length)
    deps.logger.info({ escalated: escalated.length, reopened: reopened.length }, 'alert follow-ups done');
  return { escalated, reopened, recheckAccounts };
}
