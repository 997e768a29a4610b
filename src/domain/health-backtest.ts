import type { Band } from './health.ts';
import { ratio } from './retention.ts';

/**
 * Whether the health score predicted churn, from counts of accounts by band (docs/retention.md): over the
 * accounts churned in the last 12 months, the share that were red (and red or yellow) `horizon` days
 * before their churn; over the accounts scored `horizon` days ago, the share of each band churned since.
 * Shares are decimals rounded to 4 places, null when nothing was counted.
 */
export interface HealthBacktest {
  horizon_days: number;
  /** The day `horizon` days ago, in PULSE_TIMEZONE, whose bands `churn_rate_by_band` counts. */
  band_day: string;
  churned: {
    accounts: number;
    /** Churned accounts that had a score `horizon` days before their churn: the shares are over these. */
    scored: number;
    red: number;
    red_or_yellow: number;
    red_share: number | null;
    red_or_yellow_share: number | null;
  };
  churn_rate_by_band: Record<Band, { accounts: number; churned: number; churn_rate: number | null }>;
}

export const BANDS: readonly Band[] = ['red', 'yellow', 'green'];

export function healthBacktest(input: {
  horizon: number;
  bandDay: string;
  beforeChurn: Array<{ band: Band | null; accounts: number }>;
  sinceThen: Array<{ band: Band; accounts: number; churned: number }>;
}): HealthBacktest {
  const churnedIn = (bands: Array<Band | null>) =>
    input.beforeChurn.filter((b) => bands.includes(b.band)).reduce((n, b) => n + b.accounts, 0);
  const scored = churnedIn(BANDS as Band[]);
  const red = churnedIn(['red']);
  const redOrYellow = churnedIn(['red', 'yellow']);
  const rate = (band: Band) => {
    const row = input.sinceThen.find((b) => b.band === band);
    const [accounts, churned] = [row?.accounts ?? 0, row?.churned ?? 0];
    return { accounts, churned, churn_rate: ratio(BigInt(churned), BigInt(accounts)) };
  };
  return {
    horizon_days: input.horizon,
    band_day: input.bandDay,
    churned: {
      accounts: churnedIn([...BANDS, null]),
      scored,
      red,
      red_or_yellow: redOrYellow,
      red_share: ratio(BigInt(red), BigInt(scored)),
      red_or_yellow_share: ratio(BigInt(redOrYellow), BigInt(scored)),
    },
    churn_rate_by_band: { red: rate('red'), yellow: rate('yellow'), green: rate('green') },
  };
}
