import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportRoutes } from '../../src/api/reports.ts';
import { registerIngestionRoutes } from '../../src/api/routes.ts';
import type { Database } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { lastMonths } from '../../src/domain/metric-periods.ts';
import { retentionTrend } from '../../src/services/retention-metrics.ts';
import { freshDatabase } from '../helpers/database.ts';
import { postJson, serveRoutes } from '../helpers/http.ts';

const TOKEN = 'test-ingest-token-0123456789';
// São Paulo is UTC−3 all year: February starts there at 2024-02-01T03:00:00Z.
const ZONE = 'America/Sao_Paulo';
let now = new Date('2024-01-05T12:00:00Z');

let db: Database;
let drop: () => Promise<void>;
let deps: Deps;
let base: string;
let close: () => Promise<void>;

async function post(kind: string, body: unknown) {
  const answer = await postJson(`${base}/api/v1/${kind}`, TOKEN, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function get(path: string, token: string | null = TOKEN) {
  const response = await fetch(`${base}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    type,
    // biome-ignore lint/suspicious/noExplicitAny: the report's JSON, checked field by field
    body: (type.startsWith('application/json') ? await response.json() : await response.text()) as any,
  };
}

/** Sets an account's current health band, as the health recomputation would. */
const setBand = (key: string, band: string) =>
  db.orm.execute(
    sql`insert into account_health (account_id, score, band, components, computed_at)
        select id, 40, ${band}, '[]'::jsonb, now() from accounts where key = ${key}
        on conflict (account_id) do update set band = excluded.band`,
  );

const snapshot = (key: string, day: string, band: string) =>
  db.orm.execute(
    sql`insert into health_snapshots (account_id, day, score, band, components)
        select id, ${day}::date, 50, ${band}, '[]'::jsonb from accounts where key = ${key}`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  ({
    url: base,
    deps,
    close,
  } = await serveRoutes(
    db,
    { INGEST_TOKEN: TOKEN, PULSE_TIMEZONE: ZONE },
    () => now,
    (app, d) => {
      registerIngestionRoutes(app, d);
      registerReportRoutes(app, d);
    },
  ));
  const usd = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda'];
  await post(
    'accounts',
    usd.map((key) => ({
      key,
      name: key,
      ...(key === 'alpha' && { owner_slack_id: 'U1', contract_start: '2024-01-01' }),
      ...(key === 'beta' && { owner_slack_id: 'U1', contract_start: '2024-01-20' }),
      ...(key === 'eta' && { contract_start: '2023-12-01' }),
    })),
  );
  await post('accounts', { key: 'real', name: 'Real', currency: 'BRL' });
  await post('mrr-changes', [
    { account: 'alpha', at: '2024-01-10T12:00:00Z', mrr: 100 },
    { account: 'alpha', at: '2024-02-15T12:00:00Z', mrr: 150 },
    { account: 'beta', at: '2023-12-01T12:00:00Z', mrr: 200 },
    { account: 'beta', at: '2024-02-10T12:00:00Z', mrr: 120 },
    { account: 'gamma', at: '2023-11-01T12:00:00Z', mrr: 300 },
    // Exactly when February starts in São Paulo: the movement is February's.
    { account: 'delta', at: '2024-02-01T00:00:00-03:00', mrr: 400 },
    { account: 'eps', at: '2023-06-01T12:00:00Z', mrr: 250 },
    { account: 'eps', at: '2023-09-01T12:00:00Z', mrr: 0 },
    { account: 'eps', at: '2024-02-05T12:00:00Z', mrr: 250 },
    { account: 'zeta', at: '2024-02-03T12:00:00Z', mrr: 90 },
    { account: 'eta', at: '2024-01-01T12:00:00Z', mrr: 500 },
    // The last second of January in São Paulo, though February in UTC: January's.
    { account: 'theta', at: '2024-02-01T02:59:59Z', mrr: 60 },
    { account: 'lambda', at: '2022-06-01T12:00:00Z', mrr: 10 },
    { account: 'real', at: '2024-01-01T12:00:00Z', mrr: 1000 },
  ]);
  // Onboarding left on 2024-02-11 (alpha: 41 days after its contract start) and 2024-02-21 (beta: 32).
  now = new Date('2024-02-11T12:00:00Z');
  await post('accounts', { key: 'alpha', name: 'alpha', stage: 'adoption' });
  now = new Date('2024-02-21T12:00:00Z');
  await post('accounts', { key: 'beta', name: 'beta', stage: 'adoption' });
  now = new Date('2024-03-02T12:00:00Z');
  await post('accounts', { key: 'eta', name: 'eta', stage: 'adoption' });
  await post('accounts', [
    { key: 'gamma', name: 'gamma', status: 'churned', churned_at: '2024-02-20T12:00:00Z' },
    { key: 'zeta', name: 'zeta', status: 'churned', churned_at: '2024-02-25T12:00:00Z' },
    { key: 'iota', name: 'iota', status: 'churned', churned_at: '2024-03-01T12:00:00Z' },
    { key: 'kappa', name: 'kappa', status: 'churned', churned_at: '2024-03-05T12:00:00Z' },
    { key: 'lambda', name: 'lambda', status: 'churned', churned_at: '2023-01-01T12:00:00Z' },
  ]);

  now = new Date('2024-03-10T12:00:00Z');
  // The accounts as they are now, for ARR at risk: MRR, renewal, band.
  await post('accounts', [
    { key: 'alpha', name: 'alpha', mrr: 150, renewal_date: '2024-03-30' },
    { key: 'beta', name: 'beta', mrr: 120, renewal_date: '2024-04-24' },
    { key: 'eta', name: 'eta', mrr: 500, renewal_date: '2024-05-29' },
  ]);
  await deps.health.idle();
  await setBand('alpha', 'red');
  await setBand('beta', 'yellow');
  await setBand('eta', 'green');
  await setBand('gamma', 'red');

  // 30 days before each churn: gamma red (a snapshot two days older), zeta yellow, iota green, kappa none.
  await snapshot('gamma', '2024-01-19', 'red');
  await snapshot('zeta', '2024-01-26', 'yellow');
  await snapshot('iota', '2024-01-31', 'green');
  // On 2024-02-09, 30 days before now.
  await snapshot('gamma', '2024-02-08', 'red');
  await snapshot('alpha', '2024-02-09', 'red');
  await snapshot('beta', '2024-02-02', 'yellow');
  await snapshot('eta', '2024-02-09', 'green');
  await snapshot('iota', '2024-02-05', 'green');
  await snapshot('lambda', '2024-02-09', 'red');
});

afterAll(async () => {
  await deps?.health.idle();
  await close?.();
  await drop?.();
});

const FEBRUARY = '/api/v1/reports/retention?from=2024-02-01&to=2024-02-29';

describe('GET /api/v1/reports/retention', () => {
  it('answers the MRR bridge and the figures of the period, as defined', async () => {
    const reply = await get(`${FEBRUARY}&currency=USD`);
    expect(reply.status).toBe(200);
    const { arr_at_risk, time_to_onboard, ...figures } = reply.body;
    expect(figures).toEqual({
      from: '2024-02-01',
      to: '2024-02-29',
      currency: 'USD',
      // s > 0: alpha, beta, gamma, eta, theta; e > 0: alpha, beta, delta, eps, eta, theta. zeta came and went.
      accounts: { start: 5, end: 6, new: 1, reactivated: 1, churned: 1, expanded: 1, contracted: 1 },
      mrr: {
        start: 1160,
        new: 400,
        reactivation: 250,
        expansion: 50,
        contraction: 80,
        churned: 300,
        end: 1480,
      },
      // 780 ÷ 1160, 830 ÷ 1160, 1 ÷ 5, 1 ÷ 5, 1480 ÷ 6, 246.67 × 29 ÷ (0.2 × 30.4375).
      grr: 0.6724,
      nrr: 0.7155,
      logo_churn_rate: 0.2,
      expansion_rate: 0.2,
      arpa: 246.67,
      ltv: 1175.09,
    });
    expect(time_to_onboard).toEqual({ median_days: 36.5, accounts: 2 });
    expect(arr_at_risk).toEqual({
      as_of: '2024-03-10',
      red: { accounts: 1, arr: 1800 },
      yellow: { accounts: 1, arr: 1440 },
      renewals: [
        {
          within_days: 30,
          red: { accounts: 1, arr: 1800 },
          yellow: { accounts: 0, arr: 0 },
          green: { accounts: 0, arr: 0 },
          none: { accounts: 0, arr: 0 },
        },
        {
          within_days: 60,
          red: { accounts: 1, arr: 1800 },
          yellow: { accounts: 1, arr: 1440 },
          green: { accounts: 0, arr: 0 },
          none: { accounts: 0, arr: 0 },
        },
        {
          within_days: 90,
          red: { accounts: 1, arr: 1800 },
          yellow: { accounts: 1, arr: 1440 },
          green: { accounts: 1, arr: 6000 },
          none: { accounts: 0, arr: 0 },
        },
      ],
    });
  });

  it('narrows to one owner', async () => {
    const { body } = await get(`${FEBRUARY}&currency=USD&owner=U1`);
    expect(body).toMatchObject({
      accounts: { start: 2, end: 2, expanded: 1, contracted: 1 },
      mrr: { start: 300, expansion: 50, contraction: 80, end: 270 },
      nrr: 0.9,
      ltv: null,
      arr_at_risk: { red: { accounts: 1, arr: 1800 }, yellow: { accounts: 1, arr: 1440 } },
    });
  });

  it("the 12 months of /cs metrics' chart, from one query, agree with each month's report", async () => {
    const months = lastMonths('2024-03-10', 12);
    for (const owner of [undefined, 'U1']) {
      const trend = await retentionTrend(deps, { today: '2024-03-10', owner, currency: 'USD' });
      expect(trend.map((t) => t.label)).toEqual(months.map((m) => m.label));
      for (const [i, month] of months.entries()) {
        const report = await get(
          `/api/v1/reports/retention?from=${month.from}&to=${month.to}&currency=USD${owner ? `&owner=${owner}` : ''}`,
        );
        expect([month.label, trend[i]!.mrr, trend[i]!.nrr]).toEqual([
          month.label,
          report.body.mrr,
          report.body.nrr,
        ]);
      }
    }
    const february = (await retentionTrend(deps, { today: '2024-03-10', currency: 'USD' }))[10]!;
    expect(february).toMatchObject({
      label: 'Feb 24',
      mrr: {
        start: 1160,
        new: 400,
        reactivation: 250,
        expansion: 50,
        contraction: 80,
        churned: 300,
        end: 1480,
      },
      nrr: 0.7155,
    });
  });

  it('asks for a currency when the accounts use more than one, naming them', async () => {
    expect(await get(FEBRUARY)).toMatchObject({
      status: 400,
      body: {
        errors: [
          {
            path: 'currency',
            message: 'the accounts use more than one currency (BRL, USD); choose one, e.g. currency=BRL',
          },
        ],
      },
    });
    const { body } = await get(`${FEBRUARY}&currency=BRL`);
    expect(body).toMatchObject({ currency: 'BRL', mrr: { start: 1000, end: 1000 }, grr: 1, nrr: 1 });
  });

  it('answers CSV: one row per account with s, e and its movement', async () => {
    const reply = await get(`${FEBRUARY}&currency=USD&format=csv`);
    expect(reply.type).toBe('text/csv; charset=utf-8');
    expect(reply.body.split('\r\n')).toEqual([
      'account,currency,start,end,movement',
      'alpha,USD,100.00,150.00,expansion',
      'beta,USD,200.00,120.00,contraction',
      'delta,USD,0.00,400.00,new',
      'eps,USD,0.00,250.00,reactivation',
      'eta,USD,500.00,500.00,unchanged',
      'gamma,USD,300.00,0.00,churned',
      'theta,USD,60.00,60.00,unchanged',
      '',
    ]);
  });

  it('lists every problem of a bad query with 400', async () => {
    const reply = await get('/api/v1/reports/retention?from=2024-02-30&to=2024-01-01&currency=usd&limit=3');
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([
      { path: 'from', message: 'must be a date, YYYY-MM-DD' },
      { path: 'currency', message: 'must be a three-letter ISO 4217 code in capitals, e.g. USD' },
      { path: 'limit', message: 'unknown parameter; the parameters are: from, to, currency, owner, format' },
    ]);
    expect((await get('/api/v1/reports/retention?from=2024-03-01&to=2024-02-01')).body.errors).toEqual([
      { path: 'to', message: 'must not be before from' },
    ]);
    expect((await get('/api/v1/reports/retention')).body.errors).toEqual([
      { path: 'from', message: 'is required' },
      { path: 'to', message: 'is required' },
    ]);
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await get(FEBRUARY, null)).status).toBe(401);
    expect((await get(FEBRUARY, 'wrong-token-0123456789')).status).toBe(401);
  });
});

describe('GET /api/v1/reports/health-backtest', () => {
  it('answers how red the churned accounts were, and how each band churned since', async () => {
    const reply = await get('/api/v1/reports/health-backtest?horizon=30');
    expect(reply).toMatchObject({ status: 200 });
    expect(reply.body).toEqual({
      horizon_days: 30,
      band_day: '2024-02-09',
      // gamma red, zeta yellow, iota green, kappa no score; lambda churned more than 12 months ago.
      churned: {
        accounts: 4,
        scored: 3,
        red: 1,
        red_or_yellow: 2,
        red_share: 0.3333,
        red_or_yellow_share: 0.6667,
      },
      // On 2024-02-09: gamma and alpha red, eta and iota green; beta's snapshot is too old, lambda had churned.
      churn_rate_by_band: {
        red: { accounts: 2, churned: 1, churn_rate: 0.5 },
        yellow: { accounts: 0, churned: 0, churn_rate: null },
        green: { accounts: 2, churned: 1, churn_rate: 0.5 },
      },
    });
  });

  it('refuses a horizon that is not a whole number of days from 1 to 365', async () => {
    expect((await get('/api/v1/reports/health-backtest?horizon=0')).body).toEqual({
      errors: [{ path: 'horizon', message: 'must be between 1 and 365' }],
    });
    expect((await get('/api/v1/reports/health-backtest?horizon=abc')).status).toBe(400);
  });
});
