import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { dayIn, reachedDayProblem, startOfDayIn, targetDayProblem } from '../domain/milestones.ts';
import { milestoneCelebrationKey } from '../domain/outbox-keys.ts';
import { storedMessage } from '../i18n/index.ts';
import { celebrationMessage } from '../slack/blocks/milestones.ts';
import {
  accountsWithoutFirstValue,
  loadSuccessPlan,
  logReachedMilestone,
  noFirstValueKey,
  type PlanOutcome,
  planMilestone,
  type SuccessPlan,
} from '../store/milestones.ts';
import { enqueueSlackMessage } from '../store/outbox.ts';
import { loadAccount } from '../store/reviews.ts';
import { raiseRedFlag, resolveRedFlags } from './red-flags.ts';

export type FirstValueDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

/**
 * The daily check of docs/cs-method.md's "a customer with no milestone after N days is at risk": each
 * active account in onboarding whose contract started TTFV_ALERT_DAYS or more days ago without a milestone
 * reached gets one `no_first_value` red flag. Accounts already flagged are left out by the query; the dedupe
 * key keeps it to one per account when two replicas run at once. Returns the ids of the alerts raised.
 */
export async function runFirstValueCheck(deps: FirstValueDeps): Promise<number[]> {
  const now = deps.clock();
  const afterDays = deps.config.ttfvAlertDays;
  const late = await accountsWithoutFirstValue(deps.db.orm, {
    now,
    timezone: deps.config.timezone,
    afterDays,
  });
  if (!late.length) return [];
  return deps.db.orm.transaction(async (tx) => {
    const raised: number[] = [];
    for (const account of late) {
      const id = await raiseRedFlag(tx, deps, {
        accountId: account.accountId,
        kind: 'no_first_value',
        dedupeKey: noFirstValueKey(account.accountId),
        headline: storedMessage('redFlag.headline.noFirstValue', { days: account.days, after: afterDays }),
        facts: [
          {
            label: storedMessage('redFlag.label', { label: 'contract_start' }),
            value: storedMessage('redFlag.value.day', { date: { day: account.contractStart } }),
          },
          {
            label: storedMessage('redFlag.label', { label: 'success_plan' }),
            value: storedMessage('redFlag.value.plan', { open: account.open, overdue: account.overdue }),
          },
        ],
      });
      if (id !== undefined) raised.push(id);
    }
    return raised;
  });
}

/**
 * After a recomputation of these accounts: the no-first-value flag of an account that has reached a
 * milestone since (logged in Slack, ingested or imported) is resolved by Pulse.
 */
export function resolveReachedFirstValue(
  tx: Executor,
  deps: Parameters<typeof resolveRedFlags>[1],
  opts: { accountIds?: number[]; now: Date },
): Promise<number[]> {
  return resolveRedFlags(tx, deps, {
    ...opts,
    kind: 'no_first_value',
    stillHolds: { noMilestoneReachedBy: opts.now },
    reason: 'first_value_reached',
  });
}

export type ReachedMilestoneOutcome =
  | undefined
  | { dayProblem: 'future' }
  | {
      milestone: Awaited<ReturnType<typeof logReachedMilestone>>['milestone'];
      newlyReached: boolean;
      /** The success plan after the log. */
      plan: SuccessPlan;
      zone: string;
      today: string;
      channel: string | null;
    };

/**
 * Logs a milestone of this account reached today (or on `date`, a day in the account's zone). Newly
 * reached, it is celebrated once in the account's channel through the outbox (in the same transaction)
 * and the account's health is recomputed. Undefined when the account no longer exists; `dayProblem`
 * when the day is refused (nothing changed). The caller checks that the person may write.
 */
export async function recordReachedMilestone(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'health' | 'logger'>,
  input: { accountId: number; title: string; date?: string; userId: string },
): Promise<ReachedMilestoneOutcome> {
  const { accountId, title } = input;
  const now = deps.clock();
  const outcome = await deps.db.orm.transaction(async (tx) => {
    const before = await loadSuccessPlan(tx, accountId);
    if (!before) return undefined;
    const zone = before.account.timezone ?? deps.config.timezone;
    const today = dayIn(now, zone);
    const day = input.date ?? today;
    const dayProblem = reachedDayProblem(day, today);
    if (dayProblem) return { dayProblem };
    const { milestone, newlyReached } = await logReachedMilestone(tx, {
      accountId,
      title,
      reachedAt: day === today ? now : startOfDayIn(day, zone),
      recordedBy: input.userId,
    });
    const channel = before.account.channelId;
    if (newlyReached && channel) {
      await enqueueSlackMessage(tx, {
        dedupeKey: milestoneCelebrationKey(milestone.id),
        method: 'chat.postMessage',
        // A channel post: in the team's language.
        payload: { channel, ...celebrationMessage(before.account, milestone.title, day, deps.config.locale) },
      });
    }
    // The plan after the log, derived: this milestone is the only one the transaction wrote.
    const after = {
      ...before,
      milestones: [...before.milestones.filter((m) => m.id !== milestone.id), milestone],
    };
    return { milestone, newlyReached, plan: after, zone, today, channel };
  });
  if (outcome && !('dayProblem' in outcome) && outcome.newlyReached) {
    deps.health
      .schedule([accountId])
      .catch((error) => deps.logger.error({ err: error, accountId }, 'health after a milestone failed'));
  }
  return outcome;
}

/**
 * Puts a milestone in this account's success plan for `day` (a day in the account's zone, today or
 * later), or moves the planned one of the same title there; one already reached is left as it is. The
 * account's health is recomputed when the plan changed (outcomes weigh planned milestones). `dayProblem`
 * when the day is refused. The caller checks that the person may write.
 */
export async function planSuccessMilestone(
  deps: Pick<Deps, 'db' | 'config' | 'clock' | 'health' | 'logger'>,
  input: { accountId: number; title: string; day: string | undefined; userId: string },
): Promise<{ dayProblem: 'no_target' | 'past' } | (PlanOutcome & { zone: string })> {
  const { accountId, title, day } = input;
  const account = await loadAccount(deps.db.orm, accountId);
  const zone = account?.timezone ?? deps.config.timezone;
  const dayProblem = targetDayProblem(day, dayIn(deps.clock(), zone));
  if (dayProblem) return { dayProblem };
  const outcome = await deps.db.orm.transaction((tx) =>
    planMilestone(tx, { accountId, title, plannedFor: day!, recordedBy: input.userId }),
  );
  if (outcome.kind !== 'already_reached') {
    deps.health
      .schedule([accountId])
      .catch((error) => deps.logger.error({ err: error, accountId }, 'health after planning failed'));
  }
  return { ...outcome, zone };
}
