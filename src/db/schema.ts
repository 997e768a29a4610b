import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
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
import type { ACCOUNT_STATUSES, LOCALES, STAGES, TIERS } from '../domain/accounts.ts';
import type { BillingEventType } from '../domain/billing-flags.ts';
import type { SkippedRecord } from '../domain/connectors.ts';
import type { Comparator } from '../domain/goals.ts';
import type { Band, ComponentResult } from '../domain/health.ts';
import type { ReviewKind, SuccessReview as SuccessReviewRecord } from '../domain/reviews.ts';
import type { SurveyKind, SurveyRoute, SurveyStatus, SurveyTrigger } from '../domain/surveys.ts';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => instant('created_at').notNull().defaultNow();
/** `<column> in ('a','b',…)`: the check constraint of a text column that takes one of these values. */
const oneOf = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(','))})`;

/**
 * The Web API methods the outbox worker calls, the states of a row, and who reads what it posts: the
 * columns' check constraints and their TypeScript types are both made from these lists.
 */
export const OUTBOX_METHODS = ['chat.postMessage', 'chat.update', 'chat.postEphemeral'] as const;
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export const OUTBOX_AUDIENCES = ['internal', 'customer'] as const;

export const accounts = pgTable(
  'accounts',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    tier: text('tier').$type<(typeof TIERS)[number]>().notNull().default('mid_touch'),
    stage: text('stage').$type<(typeof STAGES)[number]>().notNull().default('onboarding'),
    mrr: numeric('mrr', { precision: 14, scale: 2 }),
    currency: text('currency').notNull().default('USD'),
    seats: integer('seats'),
    ownerSlackId: text('owner_slack_id'),
    channelId: text('channel_id'),
    locale: text('locale').$type<(typeof LOCALES)[number]>().notNull().default('en'),
    timezone: text('timezone'),
    contractStart: date('contract_start', { mode: 'string' }),
    renewalDate: date('renewal_date', { mode: 'string' }),
    status: text('status').$type<(typeof ACCOUNT_STATUSES)[number]>().notNull().default('active'),
    /** When the account churned: set as its status turns `churned` (the `churned_at` given, else then). */
    churnedAt: instant('churned_at'),
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
    type: text('type').$type<BillingEventType>().notNull(),
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

/** Where an MRR movement came from. */
export const MRR_SOURCES = ['account', 'api', 'stripe', 'backfill'] as const;

/**
 * The MRR history: every change of an account's MRR is a dated movement, the MRR in effect from `at` on
 * (0 once churned). A movement re-sent for the same instant replaces the stored one.
 */
export const accountMrrChanges = pgTable(
  'account_mrr_changes',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    mrr: numeric('mrr', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    source: text('source').$type<(typeof MRR_SOURCES)[number]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.at] }),
    check('account_mrr_changes_mrr_check', sql`${t.mrr} >= 0`),
    check('account_mrr_changes_source_check', oneOf(t.source, MRR_SOURCES)),
  ],
);

/** Every change of an account's lifecycle stage, dated: how long onboarding took is read from it. */
export const accountStageChanges = pgTable(
  'account_stage_changes',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    /** The stage it left; null for the stage an account was created in. */
    fromStage: text('from_stage').$type<(typeof STAGES)[number]>(),
    stage: text('stage').$type<(typeof STAGES)[number]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.at] })],
);

/** The current health of each account: what `/cs health` and `/cs accounts` read. */
export const accountHealth = pgTable(
  'account_health',
  {
    accountId: integer('account_id')
      .primaryKey()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    score: smallint('score'),
    band: text('band').$type<Band>(),
    components: jsonb('components').$type<ComponentResult[]>().notNull(),
    openBillingFlags: jsonb('open_billing_flags').notNull().default([]),
    /** Newest fact the score was computed from (metric point or billing event). */
    dataAsOf: instant('data_as_of'),
    computedAt: instant('computed_at').notNull(),
    /** The version of the health model it was computed with; null before models were versioned. */
    modelVersion: text('model_version'),
    /**
     * The model's segment the account was scored in: its band was decided with that segment's bands, and
     * the alerts and the card read it from here, so they can never disagree; null before segments were stored.
     */
    segment: text('segment'),
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
    band: text('band').$type<Band>(),
    components: jsonb('components').$type<ComponentResult[]>().notNull(),
    /** The health model's version: history keeps the model each day was scored with. */
    modelVersion: text('model_version'),
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
    method: text('method').$type<(typeof OUTBOX_METHODS)[number]>().notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<(typeof OUTBOX_STATUSES)[number]>().notNull().default('pending'),
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
    /**
     * Who reads what this row posts: `internal` (account or portfolio data, never posted into a channel
     * shared outside the workspace) or `customer` (a survey: that customer's own question).
     */
    audience: text('audience').$type<(typeof OUTBOX_AUDIENCES)[number]>().notNull().default('internal'),
    /** Where an internal post goes instead when its channel turns out to be shared (the alert channel). */
    fallbackChannel: text('fallback_channel'),
    /**
     * A message about an incident's post (an update, a thread reply): it waits for the post's `ts`, and an
     * update is rendered from the incident when it is sent, so a late one never shows an older state.
     */
    incidentId: bigint('incident_id', { mode: 'number' }).references((): AnyPgColumn => incidents.id, {
      onDelete: 'cascade',
    }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [
    index('slack_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending','sending')`),
    check('slack_outbox_method_check', oneOf(t.method, OUTBOX_METHODS)),
    check('slack_outbox_status_check', oneOf(t.status, OUTBOX_STATUSES)),
    check('slack_outbox_audience_check', oneOf(t.audience, OUTBOX_AUDIENCES)),
  ],
);

/**
 * Each channel's chat.postMessage budget, shared by every outbox worker on the database (so two Pulse
 * processes posting to one channel keep Slack's rate between them): a row is locked and spent by the
 * statement that claims the channel's posts (src/store/outbox.ts).
 */
export const slackChannelPacing = pgTable('slack_channel_pacing', {
  channel: text('channel').primaryKey(),
  /**
   * The earliest instant the channel's next post may start (a token bucket kept as one instant: the
   * bucket is full from `next_post_at` plus the burst's length on); null: it never posted.
   */
  nextPostAt: instant('next_post_at'),
  /** Slack's last 429 for a post to it. Once any channel has one, every channel is paced. */
  rateLimitedAt: instant('rate_limited_at'),
});

/**
 * What Pulse raised about an account, as one message in one channel: while an incident is open (one of its
 * causes, the `alerts` rows, is unresolved), whatever else Pulse raises about the account joins it
 * instead of being posted on its own. Resolved once its last cause is.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Where its message is addressed (the account's channel, else the alert channel). */
    channel: text('channel').notNull(),
    /** The outbox row of its message, which keeps the message's channel and `ts`. */
    postOutboxId: bigint('post_outbox_id', { mode: 'number' }).references(() => slackOutbox.id, {
      onDelete: 'set null',
    }),
    /** Who owns it, when someone assigned it; null: the account's owner. */
    assigneeSlackId: text('assignee_slack_id'),
    resolvedAt: instant('resolved_at'),
    createdAt: createdAt(),
  },
  (t) => [index('incidents_open_idx').on(t.accountId, t.channel).where(sql`${t.resolvedAt} is null`)],
);

/**
 * One row per alert condition: `dedupe_key` names the condition (`billing:<external_id>`), so a
 * re-sent event or a recomputation finds its alert instead of raising another. The message itself is
 * posted through the outbox: `post_outbox_id` is its row, which keeps the message's channel and `ts`.
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
    /** The incident it is a cause of; null only for alerts raised before incidents existed. */
    incidentId: bigint('incident_id', { mode: 'number' }).references(() => incidents.id, {
      onDelete: 'cascade',
    }),
    /** The outbox row of the message that shows it (its incident's post), set in the transaction that enqueued it. */
    postOutboxId: bigint('post_outbox_id', { mode: 'number' }).references(() => slackOutbox.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
  },
  (t) => [
    index('alerts_incident_idx').on(t.incidentId),
    index('alerts_account_idx').on(t.accountId).where(sql`${t.status} <> 'resolved'`),
    check(
      'alerts_kind_check',
      sql`${t.kind} in ('billing','entered_red','fell_fast','renewal_at_risk','detractor','low_csat','no_first_value','review_overdue','urgent_ticket')`,
    ),
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
      sql`${t.action} in ('acknowledged','snoozed','resolved','renotified','escalated','assigned')`,
    ),
  ],
);

/**
 * Stripe customers linked to accounts. Card, subscription and dispute events often carry only `cus_…`:
 * this table, filled from customer metadata (`pulse_account`), the e-mail domain or a linked invoice,
 * is how they find their account.
 */
export const stripeCustomers = pgTable('stripe_customers', {
  customerId: text('customer_id').primaryKey(),
  accountId: integer('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  linkedBy: text('linked_by').notNull(),
  email: text('email'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * The monthly amount each Stripe subscription has now (0 once deleted), as its latest event said: an
 * account's MRR from Stripe is the sum over its subscriptions, so a customer with two is not read as one.
 */
export const stripeSubscriptions = pgTable(
  'stripe_subscriptions',
  {
    subscriptionId: text('subscription_id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The event that set `mrr` and when Stripe created it: a re-sent or older event changes nothing. */
    eventId: text('event_id').notNull(),
    at: instant('at').notNull(),
    mrr: numeric('mrr', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
  },
  (t) => [index('stripe_subscriptions_account_idx').on(t.accountId)],
);

/** Verified Stripe events whose customer is not linked to an account yet: replayed once a link appears. */
export const stripeUnlinkedEvents = pgTable(
  'stripe_unlinked_events',
  {
    eventId: text('event_id').primaryKey(),
    customerId: text('customer_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (t) => [index('stripe_unlinked_events_customer_idx').on(t.customerId)],
);

/**
 * Success milestones: planned (with a target date, from the success plan) and/or reached. Titles are
 * unique per account, case-insensitively, so reaching a planned milestone marks that row reached.
 */
export const milestones = pgTable(
  'milestones',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    plannedFor: date('planned_for', { mode: 'string' }),
    reachedAt: instant('reached_at'),
    /** Slack user who logged or planned it, or "api". */
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('milestones_account_title_idx').on(t.accountId, sql`lower(${t.title})`),
    index('milestones_reached_idx').on(t.reachedAt),
  ],
);

/** Success reviews (RTS quarterly, RMS monthly): the meeting, and what Pulse did around it. */
export const successReviews = pgTable(
  'success_reviews',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<ReviewKind>().notNull(),
    startsAt: instant('starts_at').notNull(),
    durationMinutes: integer('duration_minutes').notNull().default(60),
    /** The IANA zone the meeting was scheduled in: dates are shown in it. */
    timezone: text('timezone').notNull(),
    attendees: jsonb('attendees').$type<string[]>().notNull().default([]),
    agenda: text('agenda'),
    status: text('status').notNull().default('scheduled'),
    scheduledBy: text('scheduled_by').notNull(),
    briefSentAt: instant('brief_sent_at'),
    outcomeRequestedAt: instant('outcome_requested_at'),
    outcomeRecordedAt: instant('outcome_recorded_at'),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('success_reviews_account_idx').on(t.accountId, t.startsAt),
    // The health card's next scheduled review and latest review of one account, without reading its others.
    index('success_reviews_account_status_idx').on(t.accountId, t.status, t.startsAt),
    index('success_reviews_starts_idx').on(t.startsAt).where(sql`${t.status} = 'scheduled'`),
    check('success_reviews_kind_check', sql`${t.kind} in ('rts','rms')`),
    check('success_reviews_status_check', sql`${t.status} in ('scheduled','held','canceled')`),
  ],
);

/** Goals set at a success review, tracked against an ingested metric when they name one. */
export const reviewGoals = pgTable(
  'review_goals',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reviewId: bigint('review_id', { mode: 'number' })
      .notNull()
      .references(() => successReviews.id, { onDelete: 'cascade' }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    metric: text('metric'),
    comparator: text('comparator').$type<Comparator>(),
    target: numeric('target', { precision: 14, scale: 2 }),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('review_goals_account_idx').on(t.accountId, t.dueDate),
    check('review_goals_comparator_check', sql`${t.comparator} is null or ${t.comparator} in ('>=','<=')`),
  ],
);

/**
 * One row per survey sent (or attempted) to one contact. `dedupe_key` names the decision
 * (`nps:<contact>:<period>`, `csat:milestone:<id>:<contact>`, …) so a rerun never asks twice.
 */
export const surveys = pgTable(
  'surveys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<SurveyKind>().notNull(),
    trigger: text('trigger').$type<SurveyTrigger>().notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    locale: text('locale').$type<(typeof LOCALES)[number]>().notNull(),
    /** Who sent it with `/cs survey`, when a person did. */
    requestedBy: text('requested_by'),
    recipientSlackId: text('recipient_slack_id'),
    /** How it reached the person: `dm`, `channel_ephemeral` or `channel_mention`. */
    route: text('route').$type<SurveyRoute>(),
    channel: text('channel'),
    ts: text('ts'),
    status: text('status').$type<SurveyStatus>().notNull().default('pending'),
    failureReason: text('failure_reason'),
    score: smallint('score'),
    comment: text('comment'),
    /** The outbox row of its question's post, set in the transaction that enqueued it; null until routed. */
    postOutboxId: bigint('post_outbox_id', { mode: 'number' }).references(() => slackOutbox.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
    expiresAt: instant('expires_at'),
    answeredAt: instant('answered_at'),
  },
  (t) => [
    index('surveys_contact_idx').on(t.contactId, t.createdAt),
    index('surveys_account_answered_idx').on(t.accountId, t.answeredAt),
    index('surveys_open_idx').on(t.expiresAt).where(sql`${t.status} in ('pending','sent')`),
    check('surveys_kind_check', sql`${t.kind} in ('nps','csat')`),
    check('surveys_trigger_check', sql`${t.trigger} in ('cadence','manual','milestone','review')`),
    check(
      'surveys_status_check',
      sql`${t.status} in ('pending','sent','answered','expired','undeliverable')`,
    ),
    check(
      'surveys_score_check',
      sql`${t.score} is null or (${t.kind} = 'nps' and ${t.score} between 0 and 10) or (${t.kind} = 'csat' and ${t.score} between 1 and 5)`,
    ),
  ],
);

/** Every digest posted; a scheduled digest covers its week once per channel. */
export const digests = pgTable(
  'digests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    trigger: text('trigger').notNull(),
    requestedBy: text('requested_by'),
    /** The figures the message was built from. */
    figures: jsonb('figures').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('digests_week_channel_idx').on(t.weekStart, t.channel).where(sql`${t.trigger} = 'schedule'`),
    check('digests_trigger_check', sql`${t.trigger} in ('schedule','command')`),
  ],
);

/**
 * One row per schedule and due tick: the process that inserts it runs the tick, so with several
 * replicas each tick runs once, and a tick missed while all were down is found and caught up once.
 */
export const scheduleRuns = pgTable(
  'schedule_runs',
  {
    schedule: text('schedule').notNull(),
    dueAt: instant('due_at').notNull(),
    runner: text('runner').notNull(),
    startedAt: instant('started_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.schedule, t.dueAt] })],
);

/**
 * Slack requests already handled, by `sig:<signature>` (slash commands and interactions) or
 * `event:<event_id>` (Events API): a replayed or re-delivered request does nothing the second time,
 * whichever replica it reaches. Rows older than the replay window are pruned.
 */
export const slackSeenRequests = pgTable(
  'slack_seen_requests',
  {
    key: text('key').primaryKey(),
    seenAt: instant('seen_at').notNull(),
  },
  (t) => [index('slack_seen_requests_seen_idx').on(t.seenAt)],
);

/**
 * What Slack last said about a channel: whether people outside the workspace read it (Slack Connect,
 * or a pending invitation to share). Nothing internal is posted where `shared` is true or unknown.
 */
export const slackChannels = pgTable('slack_channels', {
  id: text('id').primaryKey(),
  shared: boolean('shared').notNull(),
  checkedAt: instant('checked_at').notNull(),
});

/**
 * A person's Slack locale as Pulse last read it (users.info, on any command, click or App Home visit):
 * the language of the DMs Pulse sends them from a job (escalations), which cannot ask Slack mid-transaction.
 */
export const slackUserLocales = pgTable('slack_user_locales', {
  userId: text('user_id').primaryKey(),
  locale: text('locale').notNull(),
  checkedAt: instant('checked_at').notNull(),
});

/**
 * The Segment-compatible source's users: the account each belongs to (its latest `group` call) and what
 * its `identify` calls said, so a contact is made whichever of the two arrives first.
 */
export const segmentUsers = pgTable('segment_users', {
  userId: text('user_id').primaryKey(),
  accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
  email: text('email'),
  name: text('name'),
  role: text('role'),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/**
 * Events already counted, by messageId: a re-sent one changes nothing. Kept while their day is open.
 * These tables have no index for their daily prune: it scans them once a day, and every event's insert,
 * many thousands a second, stays cheaper.
 */
export const segmentMessages = pgTable('segment_messages', {
  messageId: text('message_id').primaryKey(),
  at: instant('at').notNull(),
});

/**
 * Who was active on each account's day (in its zone), as a 48-bit hash of the user ID: what distinct
 * daily, weekly and monthly active users are counted from. Pruned after 31 days.
 */
export const segmentActiveUsers = pgTable(
  'segment_active_users',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    userHash: bigint('user_hash', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.userHash] })],
);

/** Per account and day, how many of each counted event (logins, the metric events). Pruned after 31 days. */
export const segmentEventCounts = pgTable(
  'segment_event_counts',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    metric: text('metric').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.metric] })],
);

/**
 * Each connector's progress: where its source's cursor stands (saved in the transaction that stored the
 * page it ends, so a restart resumes there and loses nothing), its last run, what it stored and skipped,
 * its last error and its next run.
 */
export const connectorState = pgTable('connector_state', {
  name: text('name').primaryKey(),
  cursor: text('cursor'),
  lastRunAt: instant('last_run_at'),
  lastSuccessAt: instant('last_success_at'),
  stored: bigint('stored', { mode: 'number' }).notNull().default(0),
  skipped: bigint('skipped', { mode: 'number' }).notNull().default(0),
  lastError: text('last_error'),
  lastSkipped: jsonb('last_skipped').$type<SkippedRecord[]>().notNull().default([]),
  nextRunAt: instant('next_run_at'),
});

/** Where a note on an account came from: the "Log to account" message shortcut, or `/cs note`. */
export const NOTE_SOURCES = ['shortcut', 'command'] as const;

/**
 * Notes on an account's timeline: a Slack message logged with the "Log to account" shortcut (its text,
 * author, permalink and time) or a line typed with `/cs note`. A message is logged once per account.
 */
export const accountNotes = pgTable(
  'account_notes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    /** Who wrote it: the message's author (a Slack user ID, or a bot's name), or who typed `/cs note`. */
    author: text('author').notNull(),
    /** Who put it on the timeline (the same person for `/cs note`). */
    loggedBy: text('logged_by').notNull(),
    source: text('source').$type<(typeof NOTE_SOURCES)[number]>().notNull(),
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    permalink: text('permalink'),
    /** When it was said: the message's time, or when the command was typed. */
    at: instant('at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('account_notes_account_idx').on(t.accountId, t.at),
    uniqueIndex('account_notes_message_idx')
      .on(t.accountId, t.channelId, t.messageTs)
      .where(sql`${t.messageTs} is not null`),
    check('account_notes_source_check', oneOf(t.source, NOTE_SOURCES)),
  ],
);

/** Every change of an account's owner (the first owner too, `from_owner` null), for its timeline. */
export const accountOwnerChanges = pgTable(
  'account_owner_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    fromOwner: text('from_owner'),
    toOwner: text('to_owner'),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [index('account_owner_changes_account_idx').on(t.accountId, t.at)],
);

/**
 * Zendesk tickets as the incremental export last gave them, with the account their organization links
 * to (null: it links to none). The daily `tickets_open` figures are counted from here.
 */
export const zendeskTickets = pgTable(
  'zendesk_tickets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    organizationId: bigint('organization_id', { mode: 'number' }),
    status: text('status').notNull(),
    priority: text('priority'),
    /** Shown on the urgent-ticket red flag, so the CSM knows which ticket without opening Zendesk. */
    subject: text('subject'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('zendesk_tickets_account_idx').on(t.accountId)],
);

/**
 * Each ticket's status history: the status it had from `at` on, one row per version of the ticket Pulse
 * read (the incremental export returns a ticket again after each change; the webhook sends each change),
 * and `new` at its creation. The daily `tickets_open` figures of past days are rebuilt from it.
 */
export const zendeskTicketStatuses = pgTable(
  'zendesk_ticket_statuses',
  {
    ticketId: bigint('ticket_id', { mode: 'number' })
      .notNull()
      .references(() => zendeskTickets.id, { onDelete: 'cascade' }),
    at: instant('at').notNull(),
    status: text('status').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.at] })],
);

export type Account = typeof accounts.$inferSelect;
export type ConnectorState = typeof connectorState.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type MrrChange = typeof accountMrrChanges.$inferSelect;
export type AccountHealth = typeof accountHealth.$inferSelect;
export type StoredBillingEvent = typeof billingEvents.$inferSelect;
export type StripeUnlinkedEvent = typeof stripeUnlinkedEvents.$inferSelect;
export type ScheduleRun = typeof scheduleRuns.$inferSelect;
export type SlackOutboxRow = typeof slackOutbox.$inferSelect;
export type Alert = typeof alerts.$inferSelect;
export type Incident = typeof incidents.$inferSelect;
export type Milestone = typeof milestones.$inferSelect;
export type SuccessReview = typeof successReviews.$inferSelect;
/** The row type is the domain's review (domain/reviews.ts), in both directions: a drift fails the type check. */
const reviewRowIsDomainReview = true as const satisfies [SuccessReview] extends [SuccessReviewRecord]
  ? [SuccessReviewRecord] extends [SuccessReview]
    ? true
    : false
  : false;
void reviewRowIsDomainReview;
export type ReviewGoal = typeof reviewGoals.$inferSelect;
export type Survey = typeof surveys.$inferSelect;
export type AccountNote = typeof accountNotes.$inferSelect;
