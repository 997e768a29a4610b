import type { Band } from '../domain/health.ts';
import { lastMonths, type PeriodChoice, periodPair } from '../domain/metric-periods.ts';
import { dayIn, startOfDayIn } from '../domain/milestones.ts';
import { daysInPeriod } from '../domain/retention.ts';
import type { RetentionMetrics, TrendMonth } from '../domain/retention-metrics.ts';
import { loadBandCounts } from '../store/retention.ts';
import { loadSurveyFigures } from '../store/surveys/figures.ts';
import { type RetentionDeps, retentionFigures, retentionReport } from './retention.ts';

/**
 * What `/cs metrics` shows: the period's retention figures beside the previous period's, NPS and CSAT of
 * the period, and the last 12 months for the chart. With more than one currency and none chosen, the
 * first in alphabetical order is shown and the others named.
 */
export async function retentionMetrics(
  deps: RetentionDeps,
  query: { choice: PeriodChoice; owner?: string; currency?: string },
): Promise<RetentionMetrics | { ok: false; reason: 'future' }> {
  const zone = deps.config.timezone;
  const now = deps.clock();
  const today = dayIn(now, zone);
  const pair = periodPair(query.choice, today);
  if (!pair) return { ok: false, reason: 'future' };
  let currency = query.currency;
  let otherCurrencies: string[] = [];
  let current = await retentionReport(deps, { ...pair.current, owner: query.owner, currency });
  if (!current.ok) {
    [currency, ...otherCurrencies] = current.currencies;
    current = await retentionReport(deps, { ...pair.current, owner: query.owner, currency });
  }
  if (!current.ok) throw new Error('a chosen currency cannot be ambiguous');
  currency = current.report.currency;
  const previous = await retentionReport(deps, { ...pair.previous, owner: query.owner, currency });
  if (!previous.ok) throw new Error('a chosen currency cannot be ambiguous');

  const periodEnd = startOfDayIn(pair.current.to, zone);
  const surveys = await loadSurveyFigures(deps.db.orm, {
    now: new Date(Math.min(+now, +periodEnd + 86_400_000)),
    windowDays: daysInPeriod(pair.current.from, pair.current.to),
  });

  return {
    period: pair.current,
    previousPeriod: pair.previous,
    current: current.report,
    previous: previous.report,
    surveys: surveys.portfolio,
    otherCurrencies,
    trend: await retentionTrend(deps, { today, owner: query.owner, currency }),
  };
}

/** The last 12 months (this one to date), month by month, in one currency. */
export async function retentionTrend(
  deps: RetentionDeps,
  query: { today: string; owner?: string; currency: string },
): Promise<TrendMonth[]> {
  const months = lastMonths(query.today, 12);
  const counts = await loadBandCounts(deps.db.orm, { days: months.map((m) => m.to), owner: query.owner });
  const trend: TrendMonth[] = [];
  for (const month of months) {
    const answer = await retentionFigures(deps, { ...month, owner: query.owner, currency: query.currency });
    if (!answer.ok) throw new Error('a chosen currency cannot be ambiguous');
    const on = (band: Band) => counts.find((c) => c.day === month.to && c.band === band)?.accounts ?? 0;
    trend.push({
      label: month.label,
      mrr: answer.figures.mrr,
      nrr: answer.figures.nrr,
      bands: { red: on('red'), yellow: on('yellow'), green: on('green') },
    });
  }
  return trend;
}
