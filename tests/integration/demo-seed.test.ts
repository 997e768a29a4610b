import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPortfolio } from '../../demo/generate.ts';
import { DemoDataInvalidError, type DemoLoadDeps, loadDemoData } from '../../demo/load.ts';
import type { Database } from '../../src/db/client.ts';
import { rows } from '../../src/db/client.ts';
import { DEFAULT_BANDS, DEFAULT_WEIGHTS, USAGE_TARGET_UTILISATION } from '../../src/domain/health.ts';
import { DEFAULT_REVIEW_CADENCE } from '../../src/domain/reviews.ts';
import { createMetrics } from '../../src/metrics.ts';
import { createHealthRecomputer } from '../../src/services/health.ts';
import { retentionFigures } from '../../src/services/retention.ts';
import { retentionMetrics, retentionTrend } from '../../src/services/retention-metrics.ts';
import { findAccount } from '../../src/store/account-search.ts';
import { loadHealthView } from '../../src/store/health-card.ts';
import { freshDatabase } from '../helpers/database.ts';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;

/** The band each story was designed for (see the comments in demo/data/accounts.ts). */
const DESIGNED_BANDS = {
  red: ['umbrella', 'cyberdyne', 'oscorp', 'virtucon', 'jabuti', 'bluth'],
  yellow: ['acme', 'initech', 'stark', 'soylent', 'zorg', 'tabajara', 'pindorama', 'prestige'],
  green: [
    'globex',
    'hooli',
    'wayne',
    'wonka',
    'tyrell',
    'aperture',
    'massive',
    'vandelay',
    'dunder',
    'nakatomi',
    'nordwind',
    'lumiere',
    'capivara',
    'tucano',
    'piedpiper',
  ],
};

let db: Database;
let drop: () => Promise<void>;
let deps: DemoLoadDeps;

function depsAt(now: Date): DemoLoadDeps {
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics();
  const clock = () => now;
  const health = createHealthRecomputer({
    db,
    clock,
    logger,
    metrics,
    config: {
      health: { weights: DEFAULT_WEIGHTS, bands: DEFAULT_BANDS },
      // As the sandbox runs it: success reviews on the default cadence count in the relationship, and
      // alerts go to the alert channel.
      reviews: { cadence: DEFAULT_REVIEW_CADENCE, briefDaysBefore: 3 },
      alertChannel: 'C0CSALERTS',
      timezone: 'UTC',
    },
  });
  return { db, clock, logger, metrics, health };
}

async function tableCounts() {
  const [counts] = await rows<Record<string, number>>(
    db.orm,
    sql`select (select count(*) from accounts)::int as accounts, (select count(*) from contacts)::int as contacts,
      (select count(*) from metric_points)::int as metric_points,
      (select count(*) from billing_events)::int as billing_events`,
  );
  return counts;
}

interface HealthRow {
  key: string;
  status: string;
  score: number | null;
  band: string | null;
  components: Array<{ component: string; score: number | null; detail?: Record<string, number | null> }>;
  data_as_of: string | null;
}

const health = () =>
  rows<HealthRow>(
    db.orm,
    sql`select a.key, a.status, h.score, h.band, h.components, to_char(h.data_as_of at time zone 'UTC',
        'YYYY-MM-DD"T"HH24:MI:SS"Z"') as data_as_of
      from accounts a join account_health h on h.account_id = a.id order by a.key`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  deps = depsAt(NOW);
});

afterAll(async () => {
  await deps.health.idle();
  await drop();
});

describe('loadDemoData', () => {
  it('throws naming the problems when the data fails validation, and stores nothing', async () => {
    // A clock at year 10000 renews every contract in a year no ISO 8601 date can write.
    const broken = depsAt(new Date('+010000-01-01T00:00:00Z'));
    const error = await loadDemoData(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DemoDataInvalidError);
    expect((error as DemoDataInvalidError).kind).toBe('accounts');
    expect((error as DemoDataInvalidError).problems.map((p) => p.path)).toEqual(
      Array.from({ length: 30 }, (_, i) => `[${i}].renewal_date`),
    );
    expect((error as Error).message).toMatch(
      /^demo accounts failed validation: \[0\]\.renewal_date must be a date/,
    );
    expect(await tableCounts()).toEqual({ accounts: 0, contacts: 0, metric_points: 0, billing_events: 0 });
  });

  it('stores the whole portfolio through the ingestion API and recomputes health', async () => {
    const result = await loadDemoData(deps);
    expect(result).toEqual({
      loaded: true,
      counts: { accounts: 30, contacts: 49, metricPoints: 15048, billingEvents: 11, healthRecomputed: 30 },
    });
    expect(await tableCounts()).toEqual({
      accounts: 30,
      contacts: 49,
      metric_points: 15048,
      billing_events: 11,
    });
    // 15,048 points and 39 recomputations: about 5 s of CPU on PGlite, more than 30 s on a loaded machine.
  }, 90_000);

  it('tells 18 months of MRR: new, expansion, contraction, churn and one reactivation over the last 12', async () => {
    const retentionDeps = { ...deps, config: { timezone: 'UTC', grossMargin: '1' } };
    const trend = await retentionTrend(retentionDeps, { today: '2026-03-10', currency: 'USD' });
    const total = (movement: 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivation') =>
      trend.reduce((sum, month) => sum + month.mrr[movement], 0);
    for (const movement of ['new', 'expansion', 'contraction', 'churned'] as const) {
      expect(total(movement), movement).toBeGreaterThan(0);
    }
    // Dunder came back 120 days before now, at 2,700 a month.
    expect(total('reactivation')).toBe(2700);
    // Every active account's history ends at its MRR today: the bridge closes on the accounts' MRR.
    const [usd] = await rows<{ mrr: string }>(
      db.orm,
      sql`select sum(mrr)::text as mrr from accounts where status = 'active' and currency = 'USD'`,
    );
    const march = await retentionFigures(retentionDeps, {
      from: '2026-03-01',
      to: '2026-03-10',
      currency: 'USD',
    });
    expect(march.ok && march.figures.mrr.end).toBe(Number(usd!.mrr));
    const metrics = await retentionMetrics(retentionDeps, { choice: { kind: 'month' } });
    expect(metrics).toMatchObject({ current: { currency: 'USD' }, otherCurrencies: ['BRL', 'EUR'] });
  });

  it('lands the active accounts on the bands their stories were designed for: 6 red, 8 yellow, 15 green', async () => {
    const active = (await health()).filter((h) => h.status === 'active');
    const byBand = (band: string) =>
      active
        .filter((h) => h.band === band)
        .map((h) => h.key)
        .sort();
    expect(byBand('red')).toEqual([...DESIGNED_BANDS.red].sort());
    expect(byBand('yellow')).toEqual([...DESIGNED_BANDS.yellow].sort());
    expect(byBand('green')).toEqual([...DESIGNED_BANDS.green].sort());
  });

  it('posts one message per account at risk, each alert of the account a cause of it', async () => {
    const perAccount = await rows<{ key: string; alerts: number; posts: number }>(
      db.orm,
      sql`select a.key, count(distinct al.id)::int as alerts,
          count(distinct o.id) filter (where o.method = 'chat.postMessage' and o.payload->>'thread_ts' is null)::int as posts
        from accounts a join alerts al on al.account_id = a.id
        left join slack_outbox o on o.id = al.post_outbox_id
        group by a.key order by a.key`,
    );
    expect(perAccount.length).toBeGreaterThan(0);
    // Some accounts have several alerts (a failed payment and the fall it caused), never several posts.
    expect(perAccount.some((a) => a.alerts > 1)).toBe(true);
    expect(perAccount.filter((a) => a.posts !== 1)).toEqual([]);
    const [posts] = await rows<{ n: number }>(
      db.orm,
      sql`select count(*)::int as n from slack_outbox where method = 'chat.postMessage' and payload->>'thread_ts' is null`,
    );
    expect(posts!.n).toBe(perAccount.length);
  });

  it('gives acme its card: yellow, usage falling, a failed payment', async () => {
    const acme = (await health()).find((h) => h.key === 'acme')!;
    const component = (name: string) => acme.components.find((c) => c.component === name)!;
    // The usage windows computed here from the generated points: the last 7 days against the 28 before.
    const points = demoPortfolio(NOW).metrics.filter((m) => m.account === 'acme');
    const average = (metric: string, fromDays: number, toDays: number) => {
      const values = points
        .filter((p) => p.metric === metric)
        .filter((p) => +NOW - Date.parse(p.at) < toDays * DAY && +NOW - Date.parse(p.at) >= fromDays * DAY)
        .map((p) => p.value);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    const level = (100 * average('active_users', 0, 7)) / 120 / USAGE_TARGET_UTILISATION;
    const change =
      (average('active_users', 0, 7) / average('active_users', 7, 35) -
        1 +
        average('logins', 0, 7) / average('logins', 7, 35) -
        1) /
      2;
    const usage = Math.round((level + 100 + 250 * change) / 2);
    expect(component('usage').score).toBe(usage);
    expect(component('usage').detail!.changePct).toBe(Math.round(change * 100));
    expect(usage).toBe(57);
    // Two tickets opened in the last ten days, none older: 100 − 2·10.
    expect(component('support')).toMatchObject({ score: 80, detail: { openTickets: 2, longOpenTickets: 0 } });
    // The payment failed six days ago and nothing has been paid since.
    expect(component('billing')).toMatchObject({ score: 20, detail: { openFlags: 1 } });
    expect(component('relationship')).toMatchObject({ score: 100, detail: { champions: 1, contacts: 2 } });
    // (30·57 + 15·80 + 15·20 + 10·100) / 70 = 4210 / 70 = 60.1
    expect(acme).toMatchObject({ score: 60, band: 'yellow' });
    expect(await findAccount(db.orm, 'acme')).toMatchObject({ found: true, account: { key: 'acme' } });
    expect(await findAccount(db.orm, 'acme corporation')).toMatchObject({
      found: true,
      account: { key: 'acme' },
    });
  });

  it('gives every account a health history: 8 weekly scores and the 7- and 30-day change', async () => {
    const match = await findAccount(db.orm, 'acme');
    if (!match.found) throw new Error('acme not found');
    const view = await loadHealthView(db.orm, match.account.id, NOW);
    expect(view!.weekly).toHaveLength(8);
    expect(view!.weekly.every((score) => typeof score === 'number')).toBe(true);
    expect(view!.weekly.at(-1)).toBe(view!.health!.score);
    expect(view!.change7d).toBeTypeOf('number');
    expect(view!.change30d).toBeTypeOf('number');
    const [snapshots] = await rows<{ days: number }>(
      db.orm,
      sql`select count(distinct day)::int as days from health_snapshots`,
    );
    expect(snapshots!.days).toBe(39);
  });

  it('shows initech as silent: no usage data for three weeks, its last data dated', async () => {
    const initech = (await health()).find((h) => h.key === 'initech')!;
    expect(initech.data_as_of).toBe('2026-02-16T23:59:59Z');
    expect(initech.components.find((c) => c.component === 'usage')!.score).toBeNull();
    // Support 100 − 10 − 10 = 80 (one ticket open for weeks) and no champion (40): (15·80 + 10·40) / 25.
    expect(initech).toMatchObject({ score: 64, band: 'yellow' });
  });

  it('does nothing with onlyIfEmpty once accounts exist', async () => {
    const before = await health();
    expect(await loadDemoData(deps, { onlyIfEmpty: true })).toEqual({
      loaded: false,
      counts: { accounts: 0, contacts: 0, metricPoints: 0, billingEvents: 0, healthRecomputed: 0 },
    });
    expect(await tableCounts()).toEqual({
      accounts: 30,
      contacts: 49,
      metric_points: 15048,
      billing_events: 11,
    });
    expect(await health()).toEqual(before);
  });

  it('is harmless when loaded again: no duplicates, the same health', async () => {
    const before = await health();
    const again = await loadDemoData(deps);
    expect(again.counts).toEqual({
      accounts: 30,
      contacts: 49,
      metricPoints: 15048,
      billingEvents: 0,
      healthRecomputed: 30,
    });
    expect(await tableCounts()).toEqual({
      accounts: 30,
      contacts: 49,
      metric_points: 15048,
      billing_events: 11,
    });
    expect(await health()).toEqual(before);
  }, 90_000);
});
