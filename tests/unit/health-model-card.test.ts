import { describe, expect, it } from 'vitest';
import type { ComponentResult } from '../../src/domain/health.ts';
import { type HealthModel, healthModelFrom } from '../../src/domain/health-model.ts';
import { evaluateModel, measureKey, modelMeasures } from '../../src/domain/health-model-evaluation.ts';
import { withModelLabels } from '../../src/domain/health-model-labels.ts';
import { componentLabel, healthCardBlocks } from '../../src/slack/blocks/health-card.ts';
import { healthModelBlocks } from '../../src/slack/blocks/health-model.ts';
import { parseCsCommand } from '../../src/slack/commands/parser.ts';

/** Every text of the blocks, one per line. */
function textOf(blocks: unknown): string {
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) k === 'text' && typeof x === 'string' ? texts.push(x) : walk(x);
  };
  walk(blocks);
  return texts.join('\n');
}

const labels = (en: string, pt: string) => ({ en, 'pt-BR': pt });
const parsed = healthModelFrom({
  name: 'Shop',
  components: [
    {
      kind: 'metric',
      name: 'orders',
      label: labels('Orders', 'Pedidos'),
      metric: 'orders',
      aggregation: 'sum',
      window_days: 30,
      direction: 'higher_is_better',
      scoring: { type: 'linear', floor: 0, target: 100 },
    },
    { kind: 'goals', label: labels('Success goals', 'Metas de sucesso') },
    { kind: 'billing' },
  ],
  goals: [
    {
      name: 'daily_login',
      label: labels('Logs in every day', 'Entra todo dia'),
      metric: 'logins',
      aggregation: 'share_of_days_meeting',
      day: { at_least: 1 },
      window_days: 30,
      at_least: 0.9,
    },
    {
      name: 'sales',
      label: labels('One sale a day', 'Uma venda por dia'),
      metric: 'sales',
      aggregation: 'avg',
      window_days: 30,
      at_least: 1,
    },
    {
      name: 'reports',
      label: labels('A report a month', 'Um relatório por mês'),
      metric: 'reports',
      aggregation: 'sum',
      window_days: 30,
      at_least: 1,
    },
  ],
  default: { weights: { orders: 20, goals: 60, billing: 20 }, goals: ['daily_login', 'sales', 'reports'] },
  segments: [{ name: 'onboarding', when: { stage: ['onboarding'] }, weights: { orders: 60, goals: 20 } }],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const model: HealthModel = parsed.model;

const health = {
  seats: 10,
  usage: { activeUsersRecent: null, activeUsersPrevious: null, loginsRecent: null, loginsPrevious: null },
  support: { openTickets: null, longOpenTickets: null },
  billing: { hasHistory: true, openFlags: [] },
  relationship: { contacts: 0, champions: 0 },
  outcomes: null,
  sentiment: null,
};
const raw: Record<string, number | null> = { orders: 80, logins: 28, sales: 0.5, reports: null };
const result = evaluateModel(model, {
  tier: 'mid_touch',
  stage: 'adoption',
  health,
  measures: new Map(modelMeasures(model).map((m) => [measureKey(m), raw[m.metric] ?? null])),
});

// As /cs health shows it: the stored components, labelled from the model in effect.
const card = (
  locale: 'en' | 'pt-BR',
  components: ComponentResult[] = withModelLabels(model, result.components),
) =>
  healthCardBlocks(
    {
      account: {
        id: 1,
        key: 'shop',
        name: 'Shop',
        tier: 'mid_touch',
        stage: 'adoption',
        status: 'active',
        ownerSlackId: null,
        mrr: null,
        currency: 'USD',
        renewalDate: null,
        channelId: null,
      } as never,
      score: result.score,
      band: result.band,
      change7d: null,
      change30d: null,
      weekly: [],
      components,
      openFlags: [],
      dataAsOf: null,
      model: {
        locale,
        name: model.name,
        version: model.version,
        segment: result.segment.name,
        weights: result.segment.weights,
      },
    },
    { now: new Date('2026-01-01T00:00:00Z'), timezone: 'UTC', locale },
  );

describe('the health card explains the model', () => {
  it('lists each component with its score and weight, weakest first, each goal met or not with its value', () => {
    // goals: logins 28/30 = 0.93 met, sales 0.5 missed, reports no data → 50; orders 80; billing 100.
    // (20·80 + 60·50 + 20·100) / 100 = 66.
    expect(result.score).toBe(66);
    const text = textOf(card('en'));
    expect(text).toContain(
      [
        '• *Success goals* 50/100 · weight 60 — 1 of 2 goals met',
        '      :white_check_mark: Logs in every day: 0.93 (goal ≥ 0.9)',
        '      :x: One sale a day: 0.5 (goal ≥ 1)',
        '      :grey_question: A report a month: no data (goal ≥ 1)',
        '• *Orders* 80/100 · weight 20 — value 80',
        '• *Billing* 100/100 · weight 20 — no open billing flag',
      ].join('\n'),
    );
    expect(text).toContain(`Health model Shop · version ${model.version} · segment default`);
  });

  it('speaks Portuguese with the labels of the model file', () => {
    const text = textOf(card('pt-BR'));
    expect(text).toContain('• *Metas de sucesso* 50/100 · peso 60 — 1 de 2 metas cumpridas');
    expect(text).toContain(':x: Uma venda por dia: 0,5 (meta ≥ 1)');
    expect(text).toContain(`Modelo de saúde Shop · versão ${model.version} · segmento default`);
  });

  it('names what the model in effect no longer has by the stored label, else by its name', () => {
    // A snapshot scored by an older version: a renamed rule and goal, one stored with its label (as
    // snapshots were before labels were looked up), one without.
    const older: ComponentResult[] = [
      { component: 'returns', score: 40, detail: { value: 4 } },
      { component: 'refunds', score: 30, detail: { value: 3 }, label: labels('Refunds', 'Reembolsos') },
      {
        component: 'goals',
        score: 0,
        detail: { met: 0, judged: 1 },
        goals: [{ goal: 'weekly_export', value: 0, met: false, atLeast: 1 }],
      },
    ];
    const text = textOf(card('pt-BR', withModelLabels(model, older)));
    expect(text).toContain('• *returns* 40/100 · peso 0 — valor 4');
    expect(text).toContain('• *Reembolsos* 30/100 · peso 0 — valor 3');
    expect(text).toContain('• *Metas de sucesso* 0/100 · peso 60 — 0 de 1 meta cumprida');
    expect(text).toContain(':x: weekly_export: 0 (meta ≥ 1)');
  });
});

describe('/cs health-model', () => {
  it('is a subcommand without arguments', () => {
    expect(parseCsCommand('health-model')).toEqual({ ok: true, command: { kind: 'health-model' } });
    expect(parseCsCommand('health-model acme')).toMatchObject({ ok: false });
  });

  it('shows the components, and per segment the weights, bands and goals', () => {
    const text = textOf(healthModelBlocks(model, 'en', (name) => componentLabel('en', { component: name })));
    expect(text).toContain(`Health model in effect: Shop (version ${model.version})`);
    expect(text).toContain('• *Orders* — `orders`: sum over 30 days');
    expect(text).toContain('• *Billing* — built-in');
    expect(text).toContain(
      '*Segment onboarding* (onboarding)\nWeights: Orders 60 · Success goals 20 · Billing 20',
    );
    expect(text).toContain('*Segment default* (every other account)');
    expect(text).toContain('Bands: red ≤ 50, yellow ≤ 75');
    expect(text).toContain('Logs in every day (`logins` share_of_days_meeting ≥ 1, 30d, ≥ 0.9)');
  });
});
