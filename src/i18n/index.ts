import { IntlMessageFormat } from 'intl-messageformat';
import { DateTime } from 'luxon';
import { LOCALES } from '../domain/accounts.ts';
import type { StoredMessage, StoredValue } from '../domain/stored-text.ts';
import { type CustomerKey, en } from './en.ts';
import { type MessageFunction, messageFunction } from './message-function.ts';
import { ptBR } from './pt-BR.ts';
import { type TeamKey, teamEn, teamPtBR } from './team/index.ts';

/**
 * Every string Pulse shows a person, in ICU MessageFormat (`{name}`, `{n, plural, one {# account} other
 * {# accounts}}`, `{kind, select, …}`, `{n, number}`); `<…>` is text, not a rich-text tag, as Slack's
 * mentions and links and the usage lines' `<account>` are): what customers read (en.ts, pt-BR.ts) and what
 * the CS team reads (team/, one module per surface). Each locale has every key with the same arguments
 * (tests/unit/i18n.test.ts).
 */
export type MessageKey = CustomerKey | TeamKey;
export type { CustomerKey, TeamKey };

/** The languages Pulse speaks: an account's `locale` for customers, a person's Slack locale or PULSE_LOCALE for the team. */
export { LOCALES };
export type Locale = (typeof LOCALES)[number];

export const CATALOGUES: Record<Locale, Record<MessageKey, string>> = {
  en: { ...en, ...teamEn },
  'pt-BR': { ...ptBR, ...teamPtBR },
};

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/**
 * The supported locale for a Slack locale (`pt-BR`, `pt-PT`, `en-US`, `es-ES`…): Portuguese reads
 * Brazilian Portuguese, anything else English.
 */
export function localeOf(slackLocale: string | undefined | null): Locale {
  if (!slackLocale) return 'en';
  if (isLocale(slackLocale)) return slackLocale;
  return /^pt([-_]|$)/i.test(slackLocale) ? 'pt-BR' : 'en';
}

/**
 * Slack's mrkdwn is full of angle brackets (`/cs rts <account>`, `<@U…>`, `<url|label>`): none is
 * MessageFormat's rich-text tag, so tags are off.
 */
const PARSE = { ignoreTag: true };

interface Compiled {
  format: IntlMessageFormat;
  /** The same output without IntlMessageFormat's per-call work, for the elements it knows. */
  fast: MessageFunction | undefined;
}

const compiled = new Map<string, Compiled>();

/**
 * A message compiled once per locale, key and the arguments whose value ends with its own period:
 * parsing is most of what formatting one costs. Such a value ("12 de dez.") takes the place of the
 * sentence's period right after it, so no sentence ends in "..".
 */
function message(locale: Locale, key: MessageKey, endingInPeriod: string[]): Compiled {
  const id = `${locale}\u0000${key}\u0000${endingInPeriod.join(',')}`;
  let found = compiled.get(id);
  if (!found) {
    let text: string = CATALOGUES[locale][key];
    for (const name of endingInPeriod) text = text.replaceAll(`{${name}}.`, `{${name}}`);
    const format = new IntlMessageFormat(text, locale, undefined, PARSE);
    found = { format, fast: messageFunction(format.getAst(), locale) };
    compiled.set(id, found);
  }
  return found;
}

export type MessageValues = Record<string, string | number | Date>;

/**
 * The message in the locale (English for one Pulse does not speak), its arguments filled in. Values are
 * inserted as given: escape data for mrkdwn before passing it.
 */
export function t(locale: string, key: MessageKey, values: MessageValues = {}): string {
  const endingInPeriod = Object.keys(values).filter(
    (name) => typeof values[name] === 'string' && (values[name] as string).endsWith('.'),
  );
  const { format, fast } = message(isLocale(locale) ? locale : 'en', key, endingInPeriod);
  return fast?.(values) ?? String(format.format(values));
}

/**
 * A sentence to store now and show later in each reader's language (src/domain/stored-text.ts): the key
 * is checked against the catalogue here, where it is written.
 */
export const storedMessage = (key: TeamKey, values?: Record<string, StoredValue>): StoredMessage =>
  values ? { key, values } : { key };

/** Whether a stored key is still in the catalogue: a row outlives the release that wrote it. */
export const isMessageKey = (key: string): key is MessageKey => key in CATALOGUES.en;

/** The arguments a message takes, e.g. `['count', 'name']`, found in its plurals and selects too. */
export function argumentsOf(text: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<IntlMessageFormat['getAst']>) => {
    for (const element of elements) {
      // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural (the parser's element types)
      if (element.type >= 1 && element.type <= 6 && 'value' in element) names.add(String(element.value));
      if ('options' in element) {
        for (const option of Object.values(element.options)) walk(option.value);
      }
      if ('children' in element) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(text, 'en', undefined, PARSE).getAst());
  return [...names].sort();
}

/** A calendar date as people of the locale write it: "Mon 30 Nov" / "seg., 30 de nov.". */
export function localDate(locale: string, at: Date, zone: string): string {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale(isLocale(locale) ? locale : 'en');
  return locale === 'pt-BR' ? dt.toFormat("ccc, d 'de' LLL") : dt.toFormat('ccc d LLL');
}
