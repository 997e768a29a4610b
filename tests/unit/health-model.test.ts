import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../src/config.ts';
import { computeHealth, type HealthInputs } from '../../src/domain/health.ts';
import {
  type HealthModel,
  healthModelFrom,
  parseHealthModel,
  segmentOf,
} from '../../src/domain/health-model.ts';
import { builtInModel } from '../../src/domain/health-model-built-in.ts';
import {
  evaluateModel,
  goalResult,
  type ModelInputs,
  measureKey,
  measureValue,
  metricRuleScore,
  modelMeasures,
} from '../../src/domain/health-model-evaluation.ts';
import { changesWithModelLabels, withModelLabels } from '../../src/domain/health-model-labels.ts';

const labels = (en: string) => ({ en, 'pt-BR': `${en} (pt)` });

/** An account with no data at all. */
const noData: HealthInputs = {
  seats: null,
  usage: { activeUsersRecent: null, activeUsersPrevious: null, loginsRecent: null, loginsPrevious: null },
  support: { openTickets: null, longOpenTickets: null },
  billing: { hasHistory: false, openFlags: [] },
  relationship: { contacts: 0, champions: 0 },
  outcomes: null,
  sentiment: null,
};

const logins = {
  name: 'logs_in_daily',
  label: labels('Logs in every day'),
  metric: 'logins',
  aggregation: 'share_of_days_meeting',
  day: { at_least: 1 },
  window_days: 30,
  at_least: 0.9,
};
const sales = {
  name: 'one_sale_a_day',
  label: labels('One sale a day'),
  metric: 'sales',
  aggregation: 'avg',
  window_days: 30,
  at_least: 1,
};

/** Two metric rules, goals and the built-in support; onboarding accounts weigh adoption, renewal ones support. */
const file = {
  name: 'Shop',
  components: [
    {
      kind: 'metric',
      name: 'adoption',
      label: labels('Adoption'),
      metric: 'active_users',
      aggregation: 'avg',
      window_days: 7,
      per_seat: true,
      direction: 'higher_is_better',
      scoring: { type: 'linear', floor: 0.2, target: 0.7 },
    },
    {
      kind: 'metric',
      name: 'errors',
      label: labels('Errors'),
      metric: 'errors',
      aggregation: 'sum',
      window_days: 7,
      direction: 'lower_is_better',
      scoring: {
        type: 'thresholds',
        steps: [
          { at: 0, points: 100 },
          { at: 5, points: 60 },
        ],
      },
    },
    { kind: 'goals', label: labels('Success goals') },
    { kind: 'support' },
  ],
  goals: [logins, sales],
  default: {
    weights: { adoption: 40, errors: 10, goals: 40, support: 10 },
    goals: ['logs_in_daily', 'one_sale_a_day'],
  },
  segments: [
    {
      name: 'onboarding',
      when: { stage: ['onboarding'] },
      weights: { adoption: 80, goals: 0 },
      bands: { red_max: 30, yellow_max: 60 },
    },
    {
      name: 'big_renewals',
      when: { tier: ['exclusive', 'high_touch'], stage: ['renewal'] },
      goals: ['one_sale_a_day'],
    },
  ],
};

/** A copy of `data` with the values at these paths replaced. */
function edited(data: object, edits: Array<[Array<string | number>, unknown]>): unknown {
  const copy = structuredClone(data);
  for (const [path, value] of edits) {
    const parent = path
      .slice(0, -1)
      .reduce<Record<string | number, unknown>>((o, k) => o[k] as never, copy as never);
    parent[path[path.length - 1]!] = value;
  }
  return copy;
}

function model(data: unknown = file): HealthModel {
  const parsed = healthModelFrom(data);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

const problemsOf = (data: unknown) => {
  const parsed = healthModelFrom(data);
  return parsed.ok ? [] : parsed.problems;
};

/** The model's measures by metric name (each metric is read by one measure in `file`). */
function inputs(
  m: HealthModel,
  values: Record<string, number | null>,
  over: Partial<ModelInputs> = {},
): ModelInputs {
  const measures = new Map(modelMeasures(m).map((x) => [measureKey(x), values[x.metric] ?? null]));
  return { tier: 'mid_touch', stage: 'adoption', health: { ...noData, seats: 10 }, measures, ...over };
}

describe('the built-in model', () => {
  it('scores exactly as the six fixed components did', () => {
    const cases: HealthInputs[] = [
      noData,
      {
        ...noData,
        seats: 20,
        usage: { activeUsersRecent: 7, activeUsersPrevious: 10, loginsRecent: 40, loginsPrevious: 50 },
        support: { openTickets: 4, longOpenTickets: 2 },
        relationship: { contacts: 2, champions: 1 },
        outcomes: { reached: 2, overdue: 3 },
        sentiment: { answers: [{ kind: 'nps', score: 9 }] },
      },
      {
        ...noData,
        billing: { hasHistory: true, openFlags: [] },
        support: { openTickets: 1, longOpenTickets: 0 },
      },
    ];
    const m = builtInModel();
    for (const health of cases)
      expect(
        evaluateModel(m, { tier: 'exclusive', stage: 'renewal', health, measures: new Map() }),
      ).toMatchObject(computeHealth(health));
  });

  it('takes HEALTH_WEIGHTS and HEALTH_BANDS into its default segment, and its version changes with them', () => {
    const weights = { usage: 50, outcomes: 0, sentiment: 15, support: 15, billing: 15, relationship: 5 };
    const m = builtInModel(weights, { redMax: 40, yellowMax: 70 });
    expect(m.segments).toEqual([
      { name: 'default', when: null, weights, goals: [], bands: { redMax: 40, yellowMax: 70 } },
    ]);
    expect(m.version).not.toBe(builtInModel().version);
    expect(builtInModel().version).toBe(builtInModel().version);
  });
});

describe('the model file', () => {
  it('reads YAML and JSON alike; the version is the content, not its writing', () => {
    const yaml = `
# comments and key order do not matter
name: Shop
default:
  weights: {usage: 1}
components:
  - kind: usage
`;
    const json = JSON.stringify({
      components: [{ kind: 'usage' }],
      default: { weights: { usage: 1 } },
      name: 'Shop',
    });
    const a = parseHealthModel(yaml, 'model.yaml');
    const b = parseHealthModel(json, 'model.json');
    expect(a.ok && b.ok && a.model.version === b.model.version).toBe(true);
    const c = parseHealthModel(yaml.replace('usage: 1', 'usage: 2'), 'model.yaml');
    expect(c.ok && a.ok && c.model.version !== a.model.version).toBe(true);
  });

  it('lists every problem with its path', () => {
    const bad = edited(file, [
      [['components', 0, 'aggregation'], 'median'],
      [['components', 1, 'scoring'], { type: 'linear', floor: 0, target: 10 }],
      [['goals', 1], { ...sales, at_least: undefined }],
      [['goals', 0], { ...logins, day: undefined }],
      [['default', 'weights'], { adoption: 0, errors: 0, goals: 0, support: 0, usage: 3 }],
      [
        ['segments', 1, 'goals'],
        ['one_sale_a_day', 'reports_monthly'],
      ],
      [['segments', 0, 'when'], { stage: ['trial'] }],
    ]);
    expect(problemsOf(bad)).toEqual([
      {
        path: 'components[0].aggregation',
        message: expect.stringContaining('must be one of avg, sum, last'),
      },
      { path: 'components[1].scoring.target', message: 'must be below the floor (lower_is_better)' },
      { path: 'goals[0].day', message: expect.stringContaining('share_of_days_meeting needs day') },
      { path: 'goals[1]', message: 'a goal needs its threshold: exactly one of at_least, at_most' },
      { path: 'segments[0].when.stage[0]', message: expect.stringContaining('onboarding') },
    ]);
    // The references are checked once the parts are valid.
    const unknown = edited(file, [
      [['default', 'weights'], { adoption: 0, errors: 0, goals: 0, support: 0, usage: 3 }],
      [
        ['segments', 1, 'goals'],
        ['one_sale_a_day', 'reports_monthly'],
      ],
      [['segments', 0, 'weights'], { adoption: 0, relationship: 10 }],
    ]);
    expect(problemsOf(unknown)).toEqual([
      { path: 'default.weights.usage', message: expect.stringContaining('names no component') },
      { path: 'default.weights', message: 'the weights sum to 0' },
      { path: 'segments[0].weights.relationship', message: expect.stringContaining('names no component') },
      { path: 'segments[0].weights', message: 'the weights sum to 0' },
      { path: 'segments[1].goals[1]', message: expect.stringContaining('"reports_monthly" is no goal') },
      { path: 'segments[1].weights', message: 'the weights sum to 0' },
    ]);
  });

  it('refuses bands out of order, a day condition where no day is counted, a segment matching nothing said', () => {
    const bad = edited(file, [
      [['default', 'bands'], { red_max: 75, yellow_max: 50 }],
      [['goals', 1], { ...sales, day: { at_least: 1 } }],
      [['segments', 0, 'when'], {}],
      [['segments', 0, 'bands'], { red_max: 40, yellow_max: 100 }],
    ]);
    expect(problemsOf(bad)).toEqual([
      { path: 'goals[1].day', message: 'only share_of_days_meeting takes a day condition' },
      { path: 'default.bands', message: 'red_max must be below yellow_max' },
      { path: 'segments[0].when', message: 'needs tier and/or stage' },
      { path: 'segments[0].bands.yellow_max', message: expect.stringContaining('99') },
    ]);
  });

  it('refuses a component without a default weight, a name declared twice, goals without their component', () => {
    expect(
      problemsOf({
        name: 'x',
        components: [{ kind: 'usage' }, { kind: 'usage' }, { kind: 'karma' }],
        goals: [sales],
        default: { weights: {}, goals: ['one_sale_a_day'] },
      }),
    ).toEqual([
      { path: 'components[2].kind', message: expect.stringContaining('kind must be one of usage') },
    ]);
    expect(
      problemsOf({
        name: 'x',
        components: [{ kind: 'usage' }, { kind: 'usage' }],
        goals: [sales],
        default: { weights: { usage: 1 }, goals: ['one_sale_a_day'] },
      }),
    ).toEqual([
      { path: 'components[1]', message: '"usage" is declared twice' },
      { path: 'default.goals', message: 'goals need a component of kind goals' },
    ]);
    expect(problemsOf({ name: 'x', components: [{ kind: 'usage' }], default: { weights: {} } })).toEqual([
      { path: 'default.weights.usage', message: 'is required: every component needs a default weight' },
      { path: 'default.weights', message: 'the weights sum to 0' },
    ]);
    expect(parseHealthModel('name: [unclosed', 'model.yaml')).toMatchObject({
      ok: false,
      problems: [{ path: '', message: expect.stringContaining('is not valid YAML') }],
    });
  });
});

describe('measures', () => {
  const m = (over: object) =>
    ({ metric: 'x', aggregation: 'avg', window_days: 10, per_seat: false, ...over }) as never;

  it('turns each aggregate into its value; no point in the window is no data', () => {
    expect(measureValue(m({ aggregation: 'avg' }), 2.5, null)).toBe(2.5);
    expect(measureValue(m({ aggregation: 'sum' }), 25, null)).toBe(25);
    expect(measureValue(m({ aggregation: 'min' }), 1, null)).toBe(1);
    expect(measureValue(m({ aggregation: 'max' }), 9, null)).toBe(9);
    expect(measureValue(m({ aggregation: 'last' }), 4, null)).toBe(4);
    // One point a day: 12 points in a 10-day window are 10 days (a second point on a day counts once at most).
    expect(measureValue(m({ aggregation: 'count_days_with_value' }), 7, null)).toBe(7);
    expect(measureValue(m({ aggregation: 'count_days_with_value' }), 12, null)).toBe(10);
    // 9 of the 10 days met the condition; a day without a point does not.
    expect(measureValue(m({ aggregation: 'share_of_days_meeting', day: { at_least: 1 } }), 9, null)).toBe(
      0.9,
    );
    expect(measureValue(m({ aggregation: 'share_of_days_meeting', day: { at_least: 1 } }), 0, null)).toBe(0);
    expect(measureValue(m({ aggregation: 'sum' }), null, 10)).toBeNull();
  });

  it('divides by seats when per seat, and has no value without seats', () => {
    expect(measureValue(m({ per_seat: true }), 7, 20)).toBe(0.35);
    expect(measureValue(m({ per_seat: true }), 7, null)).toBeNull();
    expect(measureValue(m({ per_seat: true }), 7, 0)).toBeNull();
  });

  it('computes each distinct aggregate once, however many rules and goals read it', () => {
    const twice = structuredClone(file);
    twice.goals.push({ ...logins, name: 'logs_in_again', at_least: 0.5 });
    expect(modelMeasures(model(twice)).map((x) => x.metric)).toEqual([
      'active_users',
      'errors',
      'logins',
      'sales',
    ]);
  });
});

describe('scoring', () => {
  it('is linear from the floor (0) to the target (100), either direction, clamped', () => {
    const higher = {
      direction: 'higher_is_better',
      scoring: { type: 'linear', floor: 0.2, target: 0.7 },
    } as const;
    expect(metricRuleScore(higher, 0.45)).toBe(50);
    expect(metricRuleScore(higher, 0.1)).toBe(0);
    expect(metricRuleScore(higher, 0.9)).toBe(100);
    const lower = {
      direction: 'lower_is_better',
      scoring: { type: 'linear', floor: 10, target: 2 },
    } as const;
    expect(metricRuleScore(lower, 4)).toBe(75);
    expect(metricRuleScore(lower, 12)).toBe(0);
  });

  it('gives the points of the best step reached, else the otherwise points', () => {
    const steps = [
      { at: 10, points: 100 },
      { at: 5, points: 70 },
      { at: 1, points: 30 },
    ];
    const higher = {
      direction: 'higher_is_better',
      scoring: { type: 'thresholds', steps, otherwise: 0 },
    } as const;
    expect(metricRuleScore(higher, 12)).toBe(100);
    expect(metricRuleScore(higher, 5)).toBe(70);
    expect(metricRuleScore(higher, 0.5)).toBe(0);
    const lower = {
      direction: 'lower_is_better',
      scoring: { type: 'thresholds', steps, otherwise: 10 },
    } as const;
    expect(metricRuleScore(lower, 0)).toBe(30);
    expect(metricRuleScore(lower, 7)).toBe(100);
    expect(metricRuleScore(lower, 11)).toBe(10);
  });

  it('judges a goal met or not by its threshold, and not at all without data', () => {
    const g = model().goals;
    expect(goalResult(g[0]!, 0.93)).toEqual({
      goal: 'logs_in_daily',
      value: 0.93,
      met: true,
      atLeast: 0.9,
    });
    expect(goalResult(g[1]!, 0.5)).toMatchObject({ met: false, value: 0.5 });
    expect(goalResult({ ...g[1]!, at_least: undefined, at_most: 3 }, 2)).toMatchObject({
      met: true,
      atMost: 3,
    });
    expect(goalResult(g[1]!, null)).toMatchObject({ met: null, value: null });
  });
});

describe('segments', () => {
  const m = model();
  it('are matched in order on tier and stage, with the default last', () => {
    expect(segmentOf(m, { tier: 'low_touch', stage: 'onboarding' }).name).toBe('onboarding');
    expect(segmentOf(m, { tier: 'exclusive', stage: 'renewal' }).name).toBe('big_renewals');
    expect(segmentOf(m, { tier: 'mid_touch', stage: 'renewal' }).name).toBe('default');
  });

  it('give unnamed components the default weight, and the default goals and bands unless their own', () => {
    const [onboarding, renewals, fallback] = m.segments;
    expect(onboarding).toMatchObject({
      weights: { adoption: 80, errors: 10, goals: 0, support: 10 },
      bands: { redMax: 30, yellowMax: 60 },
    });
    expect(onboarding!.goals.map((g) => g.name)).toEqual(['logs_in_daily', 'one_sale_a_day']);
    expect(renewals!.goals.map((g) => g.name)).toEqual(['one_sale_a_day']);
    expect(fallback!.bands).toEqual({ redMax: 50, yellowMax: 75 });
  });
});

describe('evaluateModel', () => {
  const m = model();

  it('weighs every component by the segment and lists each goal with its value, weakest first', () => {
    // adoption: 4.5/10 seats = 0.45 → 50; errors: 3 → 60; goals: 27/30 days met (0.9 ≥ 0.9), sales 0.4 < 1 → 50;
    // support: 2 open tickets → 80. (40·50 + 10·60 + 40·50 + 10·80) / 100 = 54 → yellow.
    const result = evaluateModel(
      m,
      inputs(
        m,
        { active_users: 4.5, errors: 3, logins: 27, sales: 0.4 },
        {
          health: { ...noData, seats: 10, support: { openTickets: 2, longOpenTickets: 0 } },
        },
      ),
    );
    expect(result).toMatchObject({ score: 54, band: 'yellow', segment: { name: 'default' } });
    // Stored by name only: the labels come from the model in effect when shown.
    expect(JSON.stringify(result.components)).not.toContain('label');
    expect(withModelLabels(m, result.components)).toEqual([
      { component: 'adoption', score: 50, detail: { value: 0.45 }, label: labels('Adoption') },
      {
        component: 'goals',
        score: 50,
        detail: { met: 1, judged: 2 },
        label: labels('Success goals'),
        goals: [
          { goal: 'logs_in_daily', label: labels('Logs in every day'), value: 0.9, met: true, atLeast: 0.9 },
          { goal: 'one_sale_a_day', label: labels('One sale a day'), value: 0.4, met: false, atLeast: 1 },
        ],
      },
      { component: 'errors', score: 60, detail: { value: 3 }, label: labels('Errors') },
      { component: 'support', score: 80, detail: { openTickets: 2, longOpenTickets: 0 } },
    ]);
  });

  it('leaves a component without data out and spreads its weight: never zero, never perfect', () => {
    // Only adoption (50) and errors (100) have data: (40·50 + 10·100) / 50 = 60, not (…)/100 nor 100.
    const result = evaluateModel(m, inputs(m, { active_users: 4.5, errors: 0 }));
    expect(result.score).toBe(60);
    expect(result.components.slice(2)).toEqual([
      expect.objectContaining({ component: 'goals', score: null }),
      { component: 'support', score: null },
    ]);
    expect(evaluateModel(m, inputs(m, {})).score).toBeNull();
  });

  it('scores goals as the share met among those with data', () => {
    const result = evaluateModel(m, inputs(m, { sales: 2 }));
    expect(result.components.find((c) => c.component === 'goals')).toMatchObject({
      score: 100,
      goals: [{ met: null }, { met: true }],
    });
  });

  it("uses the segment's weights and bands", () => {
    // onboarding: adoption 80 (score 50), errors 10 (60), goals 0: (80·50 + 10·60) / 90 = 51 → yellow (red ≤ 30).
    const onboarding = evaluateModel(
      m,
      inputs(m, { active_users: 4.5, errors: 3, sales: 0 }, { stage: 'onboarding' }),
    );
    expect(onboarding).toMatchObject({ score: 51, band: 'yellow', segment: { name: 'onboarding' } });
    // The same facts elsewhere: goals 0 weigh 40 → (40·50 + 10·60 + 40·0) / 90 = 29 → red.
    expect(evaluateModel(m, inputs(m, { active_users: 4.5, errors: 3, sales: 0 }))).toMatchObject({
      score: 29,
      band: 'red',
    });
  });
});

describe("an alert's what changed", () => {
  it("names the model's own components from the model in effect, a stored label or the name otherwise", () => {
    const m = model();
    expect(
      changesWithModelLabels(m, [
        { component: 'errors', from: 80, to: 40, change: -40 },
        { component: 'support', from: 80, to: 60, change: -20 },
        { component: 'returns', from: 50, to: 40, change: -10, label: labels('Returns') },
        { component: 'refunds', from: 50, to: 45, change: -5 },
      ]),
    ).toEqual([
      { component: 'errors', from: 80, to: 40, change: -40, label: labels('Errors') },
      { component: 'support', from: 80, to: 60, change: -20 },
      { component: 'returns', from: 50, to: 40, change: -10, label: labels('Returns') },
      { component: 'refunds', from: 50, to: 45, change: -5 },
    ]);
  });
});

describe('HEALTH_MODEL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-model-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return (error as ConfigError).problems;
    }
    return [];
  };

  it('loads the file named, and the built-in model without one', () => {
    const path = write('shop.json', JSON.stringify(file));
    expect(loadConfig({ HEALTH_MODEL: path }).health.model).toMatchObject({
      name: 'Shop',
      version: model().version,
    });
    expect(loadConfig({}).health.model!.version).toBe(builtInModel().version);
  });

  it("lists the file's problems with their paths, and refuses HEALTH_WEIGHTS and HEALTH_BANDS beside it", () => {
    const path = write(
      'bad.yaml',
      'name: x\ncomponents:\n  - kind: usage\ndefault:\n  weights: {usage: 0}\n',
    );
    expect(problems({ HEALTH_MODEL: path })).toEqual([
      `HEALTH_MODEL ${path} at default.weights: the weights sum to 0`,
    ]);
    expect(problems({ HEALTH_MODEL: join(dir, 'missing.yaml') })).toEqual([
      `HEALTH_MODEL cannot read ${join(dir, 'missing.yaml')}: ENOENT`,
    ]);
    expect(problems({ HEALTH_MODEL: path, HEALTH_WEIGHTS: 'usage=1', HEALTH_BANDS: '40,70' })).toEqual([
      expect.stringMatching(/^HEALTH_WEIGHTS applies to the built-in model only/),
      expect.stringMatching(/^HEALTH_BANDS applies to the built-in model only/),
    ]);
  });
});

describe('the sandbox example model', () => {
  it("is valid, with the e-commerce platform's five success goals", () => {
    const path = new URL('../../sandbox/health-models/e-commerce.yaml', import.meta.url);
    const parsed = parseHealthModel(readFileSync(path, 'utf8'), path.pathname);
    expect(parsed.ok && parsed.model.segments.map((s) => [s.name, s.goals.length])).toEqual([
      ['onboarding', 2],
      ['renewal', 5],
      ['default', 5],
    ]);
  });
});
