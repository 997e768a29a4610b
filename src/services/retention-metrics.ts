import type { Band } from '../domain/health.ts';
import { lastMonths, type PeriodChoice, periodPair } from '../domain/metric-periods.ts';
import { dayIn, startOfDayIn } from '../domain/milestones.ts';
import { type AccountEdges, daysInPeriod, fromCents, retention, toCents } from '../domain/retention.ts';
import type {
  CsmRollup,
  DigestRetention,
  RetentionMetrics,
  TrendMonth,
} from '../domain/retention-metrics.ts';
import {
  loadAccountEdges,
  loadBandCounts,
  loadMrrAtInstants,
  loadOwnerRollup,
  withoutJit,
} from '../store/retention.ts';
import { loadSurveyFigures } from '../store/surveys/figures.ts';
import { nextDay, type RetentionDeps, retentionFigures, retentionReport } from './retention.ts';

/**
 * What `/cs metrics` shows: the period's retention figures beside the previous period's, NPS and CSAT of
 * the period, and the last 12 months for the chart, all of the owner's accounts when one is named. With
 * more than one currency and none chosen, the one most accounts use is shown and the others named.
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
    const { mostUsed, currencies } = current;
    [currency, otherCurrencies] = [mostUsed, currencies.filter((c) => c !== mostUsed)];
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
    owner: query.owner,
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

/**
 * The last 12 months (this one to date), month by month, in one currency: the MRR in effect at the 13
 * month edges in one query, then each month's figures from its two edges as the report computes them.
 */
export async function retentionTrend(
  deps: RetentionDeps,
  query: { today: string; owner?: string; currency: string },
): Promise<TrendMonth[]> {
  const zone = deps.config.timezone;
  const months = lastMonths(query.today, 12);
  const edgeDays = [...months.map((m) => m.from), nextDay(months.at(-1)!.to)];
  const [counts, accounts] = await Promise.all([
    loadBandCounts(deps.db.orm, { days: months.map((m) => m.to), owner: query.owner }),
    withoutJit(deps.db.orm, (tx) =>
      loadMrrAtInstants(tx, { instants: edgeDays.map((d) => startOfDayIn(d, zone)), owner: query.owner }),
    ),
  ]);
  return months.map((month, i) => {
    const edges: AccountEdges[] = accounts.flatMap(({ key, at }) => {
      const [start, end] = [at[i], at[i + 1]];
      if (toCents(start?.mrr ?? '0') === 0n && toCents(end?.mrr ?? '0') === 0n) return [];
      return [
        {
          key,
          start: start?.mrr ?? null,
          startCurrency: start?.currency ?? null,
          end: end?.mrr ?? null,
          endCurrency: end?.currency ?? null,
          hadMrrBefore: start?.hadMrrBefore ?? false,
        },
      ];
    });
    const answer = retention(edges, {
      ...month,
      currency: query.currency,
      grossMargin: deps.config.grossMargin,
    });
    if (!answer.ok) throw new Error('a chosen currency cannot be ambiguous');
    const on = (band: Band) => counts.find((c) => c.day === month.to && c.band === band)?.accounts ?? 0;
    return {
      label: month.label,
      mrr: answer.figures.mrr,
      nrr: answer.figures.nrr,
      bands: { red: on('red'), yellow: on('yellow'), green: on('green') },
    };
  });
}

/** The digest's retention line: this month to date against last month, and ARR at risk now. */
export async function digestRetention(deps: RetentionDeps): Promise<DigestRetention> {
  const today = dayIn(deps.clock(), deps.config.timezone);
  const pair = periodPair({ kind: 'month' }, today)!;
  let current = await retentionReport(deps, pair.current);
  let otherCurrencies: string[] = [];
  if (!current.ok) {
    const { mostUsed, currencies } = current;
    otherCurrencies = currencies.filter((c) => c !== mostUsed);
    current = await retentionReport(deps, { ...pair.current, currency: mostUsed });
  }
  if (!current.ok) throw new Error('a chosen currency cannot be ambiguous');
  const { report } = current;
  const previous = await retentionFigures(deps, { ...pair.previous, currency: report.currency });
  if (!previous.ok) throw new Error('a chosen currency cannot be ambiguous');
  const line = (f: typeof report) => ({
    nrr: f.nrr,
    grr: f.grr,
    logo_churn_rate: f.logo_churn_rate,
    mrrEnd: f.mrr.end,
  });
  return {
    currency: report.currency,
    otherCurrencies,
    monthToDate: line(report),
    lastMonth: line({ ...report, ...previous.figures }),
    arrAtRisk: { red: report.arr_at_risk.red, yellow: report.arr_at_risk.yellow },
  };
}

/**
 * The CS lead's roll-up, one line per CSM: active accounts, ARR, bands and open alerts now, and NRR of
 * last month (in the currency most of the CSM's start MRR is in; no conversion).
 */
export async function csmRollup(deps: RetentionDeps): Promise<CsmRollup[]> {
  const zone = deps.config.timezone;
  const lastMonth = periodPair({ kind: 'month' }, dayIn(deps.clock(), zone))!.previous;
  const [owners, edges] = await Promise.all([
    loadOwnerRollup(deps.db.orm),
    loadAccountEdges(deps.db.orm, {
      start: startOfDayIn(lastMonth.from, zone),
      end: startOfDayIn(periodPair({ kind: 'month' }, dayIn(deps.clock(), zone))!.current.from, zone),
    }),
  ]);
  return owners.map((o) => {
    const theirs = edges.filter((e) => (e.owner ?? null) === o.owner);
    const currencies = currenciesByStartMrr(theirs);
    const result = retention(theirs, {
      ...lastMonth,
      currency: currencies[0],
      grossMargin: deps.config.grossMargin,
    });
    const band = (b: string) => o.bands[b] ?? 0;
    return {
      owner: o.owner,
      accounts: o.accounts,
      arr: o.arr.map((a) => ({ currency: a.currency, amount: fromCents(toCents(a.amount)) })),
      bands: { red: band('red'), yellow: band('yellow'), green: band('green'), none: band('none') },
      nrr: result.ok ? result.figures.nrr : null,
      openIncidents: o.open_incidents,
    };
  });
}

/** The currencies of the accounts' start MRR, the largest total first. */
function currenciesByStartMrr(edges: AccountEdges[]): string[] {
  const totals = new Map<string, bigint>();
  for (const e of edges) {
    if (e.start !== null && e.startCurrency) {
      totals.set(e.startCurrency, (totals.get(e.startCurrency) ?? 0n) + toCents(e.start));
    }
  }
  return [...totals].sort((a, b) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1)).map(([c]) => c);
}
