import { sql } from 'drizzle-orm';
import { type Database, rows } from '../db/client.ts';
import type { Band } from '../domain/health.ts';
import type { HealthModel } from '../domain/health-model.ts';
import {
  flaggedBeforeChurn,
  type HealthPreview,
  healthPreview,
  type ModelBacktest,
} from '../domain/health-preview.ts';
import { DAY } from '../domain/time.ts';
import { churnedForBacktest, scoreHealth } from '../store/health.ts';

/** The back-test's horizon and period, as the retention report's (docs/retention.md). */
const HORIZON_DAYS = 90;
const BACKTEST_DAYS = 365;

export interface ModelComparison {
  preview: HealthPreview;
  backtest: ModelBacktest;
}

/**
 * Every account scored as of now by the current and the new model, and the churned accounts as of 90
 * days before their churn, in one read-only transaction: nothing is written.
 */
export async function compareModels(
  db: Database,
  opts: { current: HealthModel; next: HealthModel; now: Date; timezone: string },
): Promise<ModelComparison> {
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`set transaction read only`);
    const names = new Map(
      (
        await rows<{ id: number; key: string; name: string }>(tx, sql`select id, key, name from accounts`)
      ).map((a) => [a.id, a]),
    );
    const current = await scoreHealth(tx, { model: opts.current, now: opts.now, timezone: opts.timezone });
    const next = new Map(
      (await scoreHealth(tx, { model: opts.next, now: opts.now, timezone: opts.timezone })).map((h) => [
        h.account_id,
        h,
      ]),
    );
    const preview = healthPreview(
      current.map((c) => {
        const n = next.get(c.account_id)!;
        const account = names.get(c.account_id)!;
        return {
          key: account.key,
          name: account.name,
          current: { score: c.score, band: c.band },
          next: { score: n.score, band: n.band },
        };
      }),
    );
    const churned = await churnedForBacktest(tx, {
      since: new Date(+opts.now - BACKTEST_DAYS * DAY),
      horizon: HORIZON_DAYS,
      timezone: opts.timezone,
    });
    const byDay = new Map<string, number[]>();
    for (const c of churned) byDay.set(c.day, [...(byDay.get(c.day) ?? []), c.account_id]);
    const bands: Record<'current' | 'next', Array<Band | null>> = { current: [], next: [] };
    // One set-based scoring per day that churned accounts are judged on, as of that day's end.
    for (const [day, accountIds] of byDay) {
      const asOf = new Date(`${day}T23:59:59.999Z`);
      for (const which of ['current', 'next'] as const) {
        const scored = await scoreHealth(tx, {
          model: opts[which],
          accountIds,
          now: asOf,
          timezone: opts.timezone,
        });
        bands[which].push(...scored.map((h) => h.band));
      }
    }
    return {
      preview,
      backtest: {
        churned: churned.length,
        current: flaggedBeforeChurn(bands.current),
        next: flaggedBeforeChurn(bands.next),
      },
    };
  });
}
