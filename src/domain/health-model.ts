import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { STAGES, TIERS } from './accounts.ts';
import { DEFAULT_BANDS, HEALTH_COMPONENTS } from './health.ts';
import { formatPath, type Problem } from './problems.ts';

/**
 * The health model file (docs/health-score.md): which components make up the score, the success goals,
 * and per segment of accounts (by tier and/or stage) the weights, goals and bands. The built-in model
 * (health-models/built-in.json) is one such file; a team's own is named by HEALTH_MODEL.
 */

export const AGGREGATIONS = [
  'avg',
  'sum',
  'last',
  'min',
  'max',
  'count_days_with_value',
  'share_of_days_meeting',
] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** The longest window a rule may read: the nightly pass reads the metric window of the longest rule. */
export const MAX_WINDOW_DAYS = 365;

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must start with a letter a-z, then lower-case letters, digits or "_"');
const labels = z.strictObject({
  en: z.string().trim().min(1, 'must not be empty'),
  'pt-BR': z.string().trim().min(1, 'must not be empty'),
});
const metric = z
  .string()
  .regex(/^[a-z][a-z0-9_.]*$/, 'must be a metric name as ingested (e.g. active_users)');

/** At least or at most a value: a goal's threshold, or what a day must meet to count. */
const bound = z
  .strictObject({ at_least: z.number().optional(), at_most: z.number().optional() })
  .refine(
    (b) => (b.at_least === undefined) !== (b.at_most === undefined),
    'needs exactly one of at_least, at_most',
  );
export type Bound = z.infer<typeof bound>;

const measureShape = {
  metric,
  aggregation: z.enum(AGGREGATIONS, `must be one of ${AGGREGATIONS.join(', ')}`),
  window_days: z.number().int('must be a whole number of days').min(1).max(MAX_WINDOW_DAYS),
  /** share_of_days_meeting only: what a day's value must meet. */
  day: bound.optional(),
  /** Divide the value by the account's seats (no seats = no data). */
  per_seat: z.boolean().default(false),
};

/** share_of_days_meeting needs the day's condition; the other aggregations take none. */
function checkDay(m: { aggregation: Aggregation; day?: Bound | undefined }, ctx: z.RefinementCtx) {
  if (m.aggregation === 'share_of_days_meeting' && !m.day)
    ctx.addIssue({
      code: 'custom',
      path: ['day'],
      message: 'share_of_days_meeting needs day: {at_least: n} or {at_most: n}',
    });
  if (m.aggregation !== 'share_of_days_meeting' && m.day)
    ctx.addIssue({
      code: 'custom',
      path: ['day'],
      message: 'only share_of_days_meeting takes a day condition',
    });
}

const scoring = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('linear'), floor: z.number(), target: z.number() }),
    z.strictObject({
      type: z.literal('thresholds'),
      steps: z.array(z.strictObject({ at: z.number(), points: z.number().min(0).max(100) })).min(1),
      /** Points when no step is reached. */
      otherwise: z.number().min(0).max(100).default(0),
    }),
  ],
  { error: 'type must be linear or thresholds' },
);

const metricComponent = z
  .strictObject({
    kind: z.literal('metric'),
    name,
    label: labels,
    ...measureShape,
    direction: z.enum(['higher_is_better', 'lower_is_better'], 'must be higher_is_better or lower_is_better'),
    scoring,
  })
  .superRefine((c, ctx) => {
    checkDay(c, ctx);
    const s = c.scoring;
    if (
      s.type === 'linear' &&
      (c.direction === 'higher_is_better' ? s.target <= s.floor : s.target >= s.floor)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['scoring', 'target'],
        message: `must be ${c.direction === 'higher_is_better' ? 'above' : 'below'} the floor (${c.direction})`,
      });
  });

const component = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.enum(HEALTH_COMPONENTS), label: labels.optional() }),
    z.strictObject({ kind: z.literal('goals'), name: name.default('goals'), label: labels }),
    metricComponent,
  ],
  { error: `kind must be one of ${[...HEALTH_COMPONENTS, 'goals', 'metric'].join(', ')}` },
);

const goal = z
  .strictObject({
    name,
    label: labels,
    ...measureShape,
    at_least: z.number().optional(),
    at_most: z.number().optional(),
  })
  .superRefine((g, ctx) => {
    checkDay(g, ctx);
    if ((g.at_least === undefined) === (g.at_most === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a goal needs its threshold: exactly one of at_least, at_most',
      });
  });

const bands = z
  .strictObject({ red_max: z.number().int().min(0).max(99), yellow_max: z.number().int().min(1).max(99) })
  .refine((b) => b.red_max < b.yellow_max, 'red_max must be below yellow_max');

const weights = z.record(z.string(), z.number().min(0, 'must be zero or more'));

const segment = z.strictObject({
  name,
  when: z
    .strictObject({
      tier: z.array(z.enum(TIERS)).min(1).optional(),
      stage: z.array(z.enum(STAGES)).min(1).optional(),
    })
    .refine((w) => w.tier || w.stage, 'needs tier and/or stage'),
  /** Components not named keep the default segment's weight. */
  weights: weights.optional(),
  /** The goals of this segment; without it, the default segment's. */
  goals: z.array(z.string()).optional(),
  bands: bands.optional(),
});

const modelSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'must not be empty'),
    components: z.array(component).min(1, 'needs at least one component'),
    goals: z.array(goal).default([]),
    default: z.strictObject({
      weights,
      goals: z.array(z.string()).default([]),
      bands: bands.default({ red_max: DEFAULT_BANDS.redMax, yellow_max: DEFAULT_BANDS.yellowMax }),
    }),
    /** The first segment an account matches is its segment; otherwise the default. */
    segments: z.array(segment).default([]),
  })
  .superRefine(checkReferences);

type Parsed = z.infer<typeof modelSchema>;
type ParsedComponent = Parsed['components'][number];

/** The components' names: a built-in component is named after its kind. */
const componentName = (c: ParsedComponent) => ('name' in c ? (c.name as string) : c.kind);

/** Names refer to what the file declares, each once; every segment's weights add up to more than zero. */
function checkReferences(m: Parsed, ctx: z.RefinementCtx) {
  const names = m.components.map(componentName);
  const goalNames = m.goals.map((g) => g.name);
  const duplicates = (list: string[], path: string) => {
    list.forEach((n, i) => {
      if (list.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: [path, i], message: `"${n}" is declared twice` });
    });
  };
  duplicates(names, 'components');
  duplicates(goalNames, 'goals');
  duplicates(
    m.segments.map((s) => s.name),
    'segments',
  );
  const hasGoals = m.components.some((c) => c.kind === 'goals');
  const checkSegment = (
    path: PropertyKey[],
    s: { weights?: Record<string, number> | undefined; goals?: string[] | undefined },
  ) => {
    for (const w of Object.keys(s.weights ?? {}))
      if (!names.includes(w))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'weights', w],
          message: `names no component (components: ${names.join(', ')})`,
        });
    (s.goals ?? []).forEach((g, i) => {
      if (!goalNames.includes(g))
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'goals', i],
          message: `"${g}" is no goal of the file (goals: ${goalNames.join(', ') || 'none'})`,
        });
    });
    if (s.goals?.length && !hasGoals)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'goals'],
        message: 'goals need a component of kind goals',
      });
    const merged = { ...m.default.weights, ...s.weights };
    if (names.every((n) => !merged[n]))
      ctx.addIssue({ code: 'custom', path: [...path, 'weights'], message: 'the weights sum to 0' });
  };
  for (const n of names)
    if (m.default.weights[n] === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['default', 'weights', n],
        message: 'is required: every component needs a default weight',
      });
  checkSegment(['default'], m.default);
  m.segments.forEach((s, i) => {
    checkSegment(['segments', i], s);
  });
}

export type Labels = z.infer<typeof labels>;
export type MetricRule = Extract<ParsedComponent, { kind: 'metric' }>;
export type Goal = Parsed['goals'][number];
export type Measure = Pick<MetricRule, 'metric' | 'aggregation' | 'window_days' | 'day' | 'per_seat'>;
export type ModelBands = { redMax: number; yellowMax: number };
export type Tier = (typeof TIERS)[number];
export type Stage = (typeof STAGES)[number];

export type ModelComponent =
  | { name: (typeof HEALTH_COMPONENTS)[number]; kind: (typeof HEALTH_COMPONENTS)[number]; label?: Labels }
  | { name: string; kind: 'goals'; label: Labels }
  | ({ name: string } & MetricRule);

export interface Segment {
  name: string;
  /** null for the default segment. */
  when: { tier?: Tier[]; stage?: Stage[] } | null;
  /** A weight for every component. */
  weights: Record<string, number>;
  goals: Goal[];
  bands: ModelBands;
}

/** A validated model, ready to evaluate. */
export interface HealthModel {
  name: string;
  /** A hash of the normalised content: the same model written differently has the same version. */
  version: string;
  components: ModelComponent[];
  goals: Goal[];
  /** The segments in order, then the default (named "default"). */
  segments: Segment[];
}

/** The version of a model: 12 hex digits of the SHA-256 of its content with defaults filled and keys sorted. */
function versionOf(parsed: Parsed): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(parsed)))
    .digest('hex')
    .slice(0, 12);
}

const toBands = (b: { red_max: number; yellow_max: number }): ModelBands => ({
  redMax: b.red_max,
  yellowMax: b.yellow_max,
});

function build(parsed: Parsed): HealthModel {
  const byName = new Map(parsed.goals.map((g) => [g.name, g]));
  const goalsOf = (names: string[]) => names.map((n) => byName.get(n)!);
  const names = parsed.components.map(componentName);
  const defaultWeights = Object.fromEntries(names.map((n) => [n, parsed.default.weights[n]!]));
  const fallback: Segment = {
    name: 'default',
    when: null,
    weights: defaultWeights,
    goals: goalsOf(parsed.default.goals),
    bands: toBands(parsed.default.bands),
  };
  return {
    name: parsed.name,
    version: versionOf(parsed),
    components: parsed.components.map((c) => ({ ...c, name: componentName(c) }) as ModelComponent),
    goals: parsed.goals,
    segments: [
      ...parsed.segments.map(
        (s): Segment => ({
          name: s.name,
          when: s.when,
          weights: { ...defaultWeights, ...s.weights },
          goals: s.goals ? goalsOf(s.goals) : fallback.goals,
          bands: s.bands ? toBands(s.bands) : fallback.bands,
        }),
      ),
      fallback,
    ],
  };
}

export type ModelParse = { ok: true; model: HealthModel } | { ok: false; problems: Problem[] };

/** Validates a model given as data (parsed JSON or YAML): every problem with its path. */
export function healthModelFrom(data: unknown): ModelParse {
  const parsed = modelSchema.safeParse(data);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: formatPath(issue.path),
        message: issue.message,
      })),
    };
  return { ok: true, model: build(parsed.data) };
}

/** Validates a model file's text: JSON when the name ends in .json, YAML otherwise (YAML reads JSON too). */
export function parseHealthModel(text: string, fileName: string): ModelParse {
  let data: unknown;
  try {
    data = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          path: '',
          message: `is not valid ${fileName.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
        },
      ],
    };
  }
  return healthModelFrom(data);
}

/** The segment of an account: the first whose tiers and stages it matches, else the default. */
export function segmentOf(model: HealthModel, account: { tier: Tier; stage: Stage }): Segment {
  return (
    model.segments.find(
      (s) =>
        s.when === null ||
        ((!s.when.tier || s.when.tier.includes(account.tier)) &&
          (!s.when.stage || s.when.stage.includes(account.stage))),
    ) ?? model.segments[model.segments.length - 1]!
  );
}
