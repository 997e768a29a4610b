import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { accountHealth } from '../../src/db/schema.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS } from '../../src/domain/health.ts';
import { recomputeHealth } from '../../src/store/health.ts';
import { upsertMetricPoints } from '../../src/store/metric-points.ts';
import { freshDatabase } from '../helpers/database.ts';
import { seedAccounts } from '../helpers/seed.ts';

/**
 * "Data as of" is the newest point of any metric, scored or not, up to the recomputation's instant: a
 * nightly run that scanned only the metrics its model scores would have to find it elsewhere.
 */
const NOW = new Date('2025-06-30T06:00:00Z');
const midnight = (date: string) => new Date(`${date}T00:00:00Z`);

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Database;
const id: Record<string, number> = {};

const dataAsOf = async (key: string) => {
  const [row] = await db.orm
    .select({ at: accountHealth.dataAsOf })
    .from(accountHealth)
    .where(eq(accountHealth.accountId, id[key]!));
  return row!.at;
};
const recompute = (now: Date) => recomputeHealth(db, { now, weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS });

beforeAll(async () => {
  database = await freshDatabase();
  db = database.db;
  Object.assign(
    id,
    await seedAccounts(db, [
      { key: 'shop', name: 'Shop', seats: 10 },
      { key: 'quiet', name: 'Quiet' },
    ]),
  );
  await upsertMetricPoints(db.orm, [
    { account_id: id.shop!, metric: 'active_users', at: '2025-06-20T00:00:00Z', value: 7 },
    { account_id: id.shop!, metric: 'active_users', at: '2025-06-21T00:00:00Z', value: 7 },
    // A metric the built-in model does not score, newer than every scored one, and one after the clock.
    { account_id: id.shop!, metric: 'sales', at: '2025-06-25T00:00:00Z', value: 3 },
    { account_id: id.shop!, metric: 'sales', at: '2025-07-05T00:00:00Z', value: 2 },
  ]);
});

afterAll(async () => {
  await database?.drop();
});

describe('data as of', () => {
  it('is the newest point of any metric up to now, one the model does not score included', async () => {
    expect(await recompute(NOW)).toBe(2);
    expect(await dataAsOf('shop')).toEqual(midnight('2025-06-25'));
    expect(await dataAsOf('quiet')).toBeNull();
  });

  it('reads a past day by its own points, not by a newer one', async () => {
    await recompute(new Date('2025-06-22T06:00:00Z'));
    expect(await dataAsOf('shop')).toEqual(midnight('2025-06-21'));
    await recompute(new Date('2025-07-06T06:00:00Z'));
    expect(await dataAsOf('shop')).toEqual(midnight('2025-07-05'));
  });
});
