import { DateTime } from 'luxon';
import { en, type MessageKey } from './en.ts';
import { ptBR } from './pt-BR.ts';

export type { MessageKey } from './en.ts';

import { LOCALES } from '../domain/accounts.ts';

/** The languages Pulse speaks to customers: an account's `locale`. */
export { LOCALES };
export type Locale = (typeof LOCALES)[number];

export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, 'pt-BR': ptBR };

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/** The placeholders a message takes, e.g. `['name']` for "Hi {name}!". */
export const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/**
 * The message in the locale (English for an unknown one), its placeholders filled in. A value that ends
 * with its own period (an abbreviated date, "12 de dez.") takes the place of the sentence's period after
 * it, so no sentence ends in "..".
 */
export function t(locale: string, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const catalogue = isLocale(locale) ? CATALOGUES[locale] : en;
  return catalogue[key].replace(/\{(\w+)\}(\.?)/g, (whole, name: string, period: string) => {
    if (!Object.hasOwn(vars, name)) return whole;
    const value = String(vars[name]);
    return period && value.endsWith('.') ? value : `${value}${period}`;
  });
}

/** A calendar date as people of the locale write it: "Mon 30 Nov" / "seg., 30 de nov.". */
export function localDate(locale: string, at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale(isLocale(locale) ? locale : 'en');
  return locale === 'pt-BR' ? dt.toFormat("ccc, d 'de' LLL") : dt.toFormat('ccc d LLL');
}
