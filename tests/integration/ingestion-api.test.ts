import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIngestionRoutes } from '../../src/api/routes.ts';
import { type Database, rows } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import type { Problem } from '../../src/domain/problems.ts';
import { ingest } from '../../src/services/ingestion.ts';
import { freshDatabase } from '../helpers/database.ts';
import { serveRoutes } from '../helpers/http.ts';

const TOKEN = 'test-ingest-token-0123456789';
const NOW = new Date('2024-05-10T12:00:00Z');
const daysAgo = (days: number) => new Date(+NOW - days * 86_400_000).toISOString();

let db: Database;
let drop: () => Promise<void>;
let deps: Deps;
const servers: Array<() => Promise<void>> = [];

async function serve(env: Record<string, string>): Promise<{ url: string; deps: Deps }> {
  const server = await serveRoutes(db, env, () => NOW, registerIngestionRoutes);
  servers.push(server.close);
  return server;
}

let base: string;

interface Reply {
  stored?: number;
  duplicates?: number;
  errors?: Problem[];
}

async function post(
  kind: string,
  body: unknown,
  options: { token?: string | null; contentType?: string; raw?: string } = {},
): Promise<{ status: number; body: Reply }> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/api/v1/${kind}`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const count = async (table: string) =>
  (await rows<{ n: number }>(db.orm, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

const accountRow = async (key: string) =>
  (
    await rows<Record<string, unknown>>(
      db.orm,
      sql`select key, name, tier, stage, mrr::text as mrr, currency, seats, owner_slack_id, channel_id, locale,
            timezone, to_char(contract_start, 'YYYY-MM-DD') as contract_start,
            to_char(renewal_date, 'YYYY-MM-DD') as renewal_date, status,
            (extract(epoch from updated_at) * 1000)::float8 as updated_at
          from accounts where key = ${key}`,
    )
  )[0];

beforeAll(async () => {
  ({ db, drop } = await freshDatabase());
  ({ url: base, deps } = await serve({ INGEST_TOKEN: TOKEN }));
  const seeded = await ingest(deps, 'accounts', [
    { key: 'acme', name: 'Acme', seats: 10 },
    { key: 'globex', name: 'Globex', seats: 20 },
    { key: 'initech', name: 'Initech', seats: 5 },
  ]);
  expect(seeded).toMatchObject({ ok: true, stored: 3 });
  await deps.health.idle();
});

afterAll(async () => {
  for (const close of servers) await close();
  await drop?.();
});

describe('authentication', () => {
  const account = { key: 'hooli', name: 'Hooli' };

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    const before = await count('accounts');
    for (const token of [null, 'wrong-token-0123456789', `${TOKEN}x`, '']) {
      const reply = await post('accounts', account, { token });
      expect(reply.status).toBe(401);
      expect(reply.body.errors).toEqual([
        {
          path: '',
          message: 'missing or wrong token; send the header "Authorization: Bearer <INGEST_TOKEN>"',
        },
      ]);
    }
    expect(await count('accounts')).toBe(before);
    expect(await accountRow('hooli')).toBeUndefined();
  });

  it('accepts the right token', async () => {
    expect(await post('accounts', account)).toEqual({ status: 200, body: { stored: 1 } });
    expect(await accountRow('hooli')).toMatchObject({ key: 'hooli', name: 'Hooli', tier: 'mid_touch' });
  });

  it('answers 404 on every route when INGEST_TOKEN is unset', async () => {
    const off = await serve({});
    for (const kind of ['accounts', 'contacts', 'metrics', 'billing-events']) {
      const response = await fetch(`${off.url}/api/v1/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ key: 'off', name: 'Off' }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        errors: [{ path: '', message: 'the ingestion API is off; set INGEST_TOKEN to turn it on' }],
      });
    }
    expect(await accountRow('off')).toBeUndefined();
  });
});

describe('request bodies', () => {
  it('answers 413 to a body over 1 MiB and stores nothing', async () => {
    const points = Array.from({ length: 14_000 }, (_, i) => ({
      account: 'acme',
      metric: 'big_batch',
      value: i,
      at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    }));
    const raw = JSON.stringify(points);
    expect(raw.length).toBeGreaterThan(1.1 * 1024 * 1024);
    const reply = await post('metrics', undefined, { raw });
    expect(reply).toEqual({
      status: 413,
      body: { errors: [{ path: '', message: 'the body is larger than 1 MiB; send smaller batches' }] },
    });
    expect(await count('metric_points')).toBe(0);
  });

  it('answers 400 to invalid JSON', async () => {
    const reply = await post('accounts', undefined, { raw: '{"key": "acme", ' });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toHaveLength(1);
    expect(reply.body.errors![0]!.message).toMatch(/^body is not valid JSON: /);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const reply = await post('metrics', undefined, {
      contentType: 'text/csv',
      raw: 'account,metric,value,at\nacme,logins,1,2024-05-01T00:00:00Z\n',
    });
    expect(reply).toEqual({
      status: 415,
      body: {
        errors: [
          {
            path: '',
            message: 'the body must be JSON sent with "Content-Type: application/json" (got text/csv)',
          },
        ],
      },
    });
    expect(await count('metric_points')).toBe(0);
  });

  it('answers 400 to an empty body', async () => {
    expect(await post('accounts', undefined, { raw: '' })).toEqual({
      status: 400,
      body: {
        errors: [{ path: '', message: 'the body must be a JSON object or an array of objects (accounts)' }],
      },
    });
  });
});

describe('validation', () => {
  it('lists every problem with its path and stores nothing of the batch', async () => {
    const reply = await post('metrics', [
      { account: 'acme', metric: 'logins', value: 3, at: '2024-05-01T00:00:00Z' },
      { account: 'acme', metric: 'Logins', value: 'three', at: '2024-05-01T00:00:00Z' },
      { account: 'acme', metric: 'logins', value: 3, at: '2024-05-01', source: 'crm' },
      { account: 'nobody', metric: 'logins', value: 3, at: '2024-05-01T00:00:00Z' },
    ]);
    expect(reply).toEqual({
      status: 400,
      body: {
        errors: [
          {
            path: '[1].metric',
            message:
              'must start with a letter a-z, then lower-case letters, digits, "_" or "." (e.g. active_users)',
          },
          { path: '[1].value', message: 'expected a number' },
          {
            path: '[2].at',
            message:
              'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
          },
          { path: '[2].source', message: 'unknown field; the fields are: account, metric, value, at' },
          { path: '[3].account', message: 'unknown account "nobody"' },
        ],
      },
    });
    expect(await count('metric_points')).toBe(0);
  });

  it('paths a single object without an index, and refuses unknown fields', async () => {
    expect(await post('accounts', { key: 'acme', name: 'Acme', tier: 'high_touch', plan: 'gold' })).toEqual({
      status: 400,
      body: {
        errors: [
          {
            path: 'plan',
            message:
              'unknown field; the fields are: key, name, tier, stage, mrr, currency, seats, owner_slack_id, channel_id, locale, timezone, contract_start, renewal_date, status, churned_at',
          },
        ],
      },
    });
    expect(await accountRow('acme')).toMatchObject({ tier: 'mid_touch' });
  });

  it('refuses an event naming an unknown account, and keeps the rest of the batch out', async () => {
    const reply = await post('billing-events', [
      { account: 'acme', external_id: 'in_ok', type: 'invoice_paid', occurred_at: '2024-05-01T00:00:00Z' },
      { account: 'umbrella', external_id: 'in_x', type: 'invoice_paid', occurred_at: '2024-05-01T00:00:00Z' },
    ]);
    expect(reply).toEqual({
      status: 400,
      body: { errors: [{ path: '[1].account', message: 'unknown account "umbrella"' }] },
    });
    expect(await count('billing_events')).toBe(0);
  });

  it('refuses a well-formed metrics batch naming unknown accounts, with each path, and stores none of it', async () => {
    const at = '2024-05-01T00:00:00Z';
    const reply = await post('metrics', [
      { account: 'acme', metric: 'logins', value: 3, at },
      { account: 'umbrella', metric: 'logins', value: 3, at },
      { account: 'globex', metric: 'logins', value: 4, at },
      { account: 'umbrella', metric: 'tickets_open', value: 1, at },
      { account: 'wayne-corp', metric: 'logins', value: 1, at },
    ]);
    expect(reply).toEqual({
      status: 400,
      body: {
        errors: [
          { path: '[1].account', message: 'unknown account "umbrella"' },
          { path: '[3].account', message: 'unknown account "umbrella"' },
          { path: '[4].account', message: 'unknown account "wayne-corp"' },
        ],
      },
    });
    expect(await post('metrics', { account: 'umbrella', metric: 'logins', value: 3, at })).toEqual({
      status: 400,
      body: { errors: [{ path: 'account', message: 'unknown account "umbrella"' }] },
    });
    expect(await count('metric_points')).toBe(0);
  });

  it('is all or nothing: one bad account in an upsert batch changes no account', async () => {
    const reply = await post('accounts', [
      { key: 'acme', name: 'Acme Renamed' },
      { key: 'newco', name: 'Newco' },
      { key: 'globex', name: 'Globex', seats: -3 },
    ]);
    expect(reply).toEqual({
      status: 400,
      body: { errors: [{ path: '[2].seats', message: 'must be 0 or more' }] },
    });
    expect(await accountRow('acme')).toMatchObject({ name: 'Acme' });
    expect(await accountRow('newco')).toBeUndefined();
    expect(await accountRow('globex')).toMatchObject({ seats: 20 });
  });
});

describe('text the database cannot store', () => {
  const NUL = 'contains a NUL character (\\u0000); remove it';
  const BROKEN = 'contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text';

  it('refuses a NUL or an unpaired surrogate in any field of any route with 400 naming it, and stores nothing', async () => {
    const before = { accounts: await count('accounts'), contacts: await count('contacts') };
    const cases: Array<[string, unknown, Problem[]]> = [
      ['accounts', { key: 'nul', name: 'Nul\u0000Corp' }, [{ path: 'name', message: NUL }]],
      [
        'accounts',
        [
          { key: 'ok', name: 'Fine' },
          { key: 'pair', name: 'Pair \ud83d\ude80', timezone: 'UTC\ud800' },
        ],
        [{ path: '[1].timezone', message: BROKEN }],
      ],
      [
        'contacts',
        { account: 'acme', email: 'ana@acme.com', name: '\udc00Ana', role: 'champion' },
        [{ path: 'name', message: BROKEN }],
      ],
      [
        'metrics',
        { account: 'acme', metric: 'logins', value: 1, at: '2024-05-01T00:00:00Z', 'no\u0000te': 'x' },
        [{ path: '["no\\u0000te"]', message: `its name ${NUL}` }],
      ],
      [
        'billing-events',
        {
          account: 'acme',
          external_id: 'in_\u0000',
          type: 'invoice_paid',
          occurred_at: '2024-05-01T00:00:00Z',
        },
        [{ path: 'external_id', message: NUL }],
      ],
      [
        'milestones',
        [{ account: 'ac\u0000me', title: 'Kick-off\u0000' }],
        [
          { path: '[0].account', message: NUL },
          { path: '[0].title', message: NUL },
        ],
      ],
    ];
    for (const [kind, body, errors] of cases) {
      expect(await post(kind, body), kind).toEqual({ status: 400, body: { errors } });
    }
    expect(await count('accounts')).toBe(before.accounts);
    expect(await count('contacts')).toBe(before.contacts);
    expect(await count('metric_points')).toBe(0);
    expect(await count('billing_events')).toBe(0);
    expect(await count('milestones')).toBe(0);
  });
});

describe('a body full of mistakes', () => {
  it('lists the first 100 problems, then how many more, small and fast', async () => {
    const raw = JSON.stringify(Array.from({ length: 120_000 }, () => ({})));
    expect(raw.length).toBeGreaterThan(350_000);
    const started = performance.now();
    const response = await fetch(`${base}/api/v1/contacts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: raw,
    });
    const elapsed = performance.now() - started;
    const text = await response.text();
    expect(response.status).toBe(400);
    const { errors } = JSON.parse(text) as { errors: Problem[] };
    expect(errors).toHaveLength(101);
    // Three required fields per contact: account, email, role; items 0 to 33 are listed (102 problems).
    expect(errors.slice(0, 3)).toEqual([
      { path: '[0].account', message: 'is required' },
      { path: '[0].email', message: 'is required' },
      { path: '[0].role', message: 'is required' },
    ]);
    expect(errors.at(-1)).toEqual({ path: '', message: `…and ${120_000 * 3 - 100} more` });
    expect(text.length).toBeLessThan(10_000);
    // Before the cap this took seconds and answered 17 MB; generous, for a busy test machine.
    expect(elapsed).toBeLessThan(5_000);
  });

  it('counts unknown accounts among the problems past the first 100', async () => {
    const reply = await post(
      'metrics',
      Array.from({ length: 150 }, (_, i) => ({
        account: i % 2 ? 'acme' : 'nobody',
        metric: 'logins',
        value: i % 3 ? 1 : 'one',
        at: '2024-05-01T00:00:00Z',
      })),
    );
    expect(reply.status).toBe(400);
    const errors = reply.body.errors!;
    // 75 unknown accounts and 50 values that are not numbers: 125 problems.
    expect(errors).toHaveLength(101);
    expect(errors.slice(0, 3)).toEqual([
      { path: '[0].value', message: 'expected a number' },
      { path: '[0].account', message: 'unknown account "nobody"' },
      { path: '[2].account', message: 'unknown account "nobody"' },
    ]);
    expect(errors.at(-1)).toEqual({ path: '', message: '…and 25 more' });
    expect(await count('metric_points')).toBe(0);
  });
});

describe('upserts and idempotency', () => {
  it('an account upsert changes only the fields it names, and null clears one', async () => {
    expect(
      await post('accounts', {
        key: 'umbrella',
        name: 'Umbrella',
        tier: 'high_touch',
        stage: 'adoption',
        mrr: 1250.5,
        currency: 'BRL',
        seats: 40,
        owner_slack_id: 'U0123ABCD',
        channel_id: 'C0123ABCD',
        locale: 'pt-BR',
        timezone: 'America/Sao_Paulo',
        contract_start: '2024-01-15T22:00:00-03:00',
        renewal_date: '2025-01-15',
      }),
    ).toEqual({ status: 200, body: { stored: 1 } });
    const created = await accountRow('umbrella');
    expect(created).toEqual({
      key: 'umbrella',
      name: 'Umbrella',
      tier: 'high_touch',
      stage: 'adoption',
      mrr: '1250.50',
      currency: 'BRL',
      seats: 40,
      owner_slack_id: 'U0123ABCD',
      channel_id: 'C0123ABCD',
      locale: 'pt-BR',
      timezone: 'America/Sao_Paulo',
      contract_start: '2024-01-15',
      renewal_date: '2025-01-15',
      status: 'active',
      updated_at: expect.any(Number),
    });

    expect(
      await post('accounts', [
        { key: 'umbrella', name: 'Umbrella Corp', seats: 45 },
        { key: 'umbrella', name: 'Umbrella Corp', owner_slack_id: null, stage: 'expansion' },
      ]),
    ).toEqual({ status: 200, body: { stored: 2 } });
    const updated = await accountRow('umbrella');
    expect(updated).toEqual({
      ...created,
      name: 'Umbrella Corp',
      seats: 45,
      owner_slack_id: null,
      stage: 'expansion',
      updated_at: expect.any(Number),
    });
    expect(updated!.updated_at as number).toBeGreaterThan(created!.updated_at as number);
  });

  it('a contact upsert is keyed by account and email, whatever the email case', async () => {
    expect(
      await post('contacts', [
        { account: 'acme', email: 'Ana@Acme.com', name: 'Ana', slack_user_id: 'U0AAA', role: 'champion' },
        { account: 'globex', email: 'ana@acme.com', role: 'user' },
      ]),
    ).toEqual({ status: 200, body: { stored: 2 } });
    expect(
      await post('contacts', { account: 'acme', email: 'ANA@acme.com', role: 'decision_maker' }),
    ).toEqual({
      status: 200,
      body: { stored: 1 },
    });
    expect(
      await rows(
        db.orm,
        sql`select a.key, c.email, c.name, c.slack_user_id, c.role
            from contacts c join accounts a on a.id = c.account_id order by a.key`,
      ),
    ).toEqual([
      { key: 'acme', email: 'ana@acme.com', name: 'Ana', slack_user_id: 'U0AAA', role: 'decision_maker' },
      { key: 'globex', email: 'ana@acme.com', name: null, slack_user_id: null, role: 'user' },
    ]);
  });

  it('metric points with the same account, metric and instant replace each other, within a batch too', async () => {
    const logins = () =>
      rows(
        db.orm,
        sql`select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as at, value
            from metric_points m join accounts a on a.id = m.account_id
            where a.key = 'initech' and metric = 'logins' order by at`,
      );
    const at = '2024-05-01T00:00:00Z';
    expect(
      await post('metrics', [
        { account: 'initech', metric: 'logins', value: 5, at },
        { account: 'initech', metric: 'logins', value: 6, at: '2024-04-30T21:00:00-03:00' },
        { account: 'initech', metric: 'logins', value: 9, at: '2024-05-02T00:00:00Z' },
      ]),
    ).toEqual({ status: 200, body: { stored: 3 } });
    expect(await logins()).toEqual([
      { at: '2024-05-01T00:00', value: 6 },
      { at: '2024-05-02T00:00', value: 9 },
    ]);
    expect(await post('metrics', { account: 'initech', metric: 'logins', value: 7, at })).toEqual({
      status: 200,
      body: { stored: 1 },
    });
    expect(await logins()).toEqual([
      { at: '2024-05-01T00:00', value: 7 },
      { at: '2024-05-02T00:00', value: 9 },
    ]);
  });

  it('a re-sent billing event changes nothing and counts as a duplicate', async () => {
    const failed = {
      account: 'globex',
      external_id: 'evt_failed_1',
      type: 'payment_failed',
      occurred_at: '2024-05-03T10:00:00Z',
      amount: 99.9,
      currency: 'USD',
    };
    const card = {
      account: 'globex',
      external_id: 'evt_card_1',
      type: 'card_expiring',
      occurred_at: '2024-05-03T10:00:00Z',
      card_expires_at: '2024-05-31',
    };
    expect(await post('billing-events', [failed, card])).toEqual({
      status: 200,
      body: { stored: 2, duplicates: 0 },
    });
    expect(
      await post('billing-events', [
        { ...failed, amount: 1 },
        card,
        { ...failed, external_id: 'evt_failed_2' },
        { ...failed, external_id: 'evt_failed_2', amount: 5 },
      ]),
    ).toEqual({ status: 200, body: { stored: 1, duplicates: 3 } });
    expect(
      await rows(
        db.orm,
        sql`select external_id, type, amount::text as amount, currency,
              to_char(card_expires_at, 'YYYY-MM-DD') as card_expires_at
            from billing_events order by external_id`,
      ),
    ).toEqual([
      {
        external_id: 'evt_card_1',
        type: 'card_expiring',
        amount: null,
        currency: null,
        card_expires_at: '2024-05-31',
      },
      {
        external_id: 'evt_failed_1',
        type: 'payment_failed',
        amount: '99.90',
        currency: 'USD',
        card_expires_at: null,
      },
      {
        external_id: 'evt_failed_2',
        type: 'payment_failed',
        amount: '99.90',
        currency: 'USD',
        card_expires_at: null,
      },
    ]);
  });

  it('counts the rows stored, by kind, in pulse_ingested_rows_total', async () => {
    const values = (await deps.metrics.ingestedRows.get()).values;
    const byKind = Object.fromEntries(values.map((v) => [v.labels.kind, v.value]));
    // 3 seeded + hooli + umbrella (1 + 2) accounts; contacts 2 + 1; metrics 3 + 1; billing 2 + 1.
    expect(byKind).toEqual({ accounts: 7, contacts: 3, metrics: 4, 'billing-events': 3 });
  });

  it('metric values and names come back exactly as sent, even a metric named null', async () => {
    const values = [0.1, -3.5e-7, 1e21, 123456789.123456, 2 ** 53 + 2, -0.5];
    const reply = await post(
      'metrics',
      values.map((value, i) => ({
        account: 'initech',
        metric: i % 2 ? 'null' : 'nps.score',
        value,
        at: `2024-06-0${i + 1}T08:00:00+02:00`,
      })),
    );
    expect(reply).toEqual({ status: 200, body: { stored: values.length } });
    const stored = await rows<{ metric: string; at: string; value: number }>(
      db.orm,
      sql`select metric, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI') as at, value
          from metric_points m join accounts a on a.id = m.account_id
          where a.key = 'initech' and metric in ('null', 'nps.score') order by at`,
    );
    expect(stored).toEqual(
      values.map((value, i) => ({
        metric: i % 2 ? 'null' : 'nps.score',
        at: `2024-06-0${i + 1}T06:00`,
        value,
      })),
    );
  });
});

describe('health', () => {
  it('is recomputed in the background for the accounts a batch touched', async () => {
    await deps.health.idle();
    await db.orm.execute(sql`delete from account_health`);
    // acme: 10 seats, 5 active users a day this week against 10 before; no billing, one contact (no champion
    // since the upsert above made Ana a decision maker).
    expect(
      await post('metrics', [
        { account: 'acme', metric: 'active_users', value: 5, at: daysAgo(1) },
        { account: 'acme', metric: 'active_users', value: 5, at: daysAgo(2) },
        { account: 'acme', metric: 'active_users', value: 10, at: daysAgo(10) },
      ]),
    ).toEqual({ status: 200, body: { stored: 3 } });
    await deps.health.idle();
    const health = async () =>
      rows<{ key: string; score: number | null; band: string | null }>(
        db.orm,
        sql`select a.key, h.score, h.band from account_health h join accounts a on a.id = h.account_id order by a.key`,
      );
    // usage: level 100·5/10/0.7 = 71.4, trend 100 + 250·(−0.5) → 0, so round(35.7) = 36;
    // relationship: a contact but no champion = 40. Score round((30·36 + 10·40) / 40) = 37, red.
    expect(await health()).toEqual([{ key: 'acme', score: 37, band: 'red' }]);

    // A new payment failure for acme adds billing at 20: round((30·36 + 15·20 + 10·40) / 55) = 32.
    expect(
      await post('billing-events', {
        account: 'acme',
        external_id: 'evt_acme_failed',
        type: 'payment_failed',
        occurred_at: daysAgo(1),
      }),
    ).toEqual({ status: 200, body: { stored: 1, duplicates: 0 } });
    await deps.health.idle();
    expect(await health()).toEqual([{ key: 'acme', score: 32, band: 'red' }]);

    // A re-sent event touches nothing, so nothing is recomputed.
    await db.orm.execute(sql`delete from account_health`);
    expect(
      await post('billing-events', {
        account: 'acme',
        external_id: 'evt_acme_failed',
        type: 'payment_failed',
        occurred_at: daysAgo(1),
      }),
    ).toEqual({ status: 200, body: { stored: 0, duplicates: 1 } });
    await deps.health.idle();
    expect(await health()).toEqual([]);
  });
});
