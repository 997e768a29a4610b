import type { BillingFlag } from './billing-flags.ts';
import type { Goal, GoalStatus } from './goals.ts';
import type { Band } from './health.ts';
import { daysBetween } from './milestones.ts';

/**
 * The pre-review diagnosis (docs/cs-method.md, "Success review", step 1): the facts since the last review,
 * and the talking points they suggest. Pure: the store gathers the facts, the blocks render them.
 */
export interface ReviewBriefFacts {
  account: { key: string; name: string; tier: string; renewalDate: string | null };
  /** The review being prepared, when one is scheduled. */
  upcoming: { startsAt: Date; timezone: string } | null;
  /** Since when the brief counts: the last held review, else the cadence window. */
  since: { at: Date; lastReview: boolean };
  goals: Array<{ goal: Goal; status: GoalStatus }>;
  health: {
    score: number | null;
    band: Band | null;
    /** The score on the day of the last review (or the start of the window). */
    scoreThen: number | null;
  };
  /** Average active users a day, the last 7 days against the 7 days before `since`. */
  usage: { now: number | null; before: number | null };
  /** The latest `tickets_open`, now and at `since`. */
  tickets: { now: number | null; before: number | null };
  milestones: {
    reached: Array<{ title: string; reachedAt: Date }>;
    overdue: Array<{ title: string; plannedFor: string }>;
  };
  nps: { score: number | null; answers: number };
  csat: { percent: number | null; answers: number };
  billingFlags: BillingFlag[];
  /** Today, YYYY-MM-DD in the account's zone. */
  today: string;
}

/** A change worth naming in the meeting: usage moving by 10% or more, health by 10 points or more. */
const USAGE_CHANGE_PCT = 10;
const HEALTH_CHANGE_POINTS = 10;
/** A renewal this close belongs on the agenda. */
const RENEWAL_HORIZON_DAYS = 120;
/** CSAT below this share of satisfied answers is worth a question. */
const CSAT_CONCERN_PCT = 80;

/** Change in percent, rounded; null without both values or from zero. */
export function percentChange(before: number | null, now: number | null): number | null {
  if (before === null || now === null || before === 0) return null;
  return Math.round((100 * (now - before)) / before);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A talking point as facts: which one (`kind`) and the figures and names it cites. The blocks say it in
 * the reader's language; `since` is whether the figures count from the last review or over the period.
 */
export type TalkingPoint =
  | { kind: 'billingFlags'; count: number }
  | { kind: 'renewal'; date: string; days: number }
  | { kind: 'usageFell' | 'usageGrew'; change: number; before: number; now: number; since: Since }
  | { kind: 'healthFell' | 'healthRose'; from: number; now: number; since: Since }
  | { kind: 'goalMissed' | 'goalOpen'; goal: Goal }
  | { kind: 'goalsMet' | 'milestonesOverdue' | 'milestonesReached'; names: string[] }
  | { kind: 'npsNegative'; nps: number; since: Since }
  | { kind: 'csatLow'; percent: number; since: Since }
  | { kind: 'ticketsRose'; from: number; now: number }
  | { kind: 'noGoals' | 'quiet' };
export type Since = 'review' | 'period';

/** Suggested talking points, most pressing first, each derived from one fact above. */
export function talkingPoints(f: ReviewBriefFacts): TalkingPoint[] {
  const since: Since = f.since.lastReview ? 'review' : 'period';
  const points: TalkingPoint[] = [];

  if (f.billingFlags.length) points.push({ kind: 'billingFlags', count: f.billingFlags.length });
  if (f.account.renewalDate && f.account.renewalDate >= f.today) {
    const days = daysBetween(f.today, f.account.renewalDate);
    if (days <= RENEWAL_HORIZON_DAYS) points.push({ kind: 'renewal', date: f.account.renewalDate, days });
  }
  const usage = percentChange(f.usage.before, f.usage.now);
  if (usage !== null && Math.abs(usage) >= USAGE_CHANGE_PCT) {
    points.push({
      kind: usage < 0 ? 'usageFell' : 'usageGrew',
      change: Math.abs(usage),
      before: round1(f.usage.before!),
      now: round1(f.usage.now!),
      since,
    });
  }
  const { score, scoreThen } = f.health;
  if (score !== null && scoreThen !== null && Math.abs(score - scoreThen) >= HEALTH_CHANGE_POINTS) {
    points.push({
      kind: score < scoreThen ? 'healthFell' : 'healthRose',
      from: scoreThen,
      now: score,
      since,
    });
  }
  const missed = f.goals.filter((g) => g.status.state === 'missed');
  const met = f.goals.filter((g) => g.status.state === 'met');
  const open = f.goals.filter((g) => g.status.state === 'on_track');
  for (const g of missed) points.push({ kind: 'goalMissed', goal: g.goal });
  for (const g of open) points.push({ kind: 'goalOpen', goal: g.goal });
  if (met.length) points.push({ kind: 'goalsMet', names: met.map((g) => g.goal.description) });
  if (f.since.lastReview && !f.goals.length) points.push({ kind: 'noGoals' });
  if (f.milestones.overdue.length) {
    points.push({ kind: 'milestonesOverdue', names: f.milestones.overdue.map((m) => m.title) });
  }
  if (f.milestones.reached.length) {
    points.push({ kind: 'milestonesReached', names: f.milestones.reached.map((m) => m.title) });
  }
  if (f.nps.score !== null && f.nps.score < 0) points.push({ kind: 'npsNegative', nps: f.nps.score, since });
  if (f.csat.percent !== null && f.csat.percent < CSAT_CONCERN_PCT) {
    points.push({ kind: 'csatLow', percent: f.csat.percent, since });
  }
  const tickets = f.tickets;
  if (tickets.now !== null && tickets.before !== null && tickets.now > tickets.before) {
    points.push({ kind: 'ticketsRose', from: tickets.before, now: tickets.now });
  }
  if (!points.length) points.push({ kind: 'quiet' });
  return points;
}
