import type { Band } from './health.ts';
import type { Period } from './metric-periods.ts';
import type { RetentionFigures } from './retention.ts';
import type { SurveyFigures } from './survey-figures.ts';

/** A current health band, or `none` for an account with no score. */
export type BandOrNone = Band | 'none';

interface BandFigures {
  accounts: number;
  arr: number;
}

/** ARR at risk now: active accounts in red and yellow, and the renewals due soon, by band. */
export interface ArrAtRisk {
  as_of: string;
  red: BandFigures;
  yellow: BandFigures;
  renewals: Array<{ within_days: 30 | 60 | 90 } & Record<BandOrNone, BandFigures>>;
}

/** The retention report: the figures of docs/retention.md, ARR at risk and time to onboard beside them. */
export interface RetentionReport extends RetentionFigures {
  arr_at_risk: ArrAtRisk;
  time_to_onboard: { median_days: number | null; accounts: number };
}

/** One month of the trend: its MRR bridge and NRR, and the accounts in each band on its last day. */
export interface TrendMonth {
  label: string;
  mrr: RetentionFigures['mrr'];
  nrr: number | null;
  bands: Record<Band, number>;
}

/** What `/cs metrics` shows. */
export interface RetentionMetrics {
  period: Period;
  previousPeriod: Period;
  current: RetentionReport;
  previous: RetentionReport;
  /** NPS and CSAT of the surveys sent in the period, over the whole portfolio. */
  surveys: SurveyFigures;
  /** The other currencies used, whose figures are not in these (no conversion). */
  otherCurrencies: string[];
  trend: TrendMonth[];
}

/** The digest's retention line: this month to date against last month, and ARR at risk now. */
export interface DigestRetention {
  currency: string;
  otherCurrencies: string[];
  monthToDate: Pick<RetentionFigures, 'nrr' | 'grr' | 'logo_churn_rate'> & { mrrEnd: number };
  lastMonth: Pick<RetentionFigures, 'nrr' | 'grr' | 'logo_churn_rate'> & { mrrEnd: number };
  arrAtRisk: Pick<ArrAtRisk, 'red' | 'yellow'>;
}

/** One CSM's line of the CS lead's App Home: their active accounts, ARR, bands, NRR and open incidents. */
export interface CsmRollup {
  /** The owner's Slack user ID; null for accounts nobody owns. */
  owner: string | null;
  accounts: number;
  /** 12 × the MRR of their active accounts, per currency. */
  arr: Array<{ currency: string; amount: number }>;
  bands: Record<BandOrNone, number>;
  /** NRR of last month, in the currency most of their start MRR is in; null without MRR at its start. */
  nrr: number | null;
  openIncidents: number;
}
