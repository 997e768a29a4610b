/** One problem with a request, a file or a record: where (`[2].value`, `""` for the whole) and what. */
export interface Problem {
  path: string;
  message: string;
}

/**
 * A refusal lists at most this many problems: enough for a round of fixes, and a huge body full of
 * mistakes is answered small and fast instead of with megabytes of errors.
 */
export const MAX_PROBLEMS = 100;

/** The line that stands for the problems left out. */
export const moreProblems = (count: number) => `…and ${count} more`;

/**
 * The first MAX_PROBLEMS of `errors`, then one entry "…and N more" counting the rest of `errors` and
 * `uncounted` problems found but never listed.
 */
export function problemList(errors: Problem[], uncounted = 0): Problem[] {
  const more = Math.max(0, errors.length - MAX_PROBLEMS) + uncounted;
  if (!more) return errors;
  return [...errors.slice(0, MAX_PROBLEMS), { path: '', message: moreProblems(more) }];
}

/** `[2].value` for an item of an array, `value` for a single object, `""` for the body itself. */
export function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}
