/**
 * Text Pulse refuses at the door: PostgreSQL rejects a NUL character in `text` and `jsonb` (error 22021,
 * or 22P05 for JSON), and an unpaired UTF-16 surrogate is no character at all (the driver turns it into
 * U+FFFD, jsonb refuses its `\ud800` escape). Refusing both where a request arrives, naming the field,
 * means the database never sees them.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why this text cannot be stored, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000); remove it';
  if (LONE_SURROGATE.test(text)) {
    return 'contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text';
  }
  return undefined;
}

export interface UnstorableField {
  /** Object keys and array indexes from the root of the value. */
  path: Array<string | number>;
  message: string;
}

/** Deeper than any body Pulse reads (Slack's and Stripe's go about ten levels down). */
export const MAX_DEPTH = 64;

type Visit = {
  value: unknown;
  key?: string | number;
  parent?: Visit;
  depth: number;
  /** A problem with the key itself: reported in its place, and its value is not visited. */
  keyProblem?: string;
};

const pathOf = (visit: Visit, base: Array<string | number>): Array<string | number> => {
  const keys: Array<string | number> = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) keys.push(v.key);
  return [...base, ...keys.reverse()];
};

/**
 * Every string in a parsed JSON value, and every object key, that cannot be stored, with its path under
 * `base`; a value nested deeper than MAX_DEPTH is one problem itself. Iterative, and a path is built only
 * for a problem, so the work stays linear in the size of the value however it is shaped.
 */
export function findUnstorableText(value: unknown, base: Array<string | number> = []): UnstorableField[] {
  const found: UnstorableField[] = [];
  // Children are pushed last-first, so they are visited (and reported) in the order they were written.
  const pending: Visit[] = [{ value, depth: 0 }];
  while (pending.length) {
    const visit = pending.pop()!;
    const { value: current, depth } = visit;
    if (visit.keyProblem) {
      found.push({ path: pathOf(visit, base), message: `its name ${visit.keyProblem}` });
    } else if (typeof current === 'string') {
      const message = unstorableText(current);
      if (message) found.push({ path: pathOf(visit, base), message });
    } else if (typeof current === 'object' && current !== null && depth >= MAX_DEPTH) {
      found.push({ path: pathOf(visit, base), message: `is nested more than ${MAX_DEPTH} levels deep` });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i], key: i, parent: visit, depth: depth + 1 });
      }
    } else if (typeof current === 'object' && current !== null) {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child = (current as Record<string, unknown>)[key];
        pending.push({ value: child, key, parent: visit, depth: depth + 1, keyProblem: unstorableText(key) });
      }
    }
  }
  return found;
}
