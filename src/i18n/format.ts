import type { Locale } from './index.ts';
import { cached } from './intl-cache.ts';

/** The minus sign, not a hyphen: "−10". */
const MINUS = '\u2212';

const numberFormat = (locale: Locale, options: Intl.NumberFormatOptions) =>
  cached(`n${locale}${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

/** Negative numbers with a true minus sign, as typesetting wants: Intl gives a hyphen-minus in `en`. */
const withMinus = (text: string) => text.replace(/^-/, MINUS).replace(/(\s|\u00a0)-/, `$1${MINUS}`);

/** `1,234.5` / `1.234,5`. */
export function formatNumber(locale: Locale, value: number, maximumFractionDigits = 1): string {
  return withMinus(numberFormat(locale, { maximumFractionDigits }).format(value));
}

/** `$12,000.00` / `R$ 12.000,00`; `amount` in the currency's major unit. */
export function formatMoney(locale: Locale, amount: number, currency: string): string {
  return withMinus(numberFormat(locale, { style: 'currency', currency }).format(amount));
}

/** `93.8%` / `93,8%` from a ratio (0.9375). */
export function formatPercent(locale: Locale, ratio: number, maximumFractionDigits = 1): string {
  return withMinus(numberFormat(locale, { style: 'percent', maximumFractionDigits }).format(ratio));
}

/** An NPS keeps its sign: `+40`, `0`, `−10`. */
export function formatNps(locale: Locale, nps: number): string {
  const text = formatNumber(locale, Math.abs(nps), 0);
  return nps > 0 ? `+${text}` : nps < 0 ? `${MINUS}${text}` : text;
}

/** `Mon, Nov 30` / `seg., 30 de nov.` in the zone. */
export function formatDay(locale: Locale, at: Date, timeZone: string): string {
  return cached(
    `d${locale}${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone }),
  ).format(at);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** `3 days ago` / `há 3 dias`, `tomorrow` / `amanhã`: the largest whole unit. */
export function formatRelative(locale: Locale, at: Date, now: Date): string {
  const format = cached(`r${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const ms = +at - +now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(ms) >= size) return format.format(Math.trunc(ms / size), unit);
  }
  return format.format(0, 'second');
}
