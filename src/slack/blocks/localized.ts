import { DateTime } from 'luxon';
import type { Band } from '../../domain/health.ts';
import { formatMoney, formatNumber, formatRelative } from '../../i18n/format.ts';
import { type Locale, t } from '../../i18n/index.ts';
import { calendarDate, count, money, relative, signed } from './format.ts';

/*
 * The locale-taking variants of format.ts's helpers for the `/cs` answers, the card and the modals.
 * English keeps format.ts's exact output (what the contract and the English tests read); Portuguese goes
 * through Intl (src/i18n/format.ts) and the catalogue.
 */

/** "1,200" / "1.200". */
export const countIn = (locale: Locale, n: number) =>
  locale === 'en' ? count(n) : formatNumber(locale, n, 0);

/** A signed change with a true minus sign: "+3", "−1.200", "±0"; n/a when unknown. */
export const signedIn = (locale: Locale, n: number | null) =>
  n === null
    ? t(locale, 'common.notAvailable')
    : locale === 'en'
      ? signed(n)
      : signed(n).replace(/\d+/, (d) => countIn(locale, Number(d)));

/** "$12,000.00" / "R$ 12.000,00"; n/a when unknown. */
export function moneyIn(locale: Locale, amount: string | number | null, currency: string | null): string {
  if (amount === null || amount === undefined) return t(locale, 'common.notAvailable');
  if (locale === 'en') return money(amount, currency);
  const value = typeof amount === 'string' ? Number(amount) : amount;
  try {
    return formatMoney(locale, value, currency ?? 'USD');
  } catch {
    return `${formatNumber(locale, value, 2)} ${currency}`;
  }
}

/** A calendar date (YYYY-MM-DD): "Mon 30 Mar 2027" / "seg., 30 de mar. de 2027". */
export const calendarDateIn = (locale: Locale, date: string) =>
  locale === 'en'
    ? calendarDate(date)
    : DateTime.fromISO(date, { zone: 'utc' }).setLocale(locale).toFormat("ccc, d 'de' LLL 'de' yyyy");

/** "3 days ago" / "há 3 dias", in the largest whole unit. */
export const relativeIn = (locale: Locale, at: Date, now: Date) =>
  locale === 'en' ? relative(at, now) : formatRelative(locale, at, now);

/** The band's name: "red" / "vermelho". */
export const bandIn = (locale: Locale, band: Band | null) =>
  t(locale, 'common.band', { band: band ?? 'none' });

/** The contract's form, `NN/100` followed by the band, in the locale: "42/100 vermelho". */
export const scoreTextIn = (locale: Locale, score: number | null, band: Band | null) =>
  score === null || band === null
    ? t(locale, 'common.noData')
    : t(locale, 'common.score', { score, band: bandIn(locale, band) });

/** `<@U…>`, else "no owner" / "sem responsável". */
export const mentionIn = (locale: Locale, userId: string | null | undefined) =>
  userId ? `<@${userId}>` : t(locale, 'common.noOwner');
