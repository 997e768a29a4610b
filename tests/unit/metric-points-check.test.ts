import { describe, expect, it } from 'vitest';
import { metricPointSchema } from '../../src/domain/ingestion.ts';
import { parseBatch } from '../../src/domain/ingestion-batch.ts';
import { plainlyValidMetricPoints } from '../../src/domain/metric-points-check.ts';

const point = { account: 'acme', metric: 'active_users', value: 12, at: '2024-05-01T09:30:00Z' };

/** Values each field is tried with: valid ones, ones at and past each limit, and plainly wrong ones. */
const TRIED: Record<keyof typeof point, unknown[]> = {
  account: [
    'acme',
    'acme-corp',
    'acme_corp',
    'a1-b2_c3',
    'null',
    '0',
    'a'.repeat(64),
    'a'.repeat(65),
    '',
    'Acme',
    'acme--corp',
    '-acme',
    'acme-',
    'acme corp',
    'açme',
    'acme\u0000',
    'acme\ud800',
    ' acme',
    'acme\n',
    42,
    null,
    undefined,
    ['acme'],
    { key: 'acme' },
    true,
  ],
  metric: [
    'active_users',
    'logins',
    'a',
    'a.b_c9',
    'null',
    `a${'b'.repeat(99)}`,
    `a${'b'.repeat(100)}`,
    '',
    '9lives',
    '_x',
    'Logins',
    'log-ins',
    'logins\u0000',
    'l\udc00',
    'logins\n',
    7,
    null,
    undefined,
  ],
  value: [
    0,
    -0,
    12,
    -3.5,
    1e308,
    -1e-308,
    Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '12',
    '',
    null,
    undefined,
    true,
    [1],
    { n: 1 },
  ],
  at: [
    '2024-05-01T09:30:00Z',
    '2024-05-01T09:30:00.123Z',
    '2024-05-01T09:30:00.123456789Z',
    '2024-05-01T06:30:00-03:00',
    '2024-05-01T09:30:00+00:00',
    '2024-02-29T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-05-01T09:30Z',
    '2024-05-01T09:30:00',
    '2024-05-01T24:00:00Z',
    '2024-05-01T09:30:60Z',
    '2024-05-01T09:30:00+24:00',
    '2024-05-01T09:30:00+0300',
    '2024-05-01t09:30:00z',
    '2024-05-01 09:30:00Z',
    '2024-05-01',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+002024-05-01T09:30:00Z',
    'yesterday',
    '',
    '2024-05-01T09:30:00Z\u0000',
    1714555800000,
    null,
    undefined,
  ],
};

/** Every variation of one field at a time, plus wrong shapes of the whole item. */
function* candidates(): Generator<unknown> {
  for (const [field, values] of Object.entries(TRIED)) {
    for (const value of values) yield { ...point, [field]: value };
  }
  const { at: _at, ...withoutAt } = point;
  yield withoutAt;
  yield { ...point, source: 'crm' };
  yield { ...point, 'at\u0000': 1 };
  yield { ...point, __proto__: null };
  yield JSON.parse(
    '{"account":"acme","metric":"logins","value":1,"at":"2024-05-01T00:00:00Z","__proto__":1}',
  );
  yield { value: 1, at: point.at, metric: point.metric, account: point.account };
  yield Object.assign(Object.create({ extra: 1 }), point);
  yield null;
  yield 'acme';
  yield 3;
  yield [point];
  yield [];
}

describe('plainlyValidMetricPoints', () => {
  it('accepts a plain object exactly when the schema does, with the same output', () => {
    const plain = (item: unknown) =>
      typeof item === 'object' && item !== null && Object.getPrototypeOf(item) === Object.prototype;
    let accepted = 0;
    for (const item of candidates()) {
      const schema = metricPointSchema.safeParse(item);
      const fast = plainlyValidMetricPoints([item]);
      // Never accepted when the schema refuses; always accepted when it accepts what JSON.parse makes.
      expect({ item, fast: fast !== undefined }).toEqual({ item, fast: schema.success && plain(item) });
      if (fast) {
        accepted++;
        expect(fast).toEqual([schema.data]);
      }
    }
    expect(accepted).toBeGreaterThan(20);
  });

  it('takes the common forms of a valid batch', () => {
    const batch = [
      point,
      { ...point, account: 'acme-corp', value: -0.5 },
      { ...point, metric: 'tickets_open', at: '2024-05-01T06:30:00.5-03:00' },
    ];
    expect(plainlyValidMetricPoints(batch)).toEqual(batch);
    expect(plainlyValidMetricPoints(point)).toEqual([point]);
    expect(plainlyValidMetricPoints([])).toEqual([]);
  });

  it('gives up on the whole batch at its first point that is not plainly valid', () => {
    expect(plainlyValidMetricPoints([point, { ...point, value: '3' }, point])).toBeUndefined();
    expect(plainlyValidMetricPoints([point, { ...point, at: '0000-01-01T00:00:00Z' }])).toBeUndefined();
  });
});

describe('parseBatch of metrics', () => {
  it('answers a batch with the schema, item by item, whichever path it takes', () => {
    const items = [...candidates()];
    for (const item of items) {
      const schema = metricPointSchema.safeParse(item);
      const batch = parseBatch('metrics', [point, item]);
      expect({ item, ok: batch.ok }).toEqual({ item, ok: schema.success });
      if (batch.ok) expect(batch.items).toEqual([point, schema.data]);
    }
  });

  it('names every problem of a large batch with its path when one point is wrong', () => {
    const batch = Array.from({ length: 5_000 }, (_, i) => ({ ...point, value: i }));
    batch.push({ ...point, value: 'x' as unknown as number });
    batch.push({ ...point, at: 'yesterday', extra: true } as unknown as typeof point);
    expect(parseBatch('metrics', batch)).toEqual({
      ok: false,
      errors: [
        { path: '[5000].value', message: 'expected a number' },
        {
          path: '[5001].at',
          message:
            'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
        },
        { path: '[5001].extra', message: 'unknown field; the fields are: account, metric, value, at' },
      ],
    });
  });
});
