import {
  builtInComponents,
  type ComponentResult,
  combineComponents,
  type GoalResult,
  type HealthInputs,
  type HealthResult,
} from './health.ts';
import {
  type Goal,
  type HealthModel,
  type Measure,
  type MetricRule,
  type Segment,
  type Stage,
  segmentOf,
  type Tier,
} from './health-model.ts';

/**
 * A model's score for one account: its segment's weights, goals and bands over the built-in components
 * and the measures the store aggregated (raw, before the window and seats are applied). As for the
 * built-in model, a component without data is left out and its weight spread over the others. The
 * results name components and goals without their labels: every account's would repeat the model's, and
 * the nightly run stringifies, writes, reads and parses them; readers label them (health-model-labels.ts).
 */

/** The aggregate the store computes for a measure, shared by every rule and goal that reads the same. */
export type MeasureKey = string;
export const measureKey = (m: Measure): MeasureKey =>
  JSON.stringify([m.metric, m.aggregation, m.window_days, m.day?.at_least ?? null, m.day?.at_most ?? null]);

/** Every distinct aggregate the model reads, in a stable order: the store computes each once. */
export function modelMeasures(model: HealthModel): Measure[] {
  const all = [...model.components.filter((c): c is MetricRule => c.kind === 'metric'), ...model.goals];
  const seen = new Map<MeasureKey, Measure>();
  for (const m of all) if (!seen.has(measureKey(m))) seen.set(measureKey(m), m);
  return [...seen.values()];
}

export interface ModelInputs {
  tier: Tier;
  stage: Stage;
  /** The built-in components' facts (only the kinds the model uses are read). */
  health: HealthInputs;
  /** Per measure key: what the store aggregated, null when the window holds no point of the metric. */
  measures: ReadonlyMap<MeasureKey, number | null>;
}

const clamp = (x: number) => Math.min(100, Math.max(0, x));
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * A measure's value from its raw aggregate. The store counts points, one a day (as ingestion asks): a
 * share is the days meeting the condition over the window's days, so a day without a point counts as
 * not meeting it; per seat divides by the seats bought (no seats, no value).
 */
export function measureValue(
  m: Measure,
  raw: number | null | undefined,
  seats: number | null,
): number | null {
  if (raw === null || raw === undefined) return null;
  let value = raw;
  if (m.aggregation === 'share_of_days_meeting') value = Math.min(1, raw / m.window_days);
  if (m.aggregation === 'count_days_with_value') value = Math.min(m.window_days, raw);
  if (!m.per_seat) return value;
  return seats && seats > 0 ? value / seats : null;
}

/** A metric rule's 0–100 from its value: linear from floor to target, or the points of the best step reached. */
export function metricRuleScore(rule: Pick<MetricRule, 'direction' | 'scoring'>, value: number): number {
  const s = rule.scoring;
  if (s.type === 'linear') return Math.round(clamp((100 * (value - s.floor)) / (s.target - s.floor)));
  const higher = rule.direction === 'higher_is_better';
  const reached = s.steps.filter((step) => (higher ? value >= step.at : value <= step.at));
  if (!reached.length) return Math.round(s.otherwise);
  const best = reached.reduce((a, b) => ((higher ? b.at > a.at : b.at < a.at) ? b : a));
  return Math.round(best.points);
}

export function goalResult(goal: Goal, value: number | null): GoalResult {
  const bound = goal.at_least === undefined ? { atMost: goal.at_most! } : { atLeast: goal.at_least };
  const met =
    value === null ? null : goal.at_least === undefined ? value <= goal.at_most! : value >= goal.at_least;
  return { goal: goal.name, value: value === null ? null : round2(value), met, ...bound };
}

/** The share of the segment's goals met among those with data: "two of five" is 40. */
export function goalsScore(name: string, goals: GoalResult[]): ComponentResult {
  const judged = goals.filter((g) => g.met !== null);
  if (!judged.length) return { component: name, score: null, goals };
  const met = judged.filter((g) => g.met).length;
  return {
    component: name,
    score: Math.round((100 * met) / judged.length),
    detail: { met, judged: judged.length },
    goals,
  };
}

export type ModelResult = HealthResult & { segment: Segment };

export function evaluateModel(model: HealthModel, inputs: ModelInputs): ModelResult {
  const segment = segmentOf(model, inputs);
  const { seats } = inputs.health;
  const measured = (m: Measure) => measureValue(m, inputs.measures.get(measureKey(m)), seats);
  let builtIn: ReturnType<typeof builtInComponents> | undefined;
  const components = model.components.map((c): ComponentResult => {
    if (c.kind === 'metric') {
      const value = measured(c);
      return value === null
        ? { component: c.name, score: null }
        : { component: c.name, score: metricRuleScore(c, value), detail: { value: round2(value) } };
    }
    if (c.kind === 'goals')
      return goalsScore(
        c.name,
        segment.goals.map((g) => goalResult(g, measured(g))),
      );
    builtIn ??= builtInComponents(inputs.health);
    return builtIn[c.kind];
  });
  return { ...combineComponents(components, segment.weights, segment.bands), segment };
}
