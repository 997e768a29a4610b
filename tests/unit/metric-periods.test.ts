import { describe, expect, it } from 'vitest';
import { lastMonths, periodPair } from '../../src/domain/metric-periods.ts';

describe('periods of /cs metrics', () => {
  it('runs the current month, quarter and year to today, against the whole period before', () => {
    expect(periodPair({ kind: 'month' }, '2026-12-05')).toEqual({
      current: { from: '2026-12-01', to: '2026-12-05', label: 'December 2026' },
      previous: { from: '2026-11-01', to: '2026-11-30', label: 'November 2026' },
    });
    expect(periodPair({ kind: 'quarter' }, '2026-02-10')).toEqual({
      current: { from: '2026-01-01', to: '2026-02-10', label: 'Q1 2026' },
      previous: { from: '2025-10-01', to: '2025-12-31', label: 'Q4 2025' },
    });
    expect(periodPair({ kind: 'year' }, '2024-03-01')?.previous).toEqual({
      from: '2023-01-01',
      to: '2023-12-31',
      label: '2023',
    });
  });

  it('takes a named month whole, leap February included; none in the future', () => {
    expect(periodPair({ kind: 'named-month', month: '2024-02' }, '2024-06-01')).toEqual({
      current: { from: '2024-02-01', to: '2024-02-29', label: 'February 2024' },
      previous: { from: '2024-01-01', to: '2024-01-31', label: 'January 2024' },
    });
    expect(periodPair({ kind: 'named-month', month: '2024-07' }, '2024-06-01')).toBeNull();
  });

  it('lists the last 12 months, this one to today', () => {
    const months = lastMonths('2026-12-05', 12);
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ from: '2026-01-01', to: '2026-01-31', label: 'Jan 26' });
    expect(months[11]).toEqual({ from: '2026-12-01', to: '2026-12-05', label: 'Dec 26' });
  });
});
