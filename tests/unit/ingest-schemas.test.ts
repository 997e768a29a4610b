import { describe, expect, it } from 'vitest';
import { fieldsOf, type IngestKind } from '../../src/domain/ingestion.ts';
import { parseBatch } from '../../src/domain/ingestion-batch.ts';
import { formatPath } from '../../src/domain/problems.ts';

const account = { key: 'acme', name: 'Acme Corp' };
const point = { account: 'acme', metric: 'active_users', value: 12, at: '2024-05-01T09:30:00Z' };
const event = {
  account: 'acme',
  external_id: 'in_1',
  type: 'payment_failed',
  occurred_at: '2024-05-01T09:30:00Z',
};
const contact = { account: 'acme', email: 'ana@acme.com', role: 'champion' };

/** The errors of one object carrying `patch`, or [] when it is valid. */
function errorsOf(kind: IngestKind, base: object, patch: object) {
  const result = parseBatch(kind, { ...base, ...patch });
  return result.ok ? [] : result.errors;
}
const accepts = (kind: IngestKind, base: object, patch: object) =>
  expect(errorsOf(kind, base, patch)).toEqual([]);
const refuses = (kind: IngestKind, base: object, patch: object, path: string) =>
  expect(errorsOf(kind, base, patch).map((e) => e.path)).toEqual([path]);

describe('parseBatch', () => {
  it('takes one object or an array of them', () => {
    expect(parseBatch('metrics', point)).toEqual({ ok: true, items: [point] });
    expect(parseBatch('metrics', [point, point])).toEqual({ ok: true, items: [point, point] });
    expect(parseBatch('metrics', [])).toEqual({ ok: true, items: [] });
  });

  it('refuses a body that is neither an object nor an array', () => {
    for (const body of [null, undefined, 'acme', 42]) {
      expect(parseBatch('accounts', body)).toEqual({
        ok: false,
        errors: [{ path: '', message: 'the body must be a JSON object or an array of objects (accounts)' }],
      });
    }
  });

  it('lists every problem of every item with its path, in order', () => {
    const result = parseBatch('metrics', [
      point,
      { ...point, value: 'x' },
      { account: 'acme', metric: 'active_users', at: 'yesterday', valeu: 3 },
      7,
    ]);
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: '[1].value', message: 'expected a number' },
        { path: '[2].value', message: 'is required' },
        {
          path: '[2].at',
          message:
            'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
        },
        { path: '[2].valeu', message: 'unknown field; the fields are: account, metric, value, at' },
        { path: '[3]', message: 'expected an object' },
      ],
    });
  });

  it('lists the problems up to 100, finishing that item, and only counts those of the items after it', () => {
    const result = parseBatch('metrics', [
      ...Array.from({ length: 60 }, () => ({ account: 'acme', metric: 'logins' })),
      { ...point, value: 'x', 'no\u0000te': 1 },
      point,
    ]);
    // Two problems per item (value, at): the 100th is in item 49, which is listed whole.
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(100);
    expect(result.errors.at(-1)).toEqual({ path: '[49].at', message: 'is required' });
    expect(result.more).toBe(10 * 2 + 2);
  });

  it("names text the database cannot store, before the schema's problems", () => {
    expect(errorsOf('accounts', account, { name: 'Acme\u0000', tier: 'gold' })).toEqual([
      { path: 'name', message: 'contains a NUL character (\\u0000); remove it' },
      { path: 'tier', message: 'must be one of: tech_touch, low_touch, mid_touch, high_touch, exclusive' },
    ]);
  });

  it('paths a single object without an index', () => {
    expect(errorsOf('metrics', point, { value: '12' })).toEqual([
      { path: 'value', message: 'expected a number' },
    ]);
  });

  it('refuses unknown fields, one error per field', () => {
    expect(errorsOf('accounts', account, { nmae: 'x', 'plan name': 'gold' })).toEqual([
      { path: 'nmae', message: `unknown field; the fields are: ${fieldsOf('accounts').join(', ')}` },
      { path: '["plan name"]', message: `unknown field; the fields are: ${fieldsOf('accounts').join(', ')}` },
    ]);
  });

  it('says which required fields are missing', () => {
    const result = parseBatch('billing-events', { account: 'acme' });
    expect(result.ok ? [] : result.errors).toEqual([
      { path: 'external_id', message: 'is required' },
      { path: 'type', message: 'is required' },
      { path: 'occurred_at', message: 'is required' },
    ]);
  });
});

describe('field rules', () => {
  it('account keys are lower-case slugs', () => {
    for (const key of ['acme', 'acme-corp', 'acme_corp', 'a1', '42']) accepts('accounts', account, { key });
    for (const key of ['Acme', 'acme corp', '-acme', 'acme-', 'acme--corp', 'açme', '', 'a'.repeat(65)]) {
      refuses('accounts', account, { key }, 'key');
    }
    refuses('metrics', point, { account: 'ACME' }, 'account');
  });

  it('Slack IDs are a capital letter, then capitals and digits', () => {
    accepts('accounts', account, { owner_slack_id: 'U0123ABCD', channel_id: 'C42' });
    for (const id of ['u0123', 'U', '0U12', 'U-12', '<@U123>'])
      refuses('accounts', account, { channel_id: id }, 'channel_id');
    refuses('contacts', contact, { slack_user_id: 'w123' }, 'slack_user_id');
  });

  it('tier, stage, locale, status, role and billing type are the contract lists', () => {
    for (const tier of ['tech_touch', 'low_touch', 'mid_touch', 'high_touch', 'exclusive']) {
      accepts('accounts', account, { tier });
    }
    expect(errorsOf('accounts', account, { tier: 'gold' })).toEqual([
      { path: 'tier', message: 'must be one of: tech_touch, low_touch, mid_touch, high_touch, exclusive' },
    ]);
    for (const stage of ['onboarding', 'adoption', 'expansion', 'renewal'])
      accepts('accounts', account, { stage });
    refuses('accounts', account, { stage: 'churned' }, 'stage');
    accepts('accounts', account, { locale: 'pt-BR', status: 'churned' });
    refuses('accounts', account, { locale: 'pt' }, 'locale');
    refuses('accounts', account, { status: 'paused' }, 'status');
    for (const role of ['champion', 'decision_maker', 'user']) accepts('contacts', contact, { role });
    refuses('contacts', contact, { role: 'admin' }, 'role');
    accepts('billing-events', event, { type: 'subscription_downgraded' });
    refuses('billing-events', event, { type: 'refund' }, 'type');
  });

  it('instants are ISO 8601 date-times with an offset', () => {
    for (const at of ['2024-05-01T09:30:00Z', '2024-05-01T06:30:00-03:00', '2024-05-01T09:30:00.123456Z']) {
      accepts('metrics', point, { at });
    }
    for (const at of [
      '2024-05-01T09:30:00',
      '2024-05-01',
      '2024-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      1714555800,
    ]) {
      refuses('metrics', point, { at }, 'at');
    }
  });

  it('calendar fields take a date or a date-time, stored as the date written', () => {
    const parsed = (patch: object) => {
      const result = parseBatch('billing-events', { ...event, ...patch });
      return result.ok ? result.items[0] : result.errors;
    };
    expect(parsed({ due_date: '2024-05-31', card_expires_at: '2024-05-31T23:30:00-03:00' })).toMatchObject({
      due_date: '2024-05-31',
      card_expires_at: '2024-05-31',
    });
    expect(parsed({ due_date: '2024-05-31T23:30:00' })).toMatchObject({ due_date: '2024-05-31' });
    for (const date of ['31/05/2024', '2024-13-01', '2023-02-29', 20240531]) {
      refuses('accounts', account, { renewal_date: date }, 'renewal_date');
    }
    expect(errorsOf('accounts', account, { contract_start: '2024-5-1' })).toEqual([
      {
        path: 'contract_start',
        message: 'must be a date, YYYY-MM-DD (e.g. 2024-05-01), or an ISO 8601 date-time',
      },
    ]);
  });

  it('amounts are numbers ≥ 0 with at most 2 decimals', () => {
    for (const mrr of [0, 12, 12.5, 12.34, 999_999_999_999.99]) accepts('accounts', account, { mrr });
    expect(errorsOf('accounts', account, { mrr: 12.345 })).toEqual([
      { path: 'mrr', message: 'must have at most 2 decimals' },
    ]);
    expect(errorsOf('billing-events', event, { amount: -1 })).toEqual([
      { path: 'amount', message: 'must be 0 or more' },
    ]);
    refuses('billing-events', event, { amount: '12.34' }, 'amount');
    refuses('billing-events', event, { amount: 1e-7 }, 'amount');
    refuses('accounts', account, { mrr: 1e12 }, 'mrr');
  });

  it('currencies are three capital letters', () => {
    accepts('accounts', account, { currency: 'BRL' });
    for (const currency of ['usd', 'US', 'USDT', 'R$'])
      refuses('accounts', account, { currency }, 'currency');
  });

  it('metric names are lower-case', () => {
    for (const metric of ['active_users', 'tickets.open', 'logins7d']) accepts('metrics', point, { metric });
    for (const metric of ['Active_users', '7d_logins', 'active-users', '_x', '']) {
      refuses('metrics', point, { metric }, 'metric');
    }
  });

  it('metric values are finite numbers', () => {
    accepts('metrics', point, { value: -3.25 });
    for (const value of ['12', null, Number.POSITIVE_INFINITY, Number.NaN, true]) {
      refuses('metrics', point, { value }, 'value');
    }
  });

  it('seats are whole numbers ≥ 0', () => {
    accepts('accounts', account, { seats: 0 });
    expect(errorsOf('accounts', account, { seats: 2.5 })).toEqual([
      { path: 'seats', message: 'expected an integer' },
    ]);
    refuses('accounts', account, { seats: -1 }, 'seats');
  });

  it('emails are checked and normalised to lower case', () => {
    const result = parseBatch('contacts', { ...contact, email: 'Ana.Silva@ACME.com' });
    expect(result.ok && result.items[0]!.email).toBe('ana.silva@acme.com');
    expect(errorsOf('contacts', contact, { email: 'ana at acme' })).toEqual([
      { path: 'email', message: 'must be an email address, e.g. ana@acme.com' },
    ]);
  });

  it('null clears an optional field of an upsert that may be empty, and is refused where it may not', () => {
    accepts('accounts', account, { mrr: null, seats: null, owner_slack_id: null, renewal_date: null });
    accepts('contacts', contact, { name: null, slack_user_id: null });
    expect(errorsOf('accounts', account, { tier: null })).toEqual([
      { path: 'tier', message: 'must be one of: tech_touch, low_touch, mid_touch, high_touch, exclusive' },
    ]);
    refuses('accounts', account, { name: null }, 'name');
  });

  it('names are trimmed and must not be empty; time zones are IANA zones', () => {
    const result = parseBatch('accounts', {
      ...account,
      name: '  Acme Corp ',
      timezone: 'America/Sao_Paulo',
    });
    expect(result.ok && result.items[0]!.name).toBe('Acme Corp');
    expect(errorsOf('accounts', account, { name: '  ' })).toEqual([
      { path: 'name', message: 'must not be empty' },
    ]);
    refuses('accounts', account, { timezone: 'Brasilia' }, 'timezone');
  });
});

describe('formatPath', () => {
  it('writes indexes in brackets and fields with dots', () => {
    expect(formatPath([3, 'account'])).toBe('[3].account');
    expect(formatPath(['value'])).toBe('value');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'a b'])).toBe('[0]["a b"]');
  });
});
