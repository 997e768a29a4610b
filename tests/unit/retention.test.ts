import { describe, expect, it } from 'vitest';
import {
  type AccountEdges,
  daysInPeriod,
  median,
  movementKind,
  retention,
  toCents,
} from '../../src/domain/retention.ts';

const JANUARY = { from: '2024-01-01', to: '2024-01-31', grossMargin: '1' };

/** An account's edges in one currency: `null` for no MRR at that edge. */
const edges = (
  key: string,
  start: string | null,
  end: string | null,
  hadMrrBefore = start !== null && start !== '0',
  currency = 'USD',
): AccountEdges => ({
  key,
  start,
  startCurrency: start === null ? null : currency,
  end,
  endCurrency: end === null ? null : currency,
  hadMrrBefore,
});

const figuresOf = (result: ReturnType<typeof retention>) => {
  if (!result.ok) throw new Error(`currency needed: ${result.currencies}`);
  return result.figures;
};

describe('retention: one period with every kind of movement', () => {
  // Hand-computed: Σs = 100 + 200 + 300 + 400 = 1000 over 4 accounts; Σe = 100 + 200 + 150 + 120 + 400 = 970
  // over 5 (churned-1 ends at 0); 1000 + 100 + 200 + 50 − 80 − 300 = 970.
  const table = [
    edges('new-1', null, '100'),
    edges('back-1', '0', '200', true),
    edges('up-1', '100', '150'),
    edges('down-1', '200', '120'),
    edges('churned-1', '300', '0'),
    edges('same-1', '400', '400'),
    edges('never-1', null, '0'),
  ];

  it('classifies each account by its s and e', () => {
    const result = retention(table, JANUARY);
    expect(result.ok && result.movements.map((m) => [m.key, m.kind])).toEqual([
      ['new-1', 'new'],
      ['back-1', 'reactivation'],
      ['up-1', 'expansion'],
      ['down-1', 'contraction'],
      ['churned-1', 'churned'],
      ['same-1', 'unchanged'],
    ]);
  });

  it('answers the bridge, the ratios, ARPA and LTV', () => {
    expect(figuresOf(retention(table, JANUARY))).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
      currency: 'USD',
      accounts: { start: 4, end: 5, new: 1, reactivated: 1, churned: 1, expanded: 1, contracted: 1 },
      mrr: {
        start: 1000,
        new: 100,
        reactivation: 200,
        expansion: 50,
        contraction: 80,
        churned: 300,
        end: 970,
      },
      // (1000 − 80 − 300) ÷ 1000; (1000 + 50 − 80 − 300) ÷ 1000; 1 ÷ 4; 1 ÷ 4.
      grr: 0.62,
      nrr: 0.67,
      logo_churn_rate: 0.25,
      expansion_rate: 0.25,
      // 970 ÷ 5.
      arpa: 194,
      // 194 × 1 ÷ (0.25 × 30.4375 ÷ 31) = 790.3408…
      ltv: 790.34,
    });
  });

  it('scales LTV by GROSS_MARGIN', () => {
    // 790.3408… × 0.8 = 632.2727…
    expect(figuresOf(retention(table, { ...JANUARY, grossMargin: '0.8' })).ltv).toBe(632.27);
  });

  it('scales the logo churn to a month by the days in the period', () => {
    // A quarter of 91 days: 194 ÷ (0.25 × 30.4375 ÷ 91) = 2320.0328…
    const quarter = { from: '2024-01-01', to: '2024-03-31', grossMargin: '1' };
    expect(daysInPeriod(quarter.from, quarter.to)).toBe(91);
    expect(figuresOf(retention(table, quarter)).ltv).toBe(2320.03);
  });
});

describe('retention: edge cases', () => {
  it('reports ratios as decimals, and LTV null when no account churned', () => {
    // (1600 − 100) ÷ 1600 = 0.9375; 1500 ÷ 2 = 750.
    const figures = figuresOf(retention([edges('a', '1000', '900'), edges('b', '600', '600')], JANUARY));
    expect(figures).toMatchObject({ grr: 0.9375, nrr: 0.9375, logo_churn_rate: 0, arpa: 750, ltv: null });
  });

  it('leaves out an account created and churned inside the period: neither new nor churned', () => {
    const figures = figuresOf(
      retention([edges('flash', null, '0'), edges('kept', '500', '500'), edges('gone', '500', '0')], JANUARY),
    );
    expect(figures.accounts).toEqual({
      start: 2,
      end: 1,
      new: 0,
      reactivated: 0,
      churned: 1,
      expanded: 0,
      contracted: 0,
    });
    expect(figures.logo_churn_rate).toBe(0.5);
  });

  it('answers nothing but the currencies when accounts use more than one and none is chosen', () => {
    const table = [
      edges('us', '100', '100'),
      edges('br', '300', '0', true, 'BRL'),
      edges('eu', null, '50', false, 'EUR'),
    ];
    expect(retention(table, JANUARY)).toEqual({
      ok: false,
      currencies: ['BRL', 'EUR', 'USD'],
      mostUsed: 'BRL',
    });
    const moreUsd = [...table, edges('us-2', '10', '10')];
    expect(retention(moreUsd, JANUARY)).toMatchObject({ ok: false, mostUsed: 'USD' });
    const brl = figuresOf(retention(table, { ...JANUARY, currency: 'BRL' }));
    expect(brl).toMatchObject({
      currency: 'BRL',
      accounts: { start: 1, end: 0, churned: 1 },
      mrr: { start: 300, churned: 300, end: 0 },
      grr: 0,
      nrr: 0,
      arpa: null,
      ltv: null,
    });
  });

  it('takes the one currency used without being told, and ratios are null with no MRR at the start', () => {
    const figures = figuresOf(retention([edges('eu', null, '50', false, 'EUR')], JANUARY));
    expect(figures).toMatchObject({
      currency: 'EUR',
      mrr: { new: 50 },
      grr: null,
      nrr: null,
      logo_churn_rate: null,
    });
  });

  it('sums cents exactly where floats would not', () => {
    const table = Array.from({ length: 10 }, (_, i) => edges(`a${i}`, '0.10', '0.20'));
    expect(figuresOf(retention(table, JANUARY)).mrr).toMatchObject({ start: 1, expansion: 1, end: 2 });
    expect(toCents('1250.5')).toBe(125050n);
  });

  it('names each movement from s, e and whether the account had MRR before', () => {
    expect(movementKind(0n, 1n, false)).toBe('new');
    expect(movementKind(0n, 1n, true)).toBe('reactivation');
    expect(movementKind(0n, 0n, true)).toBeUndefined();
    expect(movementKind(5n, 5n, true)).toBe('unchanged');
  });

  it('takes the median of the days to onboard', () => {
    expect(median([])).toBeNull();
    expect(median([30, 10, 20])).toBe(20);
    expect(median([10, 40, 20, 30])).toBe(25);
  });
});
