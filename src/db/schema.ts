import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => instant('created_at').notNull().defaultNow();

export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    tier: text('tier').notNull().default('mid_touch'),
    stage: text('stage').notNull().default('onboarding'),
    mrr: numeric('mrr', { precision: 14, scale: 2 }),
    currency: text('currency').notNull().default('USD'),
    seats: integer('seats'),
    ownerSlackId: text('owner_slack_id'),
    channelId: text('channel_id'),
    locale: text('locale').notNull().default('en'),
    timezone: text('timezone'),
    contractStart: date('contract_start', { mode: 'string' }),
    renewalDate: date('renewal_date', { mode: 'string' }),
    status: text('status').notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('accounts_lower_name_idx').on(sql`lower(${t.name})`),
    index('accounts_owner_idx').on(t.ownerSlackId),
    check(
      'accounts_tier_check',
      sql`${t.tier} in ('tech_touch','low_touch','mid_touch','high_touch','exclusive')`,
    ),
    check('accounts_stage_check', sql`${t.stage} in ('onboarding','adoption','expansion','renewal')`),
    check('accounts_status_check', sql`${t.status} in ('active','churned')`),
    check('accounts_locale_check', sql`${t.locale} in ('en','pt-BR')`),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: serial('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name'),
    slackUserId: text('slack_user_id'),
    role: text('role').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_account_email_idx').on(t.accountId, t.email),
    index('contacts_slack_user_idx').on(t.slackUserId),
    check('contacts_role_check', sql`${t.role} in ('champion','decision_maker','user')`),
  ],
);

/** One point per (account, metric, instant): a re-sent point replaces the stored one. */
export const metricPoints = pgTable(
  'metric_points',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    at: instant('at').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.metric, t.at] })],
);

export const billingEvents = pgTable(
  'billing_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull().unique(),
    type: text('type').notNull(),
    occurredAt: instant('occurred_at').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }),
    currency: text('currency'),
    dueDate: date('due_date', { mode: 'string' }),
    cardExpiresAt: date('card_expires_at', { mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('billing_events_account_idx').on(t.accountId, t.occurredAt),
    check(
      'billing_events_type_check',
      sql`${t.type} in ('payment_failed','payment_succeeded','invoice_overdue','invoice_paid','card_expiring','subscription_canceled','subscription_downgraded','dispute_opened')`,
    ),
  ],
);

/** The current health of each account: what `/cs health` and `/cs accounts` read. */
export const accountHealth = pgTable(
  'account_health',
  {
    accountId: integer('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    score: smallint('score'),
    band: text('band'),
    components: jsonb('components').notNull(),
    openBillingFlags: jsonb('open_billing_flags').notNull().default([]),
    /** Newest fact the score was computed from (metric point or billing event). */
    dataAsOf: instant('data_as_of'),
    computedAt: instant('computed_at').notNull(),
  },
  // No index on score: every recomputation rewrites every row, and with no indexed column changing
  // (and room left on the page, see the fillfactor migration) those updates stay HOT and cheap.
);

/** One snapshot per account and day (in UTC): the history behind trends and sparklines. */
export const healthSnapshots = pgTable(
  'health_snapshots',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    score: smallint('score'),
    band: text('band'),
    components: jsonb('components').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day] })],
);

/**
 * Every message Pulse starts on its own goes through this outbox: written in the transaction of the
 * decision that causes it, delivered by the outbox worker (src/jobs/outbox-worker.ts), which explains
 * the states and why this shape survives a crash.
 */
export const slackOutbox = pgTable(
  'slack_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The decision's own key: enqueuing the same message twice is a no-op. */
    dedupeKey: text('dedupe_key').notNull().unique(),
    method: text('method').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    /** Failed calls that count towards the limit (rate limiting does not). */
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by every claim: a worker only records the outcome of the claim it holds. */
    claims: integer('claims').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    /** When the current claim started; a row left `sending` past its lease is recovered by another worker. */
    sendingSince: instant('sending_since'),
    /**
     * Since when a post of this row may have reached Slack without its answer being recorded (a claim was
     * made and no answer came back): recovery looks for the message from this instant on.
     */
    unconfirmedSince: instant('unconfirmed_since'),
    channel: text('channel'),
    ts: text('ts'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    index('slack_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending','sending')`),
    check(
      'slack_outbox_method_check',
      sql`${t.method} in ('chat.postMessage','chat.update','chat.postEphemeral')`,
    ),
    check('slack_outbox_status_check', sql`${t.status} in ('pending','sending','sent','failed')`),
  ],
);

/**
 * One row per alert condition: `dedupe_key` names the condition (`billing:<external_id>`), so a
 * re-sent event or a recomputation finds its alert instead of raising another. The message itself is
 * posted through the outbox (dedupe key `alert:<id>:post`), which keeps its channel and `ts`.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** What raised it, e.g. the billing flag as stored in `account_health.open_billing_flags`. */
    detail: jsonb('detail').notNull(),
    status: text('status').notNull().default('open'),
    /** Who made the latest status change, and when ("pulse" when a recomputation resolved it). */
    statusBy: text('status_by'),
    statusAt: instant('status_at'),
    snoozedUntil: instant('snoozed_until'),
    resolutionNote: text('resolution_note'),
    /** When the health rules said the condition's episode ended (health kinds only): it may fire again. */
    clearedAt: instant('cleared_at'),
    /** When Pulse escalated it (nobody acted in time): an alert is escalated once. */
    escalatedAt: instant('escalated_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('alerts_account_idx').on(t.accountId).where(sql`${t.status} <> 'resolved'`),
    check('alerts_kind_check', sql`${t.kind} in ('billing','entered_red','fell_fast','renewal_at_risk')`),
    check('alerts_status_check', sql`${t.status} in ('open','acknowledged','snoozed','resolved')`),
  ],
);

/** The audit trail of alerts: every click, and every change Pulse made by itself (user "pulse"). */
export const alertActions = pgTable(
  'alert_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: bigint('alert_id', { mode: 'number' })
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    action: text('action').notNull(),
    detail: jsonb('detail'),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [
    index('alert_actions_alert_idx').on(t.alertId, t.at),
    check(
      'alert_actions_action_check',
      sql`${t.action} in ('acknowledged','snoozed','resolved','renotified','escalated')`,
    ),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type SlackOutboxRow = typeof slackOutbox.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
