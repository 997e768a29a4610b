import type { BillingFlag } from './billing-flags.ts';
import { type Goal, type GoalStatus, goalLine } from './goals.ts';
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Suggested talking points, most pressing first, each derived from one fact above. */
export function talkingPoints(f: ReviewBriefFacts): string[] {
  const since = f.since.lastReview ? 'since the last review' : 'over the period';
  const points: string[] = [];

  if (f.billingFlags.length) {
    points.push(
      `${plural(f.billingFlags.length, 'billing red flag')} open: settle ${f.billingFlags.length === 1 ? 'it' : 'them'} before talking about expansion.`,
    );
  }
  if (f.account.renewalDate && f.account.renewalDate >= f.today) {
    const days = daysBetween(f.today, f.account.renewalDate);
    if (days <= RENEWAL_HORIZON_DAYS) {
      points.push(
        `Renewal on ${f.account.renewalDate}, in ${plural(days, 'day')}: confirm the decision makers and the renewal plan.`,
      );
    }
  }
  const usage = percentChange(f.usage.before, f.usage.now);
  if (usage !== null && usage <= -USAGE_CHANGE_PCT) {
    points.push(
      `Usage fell ${-usage}% ${since} (${round1(f.usage.before!)} → ${round1(f.usage.now!)} active users a day): ask what changed.`,
    );
  } else if (usage !== null && usage >= USAGE_CHANGE_PCT) {
    points.push(
      `Usage grew ${usage}% ${since} (${round1(f.usage.before!)} → ${round1(f.usage.now!)} active users a day): open with it.`,
    );
  }
  const { score, scoreThen } = f.health;
  if (score !== null && scoreThen !== null && Math.abs(score - scoreThen) >= HEALTH_CHANGE_POINTS) {
    points.push(
      score < scoreThen
        ? `Health fell from ${scoreThen} to ${score} ${since}: walk through what drove it down.`
        : `Health rose from ${scoreThen} to ${score} ${since}: name what worked.`,
    );
  }
  const missed = f.goals.filter((g) => g.status.state === 'missed');
  const met = f.goals.filter((g) => g.status.state === 'met');
  const open = f.goals.filter((g) => g.status.state === 'on_track');
  for (const g of missed)
    points.push(`Goal missed: ${goalLine(g.goal)}. Agree on what gets it back on track.`);
  for (const g of open) points.push(`Goal not met yet: ${goalLine(g.goal)}. Check what blocks it.`);
  if (met.length) {
    points.push(
      `Celebrate ${plural(met.length, 'goal')} met: ${met.map((g) => g.goal.description).join('; ')}.`,
    );
  }
  if (f.since.lastReview && !f.goals.length) {
    points.push('No goals were recorded at the last review: set measurable ones this time.');
  }
  if (f.milestones.overdue.length) {
    points.push(
      `${plural(f.milestones.overdue.length, 'milestone')} overdue (${f.milestones.overdue.map((m) => m.title).join(', ')}): re-plan them together.`,
    );
  }
  if (f.milestones.reached.length) {
    points.push(
      `Celebrate ${plural(f.milestones.reached.length, 'milestone')} reached: ${f.milestones.reached.map((m) => m.title).join(', ')}.`,
    );
  }
  if (f.nps.score !== null && f.nps.score < 0) {
    points.push(`NPS is ${f.nps.score} ${since}: hear out the detractors.`);
  }
  if (f.csat.percent !== null && f.csat.percent < CSAT_CONCERN_PCT) {
    points.push(`CSAT is ${f.csat.percent}% ${since}: ask where support fell short.`);
  }
  const tickets = f.tickets;
  if (tickets.now !== null && tickets.before !== null && tickets.now > tickets.before) {
    points.push(`Open support tickets rose from ${tickets.before} to ${tickets.now}: review the open ones.`);
  }
  if (!points.length)
    points.push('No warning signs: use the time for the next period’s goals and expansion.');
  return points;
}
