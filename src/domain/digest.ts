/**
 * The weekly digest: the state of the portfolio in one message (issue 7). Pure composition: the store
 * hands in counts and the head of each list (with the list's full size), this module computes the figures
 * (band changes, NPS, CSAT) and keeps each list to its top entries, so the message stays readable and
 * within Block Kit's limits at any portfolio size.
 */

import { DateTime } from 'luxon';
import type { Band } from './health.ts';
import type { ResponseTimes } from './response-times.ts';
import type { DigestRetention } from './retention-metrics.ts';
import { csatPercent, type NpsCounts, netPromoterScore } from './survey-figures.ts';

/** Entries shown per list; the rest is counted ("and 132 more"). */
export const DIGEST_TOP = 5;
/** The accounts in red are named, worst first, up to this many; the rest are counted. */
export const DIGEST_RED_TOP = 10;
/** The window of "this week" and of the longer survey figures. */
export const DIGEST_WEEK_DAYS = 7;
export const DIGEST_SURVEY_DAYS = 90;

export type PortfolioBand = Band | 'no_data';
export type BandCounts = Record<PortfolioBand, number>;

export interface AccountRef {
  key: string;
  name: string;
}

/** The head of a list, and how long the whole list is. */
export interface Listed<T> {
  items: T[];
  total: number;
}

/** An account in red, as the digest names it. */
export interface RedAccount extends AccountRef {
  score: number;
}

export interface Mover extends AccountRef {
  score: number;
  band: Band | null;
  /** Score now minus the score a week ago. */
  change: number;
}

export interface RedFlag extends AccountRef {
  kind: string;
  /** As stored in `alerts.detail`: a billing flag carries type, amount, currency and dates. */
  detail: Record<string, unknown>;
  status: string;
  /** Raised within the digest's week. */
  isNew: boolean;
  createdAt: string;
}

export interface SurveyCounts {
  nps: NpsCounts;
  csat: { satisfied: number; total: number };
}

export interface UpcomingReview extends AccountRef {
  kind: string;
  startsAt: string;
  /** The zone the meeting was scheduled in. */
  timezone: string;
}

export interface OverdueReview extends AccountRef {
  /** The day the review was due (YYYY-MM-DD). */
  dueOn: string;
  daysOverdue: number;
}

export interface Renewal extends AccountRef {
  renewalDate: string;
  band: Band | null;
  mrr: string | null;
  currency: string;
}

export interface ReachedMilestone extends AccountRef {
  title: string;
  reachedAt: string;
}

export interface FirstValue extends AccountRef {
  ttfvDays: number;
}

/** What the store reads for one digest. Lists may hold more than DIGEST_TOP entries; `total` counts them all. */
export interface DigestInput {
  /** The Monday (in PULSE_TIMEZONE) of the week the digest covers: its record's key. */
  weekStart: string;
  /** ISO instant the figures are taken at. */
  asOf: string;
  responseTimes?: ResponseTimes;
  bands: { now: BandCounts; weekAgo: BandCounts };
  /** The active accounts in red: at least the DIGEST_RED_TOP worst. */
  red: Listed<RedAccount>;
  movers: { up: Listed<Mover>; down: Listed<Mover> };
  flags: {
    open: Listed<RedFlag>;
    newThisWeek: number;
    billing: number;
    /** Amounts of the open billing flags, per currency, as decimal strings. */
    billingAmounts: Array<{ currency: string; amount: string }>;
  };
  surveys: { week: SurveyCounts; last90Days: SurveyCounts };
  reviews: {
    within30: number;
    within60: number;
    upcoming: Listed<UpcomingReview>;
    overdue: Listed<OverdueReview>;
  };
  renewals: { within30: number; within60: number; upcoming: Listed<Renewal> };
  milestones: {
    reached: Listed<ReachedMilestone>;
    /** Accounts whose first milestone was reached this week, with their TTFV. */
    firstValue: Listed<FirstValue> & { medianDays: number | null };
    /** Every account with a first value and a contract start. */
    portfolioTtfv: { accounts: number; medianDays: number | null };
  };
}

/** A list as the message shows it: its head, and how many more there are. */
export interface Shown<T> {
  items: T[];
  more: number;
}

export interface SurveyFigures {
  nps: number | null;
  npsResponses: number;
  csat: number | null;
  csatResponses: number;
}

/** Everything the digest message says; stored as the digest's `figures`. */
export interface Digest {
  weekStart: string;
  /** Month to date against last month, and ARR at risk (docs/retention.md); absent before it was added. */
  retention?: DigestRetention;
  asOf: string;
  /** Time to acknowledge and to resolve incidents (absent from digests recorded before it existed). */
  responseTimes?: ResponseTimes;
  accounts: number;
  bands: Array<{ band: PortfolioBand; count: number; change: number }>;
  /** The accounts in red, worst (lowest score) first. */
  red: Shown<RedAccount>;
  movers: { up: Shown<Mover>; down: Shown<Mover> };
  flags: {
    open: Shown<RedFlag>;
    openCount: number;
    newThisWeek: number;
    billing: number;
    billingAmounts: Array<{ currency: string; amount: string }>;
  };
  surveys: { week: SurveyFigures; last90Days: SurveyFigures };
  reviews: {
    within30: number;
    within60: number;
    upcoming: Shown<UpcomingReview>;
    overdue: Shown<OverdueReview>;
  };
  renewals: { within30: number; within60: number; upcoming: Shown<Renewal> };
  milestones: {
    reached: Shown<ReachedMilestone>;
    firstValue: Shown<FirstValue> & { count: number; medianDays: number | null };
    portfolioTtfv: { accounts: number; medianDays: number | null };
  };
}

/** The Monday, in the zone, of the week `now` falls in: a digest covers its week once per channel. */
export const digestWeekStart = (now: Date, zone: string) =>
  DateTime.fromJSDate(now, { zone }).startOf('week').toISODate()!;

const BAND_ORDER: PortfolioBand[] = ['red', 'yellow', 'green', 'no_data'];

/** The head of a list, in the given order, and how many entries it leaves out. */
function topOf<T>(list: Listed<T>, order: (a: T, b: T) => number, top = DIGEST_TOP): Shown<T> {
  const items = [...list.items].sort(order).slice(0, top);
  return { items, more: Math.max(0, list.total - items.length) };
}

function surveyFigures(c: SurveyCounts): SurveyFigures {
  return {
    nps: netPromoterScore(c.nps),
    npsResponses: c.nps.promoters + c.nps.passives + c.nps.detractors,
    csat: csatPercent(c.csat),
    csatResponses: c.csat.total,
  };
}

const byKey = (a: AccountRef, b: AccountRef) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const amountOf = (f: RedFlag) => {
  const amount = Number(f.detail.amount);
  return Number.isFinite(amount) ? amount : -1;
};

/**
 * Billing first (the money at stake, largest first), then the other flags; within each, this week's
 * before the older ones still open, newest first.
 */
function flagOrder(a: RedFlag, b: RedFlag): number {
  const billing = Number(b.kind === 'billing') - Number(a.kind === 'billing');
  if (billing) return billing;
  const fresh = Number(b.isNew) - Number(a.isNew);
  if (fresh) return fresh;
  const money = amountOf(b) - amountOf(a);
  if (money) return money;
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : byKey(a, b);
}

export function composeDigest(input: DigestInput, top = DIGEST_TOP): Digest {
  const { bands, movers, flags, reviews, renewals, milestones } = input;
  return {
    weekStart: input.weekStart,
    asOf: input.asOf,
    ...(input.responseTimes && { responseTimes: input.responseTimes }),
    accounts: BAND_ORDER.reduce((sum, band) => sum + bands.now[band], 0),
    bands: BAND_ORDER.map((band) => ({
      band,
      count: bands.now[band],
      change: bands.now[band] - bands.weekAgo[band],
    })),
    red: topOf(input.red, (a, b) => a.score - b.score || byKey(a, b), DIGEST_RED_TOP),
    movers: {
      up: topOf(movers.up, (a, b) => b.change - a.change || byKey(a, b), top),
      down: topOf(movers.down, (a, b) => a.change - b.change || byKey(a, b), top),
    },
    flags: {
      open: topOf(flags.open, flagOrder, top),
      openCount: flags.open.total,
      newThisWeek: flags.newThisWeek,
      billing: flags.billing,
      billingAmounts: flags.billingAmounts,
    },
    surveys: { week: surveyFigures(input.surveys.week), last90Days: surveyFigures(input.surveys.last90Days) },
    reviews: {
      within30: reviews.within30,
      within60: reviews.within60,
      upcoming: topOf(reviews.upcoming, (a, b) => a.startsAt.localeCompare(b.startsAt) || byKey(a, b), top),
      overdue: topOf(reviews.overdue, (a, b) => b.daysOverdue - a.daysOverdue || byKey(a, b), top),
    },
    renewals: {
      within30: renewals.within30,
      within60: renewals.within60,
      upcoming: topOf(
        renewals.upcoming,
        (a, b) => a.renewalDate.localeCompare(b.renewalDate) || byKey(a, b),
        top,
      ),
    },
    milestones: {
      reached: topOf(
        milestones.reached,
        (a, b) => b.reachedAt.localeCompare(a.reachedAt) || byKey(a, b),
        top,
      ),
      firstValue: {
        ...topOf(milestones.firstValue, (a, b) => a.ttfvDays - b.ttfvDays || byKey(a, b), top),
        count: milestones.firstValue.total,
        medianDays: milestones.firstValue.medianDays,
      },
      portfolioTtfv: milestones.portfolioTtfv,
    },
  };
}
