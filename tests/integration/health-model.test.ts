import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { metricPoints } from '../../src/db/schema.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { type HealthModel, healthModelFrom } from '../../src/domain/health-model.ts';
import { builtInModel } from '../../src/domain/health-model-built-in.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { compareModels } from '../../src/services/health-preview.ts';
import { loadHealthView } from '../../src/store/health-card.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

const DAY = 86_400_000;
const NOW = new Date('2025-06-30T06:00:00Z');
const T1 = new Date(+NOW + DAY);
const midnight = (date: string) => new Date(`${date}T00:00:00Z`);
const labels = (en: string) => ({ en, 'pt-BR': en });

function model(data: unknown): HealthModel {
  const parsed = healthModelFrom(data);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

/** A rule on `sales` scored linearly from 0 to `target`. */
const rule = (name: string, over: object, target = 20) => ({
  kind: 'metric',
  name,
  label: labels(name),
  metric: 'sales',
  window_days: 10,
  direction: 'higher_is_better',
  scoring: { type: 'linear', floor: 0, target },
  ...over,
});

/** Every aggregation over the same 10 days of sales, a rule on a metric never sent, and two goals. */
const SALES_MODEL = model({
  name: 'Every aggregation',
  components: [
    rule('s_avg', { aggregation: 'avg' }),
    rule('s_sum', { aggregation: 'sum' }),
    rule('s_last', { aggregation: 'last' }),
    rule('s_min', { aggregation: 'min' }),
    rule('s_max', { aggregation: 'max' }),
    rule('s_days', { aggregation: 'count_days_with_value' }),
    rule('s_share', { aggregation: 'share_of_days_meeting', day: { at_least: 1 } }, 1),
    rule('s_quiet', { aggregation: 'share_of_days_meeting', day: { at_most: 1 } }, 1),
    rule('s_seat', { aggregation: 'avg', window_days: 5, per_seat: true }, 1),
    rule('s_none', { aggregation: 'avg', metric: 'refunds' }),
    { kind: 'goals', label: labels('Goals') },
  ],
  goals: [
    {
      name: 'one_sale_a_day',
      label: labels('One sale a day'),
      metric: 'sales',
      aggregation: 'avg',
      window_days: 10,
      at_least: 1,
    },
    {
      name: 'sells_daily',
      label: labels('Sells every day'),
      metric: 'sales',
      aggregation: 'share_of_days_meeting',
      day: { at_least: 1 },
      window_days: 10,
      at_least: 0.9,
    },
  ],
  default: {
    weights: Object.fromEntries(
      [
        's_avg',
        's_sum',
        's_last',
        's_min',
        's_max',
        's_days',
        's_share',
        's_quiet',
        's_seat',
        's_none',
        'goals',
      ].map((n) => [n, 10]),
    ),
    goals: ['one_sale_a_day', 'sells_daily'],
  },
});

/** The built-in support component's open tickets, scored by a rule instead, with higher bands. */
const STRICT_MODEL = model({
  name: 'Strict support',
  components: [
    {
      kind: 'metric',
      name: 'tickets',
      label: labels('Open tickets'),
      metric: 'tickets_open',
      aggregation: 'last',
      window_days: 30,
      direction: 'lower_is_better',
      scoring: { type: 'linear', floor: 5, target: 0 },
    },
  ],
  default: { weights: { tickets: 1 }, bands: { red_max: 60, yellow_max: 80 } },
});

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const id: Record<string, number> = {};

const recomputer = (model: HealthModel | null, now: Date) =>
  createHealthRecomputer({
    db,
    clock: () => now,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    config: {
      health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS, ...(model && { model }) },
      alertChannel: 'C0ALERTS',
      timezone: 'UTC',
    },
  });

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      { key: 'shop', name: 'Shop', seats: 10, channelId: 'C0SHOP' },
      { key: 'calm', name: 'Calm', channelId: 'C0CALM' },
    ]),
  );
  // Ten days of sales, oldest first, one point a day; the 5-day window holds the last five.
  const sales = [1, 0, 2, 3, 1, 0, 2, 1, 1, 4];
  await db.orm.insert(metricPoints).values(
    sales.map((value, i) => ({
      accountId: id.shop!,
      metric: 'sales',
      at: midnight(`2025-06-${21 + i}`),
      value,
    })),
  );
  await db.orm
    .insert(metricPoints)
    .values({ accountId: id.calm!, metric: 'tickets_open', at: midnight('2025-06-30'), value: 2 });
});

afterAll(async () => {
  await database?.drop();
});

const alertCount = async () =>
  (await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from alerts`))[0]!.n;
const versions = (key: string) =>
  rows<{ day: string; model_version: string; band: string }>(
    db.orm,
    sql`select to_char(day, 'YYYY-MM-DD') as day, model_version, band from health_snapshots
      where account_id = ${id[key]} order by day`,
  );

describe('a health model over ingested metrics', () => {
  it("aggregates every rule in SQL, and the card's score is the hand-computed one", async () => {
    const health = recomputer(SALES_MODEL, NOW);
    await health.schedule([id.shop!]);
    const view = await loadHealthView(db.orm, id.shop!, NOW);
    const byName = Object.fromEntries(view!.health!.components.map((c) => [c.component, c]));
    const valueAndScore = (name: string) => {
      const c = byName[name]!;
      return c.score === null ? null : [c.detail.value, c.score];
    };
    // sales 1,0,2,3,1,0,2,1,1,4: avg 1.5, sum 15, last 4, min 0, max 4, 10 days, 8 of 10 days ≥ 1, 6 of
    // 10 days ≤ 1; the last 5 days average 1.6 over 10 seats = 0.16. Scored 0→20 (shares and per seat 0→1).
    expect(valueAndScore('s_avg')).toEqual([1.5, 8]);
    expect(valueAndScore('s_sum')).toEqual([15, 75]);
    expect(valueAndScore('s_last')).toEqual([4, 20]);
    expect(valueAndScore('s_min')).toEqual([0, 0]);
    expect(valueAndScore('s_max')).toEqual([4, 20]);
    expect(valueAndScore('s_days')).toEqual([10, 50]);
    expect(valueAndScore('s_share')).toEqual([0.8, 80]);
    expect(valueAndScore('s_quiet')).toEqual([0.6, 60]);
    expect(valueAndScore('s_seat')).toEqual([0.16, 16]);
    expect(valueAndScore('s_none')).toBeNull();
    expect(byName.goals).toMatchObject({
      score: 50,
      goals: [
        { goal: 'one_sale_a_day', value: 1.5, met: true },
        { goal: 'sells_daily', value: 0.8, met: false },
      ],
    });
    // Ten components with data, weight 10 each (refunds has none): (8+75+20+0+20+50+80+60+16+50) / 10 = 37.9.
    // The band was decided with the default segment's bands, and the segment is stored beside it.
    expect(view!.health).toMatchObject({ score: 38, band: 'red', segment: 'default' });
    const [stored] = await rows<{ model_version: string }>(
      db.orm,
      sql`select model_version from account_health where account_id = ${id.shop}`,
    );
    expect(stored!.model_version).toBe(SALES_MODEL.version);
  });

  it('rescores with a new model at start without raising alerts, and the history keeps its versions', async () => {
    const before = await alertCount();
    // Yesterday, the built-in model: support 2 open tickets → 80, green.
    await recomputer(null, NOW).schedule([id.calm!]);
    expect(await alertCount()).toBe(before);
    // Today, a stricter model: 2 tickets → 60, red, a fall of 20 points. Both would alert if the accounts had changed.
    const strict = recomputer(STRICT_MODEL, T1);
    expect(await strict.rescoreForModel()).toBe(2);
    expect(await strict.rescoreForModel()).toBe(0);
    await strict.schedule([id.calm!]);
    expect(await alertCount()).toBe(before);
    expect(await versions('calm')).toEqual([
      { day: '2025-06-30', model_version: builtInModel().version, band: 'green' },
      { day: '2025-07-01', model_version: STRICT_MODEL.version, band: 'red' },
    ]);
    const view = await loadHealthView(db.orm, id.calm!, T1);
    expect(view!.health).toMatchObject({ score: 60, band: 'red' });
  });

  it('rescores at start what was scored before its segment was stored, quietly', async () => {
    const strict = recomputer(STRICT_MODEL, T1);
    await strict.rescoreForModel();
    const before = await alertCount();
    // As migration 0023 left the scores it found: the segment unknown until the next recomputation.
    await db.orm.execute(sql`update account_health set segment = null where account_id = ${id.calm}`);
    expect(await strict.rescoreForModel()).toBe(2);
    expect(await strict.rescoreForModel()).toBe(0);
    expect(await alertCount()).toBe(before);
    const view = await loadHealthView(db.orm, id.calm!, T1);
    expect(view!.health).toMatchObject({ score: 60, band: 'red', segment: 'default' });
  });

  it('previews a new model without writing: band changes, largest moves, and the back-test of both', async () => {
    // Churned on 20 June; 90 days before, on 22 March, it had 2 open tickets: green built-in, red strict.
    const gone = await seedAccounts(db, [
      { key: 'gone', name: 'Gone', status: 'churned', churnedAt: new Date('2025-06-20T12:00:00Z') },
    ]);
    await db.orm
      .insert(metricPoints)
      .values({ accountId: gone.gone!, metric: 'tickets_open', at: midnight('2025-03-22'), value: 2 });
    const written = await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from health_snapshots`);
    const { preview, backtest } = await compareModels(db, {
      current: builtInModel(),
      next: STRICT_MODEL,
      now: T1,
      timezone: 'UTC',
    });
    // calm: 80 green → 60 red; shop and gone have no data under either model today.
    expect(preview).toMatchObject({ accounts: 3, bandChanges: 1, byChange: { 'green → red': 1 } });
    expect(preview.largest.map((m) => [m.key, m.current.score, m.next.score])).toEqual([['calm', 80, 60]]);
    expect(backtest).toEqual({
      churned: 1,
      current: { scored: 1, flagged: 0, share: 0 },
      next: { scored: 1, flagged: 1, share: 1 },
    });
    expect(await rows(db.orm, sql`select count(*)::int as n from health_snapshots`)).toEqual(written);
  });
});
