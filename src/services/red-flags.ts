import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Executor } from '../db/client.ts';
import type { RedFlagKind } from '../domain/alerts.ts';
import { alertRevisionKey } from '../domain/outbox-keys.ts';
import { alertBlocks, alertText } from '../slack/blocks/alert.ts';
import { loadAlerts } from '../store/alerts/load.ts';
import { enqueueAlertPost, revisePendingAlertPost } from '../store/alerts/post.ts';
import {
  insertRedFlagAlert,
  type RedFlagStillHolds,
  resolveAlertsAsPulse,
  reviseRedFlagAlert,
} from '../store/alerts/red-flags.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import { alertDestination, enqueueAlertMessages } from './alerts.ts';

/**
 * A red flag that another capability detected, handed to the alert path: the same message, buttons,
 * escalation and snooze as billing and health alerts.
 */
export interface RedFlag {
  accountId: number;
  kind: RedFlagKind;
  /** One alert per condition until resolved, e.g. `detractor:survey:42`, `review_overdue:7:2026-12`. */
  dedupeKey: string;
  /** What happened, one line, CSM-facing English, e.g. "NPS 3 from Ana Souza (champion)". */
  headline: string;
  /** Extra facts shown on the alert, e.g. [{ label: 'Comment', value: '…' }]. */
  facts?: Array<{ label: string; value: string }>;
}

type RedFlagDeps = { config: Pick<Config, 'alertChannel' | 'timezone'>; clock: Clock };

async function renderedAlert(tx: Executor, deps: RedFlagDeps, alertId: number) {
  const [alert] = await loadAlerts(tx, [alertId]);
  const message = {
    text: alertText(alert!),
    blocks: alertBlocks(alert!, { now: deps.clock(), timezone: deps.config.timezone }),
  };
  return { alert: alert!, message, ...alertDestination(alert!.accountChannel, deps.config.alertChannel) };
}

/** Raises the alert and enqueues its post in the caller's transaction; the alert id when new, undefined when this condition already has one. */
export async function raiseRedFlag(
  tx: Executor,
  deps: RedFlagDeps,
  flag: RedFlag,
): Promise<number | undefined> {
  const id = await insertRedFlagAlert(
    tx,
    { ...flag, facts: flag.facts ?? [] },
    { now: deps.clock(), fallbackChannel: deps.config.alertChannel },
  );
  if (id === undefined) return undefined;
  const { message, channel, fallbackChannel } = await renderedAlert(tx, deps, id);
  await enqueueAlertPost(tx, id, {
    method: 'chat.postMessage',
    payload: { channel, ...message },
    fallbackChannel,
  });
  return id;
}

/**
 * Changes the headline/facts of the condition's alert (e.g. the detractor's comment arrived) and updates
 * its Slack message (pending post revised, or a chat.update through the outbox). False when the
 * condition has no alert, or the change changes nothing.
 */
export async function reviseRedFlag(
  tx: Executor,
  deps: RedFlagDeps,
  dedupeKey: string,
  change: { headline?: string; facts?: Array<{ label: string; value: string }> },
): Promise<boolean> {
  const revised = await reviseRedFlagAlert(tx, dedupeKey, change);
  if (!revised) return false;
  const { alert, message, channel } = await renderedAlert(tx, deps, revised.id);
  if (alert.posted) {
    await enqueueSlackMessage(tx, {
      dedupeKey: alertRevisionKey(alert.id, revised.revision),
      method: 'chat.update',
      payload: { ...alert.posted, ...message },
    });
  } else {
    // Not delivered yet: the waiting post goes out revised. (One being sent right now goes out as it
    // was; the stored alert is revised, and the next click renders it.)
    await revisePendingAlertPost(tx, alert.id, { channel, ...message });
  }
  return true;
}

/**
 * Resolves, as Pulse, the open red flags of one kind for these accounts whose condition no longer holds
 * (`stillHolds`, what keeps it open: see RedFlagStillHolds): each message is updated in place and told why
 * in its thread (or, not delivered yet, goes out showing it resolved). Returns the ids resolved.
 */
export async function resolveRedFlags(
  tx: Executor,
  deps: RedFlagDeps,
  opts: {
    kind: RedFlagKind;
    accountIds?: number[];
    stillHolds?: RedFlagStillHolds;
    note: string;
    reason: string;
    now: Date;
  },
): Promise<number[]> {
  const { now } = opts;
  const resolved = await resolveAlertsAsPulse(tx, opts);
  await enqueueAlertMessages(tx, {
    accountIds: opts.accountIds,
    now,
    alertChannel: deps.config.alertChannel,
    timezone: deps.config.timezone,
    raised: [],
    resolved,
    resolvedReply: `:white_check_mark: ${opts.note} Pulse resolved the alert.`,
  });
  return resolved;
}
