import { DateTime } from 'luxon';
import type { Deps } from '../deps.ts';
import { type HealthBacktest, healthBacktest } from '../domain/health-backtest.ts';
import { dayIn, startOfDayIn } from '../domain/milestones.ts';
import { type AccountMovement, fromCents, median, retention, toCents } from '../domain/retention.ts';
import type { ArrAtRisk, BandOrNone, RetentionReport } from '../domain/retention-metrics.ts';
import { loadBandsBeforeChurn, loadChurnSinceByBand } from '../store/health-backtest.ts';
import {
  type ArrByBand,
  loadAccountEdges,
  loadArrByBand,
  loadOnboardingDays,
  withoutJit,
} from '../store/retention.ts';

export type RetentionDeps = Pick<Deps, 'db' | 'clock'> & {
  config: Pick<Deps['config'], 'timezone' | 'grossMargin'>;
};

export interface RetentionQuery {
  /** `YYYY-MM-DD`, both included, in PULSE_TIMEZONE. */
  from: string;
  to: string;
  currency?: string;
  owner?: string;
}

export type RetentionAnswer =
  | { ok: true; report: RetentionReport; movements: AccountMovement[] }
  | { ok: false; currencies: string[]; mostUsed: string };

export const nextDay = (day: string) => DateTime.fromISO(day, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;

const periodBounds = (query: RetentionQuery, zone: string) => ({
  start: startOfDayIn(query.from, zone),
  end: startOfDayIn(nextDay(query.to), zone),
  owner: query.owner,
});

/** The MRR bridge and its ratios over a period (docs/retention.md), from the MRR history alone. */
export async function retentionFigures(deps: RetentionDeps, query: RetentionQuery) {
  const bounds = periodBounds(query, deps.config.timezone);
  const edges = await withoutJit(deps.db.orm, (tx) => loadAccountEdges(tx, bounds));
  return retention(edges, {
    from: query.from,
    to: query.to,
    currency: query.currency,
    grossMargin: deps.config.grossMargin,
  });
}

/**
 * The retention report of a period (docs/retention.md): the MRR bridge and its ratios from the MRR
 * history, ARR at risk and renewals from the accounts as they are now, time to onboard from the stage
 * history. Day boundaries are PULSE_TIMEZONE's.
 */
export async function retentionReport(deps: RetentionDeps, query: RetentionQuery): Promise<RetentionAnswer> {
  const zone = deps.config.timezone;
  const result = await retentionFigures(deps, query);
  if (!result.ok) return result;
  const today = dayIn(deps.clock(), zone);
  const [arr, onboarding] = await withoutJit(deps.db.orm, async (tx) => [
    await loadArrByBand(tx, { currency: result.figures.currency, today, owner: query.owner }),
    await loadOnboardingDays(tx, { ...periodBounds(query, zone), timezone: zone }),
  ]);
  return {
    ok: true,
    movements: result.movements,
    report: {
      ...result.figures,
      arr_at_risk: arrAtRisk(arr, today),
      time_to_onboard: { median_days: median(onboarding), accounts: onboarding.length },
    },
  };
}

function arrAtRisk(rows: ArrByBand[], today: string): ArrAtRisk {
  const figures = (band: BandOrNone, within: ArrByBand['within']) => {
    const row = rows.find((r) => r.band === band && r.within === within);
    return { accounts: row?.accounts ?? 0, arr: fromCents(toCents(row?.arr ?? '0')) };
  };
  const byBand = (within: 30 | 60 | 90) => ({
    within_days: within,
    red: figures('red', within),
    yellow: figures('yellow', within),
    green: figures('green', within),
    none: figures('none', within),
  });
  return {
    as_of: today,
    red: figures('red', 0),
    yellow: figures('yellow', 0),
    renewals: [byBand(30), byBand(60), byBand(90)],
  };
}

/** Whether the health score predicted churn, `horizon` days ahead (docs/retention.md). */
export async function healthBacktestReport(deps: RetentionDeps, horizon: number): Promise<HealthBacktest> {
  const zone = deps.config.timezone;
  const now = DateTime.fromJSDate(deps.clock(), { zone });
  const then = now.minus({ days: horizon }).toISODate()!;
  const [beforeChurn, sinceThen] = await withoutJit(deps.db.orm, async (tx) => [
    await loadBandsBeforeChurn(tx, { since: now.minus({ months: 12 }).toJSDate(), horizon, timezone: zone }),
    await loadChurnSinceByBand(tx, { day: then, dayEnd: startOfDayIn(nextDay(then), zone) }),
  ]);
  return healthBacktest({ horizon, bandDay: then, beforeChurn, sinceThen });
}
