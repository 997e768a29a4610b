type IntlObject = Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.PluralRules;
const cache = new Map<string, IntlObject>();

/** Intl formatters are costly to build and cheap to use: one per locale and options, `id` naming both. */
export function cached<T extends IntlObject>(id: string, build: () => T): T {
  let format = cache.get(id) as T | undefined;
  if (!format) {
    format = build();
    cache.set(id, format);
  }
  return format;
}
