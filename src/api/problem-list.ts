import type { ApiError } from '../http/server.ts';

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
export function problemList(errors: ApiError[], uncounted = 0): ApiError[] {
  const more = Math.max(0, errors.length - MAX_PROBLEMS) + uncounted;
  if (!more) return errors;
  return [...errors.slice(0, MAX_PROBLEMS), { path: '', message: moreProblems(more) }];
}
