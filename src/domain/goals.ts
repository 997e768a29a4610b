/**
 * Goals set at a success review ("active users ≥ 40 by 2027-03-31"), tracked against the latest ingested
 * point of the metric they name. A goal without a metric is a qualitative one: the CSM judges it.
 */

export type Comparator = '>=' | '<=';

export interface Goal {
  description: string;
  metric: string | null;
  comparator: Comparator | null;
  target: number | null;
  /** YYYY-MM-DD */
  dueDate: string;
}

export type GoalState = 'met' | 'on_track' | 'missed' | 'no_data' | 'untracked';

export interface GoalStatus {
  state: GoalState;
  /** The latest value of the metric, when there is one. */
  current: number | null;
}

export const COMPARATOR_SIGN: Record<Comparator, string> = { '>=': '≥', '<=': '≤' };

/**
 * Met when the latest point satisfies the target; until the due date an unmet goal is still on track
 * (there is time), after it the goal was missed.
 */
export function goalStatus(goal: Goal, latest: number | null, today: string): GoalStatus {
  if (!goal.metric || !goal.comparator || goal.target === null) return { state: 'untracked', current: null };
  if (latest === null) return { state: 'no_data', current: null };
  const met = goal.comparator === '>=' ? latest >= goal.target : latest <= goal.target;
  if (met) return { state: 'met', current: latest };
  return { state: today > goal.dueDate ? 'missed' : 'on_track', current: latest };
}

/** One goal as typed in the outcome modal; every field is optional until checked. */
export interface GoalInput {
  description?: string | null;
  metric?: string | null;
  comparator?: string | null;
  target?: string | null;
  dueDate?: string | null;
}

export type GoalField = keyof GoalInput;

/** What is wrong with a typed goal; the modal says it in the person's language. */
export type GoalProblem =
  | 'description'
  | 'dueMissing'
  | 'duePast'
  | 'target'
  | 'metricNeedsTarget'
  | 'metricMissing'
  | 'metricName';

/**
 * Checks the goals typed in the outcome modal. A row left empty is skipped; a row started must have a
 * description and a due date after today; a metric needs a comparator and a numeric target, and the
 * reverse. Problems come back by row and field, for the modal to show next to the input.
 */
export function checkGoals(
  inputs: GoalInput[],
  today: string,
): { goals: Goal[]; problems: Array<{ row: number; field: GoalField; problem: GoalProblem }> } {
  const goals: Goal[] = [];
  const problems: Array<{ row: number; field: GoalField; problem: GoalProblem }> = [];
  inputs.forEach((input, row) => {
    const description = input.description?.trim() ?? '';
    const metric = input.metric?.trim().toLowerCase().replace(/\s+/g, '_') || null;
    const comparator = input.comparator === '>=' || input.comparator === '<=' ? input.comparator : null;
    const rawTarget = input.target?.trim() ?? '';
    const dueDate = input.dueDate ?? '';
    if (!description && !metric && !rawTarget && !dueDate) return;
    const problem = (field: GoalField, what: GoalProblem) => problems.push({ row, field, problem: what });
    if (!description) problem('description', 'description');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) problem('dueDate', 'dueMissing');
    else if (dueDate <= today) problem('dueDate', 'duePast');
    const target = rawTarget === '' ? null : Number(rawTarget.replace(',', '.'));
    if (target !== null && !Number.isFinite(target)) problem('target', 'target');
    if (metric && (target === null || !comparator)) {
      problem(target === null ? 'target' : 'comparator', 'metricNeedsTarget');
    }
    if (!metric && (target !== null || comparator)) problem('metric', 'metricMissing');
    if (metric && !/^[a-z0-9_.:-]{1,64}$/.test(metric)) {
      problem('metric', 'metricName');
    }
    goals.push({ description, metric, comparator: metric ? comparator : null, target, dueDate });
  });
  return { goals: problems.length ? [] : goals, problems };
}
