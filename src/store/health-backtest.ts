import { sql } from 'drizzle-orm';
import { type Executor, rows } from '../db/client.ts';
import type { Band } from '../domain/health.ts';
import { instant } from './sql.ts';

/**
 * A day's band is its account's daily health snapshot of that day, or the latest of the week before it
 * (a snapshot missed by a night without the schedule does not lose the day); older ones say nothing.
 */
const SNAPSHOT_SLACK_DAYS = 7;

const bandOn = (accountId: ReturnType<typeof sql>, day: ReturnType<typeof sql>) =>
  sql`(select h.band from health_snapshots h
       where h.account_id = ${accountId} and h.day <= ${day} and h.day > ${day} - ${SNAPSHOT_SLACK_DAYS}::int
       order by h.day desc limit 1)`;

/** Accounts churned since `since`, by their band `horizon` days before their churn day (null: no score then). */
export async function loadBandsBeforeChurn(
  db: Executor,
  scope: { since: Date; horizon: number; timezone: string },
): Promise<Array<{ band: Band | null; accounts: number }>> {
  return rows(
    db,
    sql`select b.band, count(*)::int as accounts from (
          select ${bandOn(sql`a.id`, sql`(a.churned_at at time zone ${scope.timezone})::date - ${scope.horizon}::int`)} as band
          from accounts a
          where a.status = 'churned' and a.churned_at >= ${instant(scope.since)}
        ) b
        group by b.band`,
  );
}

/**
 * Accounts not churned on `day` and scored then, by their band that day: how many, and how many have
 * churned since (their churn dated after that day's end).
 */
export async function loadChurnSinceByBand(
  db: Executor,
  scope: { day: string; dayEnd: Date },
): Promise<Array<{ band: Band; accounts: number; churned: number }>> {
  return rows(
    db,
    sql`select b.band, count(*)::int as accounts, count(*) filter (where b.churned_since)::int as churned
        from (
          select ${bandOn(sql`a.id`, sql`${scope.day}::date`)} as band,
            (a.status = 'churned' and a.churned_at >= ${instant(scope.dayEnd)}) as churned_since
          from accounts a
          where a.churned_at is null or a.churned_at >= ${instant(scope.dayEnd)}
        ) b
        where b.band is not null
        group by b.band`,
  );
}
