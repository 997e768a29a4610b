import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Executor } from '../db/client.ts';
import type { RedFlagContact, RedFlagFact, RedFlagKind } from '../domain/alerts.ts';
import { alertRevisionKey } from '../domain/outbox-keys.ts';
import type { StoredText } from '../domain/stored-text.ts';
import { t } from '../i18n/index.ts';
import { incidentsOf, loadIncidents } from '../store/alerts/incidents.ts';
import {
  flaggedKeys,
  insertRedFlagAlert,
  type RedFlagStillHolds,
  resolveAlertsAsPulse,
  reviseRedFlagAlert,
} from '../store/alerts/red-flags.ts';
import { enqueueIncidentMessages, refreshIncidentMessage } from './incidents.ts';

/**
 * A red flag that another capability detected, handed to the alert path: the same message, buttons,
 * escalation and snooze as billing and health alerts.
 */
export interface RedFlag {
  accountId: number;
  kind: RedFlagKind;
  /** One alert per condition until resolved, e.g. `detractor:survey:42`, `review_overdue:7:2026-12`. */
  dedupeKey: string;
  /**
   * What happened, one line, e.g. "Ana Souza answered 3 to the NPS survey": a catalogue key and values
   * (`storedMessage`), rendered in each reader's language when shown.
   */
  headline: StoredText;
  /** Extra facts shown on the alert, e.g. the comment: labels from the catalogue, a person's words as typed. */
  facts?: RedFlagFact[];
  /** The contact it is about (a detractor): the alert's "Reply to <name>" opens a DM with them. */
  contact?: RedFlagContact;
  /** Where to see the condition at its source, e.g. the Zendesk ticket: a link button on the alert. */
  link?: { text: StoredText; url: string };
}

type RedFlagDeps = {
  config: Pick<Config, 'alertChannel' | 'timezone'> & Partial<Pick<Config, 'locale'>>;
  clock: Clock;
};

/**
 * Raises the alert and enqueues its message in the caller's transaction: it joins the account's open
 * incident, or opens one. The alert id when new, undefined when this condition already has one.
 */
export async function raiseRedFlag(
  tx: Executor,
  deps: RedFlagDeps,
  flag: RedFlag,
): Promise<number | undefined> {
  const now = deps.clock();
  const id = await insertRedFlagAlert(
    tx,
    { ...flag, facts: flag.facts ?? [] },
    { now, fallbackChannel: deps.config.alertChannel },
  );
  if (id === undefined) return undefined;
  await enqueueIncidentMessages(tx, {
    now,
    timezone: deps.config.timezone,
    locale: deps.config.locale ?? 'en',
    alertChannel: deps.config.alertChannel,
    raised: [id],
    resolved: [],
    resolvedReply: '',
  });
  return id;
}

/**
 * Changes the headline/facts of the condition's alert (e.g. the detractor's comment arrived) and updates
 * its incident's message (pending post revised, or a chat.update through the outbox). False when the
 * condition has no alert, or the change changes nothing.
 */
export async function reviseRedFlag(
  tx: Executor,
  deps: RedFlagDeps,
  dedupeKey: string,
  change: { headline?: StoredText; facts?: RedFlagFact[] },
): Promise<boolean> {
  const revised = await reviseRedFlagAlert(tx, dedupeKey, change);
  if (!revised) return false;
  const [incident] = await loadIncidents(tx, await incidentsOf(tx, [revised.id]));
  if (incident)
    await refreshIncidentMessage(tx, incident, alertRevisionKey(revised.id, revised.revision), {
      now: deps.clock(),
      timezone: deps.config.timezone,
      locale: deps.config.locale ?? 'en',
    });
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
    /** Why it no longer holds (`first_value_reached`…): the thread is told, and the note says it. */
    reason: string;
    now: Date;
  },
): Promise<number[]> {
  const { now } = opts;
  const resolved = await resolveAlertsAsPulse(tx, opts);
  await enqueueIncidentMessages(tx, {
    now,
    alertChannel: deps.config.alertChannel,
    timezone: deps.config.timezone,
    locale: deps.config.locale ?? 'en',
    raised: [],
    resolved,
    resolvedReply: t(deps.config.locale ?? 'en', 'alert.reply.redFlagCleared', { reason: opts.reason }),
  });
  return resolved;
}

/**
 * Brings one kind of red flag in line with the conditions that hold now, in the caller's transaction:
 * open flags of that kind whose condition no longer holds are resolved (told why), and each holding
 * condition not flagged yet is raised. A condition is flagged once, open or resolved (its dedupe key).
 */
export async function reconcileRedFlags<T extends { dedupeKey: string }>(
  tx: Executor,
  deps: RedFlagDeps,
  opts: {
    kind: RedFlagKind;
    now: Date;
    holding: T[];
    /** The flag to raise for a holding condition not flagged yet. */
    flag: (condition: T) => Omit<RedFlag, 'kind' | 'dedupeKey'>;
    reason: string;
  },
): Promise<{ raised: number; resolved: number }> {
  const { kind, now, holding } = opts;
  const keys = holding.map((c) => c.dedupeKey);
  const resolved = await resolveRedFlags(tx, deps, {
    kind,
    now,
    stillHolds: { dedupeKeyIn: keys },
    reason: opts.reason,
  });
  // Most runs find the same conditions already flagged: one query skips them.
  const flagged = await flaggedKeys(tx, keys);
  let raised = 0;
  for (const condition of holding) {
    if (flagged.has(condition.dedupeKey)) continue;
    const id = await raiseRedFlag(tx, deps, {
      ...opts.flag(condition),
      kind,
      dedupeKey: condition.dedupeKey,
    });
    if (id !== undefined) raised++;
  }
  return { raised, resolved: resolved.length };
}
