import type { KnownBlock } from '@slack/types';
import type { ComponentLabels, ComponentResult, GoalResult } from '../../domain/health.ts';
import type { HealthModel, ModelComponent, Segment } from '../../domain/health-model.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { escapeMrkdwn, truncate } from './format.ts';

/** What the card says of the model that scored the account: its name, version, and the account's segment. */
export interface CardModel {
  locale: Locale;
  name: string;
  version: string;
  segment: string;
  /** The segment's weight of each component. */
  weights: Record<string, number>;
}

const labelIn = (locale: Locale, labels: ComponentLabels) => escapeMrkdwn(labels[locale]);
const bound = (b: { atLeast?: number; atMost?: number }) =>
  b.atLeast === undefined ? `≤ ${b.atMost}` : `≥ ${b.atLeast}`;

function goalLine(locale: Locale, g: GoalResult): string {
  // A goal the model in effect no longer has, from a snapshot without its label, shows its name.
  const label = g.label ? labelIn(locale, g.label) : escapeMrkdwn(g.goal);
  const values = { label, value: g.value ?? 0, bound: bound(g) };
  if (g.met === null) return t(locale, 'healthModel.goalNoData', values);
  return t(locale, g.met ? 'healthModel.goalMet' : 'healthModel.goalMissed', values);
}

/**
 * Each component with its score and its weight in the account's segment, weakest first (as stored), the
 * reason after it, and under the goals component each goal met or not with its current value.
 */
export function explainedComponentLines(
  components: ComponentResult[],
  model: CardModel,
  builtIn: { label: (c: ComponentResult) => string; reason: (c: ComponentResult) => string },
): string[] {
  const { locale } = model;
  return components.flatMap((c) => {
    const label = c.label ? labelIn(locale, c.label) : escapeMrkdwn(builtIn.label(c));
    const weight = model.weights[c.component] ?? 0;
    if (c.score === null)
      return [`• ${t(locale, 'healthModel.componentNoData', { label, weight })}`, ...goalLines(locale, c)];
    const reason = c.goals
      ? t(locale, 'healthModel.goalsMet', { met: Number(c.detail.met), judged: Number(c.detail.judged) })
      : c.label
        ? t(locale, 'healthModel.value', { value: Number(c.detail.value) })
        : escapeMrkdwn(builtIn.reason(c));
    return [
      `• ${t(locale, 'healthModel.component', { label, score: c.score, weight })} — ${reason}`,
      ...goalLines(locale, c),
    ];
  });
}

const goalLines = (locale: Locale, c: ComponentResult) =>
  (c.goals ?? []).map((g) => `      ${goalLine(locale, g)}`);

export const modelFootnote = (model: CardModel) =>
  t(model.locale, 'healthModel.footnote', {
    name: escapeMrkdwn(model.name),
    version: model.version,
    segment: model.segment,
  });

function componentLine(locale: Locale, c: ModelComponent, builtInLabel: (name: string) => string): string {
  const label = c.label ? labelIn(locale, c.label) : escapeMrkdwn(builtInLabel(c.name));
  const what =
    c.kind === 'metric'
      ? t(locale, 'healthModel.metricRule', {
          metric: `\`${c.metric}\``,
          aggregation: c.aggregation,
          days: c.window_days,
        })
      : c.kind === 'goals'
        ? t(locale, 'healthModel.goalsComponent')
        : t(locale, 'healthModel.builtIn');
  return `• *${label}* — ${what}`;
}

function segmentText(
  locale: Locale,
  model: HealthModel,
  s: Segment,
  builtInLabel: (name: string) => string,
): string {
  const who = s.when
    ? [s.when.tier?.join(', '), s.when.stage?.join(', ')].filter(Boolean).join(' · ')
    : t(locale, 'healthModel.everyOther');
  const nameOf = (name: string) => {
    const c = model.components.find((x) => x.name === name);
    return c?.label ? c.label[locale] : builtInLabel(name);
  };
  const weights = Object.entries(s.weights)
    .map(([name, w]) => `${escapeMrkdwn(nameOf(name))} ${w}`)
    .join(' · ');
  const goals = s.goals.length
    ? s.goals
        .map(
          (g) =>
            `${labelIn(locale, g.label)} (\`${g.metric}\` ${g.aggregation}${g.day ? ` ${bound({ atLeast: g.day.at_least, atMost: g.day.at_most })}` : ''}, ${g.window_days}d, ${bound({ atLeast: g.at_least, atMost: g.at_most })})`,
        )
        .join('; ')
    : t(locale, 'healthModel.noGoals');
  return [
    t(locale, 'healthModel.segment', { segment: s.name, who }),
    t(locale, 'healthModel.segmentWeights', { weights }),
    t(locale, 'healthModel.segmentBands', { red: s.bands.redMax, yellow: s.bands.yellowMax }),
    t(locale, 'healthModel.segmentGoals', { goals }),
  ].join('\n');
}

/** `/cs health-model`: the model in effect, its components, and per segment the weights, bands and goals. */
export function healthModelBlocks(
  model: HealthModel,
  locale: Locale,
  builtInLabel: (name: string) => string,
): KnownBlock[] {
  const section = (text: string): KnownBlock => ({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, 3000) },
  });
  return [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(t(locale, 'healthModel.title', { name: model.name, version: model.version }), 150),
      },
    },
    section(
      [
        t(locale, 'healthModel.components'),
        ...model.components.map((c) => componentLine(locale, c, builtInLabel)),
      ].join('\n'),
    ),
    // At most 48 segments fit beside the header and the components: a model has a handful.
    ...model.segments.slice(0, 48).map((s) => section(segmentText(locale, model, s, builtInLabel))),
  ];
}
