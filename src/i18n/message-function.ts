import type { IntlMessageFormat } from 'intl-messageformat';
import { cached } from './intl-cache.ts';

type Elements = ReturnType<IntlMessageFormat['getAst']>;
type Values = Record<string, unknown>;

/** A message's text for these values, or undefined when it cannot say (then IntlMessageFormat does). */
export type MessageFunction = (values: Values) => string | undefined;
type Render = (values: Values, pluralValue: number | undefined) => string | undefined;

// The parser's element types.
const LITERAL = 0;
const ARGUMENT = 1;
const NUMBER = 2;
const SELECT = 5;
const PLURAL = 6;
const POUND = 7;

const numberFormat = (locale: string) => cached(`m${locale}`, () => new Intl.NumberFormat(locale));
const rulesOf = (locale: string, type: Intl.PluralRuleType | undefined) =>
  cached(`p${locale}\u0000${type}`, () => new Intl.PluralRules(locale, { type }));

/** Only strings and numbers are rendered here: any other value (or none) goes to IntlMessageFormat. */
const scalar = (value: unknown): value is string | number =>
  typeof value === 'string' || typeof value === 'number';

/**
 * A parsed message as a function of its values, with IntlMessageFormat's output for the elements Pulse's
 * catalogues use (text, `{x}`, `{x, number}`, select, plural with `#`), without its per-call work: it
 * builds a part object per element, merges them, and looks its number formats and plural rules up by a
 * JSON key of their arguments on every call. Undefined for a message with anything else (a date, a
 * styled number, an offset plural), which stays IntlMessageFormat's.
 */
export function messageFunction(elements: Elements, locale: string): MessageFunction | undefined {
  const render = sequence(elements, locale);
  return render && ((values) => render(values, undefined));
}

function sequence(elements: Elements, locale: string): Render | undefined {
  const parts: Render[] = [];
  for (const element of elements) {
    const part = renderOf(element, locale);
    if (!part) return undefined;
    parts.push(part);
  }
  if (parts.length === 1) return parts[0];
  return (values, pluralValue) => {
    let text = '';
    for (const part of parts) {
      const piece = part(values, pluralValue);
      if (piece === undefined) return undefined;
      text += piece;
    }
    return text;
  };
}

/** The option an argument picks; IntlMessageFormat reads them as own properties only. */
const own = <T>(options: Record<string, T>, key: string | number): T | undefined =>
  Object.hasOwn(options, key) ? options[key] : undefined;

function optionsOf(
  options: Record<string, { value: Elements }>,
  locale: string,
): Record<string, Render> | undefined {
  const rendered: Record<string, Render> = {};
  for (const [name, option] of Object.entries(options)) {
    const render = sequence(option.value, locale);
    if (!render) return undefined;
    rendered[name] = render;
  }
  return rendered;
}

function renderOf(element: Elements[number], locale: string): Render | undefined {
  switch (element.type) {
    case LITERAL: {
      const text = element.value;
      return () => text;
    }
    case POUND: {
      const format = numberFormat(locale);
      return (_values, pluralValue) => (typeof pluralValue === 'number' ? format.format(pluralValue) : '');
    }
    case ARGUMENT: {
      const name = element.value;
      return (values) => {
        const value = values[name];
        return scalar(value) ? String(value) : undefined;
      };
    }
    case NUMBER: {
      if (element.style) return undefined;
      const name = element.value;
      const format = numberFormat(locale);
      return (values) => {
        const value = values[name];
        // A numeric string too, as IntlMessageFormat passes it on: Intl reads it as an exact decimal.
        return scalar(value) ? format.format(value as number) : undefined;
      };
    }
    case SELECT: {
      const name = element.value;
      const options = optionsOf(element.options, locale);
      if (!options) return undefined;
      return (values) => {
        const value = values[name];
        if (!scalar(value)) return undefined;
        const option = own(options, value) || options.other;
        // A select starts afresh: a `#` inside it is no longer its plural's number.
        return option?.(values, undefined);
      };
    }
    case PLURAL: {
      if (element.offset) return undefined;
      const name = element.value;
      const rules = rulesOf(locale, element.pluralType);
      const options = optionsOf(element.options, locale);
      if (!options) return undefined;
      return (values) => {
        const value = values[name];
        if (!scalar(value)) return undefined;
        // `value - 0`, as IntlMessageFormat computes it: a numeric string counts as its number.
        const numeric = Number(value);
        const option = own(options, `=${value}`) || own(options, rules.select(numeric)) || options.other;
        return option?.(values, numeric);
      };
    }
    default:
      return undefined;
  }
}
