import { sql } from 'drizzle-orm';
import { rows } from '../src/db/client.ts';
import { reviewGoals, successReviews } from '../src/db/schema.ts';
import { reviewKindFor } from '../src/domain/reviews.ts';
import { DAY } from '../src/domain/time.ts';
import { REVIEW_PLANS } from './data/reviews.ts';
import type { DemoLoadDeps } from './load.ts';

/** 14:00 UTC on the day `days` from now: a working-hours meeting in most of the demo's zones. */
const meetingAt = (now: number, days: number) => {
  const day = new Date(now + days * DAY);
  day.setUTCHours(14, 0, 0, 0);
  return day;
};

/**
 * Writes the demo's reviews and goals for accounts that have none yet (loading twice adds nothing). Held
 * reviews are stored as already briefed and recorded, so Pulse sends nothing about the past.
 */
export async function loadDemoReviews(deps: DemoLoadDeps): Promise<number> {
  const now = +deps.clock();
  const accounts = await rows<{
    id: number;
    key: string;
    tier: string;
    timezone: string | null;
    owner: string;
  }>(
    deps.db.orm,
    sql`select a.id, a.key, a.tier, a.timezone, coalesce(a.owner_slack_id, 'pulse') as owner from accounts a
      where a.key in (select jsonb_array_elements_text(${JSON.stringify(REVIEW_PLANS.map((r) => r.key))}::jsonb))
        and not exists (select 1 from success_reviews r where r.account_id = a.id)`,
  );
  let stored = 0;
  await deps.db.orm.transaction(async (tx) => {
    for (const account of accounts) {
      const plan = REVIEW_PLANS.find((r) => r.key === account.key)!;
      const common = {
        accountId: account.id,
        kind: reviewKindFor(account.tier),
        timezone: account.timezone ?? 'UTC',
        scheduledBy: account.owner,
        agenda: 'Results since the last review, goals for the next period',
      };
      if (plan.heldDaysAgo !== undefined) {
        const startsAt = meetingAt(now, -plan.heldDaysAgo);
        const [held] = await tx
          .insert(successReviews)
          .values({
            ...common,
            startsAt,
            status: 'held',
            briefSentAt: new Date(+startsAt - 3 * DAY),
            outcomeRequestedAt: new Date(+startsAt + DAY / 24),
            outcomeRecordedAt: new Date(+startsAt + DAY / 12),
          })
          .returning({ id: successReviews.id });
        stored++;
        if (plan.goals?.length) {
          await tx.insert(reviewGoals).values(
            plan.goals.map((g) => ({
              reviewId: held!.id,
              accountId: account.id,
              description: g.description,
              metric: g.metric ?? null,
              comparator: g.comparator ?? null,
              target: g.target === undefined ? null : String(g.target),
              dueDate: new Date(now + g.dueInDays * DAY).toISOString().slice(0, 10),
            })),
          );
        }
      }
      if (plan.scheduledInDays !== undefined) {
        await tx.insert(successReviews).values({ ...common, startsAt: meetingAt(now, plan.scheduledInDays) });
        stored++;
      }
    }
  });
  return stored;
}
