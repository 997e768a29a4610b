import { DateTime } from 'luxon';

/** The periods `/cs metrics` reports on: the current month, quarter or year to date, or one month. */
export type PeriodChoice = { kind: 'month' | 'quarter' | 'year' } | { kind: 'named-month'; month: string };

export interface Period {
  /** `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /** How a person names it: "December 2026", "Q4 2026", "2026". */
  label: string;
}

/** A period and the one before it, whole, to compare with. */
export interface PeriodPair {
  current: Period;
  previous: Period;
}

const labelOf = (start: DateTime, unit: 'month' | 'quarter' | 'year') =>
  unit === 'month'
    ? start.toFormat('LLLL yyyy')
    : unit === 'quarter'
      ? `Q${start.quarter} ${start.year}`
      : `${start.year}`;

const whole = (start: DateTime, unit: 'month' | 'quarter' | 'year'): Period => ({
  from: start.toISODate()!,
  to: start.endOf(unit).toISODate()!,
  label: labelOf(start, unit),
});

/**
 * The period a choice names on `today` (a calendar day in PULSE_TIMEZONE): the current month, quarter or
 * year runs to today; a named month is whole (to today when it is the current one). Null for a month in
 * the future.
 */
export function periodPair(choice: PeriodChoice, today: string): PeriodPair | null {
  const day = DateTime.fromISO(today, { zone: 'UTC' });
  const unit = choice.kind === 'named-month' ? 'month' : choice.kind;
  const start =
    choice.kind === 'named-month'
      ? DateTime.fromISO(`${choice.month}-01`, { zone: 'UTC' })
      : day.startOf(unit);
  if (start > day) return null;
  const current = whole(start, unit);
  if (current.to > today) current.to = today;
  return { current, previous: whole(start.minus({ [unit]: 1 }), unit) };
}

/** The first days of the last `count` months up to today's, oldest first, with each month's last day. */
export function lastMonths(today: string, count: number): Period[] {
  const month = DateTime.fromISO(today, { zone: 'UTC' }).startOf('month');
  return Array.from({ length: count }, (_, i) => {
    const period = whole(month.minus({ months: count - 1 - i }), 'month');
    return {
      ...period,
      to: period.to > today ? today : period.to,
      label: month.minus({ months: count - 1 - i }).toFormat('LLL yy'),
    };
  });
}
