import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { argumentsOf, CATALOGUES, LOCALES } from '../../src/i18n/index.ts';
import { messageFunction } from '../../src/i18n/message-function.ts';

const PARSE = { ignoreTag: true };
type Elements = ReturnType<IntlMessageFormat['getAst']>;

/** Every option name of the message's selects and plurals, by argument: each is a value worth trying. */
function optionNames(elements: Elements, into = new Map<string, Set<string>>()) {
  for (const element of elements) {
    if ('options' in element) {
      const names = into.get(String(element.value)) ?? new Set<string>();
      for (const [name, option] of Object.entries(element.options)) {
        names.add(name.startsWith('=') ? name.slice(1) : name);
        optionNames(option.value, into);
      }
      into.set(String(element.value), names);
    }
  }
  return into;
}

/** IntlMessageFormat's answer, or the error it throws. */
const reference = (format: IntlMessageFormat, values: Record<string, unknown>) => {
  try {
    return String(format.format(values as Record<string, string>));
  } catch (error) {
    return error as Error;
  }
};

const NUMBERS = [0, 1, 2, 3, 4, 5, 11, 21, 100, 1000, 1234.5, 1e6, -1, -2.5, 0.5, Number.NaN];
const STRINGS = ['', 'x', 'Acme Corp.', '1', '2', '1000', '1234.5', ' 7 ', '0x10', 'abc', 'other'];

describe('messageFunction', () => {
  it.each(LOCALES)('gives IntlMessageFormat’s text for every %s message and many values', (locale) => {
    let compared = 0;
    for (const [key, text] of Object.entries(CATALOGUES[locale])) {
      const format = new IntlMessageFormat(text, locale, undefined, PARSE);
      const fast = messageFunction(format.getAst(), locale);
      // Every element the catalogues use is rendered here: none falls back.
      expect(fast, key).toBeDefined();
      const names = argumentsOf(text);
      const options = optionNames(format.getAst());
      const tries: Array<string | number> = [...NUMBERS, ...STRINGS];
      for (const value of tries) {
        // Each argument in turn takes the value (the others a plain one), then all of them at once.
        const sets = [
          Object.fromEntries(names.map((name) => [name, value])),
          ...names.map((name) =>
            Object.fromEntries(names.map((other) => [other, other === name ? value : 2])),
          ),
        ];
        for (const [name, choices] of options)
          for (const choice of choices)
            sets.push({ ...sets[0], [name]: choice }, { ...sets[0], [name]: Number(choice) });
        for (const values of sets) {
          const expected = reference(format, values);
          const got = fast!(values);
          if (expected instanceof Error) expect(got, `${key} ${JSON.stringify(values)}`).toBeUndefined();
          else expect(got, `${key} ${JSON.stringify(values)}`).toBe(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('leaves to IntlMessageFormat what it does not render: other values, missing ones, other elements', () => {
    const plain = messageFunction(
      new IntlMessageFormat('{a} and {b}', 'en', undefined, PARSE).getAst(),
      'en',
    )!;
    expect(plain({ a: 'x', b: 3 })).toBe('x and 3');
    expect(plain({ a: 'x' })).toBeUndefined();
    expect(plain({ a: 'x', b: new Date(0) })).toBeUndefined();
    expect(plain({ a: 'x', b: null })).toBeUndefined();
    for (const text of [
      '{d, date, short}',
      '{t, time}',
      '{n, number, percent}',
      '{n, plural, offset:1 other {#}}',
    ])
      expect(
        messageFunction(new IntlMessageFormat(text, 'en', undefined, PARSE).getAst(), 'en'),
        text,
      ).toBeUndefined();
  });

  it('formats a # inside a plural, and one in a select within it as text, as IntlMessageFormat does', () => {
    const text = '{n, plural, one {# item} other {# items, {kind, select, a {# a} other {none}}}}';
    const format = new IntlMessageFormat(text, 'pt-BR', undefined, PARSE);
    const fast = messageFunction(format.getAst(), 'pt-BR')!;
    for (const values of [
      { n: 1, kind: 'a' },
      { n: 1234.5, kind: 'a' },
      { n: '3', kind: 'b' },
    ])
      expect(fast(values)).toBe(format.format(values));
    expect(fast({ n: 1234.5, kind: 'a' })).toBe('1.234,5 items, # a');
  });
});
