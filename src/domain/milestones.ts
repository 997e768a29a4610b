import { DateTime } from 'luxon';

/**
 * Success milestones and time to first value (docs/cs-method.md, "The customer's life"): a success
 * plan lists planned milestones with target dates; CSMs log them as reached; TTFV runs from the contract
 * start to the first milestone reached. Dates are calendar days in the account's zone.
 */

export interface Milestone {
  title: string;
  /** Target day of the success plan (YYYY-MM-DD), when planned. */
  plannedFor: string | null;
  reachedAt: Date | null;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a zone. */
export const dayIn = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toISODate()!;

/** The instant a calendar day starts in a zone. */
export const startOfDayIn = (day: string, zone: string): Date =>
  DateTime.fromISO(day, { zone }).startOf('day').toJSDate();

/** Whole calendar days from one day to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round(
    DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days,
  );

/** Planned, not reached, and its target day is behind us: today is still on time. */
export const isOverdue = (m: Milestone, today: string): boolean =>
  m.reachedAt === null && m.plannedFor !== null && m.plannedFor < today;

/** The earliest reached milestone, if any. */
export function firstReached<M extends Milestone>(milestones: readonly M[]): M | undefined {
  let first: M | undefined;
  for (const m of milestones) {
    if (m.reachedAt !== null && (first === undefined || +m.reachedAt < +first.reachedAt!)) first = m;
  }
  return first;
}

/**
 * Time to first value in days: from the contract start to the day the first milestone was reached, in
 * the account's zone. Unknown without a contract start or before any milestone is reached. Value reached
 * before the contract started (during a pilot) counts as immediate: 0 days.
 */
export function timeToFirstValue(
  contractStart: string | null,
  firstReachedAt: Date | null | undefined,
  zone: string,
): number | null {
  if (!contractStart || !firstReachedAt) return null;
  return Math.max(0, daysBetween(contractStart, dayIn(firstReachedAt, zone)));
}

/** The portfolio median of the accounts' TTFV, in days; null when no account has one yet. */
export function medianDays(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface SuccessPlanSummary {
  /** Milestones in the success plan: those with a target day, and those not reached yet. */
  planned: number;
  reached: number;
  overdue: number;
  ttfvDays: number | null;
}

export function successPlanSummary(
  milestones: readonly Milestone[],
  context: { contractStart: string | null; today: string; zone: string },
): SuccessPlanSummary {
  return {
    planned: milestones.filter((m) => m.plannedFor !== null || m.reachedAt === null).length,
    reached: milestones.filter((m) => m.reachedAt !== null).length,
    overdue: milestones.filter((m) => isOverdue(m, context.today)).length,
    ttfvDays: timeToFirstValue(context.contractStart, firstReached(milestones)?.reachedAt, context.zone),
  };
}

/**
 * The order a success plan reads in: reached milestones by the day they were reached, then the open
 * ones by target day (undated last), titles breaking ties.
 */
export function planOrder<M extends Milestone>(milestones: readonly M[]): M[] {
  const key = (m: M) =>
    m.reachedAt !== null ? `0 ${m.reachedAt.toISOString()}` : `1 ${m.plannedFor ?? '9999-99-99'}`;
  return [...milestones].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    return ka < kb ? -1 : ka > kb ? 1 : a.title.localeCompare(b.title);
  });
}

/**
 * Why a reached day cannot be logged, or undefined when it can: a milestone is never reached tomorrow.
 * The person is told in their language (`ms.problem.future`).
 */
export function reachedDayProblem(day: string, today: string): 'future' | undefined {
  return day > today ? 'future' : undefined;
}

/**
 * Why a target day cannot go in the success plan, or undefined when it can (`ms.problem.noTarget`,
 * `ms.problem.pastTarget` say it).
 */
export function targetDayProblem(day: string | undefined, today: string): 'no_target' | 'past' | undefined {
  if (!day) return 'no_target';
  if (day < today) return 'past';
  return undefined;
}

/** Letters and digits only, lower-cased: "Kick-off held" and "kickoff  held" read the same. */
const squeezed = (title: string) => title.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

const bigrams = (s: string) => Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2));

/** How alike two titles read, from 0 to 1: the Dice coefficient of their letter pairs. */
export function titleLikeness(a: string, b: string): number {
  const x = bigrams(squeezed(a));
  const y = bigrams(squeezed(b));
  if (!x.length || !y.length) return squeezed(a) === squeezed(b) ? 1 : 0;
  const left = new Map<string, number>();
  for (const pair of x) left.set(pair, (left.get(pair) ?? 0) + 1);
  let shared = 0;
  for (const pair of y) {
    const n = left.get(pair) ?? 0;
    if (n > 0) {
      shared += 1;
      left.set(pair, n - 1);
    }
  }
  return (2 * shared) / (x.length + y.length);
}

/** From this likeness on, a typed title is probably a planned milestone worded differently. */
export const NEAR_TITLE = 0.6;

/**
 * The planned, not yet reached milestone a typed title most likely means, when it is not that title
 * exactly (`Kickoff done` for the planned `Kick-off held`); undefined when the title is new or exact.
 */
export function nearPlannedMilestone<M extends Milestone>(title: string, milestones: M[]): M | undefined {
  if (milestones.some((m) => m.title.toLowerCase() === title.toLowerCase())) return undefined;
  return milestones
    .filter((m) => m.reachedAt === null && m.plannedFor !== null)
    .map((m) => ({ m, likeness: titleLikeness(title, m.title) }))
    .filter((c) => c.likeness >= NEAR_TITLE)
    .sort((a, b) => b.likeness - a.likeness)[0]?.m;
}
