import { DateTime } from 'luxon';
import type { Band } from '../../domain/health.ts';
import { formatMoney, formatNumber, formatPercent, formatRelative } from '../../i18n/format.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { calendarDate, count, money, relative } from './format.ts';

/*
 * The locale-taking variants of format.ts's helpers, for the surfaces that speak the team's language.
 * English keeps format.ts's exact output (what the contract and the English tests read); Portuguese
 * goes through Intl (src/i18n/format.ts).
 */

/** "1,200" / "1.200". */
export const countIn = (locale: Locale, n: number) =>
  locale === 'en' ? count(n) : formatNumber(locale, n, 0);

/** A signed change with a true minus sign: "+3", "−12", "±0"; n/a when unknown. */
export const signedIn = (locale: Locale, n: number | null) =>
  n === null
    ? t(locale, 'label.notAvailable')
    : n > 0
      ? `+${countIn(locale, n)}`
      : n < 0
        ? `−${countIn(locale, -n)}`
        : '±0';

/** "$12,000.00" / "R$ 12.000,00"; n/a when unknown. */
export function moneyIn(locale: Locale, amount: string | number | null, currency: string | null): string {
  if (amount === null || amount === undefined) return t(locale, 'label.notAvailable');
  if (locale === 'en') return money(amount, currency);
  const value = typeof amount === 'string' ? Number(amount) : amount;
  try {
    return formatMoney(locale, value, currency ?? 'USD');
  } catch {
    return `${formatNumber(locale, value, 2)} ${currency}`;
  }
}

/** A ratio as a percentage, "93.8%" / "93,8%"; n/a when unknown. */
export const percentIn = (locale: Locale, ratio: number | null) =>
  ratio === null
    ? t(locale, 'label.notAvailable')
    : locale === 'en'
      ? `${(ratio * 100).toFixed(1)}%`
      : formatPercent(locale, ratio, 1);

/** A calendar date (YYYY-MM-DD): "Mon 30 Mar 2027" / "seg., 30 de mar. de 2027". */
export const calendarDateIn = (locale: Locale, date: string) =>
  locale === 'en'
    ? calendarDate(date)
    : DateTime.fromISO(date, { zone: 'utc' }).setLocale(locale).toFormat("ccc, d 'de' LLL 'de' yyyy");

/** A day and time in the zone: "Tue 24 Nov 09:00" / "ter., 24 de nov. 09:00". */
export const dayTimeIn = (locale: Locale, at: Date, zone: string) => {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(locale);
  return locale === 'en' ? local.toFormat('ccc d LLL HH:mm') : local.toFormat("ccc, d 'de' LLL HH:mm");
};

/** A week's first day: "Mon 30 Nov 2026" / "seg., 30 de nov. de 2026". */
export const weekOfIn = (locale: Locale, isoDate: string, zone: string) => {
  const local = DateTime.fromISO(isoDate, { zone }).setLocale(locale);
  return locale === 'en' ? local.toFormat('ccc d LLL yyyy') : local.toFormat("ccc, d 'de' LLL 'de' yyyy");
};

/** "3 days ago" / "há 3 dias", in the largest whole unit. */
export const relativeIn = (locale: Locale, at: Date, now: Date) =>
  locale === 'en' ? relative(at, now) : formatRelative(locale, at, now);

/** The band's name: "red" / "vermelho". */
export const bandIn = (locale: Locale, band: Band | null) =>
  t(locale, 'label.band', { band: band ?? 'none' });

/** The contract's `NN/100` and the band, in the locale's word for it; "no data" without a score. */
export const scoreTextIn = (locale: Locale, score: number | null, band: Band | null) =>
  score === null || band === null ? t(locale, 'label.noData') : t(locale, 'label.score', { score, band });

/** A mention, or "no owner". */
export const mentionIn = (locale: Locale, userId: string | null | undefined) =>
  userId ? `<@${userId}>` : t(locale, 'label.noOwner');

/** A month key (YYYY-MM): "April 2030" / "abril de 2030". */
export const monthIn = (locale: Locale, month: string) => {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'utc' }).setLocale(locale);
  return locale === 'en' ? first.toFormat('LLLL yyyy') : first.toFormat("LLLL 'de' yyyy");
};
