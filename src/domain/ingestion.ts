import { z } from 'zod';
import { ACCOUNT_STATUSES, LOCALES, STAGES, TIERS } from './accounts.ts';
import { BILLING_EVENT_TYPES } from './billing-flags.ts';
import { isTimeZone } from './time-zone.ts';

/**
 * The ingestion bodies of the contract, one strict schema per kind: an unknown field is refused so a
 * typo is never silently dropped. The same schemas validate the HTTP API, the CSV import, the Stripe
 * webhook's billing events and the demo; the store receives the types they infer. Dates (`YYYY-MM-DD`)
 * and instants (ISO 8601 with an offset) are kept as written.
 */

export const CONTACT_ROLES = ['champion', 'decision_maker', 'user'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** numeric(14, 2) holds up to 12 digits before the point. */
const MAX_AMOUNT = 999_999_999_999.99;
const MAX_INT4 = 2_147_483_647;

/** An account key's limits, shared by the schema and the hand-checked path of metric points. */
export const ACCOUNT_KEY = { max: 64, pattern: /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/ } as const;
/** A metric name's limits, likewise. */
export const METRIC_NAME = { max: 100, pattern: /^[a-z][a-z0-9_.]*$/ } as const;

export const accountKey = z
  .string()
  .max(ACCOUNT_KEY.max, `must be at most ${ACCOUNT_KEY.max} characters`)
  .regex(
    ACCOUNT_KEY.pattern,
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
export const accountSchema = z
  .strictObject({
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
    /** When the account churned, with `status: "churned"`; without it, the churn is dated when received. */
    churned_at: instant.optional(),
  })
  .refine((a) => a.churned_at === undefined || a.status === 'churned', {
    path: ['churned_at'],
    message: 'goes with "status": "churned"',
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
    .max(METRIC_NAME.max, `must be at most ${METRIC_NAME.max} characters`)
    .regex(
      METRIC_NAME.pattern,
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

/**
 * One dated MRR movement of an account's history (in the account's currency): the MRR in effect from
 * `at` on. The same `(account, at)` names the same movement, so a re-sent one replaces it.
 */
export const mrrChangeSchema = z.strictObject({
  account: accountKey,
  at: instant,
  mrr: amount,
});

export const INGEST_KINDS = [
  'accounts',
  'contacts',
  'metrics',
  'billing-events',
  'milestones',
  'mrr-changes',
] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

export const ingestSchemas = {
  accounts: accountSchema,
  contacts: contactSchema,
  metrics: metricPointSchema,
  'billing-events': billingEventSchema,
  milestones: milestoneSchema,
  'mrr-changes': mrrChangeSchema,
} as const;

export type IngestItem<K extends IngestKind> = z.infer<(typeof ingestSchemas)[K]>;
export type AccountUpsert = IngestItem<'accounts'>;
export type ContactUpsert = IngestItem<'contacts'>;
export type MetricPoint = IngestItem<'metrics'>;
export type BillingEventInput = IngestItem<'billing-events'>;
export type MilestoneInput = IngestItem<'milestones'>;
export type MrrChangeInput = IngestItem<'mrr-changes'>;

/** The field names a kind accepts, in the contract's order: the columns of its CSV file. */
export const fieldsOf = (kind: IngestKind): string[] => Object.keys(ingestSchemas[kind].shape);
