/**
 * Revenue retention over a period, exactly as docs/retention.md defines it. Pure: the per-account MRR at
 * the period's start (`s`) and end (`e`) come in, the bridge and the ratios come out. Money is counted
 * in integer cents (bigint), so no sum is ever a float; ratios are exact until they are rounded to 4
 * decimals for the answer.
 */

/** One account's MRR at the period's edges, as stored (`numeric` text in the major unit). */
export interface AccountEdges {
  key: string;
  /** MRR in effect at the start of `from` (just before its first instant) and its currency; null: none. */
  start: string | null;
  startCurrency: string | null;
  /** MRR in effect at the end of `to`, and its currency; null: none. */
  end: string | null;
  endCurrency: string | null;
  /** Whether the account had an MRR above 0 at any time before the period. */
  hadMrrBefore: boolean;
  /** Who owns the account now, when the query asked. */
  owner?: string | null;
}

export const MOVEMENT_KINDS = [
  'new',
  'reactivation',
  'expansion',
  'contraction',
  'churned',
  'unchanged',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** An account of the report: its `s` and `e` in cents and what its movement over the period was. */
export interface AccountMovement {
  key: string;
  start: bigint;
  end: bigint;
  kind: MovementKind;
}

export interface RetentionFigures {
  from: string;
  to: string;
  currency: string;
  accounts: {
    start: number;
    end: number;
    new: number;
    reactivated: number;
    churned: number;
    expanded: number;
    contracted: number;
  };
  mrr: {
    start: number;
    new: number;
    reactivation: number;
    expansion: number;
    contraction: number;
    churned: number;
    end: number;
  };
  grr: number | null;
  nrr: number | null;
  logo_churn_rate: number | null;
  expansion_rate: number | null;
  arpa: number | null;
  ltv: number | null;
}

export type RetentionResult =
  | { ok: true; figures: RetentionFigures; movements: AccountMovement[] }
  /**
   * More than one currency is used and none was chosen: there is no silent conversion. `mostUsed` is
   * the one most accounts are in (alphabetical order breaks ties), for surfaces that pick one.
   */
  | { ok: false; currencies: string[]; mostUsed: string };

/** Days in an average month (365.25 ÷ 12): a period's logo churn rate is scaled to a month with it. */
export const DAYS_PER_MONTH = 30.4375;
// 30.4375 = 487 / 16, kept as a fraction so LTV stays exact until it is rounded.
const MONTH_NUMERATOR = 487n;
const MONTH_DENOMINATOR = 16n;

/** A decimal text ("1250.5", "0.75") as an exact fraction. */
export function decimalFraction(text: string): { numerator: bigint; denominator: bigint } {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (match[2] === '' && !match[3])) throw new Error(`not a decimal number: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const numerator = BigInt(`${whole || '0'}${fraction}`) * (sign ? -1n : 1n);
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/** A `numeric` amount in the major unit → integer cents (amounts are stored with 2 decimals at most). */
export function toCents(amount: string): bigint {
  const { numerator, denominator } = decimalFraction(amount);
  return divideRounded(numerator * 100n, denominator);
}

/** Integer division rounded half away from zero. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/** Cents → the major unit as a JSON number, exact to the cent. */
export const fromCents = (cents: bigint): number => Number(cents) / 100;

/** Cents → the major unit as decimal text with 2 decimals ("1250.50"), for files. */
export function centsText(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** numerator ÷ denominator as a decimal rounded to 4 places; null when the denominator is 0. */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  return Number(divideRounded(numerator * 10_000n, denominator)) / 10_000;
}

/** Calendar days from `from` to `to`, both included (`YYYY-MM-DD`). */
export function daysInPeriod(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** What an account did over the period, from its `s` and `e`; undefined when it had MRR at neither edge. */
export function movementKind(start: bigint, end: bigint, hadMrrBefore: boolean): MovementKind | undefined {
  if (start === 0n) return end > 0n ? (hadMrrBefore ? 'reactivation' : 'new') : undefined;
  if (end === 0n) return 'churned';
  if (end > start) return 'expansion';
  if (end < start) return 'contraction';
  return 'unchanged';
}

/** The currencies the accounts' MRR is in, at either edge, each with how many accounts use it. */
function accountsByCurrency(edges: AccountEdges[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of edges) {
    const used = new Set<string>();
    if (a.start !== null && a.startCurrency && toCents(a.start) > 0n) used.add(a.startCurrency);
    if (a.end !== null && a.endCurrency && toCents(a.end) > 0n) used.add(a.endCurrency);
    for (const c of used) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return counts;
}

/** An edge's MRR in cents when it is in the report's currency; 0 otherwise (another currency is not this one's). */
const inCurrency = (amount: string | null, currency: string | null, chosen: string) =>
  amount !== null && currency === chosen ? toCents(amount) : 0n;

/**
 * The MRR bridge and the retention figures of one period and one currency. `currency` may be left out
 * when the accounts use at most one; `grossMargin` is a decimal text (GROSS_MARGIN, "1" by default).
 */
export function retention(
  edges: AccountEdges[],
  period: { from: string; to: string; currency?: string; grossMargin: string },
): RetentionResult {
  const counts = accountsByCurrency(edges);
  const used = [...counts.keys()].sort();
  if (!period.currency && used.length > 1) {
    const mostUsed = used.reduce((best, c) => (counts.get(c)! > counts.get(best)! ? c : best));
    return { ok: false, currencies: used, mostUsed };
  }
  const currency = period.currency ?? used[0] ?? 'USD';

  const movements: AccountMovement[] = [];
  for (const a of edges) {
    const start = inCurrency(a.start, a.startCurrency, currency);
    const end = inCurrency(a.end, a.endCurrency, currency);
    const kind = movementKind(start, end, a.hadMrrBefore);
    if (kind) movements.push({ key: a.key, start, end, kind });
  }

  const count = (kind: MovementKind) => movements.filter((m) => m.kind === kind).length;
  const sum = (kind: MovementKind, amount: (m: AccountMovement) => bigint) =>
    movements.filter((m) => m.kind === kind).reduce((total, m) => total + amount(m), 0n);
  const startTotal = movements.reduce((total, m) => total + m.start, 0n);
  const endTotal = movements.reduce((total, m) => total + m.end, 0n);
  const startCount = movements.filter((m) => m.start > 0n).length;
  const endCount = movements.filter((m) => m.end > 0n).length;

  const mrr = {
    start: startTotal,
    new: sum('new', (m) => m.end),
    reactivation: sum('reactivation', (m) => m.end),
    expansion: sum('expansion', (m) => m.end - m.start),
    contraction: sum('contraction', (m) => m.start - m.end),
    churned: sum('churned', (m) => m.start),
    end: endTotal,
  };
  const churnedCount = count('churned');

  // ARPA = Σe ÷ count(e > 0). LTV = ARPA × margin ÷ (rate × 30.4375 ÷ days), with rate = churned ÷ count(s > 0):
  // one fraction, rounded once.
  const margin = decimalFraction(period.grossMargin);
  const days = BigInt(daysInPeriod(period.from, period.to));
  const ltv =
    churnedCount && endCount
      ? divideRounded(
          endTotal * margin.numerator * days * BigInt(startCount) * MONTH_DENOMINATOR,
          BigInt(endCount) * margin.denominator * MONTH_NUMERATOR * BigInt(churnedCount),
        )
      : null;

  return {
    ok: true,
    movements,
    figures: {
      from: period.from,
      to: period.to,
      currency,
      accounts: {
        start: startCount,
        end: endCount,
        new: count('new'),
        reactivated: count('reactivation'),
        churned: churnedCount,
        expanded: count('expansion'),
        contracted: count('contraction'),
      },
      mrr: {
        start: fromCents(mrr.start),
        new: fromCents(mrr.new),
        reactivation: fromCents(mrr.reactivation),
        expansion: fromCents(mrr.expansion),
        contraction: fromCents(mrr.contraction),
        churned: fromCents(mrr.churned),
        end: fromCents(mrr.end),
      },
      grr: ratio(startTotal - mrr.contraction - mrr.churned, startTotal),
      nrr: ratio(startTotal + mrr.expansion - mrr.contraction - mrr.churned, startTotal),
      logo_churn_rate: ratio(BigInt(churnedCount), BigInt(startCount)),
      expansion_rate: ratio(BigInt(count('expansion')), BigInt(startCount)),
      arpa: endCount ? fromCents(divideRounded(endTotal, BigInt(endCount))) : null,
      ltv: ltv === null ? null : fromCents(ltv),
    },
  };
}

/** The median of some numbers (the mean of the middle two when their count is even); null when none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
