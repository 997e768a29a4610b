import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/api/csv.ts';
import { registerIngestionRoutes } from '../../src/api/routes.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { freshDatabase } from '../helpers/database.ts';
import { postJson, serveRoutes } from '../helpers/http.ts';

const TOKEN = 'test-ingest-token-0123456789';
let now = new Date('2024-05-10T12:00:00Z');

let db: Database;
let drop: () => Promise<void>;
let deps: Deps;
let base: string;
let close: () => Promise<void>;

const post = (kind: string, body: unknown) => postJson(`${base}/api/v1/${kind}`, TOKEN, body);

/** The account's MRR history, oldest first, instants in UTC. */
const history = (key: string) =>
  rows<{ at: string; mrr: string; currency: string; source: string }>(
    db.orm,
    sql`select to_char(m.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, m.mrr::text as mrr,
          m.currency, m.source
        from account_mrr_changes m join accounts a on a.id = m.account_id
        where a.key = ${key} order by m.at`,
  );

const stages = (key: string) =>
  rows<{ at: string; from_stage: string | null; stage: string }>(
    db.orm,
    sql`select to_char(s.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as at, s.from_stage, s.stage
        from account_stage_changes s join accounts a on a.id = s.account_id
        where a.key = ${key} order by s.at`,
  );

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  ({
    url: base,
    deps,
    close,
  } = await serveRoutes(db, { INGEST_TOKEN: TOKEN }, () => now, registerIngestionRoutes));
});

afterAll(async () => {
  await deps?.health.idle();
  await close?.();
  await drop?.();
});

describe('POST /api/v1/accounts dates MRR and stage changes', () => {
  it('records a new MRR at the request time, nothing for an unchanged one, 0 at churned_at', async () => {
    now = new Date('2024-01-15T09:00:00Z');
    expect(await post('accounts', { key: 'acme', name: 'Acme', mrr: 1000, currency: 'EUR' })).toEqual({
      status: 200,
      body: { stored: 1 },
    });
    now = new Date('2024-02-01T09:00:00Z');
    await post('accounts', { key: 'acme', name: 'Acme', mrr: 1000 });
    now = new Date('2024-03-01T09:00:00Z');
    await post('accounts', [{ key: 'acme', name: 'Acme', mrr: 1250.5, stage: 'adoption' }]);
    now = new Date('2024-04-20T09:00:00Z');
    await post('accounts', {
      key: 'acme',
      name: 'Acme',
      status: 'churned',
      churned_at: '2024-04-18T00:00:00Z',
    });
    expect(await history('acme')).toEqual([
      { at: '2024-01-15T09:00:00Z', mrr: '1000.00', currency: 'EUR', source: 'account' },
      { at: '2024-03-01T09:00:00Z', mrr: '1250.50', currency: 'EUR', source: 'account' },
      { at: '2024-04-18T00:00:00Z', mrr: '0.00', currency: 'EUR', source: 'account' },
    ]);
    expect(await stages('acme')).toEqual([
      { at: '2024-01-15T09:00:00Z', from_stage: null, stage: 'onboarding' },
      { at: '2024-03-01T09:00:00Z', from_stage: 'onboarding', stage: 'adoption' },
    ]);
    const [account] = await rows<{ churned_at: string }>(
      db.orm,
      sql`select to_char(churned_at at time zone 'UTC', 'YYYY-MM-DD') as churned_at from accounts where key = 'acme'`,
    );
    expect(account).toEqual({ churned_at: '2024-04-18' });
  });

  it('dates a churn without churned_at when received, once; reactivating records the MRR again', async () => {
    now = new Date('2024-01-10T00:00:00Z');
    await post('accounts', { key: 'globex', name: 'Globex', mrr: 300 });
    now = new Date('2024-02-10T00:00:00Z');
    await post('accounts', { key: 'globex', name: 'Globex', status: 'churned' });
    now = new Date('2024-02-11T00:00:00Z');
    await post('accounts', { key: 'globex', name: 'Globex', status: 'churned' });
    now = new Date('2024-06-01T00:00:00Z');
    await post('accounts', { key: 'globex', name: 'Globex', status: 'active' });
    expect((await history('globex')).map(({ at, mrr }) => [at, mrr])).toEqual([
      ['2024-01-10T00:00:00Z', '300.00'],
      ['2024-02-10T00:00:00Z', '0.00'],
      ['2024-06-01T00:00:00Z', '300.00'],
    ]);
  });

  it('refuses churned_at without status churned, changing nothing', async () => {
    const reply = await post('accounts', { key: 'acme', name: 'Acme', churned_at: '2024-04-18T00:00:00Z' });
    expect(reply).toEqual({
      status: 400,
      body: { errors: [{ path: 'churned_at', message: 'goes with "status": "churned"' }] },
    });
  });
});

describe('POST /api/v1/mrr-changes', () => {
  it('stores a history, idempotent on (account, at): a re-sent change replaces it', async () => {
    await post('accounts', { key: 'initech', name: 'Initech', currency: 'BRL' });
    const batch = [
      { account: 'initech', at: '2023-01-01T00:00:00Z', mrr: 100 },
      { account: 'initech', at: '2023-06-01T00:00:00-03:00', mrr: 150.25 },
    ];
    expect(await post('mrr-changes', batch)).toEqual({ status: 200, body: { stored: 2 } });
    expect(await post('mrr-changes', batch)).toEqual({ status: 200, body: { stored: 2 } });
    expect(
      await post('mrr-changes', [
        { account: 'initech', at: '2023-06-01T03:00:00Z', mrr: 175 },
        { account: 'initech', at: '2023-06-01T03:00:00.000Z', mrr: 180 },
      ]),
    ).toEqual({ status: 200, body: { stored: 2 } });
    expect(await history('initech')).toEqual([
      { at: '2023-01-01T00:00:00Z', mrr: '100.00', currency: 'BRL', source: 'api' },
      { at: '2023-06-01T03:00:00Z', mrr: '180.00', currency: 'BRL', source: 'api' },
    ]);
  });

  it("keeps the account's MRR at the one in effect now: a backfill moves it, a change dated later does not yet", async () => {
    await post('accounts', { key: 'umbrella', name: 'Umbrella', mrr: 500 });
    const mrr = async () =>
      (
        await rows<{ mrr: string | null }>(
          db.orm,
          sql`select mrr::text as mrr from accounts where key = 'umbrella'`,
        )
      )[0]!.mrr;
    const later = new Date(+now + 30 * 86_400_000).toISOString();
    expect(
      await post('mrr-changes', [
        { account: 'umbrella', at: '2024-01-01T00:00:00Z', mrr: 700 },
        { account: 'umbrella', at: later, mrr: 900 },
      ]),
    ).toEqual({ status: 200, body: { stored: 2 } });
    // The movement the account upsert recorded (now) is the latest up to now: 500 stays.
    expect(await mrr()).toBe('500.00');
    // Dated a second from now: not in effect yet.
    await post('mrr-changes', [{ account: 'umbrella', at: new Date(+now + 1000).toISOString(), mrr: 650 }]);
    expect(await mrr()).toBe('500.00');
    now = new Date(+now + 2000);
    await post('mrr-changes', [{ account: 'umbrella', at: new Date(+now - 500).toISOString(), mrr: 640 }]);
    expect(await mrr()).toBe('640.00');
  });

  it('refuses a batch with problems, listing every one, and stores none of it', async () => {
    const before = await history('initech');
    const reply = await post('mrr-changes', [
      { account: 'initech', at: '2023-09-01T00:00:00Z', mrr: 200 },
      { account: 'nobody', at: '2023-09-01', mrr: -1, extra: true },
    ]);
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([
      {
        path: '[1].at',
        message:
          'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
      },
      { path: '[1].mrr', message: 'must be 0 or more' },
      { path: '[1].extra', message: 'unknown field; the fields are: account, at, mrr' },
      { path: '[1].account', message: 'unknown account "nobody"' },
    ]);
    expect(await history('initech')).toEqual(before);
  });

  it('loads from CSV through the same validation', async () => {
    const csv = [
      'account,at,mrr',
      'initech,2023-12-01T00:00:00Z,210',
      'initech,2023-06-01T03:00:00Z,190',
    ].join('\n');
    expect(await importCsv(deps, 'mrr-changes', csv)).toEqual({ ok: true, stored: 2 });
    expect((await history('initech')).map((m) => m.mrr)).toEqual(['100.00', '190.00', '210.00']);
    const bad = await importCsv(deps, 'mrr-changes', 'account,at,mrr\ninitech,yesterday,10\n');
    expect(bad).toMatchObject({ ok: false });
  });
});

describe('mau and wau', () => {
  it('are read beside active_users: stickiness on the usage component, from the stored points', async () => {
    now = new Date('2024-07-10T12:00:00Z');
    await post('accounts', { key: 'sticky', name: 'Sticky', seats: 100 });
    const points = [1, 2, 3].flatMap((d) => {
      const at = new Date(+now - d * 86_400_000).toISOString();
      return [
        { account: 'sticky', metric: 'active_users', value: 30, at },
        { account: 'sticky', metric: 'wau', value: 60, at },
        { account: 'sticky', metric: 'mau', value: 80, at },
      ];
    });
    expect(await post('metrics', points)).toEqual({ status: 200, body: { stored: 9 } });
    await deps.health.idle();
    const [usage] = await rows<{ detail: Record<string, unknown> }>(
      db.orm,
      sql`select c -> 'detail' as detail from account_health h join accounts a on a.id = h.account_id,
            jsonb_array_elements(h.components) c
          where a.key = 'sticky' and c ->> 'component' = 'usage'`,
    );
    expect(usage!.detail).toMatchObject({ activeUsers: 30, mau: 80, dauMau: 0.38, wauMau: 0.75 });
  });
});
