import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { calendarDate } from '../slack/blocks/format.ts';
import { accountsWithoutFirstValue, noFirstValueKey } from '../store/milestones.ts';
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
      const plan = account.open
        ? `${account.open} planned, none reached${account.overdue ? `, ${account.overdue} overdue` : ''}`
        : 'no milestone planned';
      const id = await raiseRedFlag(tx, deps, {
        accountId: account.accountId,
        kind: 'no_first_value',
        dedupeKey: noFirstValueKey(account.accountId),
        headline: `No milestone reached ${account.days} days after the contract start (alert after ${afterDays})`,
        facts: [
          { label: 'Contract start', value: calendarDate(account.contractStart) },
          { label: 'Success plan', value: plan },
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
    stillHolds: sql`not exists (
      select 1 from milestones m where m.account_id = al.account_id and m.reached_at <= ${opts.now.toISOString()}::timestamptz)`,
    note: 'The account reached its first milestone.',
    reason: 'first_value_reached',
  });
}
