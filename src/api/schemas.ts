import { z } from 'zod';
import { ACCOUNT_STATUSES, LOCALES, STAGES, TIERS } from '../domain/accounts.ts';
import { BILLING_EVENT_TYPES } from '../domain/billing-flags.ts';
import {
  type AccountUpsert,
  type BillingEventInput,
  CONTACT_ROLES,
  type ContactUpsert,
  type MetricPoint,
  type MilestoneInput,
} from '../domain/ingestion.ts';
import { isTimeZone } from '../domain/time-zone.ts';
import { findUnstorableText } from '../domain/unstorable-text.ts';
import type { ApiError } from '../http/server.ts';
import { MAX_PROBLEMS } from './problem-list.ts';

/**
 * The ingestion bodies of the contract, one strict schema per kind: an unknown field is refused so a
 * typo is never silently dropped. The same schemas validate the HTTP API and the CSV import.
 */

/** numeric(14, 2) holds up to 12 digits before the point. */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_INT4 = 2_147_483_647;

export const accountKey = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(
    /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/,
    'must be a lower-case slug: letters a-z and digits, words joined by "-" or "_" (e.g. "acme-corp")',
  );

const slackId = (what: string) =>
  z
    .string()
    .regex(/^[A-Z][A-Z0-9]+$/, `must be a Slack ${what} ID: a capital letter, then capitals and digits`);

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A schema's own message, except for a missing field: that one says so. */
const unlessMissing =
  (text: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : text;

// PostgreSQL has no year 0 (1 BC is year -1), though ISO 8601 and zod accept it.
const notYearZero = (s: string) => !s.startsWith('0000');

/** An instant: an ISO 8601 date-time with its offset, kept as written so PostgreSQL keeps its microseconds. */
export const instant = z.iso
  .datetime({
    offset: true,
    error: unlessMissing(
      'must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T09:30:00Z or 2024-05-01T06:30:00-03:00',
    ),
  })
  .refine(notYearZero, 'year 0000 does not exist');

/** A calendar day: `YYYY-MM-DD`, or a full date-time whose date part is stored as written. */
export const calendarDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })], {
    error: unlessMissing('must be a date, YYYY-MM-DD (e.g. 2024-05-01), or an ISO 8601 date-time'),
  })
  .refine(notYearZero, 'year 0000 does not exist')
  .transform((s) => s.slice(0, 10));

/** Money in the currency's major unit: exact to the cent, so it is checked on its decimal text. */
export const amount = z
  .number()
  .min(0, 'must be 0 or more')
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`)
  .refine((n) => /^-?\d+(\.\d{1,2})?$/.test(String(n)), 'must have at most 2 decimals');

export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code in capitals, e.g. USD');

const seats = z.int().min(0, 'must be 0 or more').max(MAX_INT4, `must be at most ${MAX_INT4}`);
const timezone = z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. America/Sao_Paulo');

/**
 * An upsert names the fields it changes: an absent field keeps its stored value, and `null` clears one
 * whose column may be empty.
 */
export const accountSchema = z.strictObject({
  key: accountKey,
  name: text(200),
  tier: z.enum(TIERS).optional(),
  stage: z.enum(STAGES).optional(),
  mrr: amount.nullish(),
  currency: currency.optional(),
  seats: seats.nullish(),
  owner_slack_id: slackId('user').nullish(),
  channel_id: slackId('channel').nullish(),
  locale: z.enum(LOCALES).optional(),
  timezone: timezone.nullish(),
  contract_start: calendarDate.nullish(),
  renewal_date: calendarDate.nullish(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
});

export const contactSchema = z.strictObject({
  account: accountKey,
  email: z.email({ error: unlessMissing('must be an email address, e.g. ana@acme.com') }).toLowerCase(),
  name: text(200).nullish(),
  slack_user_id: slackId('user').nullish(),
  role: z.enum(CONTACT_ROLES),
});

export const metricPointSchema = z.strictObject({
  account: accountKey,
  metric: z
    .string()
    .max(100, 'must be at most 100 characters')
    .regex(
      /^[a-z][a-z0-9_.]*$/,
      'must start with a letter a-z, then lower-case letters, digits, "_" or "." (e.g. active_users)',
    ),
  value: z.number(),
  at: instant,
});

/** Billing events are only inserted, so `null` and absent mean the same: not known. */
export const billingEventSchema = z.strictObject({
  account: accountKey,
  external_id: text(255),
  type: z.enum(BILLING_EVENT_TYPES),
  occurred_at: instant,
  amount: amount.nullish(),
  currency: currency.nullish(),
  due_date: calendarDate.nullish(),
  card_expires_at: calendarDate.nullish(),
});

/**
 * A milestone of the success plan (`planned_for`), or one reached (`reached_at`), or both; the same title
 * (case-insensitively) names the same milestone, so reaching a planned one marks it reached.
 */
export const milestoneSchema = z.strictObject({
  account: accountKey,
  title: text(200),
  planned_for: calendarDate.nullish(),
  reached_at: instant.nullish(),
});

export const INGEST_KINDS = ['accounts', 'contacts', 'metrics', 'billing-events', 'milestones'] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

export const ingestSchemas = {
  accounts: accountSchema,
  contacts: contactSchema,
  metrics: metricPointSchema,
  'billing-events': billingEventSchema,
  milestones: milestoneSchema,
} as const;

/** Each schema infers exactly its domain type (domain/ingestion.ts): a drift fails the type check. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inferSameTypes = {
  accounts: true,
  contacts: true,
  metrics: true,
  'billing-events': true,
  milestones: true,
} as const satisfies {
  accounts: Same<z.infer<typeof accountSchema>, AccountUpsert>;
  contacts: Same<z.infer<typeof contactSchema>, ContactUpsert>;
  metrics: Same<z.infer<typeof metricPointSchema>, MetricPoint>;
  'billing-events': Same<z.infer<typeof billingEventSchema>, BillingEventInput>;
  milestones: Same<z.infer<typeof milestoneSchema>, MilestoneInput>;
};
void inferSameTypes;
export type IngestItem<K extends IngestKind> = z.infer<(typeof ingestSchemas)[K]>;

/** The field names a kind accepts, in the contract's order: the columns of its CSV file. */
export const fieldsOf = (kind: IngestKind): string[] => Object.keys(ingestSchemas[kind].shape);

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

export type BatchResult<K extends IngestKind> =
  | { ok: true; items: IngestItem<K>[] }
  /**
   * `errors` lists every problem of the items up to the one where MAX_PROBLEMS was reached; the
   * problems of the later items are only counted, in `more`.
   */
  | { ok: false; errors: ApiError[]; more?: number };

/** An issue as the API reports it: one entry per unknown field. */
function issueErrors(issues: z.core.$ZodIssue[], accepted: string, base: PropertyKey[]): ApiError[] {
  return issues.flatMap((issue): ApiError[] =>
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
): { ok: true; item: IngestItem<K> } | { ok: false; errors: ApiError[] } {
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
  const values: unknown[] = isArray ? input : [input];
  const items: IngestItem<K>[] = [];
  const errors: ApiError[] = [];
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
