import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows } from '../../src/db/client.ts';
import { billingEvents, contacts, metricPoints } from '../../src/db/schema.ts';
import { type HealthModel, healthModelFrom } from '../../src/domain/health-model.ts';
import { builtInModel } from '../../src/domain/health-model-built-in.ts';
import {
  type HealthRow,
  type RecomputeOptions,
  recomputeHealth,
  scoreHealth,
} from '../../src/store/health.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

/**
 * The nightly write sends the rows column by column (arrays, and JSON arrays for the components and
 * flags) and leaves unchanged snapshots alone. What it stores must be exactly what the scoring computed,
 * as the one-JSON-document write stored it: checked on a fixture with every kind of value the columns
 * hold (no data at all, null bands, billing flags, labels with quotes, backslashes and accents).
 */
const DAY = 86_400_000;
const NOW = new Date('2025-06-30T06:00:00Z');
const midnight = (daysBefore: number) => new Date(Date.UTC(2025, 5, 30 - daysBefore));

/** Labels a naive array literal or JSON quoting would break. */
const tricky = { en: 'Says "hi", {braces} \\ back\\slash', 'pt-BR': 'Ação "já" \\n não é quebra' };

function model(data: unknown): HealthModel {
  const parsed = healthModelFrom(data);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

const CUSTOM = model({
  name: 'Write fixture',
  components: [
    { kind: 'usage' },
    { kind: 'billing' },
    { kind: 'relationship' },
    {
      kind: 'metric',
      name: 'sales',
      label: tricky,
      metric: 'sales',
      aggregation: 'sum',
      window_days: 10,
      direction: 'higher_is_better',
      scoring: { type: 'linear', floor: 0, target: 30 },
    },
    { kind: 'goals', label: tricky },
  ],
  goals: [
    {
      name: 'daily_login',
      label: tricky,
      metric: 'logins',
      aggregation: 'share_of_days_meeting',
      day: { at_least: 1 },
      window_days: 10,
      at_least: 0.5,
    },
  ],
  default: {
    weights: { usage: 30, billing: 20, relationship: 10, sales: 20, goals: 20 },
    goals: ['daily_login'],
  },
});

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
let ids: number[];

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  const id = await seedAccounts(
    db,
    Array.from({ length: 12 }, (_, i) => ({
      key: `acct-${i}`,
      name: `Account ${i}`,
      seats: i % 4 === 0 ? null : 5 + i,
      tier: (['tech_touch', 'mid_touch', 'high_touch'] as const)[i % 3],
      status: i === 11 ? ('churned' as const) : ('active' as const),
    })),
  );
  ids = Object.values(id);
  // Accounts 9 and 10 have no data at all: no score, no band, no data_as_of.
  const withData = ids.slice(0, 9);
  await db.orm
    .insert(metricPoints)
    .values(
      withData.flatMap((accountId, i) =>
        Array.from({ length: 35 }, (_, d) => [
          { accountId, metric: 'active_users', at: midnight(d), value: ((i * 3 + d) % 7) + (d < 7 ? i : 2) },
          { accountId, metric: 'logins', at: midnight(d), value: (i + d) % (2 + (i % 3)) },
          ...(i % 2 ? [{ accountId, metric: 'sales', at: midnight(d), value: (i * d) % 5 }] : []),
        ]).flat(),
      ),
    );
  await db.orm
    .insert(contacts)
    .values(
      withData.map((accountId, i) => ({ accountId, email: `c${i}@x.example`, role: 'champion' as const })),
    );
  await db.orm.insert(billingEvents).values([
    {
      accountId: ids[1]!,
      externalId: 'e1',
      type: 'payment_succeeded',
      occurredAt: new Date(+NOW - 20 * DAY),
      amount: '100',
      currency: 'USD',
    },
    {
      accountId: ids[1]!,
      externalId: 'e2',
      type: 'payment_failed',
      occurredAt: new Date(+NOW - 3 * DAY),
      amount: '100',
      currency: 'USD',
    },
    {
      accountId: ids[2]!,
      externalId: 'e3',
      type: 'card_expiring',
      occurredAt: new Date(+NOW - 2 * DAY),
      cardExpiresAt: '2025-07-15',
    },
  ]);
});

afterAll(async () => {
  await database?.drop();
});

const scored = (opts: RecomputeOptions) => db.orm.transaction((tx) => scoreHealth(tx, opts));

/**
 * The scoring's rows as the previous write read them (`jsonb_to_recordset` of one JSON document) set
 * against what is stored now: the accounts whose current health or snapshot differ in any column.
 */
async function differences(expected: HealthRow[], day: string): Promise<number[]> {
  const found = await rows<{ account_id: number }>(
    db.orm,
    sql`with expected as (
        select * from jsonb_to_recordset(${JSON.stringify(expected)}::jsonb) as r(
          account_id int, score smallint, band text, components jsonb, open_billing_flags jsonb,
          data_as_of timestamptz, model_version text)
      )
      select e.account_id from expected e
      left join account_health h on h.account_id = e.account_id
      left join health_snapshots s on s.account_id = e.account_id and s.day = ${day}::date
      where (h.score, h.band, h.components, h.open_billing_flags, h.data_as_of, h.model_version)
          is distinct from (e.score, e.band, e.components, e.open_billing_flags, e.data_as_of, e.model_version)
        or (s.score, s.band, s.components, s.model_version)
          is distinct from (e.score, e.band, e.components, e.model_version)
      order by e.account_id`,
  );
  return found.map((r) => r.account_id);
}

const snapshotVersions = () =>
  rows<{ account_id: number; xmin: string }>(
    db.orm,
    sql`select account_id, xmin::text as xmin from health_snapshots where day = '2025-06-30' order by account_id`,
  );

describe('the nightly write', () => {
  for (const [name, choice] of [
    ['built-in model', { model: builtInModel() }],
    ['custom model with metric rules, goals and tricky labels', { model: CUSTOM }],
  ] as const) {
    it(`stores exactly what the scoring computed (${name})`, async () => {
      const opts = { ...choice, now: NOW };
      const expected = await scored(opts);
      // The fixture covers what the columns can hold.
      expect(expected.some((h) => h.score === null && h.band === null && h.data_as_of === null)).toBe(true);
      expect(expected.some((h) => h.open_billing_flags.length > 0)).toBe(true);
      expect(new Set(expected.map((h) => h.band)).size).toBeGreaterThan(2);
      expect(await recomputeHealth(db, opts)).toBe(12);
      expect(await differences(expected, '2025-06-30')).toEqual([]);
    });
  }

  it('leaves an unchanged snapshot alone, rewrites a changed one, and always stamps the current health', async () => {
    const opts = { model: CUSTOM, now: NOW };
    await recomputeHealth(db, opts);
    const before = await snapshotVersions();
    const [{ computed_at: firstComputed } = { computed_at: 0 }] = await rows<{ computed_at: number }>(
      db.orm,
      sql`select min(extract(epoch from computed_at))::float8 as computed_at from account_health`,
    );
    // Later the same day, one account's usage moved.
    await db.orm
      .insert(metricPoints)
      .values({ accountId: ids[3]!, metric: 'active_users', at: new Date(+NOW - DAY / 4), value: 0 })
      .onConflictDoUpdate({
        target: [metricPoints.accountId, metricPoints.metric, metricPoints.at],
        set: { value: 0 },
      });
    const later = { ...opts, now: new Date(+NOW + DAY / 4) };
    const expected = await scored(later);
    await recomputeHealth(db, later);
    expect(await differences(expected, '2025-06-30')).toEqual([]);
    const after = await snapshotVersions();
    const rewritten = after.filter((s, i) => s.xmin !== before[i]!.xmin).map((s) => s.account_id);
    expect(rewritten).toEqual([ids[3]]);
    const [{ stale } = { stale: -1 }] = await rows<{ stale: number }>(
      db.orm,
      sql`select count(*)::int as stale from account_health
        where extract(epoch from computed_at) <= ${firstComputed}`,
    );
    expect(stale).toBe(0);
  });
});
