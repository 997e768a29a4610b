import type { z } from 'zod';
import { fieldsOf, type IngestItem, type IngestKind, ingestSchemas } from './ingestion.ts';
import { plainlyValidMetricPoints } from './metric-points-check.ts';
import { formatPath, MAX_PROBLEMS, type Problem } from './problems.ts';
import { findUnstorableText } from './unstorable-text.ts';

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const EXPECTED: Record<string, string> = { int: 'integer', nan: 'number' };

/** Messages a person can act on, for the issues whose schema does not carry its own. */
const message: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined) return 'is required';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${article(EXPECTED[issue.expected] ?? issue.expected)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be ${issue.minimum} or more`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    default:
      return undefined;
  }
};

export type BatchResult<K extends IngestKind> =
  | { ok: true; items: IngestItem<K>[] }
  /**
   * `errors` lists every problem of the items up to the one where MAX_PROBLEMS was reached; the
   * problems of the later items are only counted, in `more`.
   */
  | { ok: false; errors: Problem[]; more?: number };

/** An issue as the API reports it: one entry per unknown field. */
function issueErrors(issues: z.core.$ZodIssue[], accepted: string, base: PropertyKey[]): Problem[] {
  return issues.flatMap((issue): Problem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: formatPath([...base, ...issue.path, key]),
          message: `unknown field; the fields are: ${accepted}`,
        }))
      : [{ path: formatPath([...base, ...issue.path]), message: issue.message }],
  );
}

/** Text the database cannot store, then the schema's issues on the fields not already named. */
function itemErrors(
  kind: IngestKind,
  value: unknown,
  base: Array<string | number>,
  issues: z.core.$ZodIssue[],
) {
  const unstorable = findUnstorableText(value, base).map(({ path, message }) => ({
    path: formatPath(path),
    message,
  }));
  const named = new Set(unstorable.map((e) => e.path));
  return [
    ...unstorable,
    ...issueErrors(issues, fieldsOf(kind).join(', '), base).filter((e) => !named.has(e.path)),
  ];
}

function checkItem<K extends IngestKind>(
  kind: K,
  value: unknown,
  base: Array<string | number>,
): { ok: true; item: IngestItem<K> } | { ok: false; errors: Problem[] } {
  const result = ingestSchemas[kind].safeParse(value, { error: message });
  const errors = itemErrors(kind, value, base, result.success ? [] : result.error.issues);
  if (errors.length || !result.success) return { ok: false, errors };
  return { ok: true, item: result.data as IngestItem<K> };
}

/**
 * How many problems an item has, without listing them: through the schema's Standard Schema interface,
 * which builds no ZodError (most of the cost of a failing safeParse), and without building a path
 * unless text the database cannot store makes two problems name the same field.
 */
function countProblems(kind: IngestKind, value: unknown): number {
  // Zod's Standard Schema result carries its own issues; the ingestion schemas are synchronous.
  const issues = (ingestSchemas[kind]['~standard'].validate(value) as { issues?: z.core.$ZodIssue[] }).issues;
  if (findUnstorableText(value).length) return itemErrors(kind, value, [], issues ?? []).length;
  let count = 0;
  for (const issue of issues ?? []) count += issue.code === 'unrecognized_keys' ? issue.keys.length : 1;
  return count;
}

/**
 * Validates one object or an array of them, item by item: every problem is listed with its path, up to
 * MAX_PROBLEMS (finishing the item it is reached in); the items after that are only counted.
 */
export function parseBatch<K extends IngestKind>(kind: K, input: unknown): BatchResult<K> {
  const isArray = Array.isArray(input);
  if (!isArray && (typeof input !== 'object' || input === null)) {
    return {
      ok: false,
      errors: [{ path: '', message: `the body must be a JSON object or an array of objects (${kind})` }],
    };
  }
  if (kind === 'metrics') {
    // The bulk of what arrives: checked by hand when every point is plainly valid, by the schema otherwise.
    const points = plainlyValidMetricPoints(input);
    if (points) return { ok: true, items: points as IngestItem<K>[] };
  }
  const values: unknown[] = isArray ? input : [input];
  const items: IngestItem<K>[] = [];
  const errors: Problem[] = [];
  let more = 0;
  values.forEach((value, i) => {
    if (errors.length >= MAX_PROBLEMS) {
      more += countProblems(kind, value);
      return;
    }
    const checked = checkItem(kind, value, isArray ? [i] : []);
    if (checked.ok) items.push(checked.item);
    else errors.push(...checked.errors);
  });
  if (!errors.length) return { ok: true, items };
  return more ? { ok: false, errors, more } : { ok: false, errors };
}
